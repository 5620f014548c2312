"""Channel connections and channel endpoints, by identifier.

A *connection* is the workspace and OAuth credentials of one integration (a Slack workspace, a
Teams tenant) for a subscriber or, in ``shared`` mode, for a context only: one per (integration,
subscriber, exact set of context keys). An *endpoint* is where a subscriber is reached on a channel
(a Slack channel or user, a webhook URL, a phone number...), for one integration and optionally
through one of its connections. Both name an integration the fake holds (by identifier; 404 when it
holds none) and their contexts through ``Contexts.resolve``. Deleting a subscriber or a connection
leaves the endpoints that name them, as Novu's delete operations do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .._clock import Clock
from .ids import Ids

__all__ = ["Channels", "Connection", "Endpoint", "same_contexts"]


def same_contexts(keys: Iterable[str], wanted: Iterable[str]) -> bool:
    """Novu's exact context match: the same keys, in any order."""
    return set(keys) == set(wanted)


@attrs.define(eq=False)
class Connection:
    id: str
    identifier: str
    integration_identifier: str
    provider_id: str | None
    channel: str | None
    subscriber_id: str | None
    context_keys: tuple[str, ...]
    workspace: dict[str, Any]
    auth: dict[str, Any]
    created_at: str
    updated_at: str


@attrs.define(eq=False)
class Endpoint:
    id: str
    identifier: str
    integration_identifier: str
    connection_identifier: str | None
    provider_id: str | None
    channel: str | None
    subscriber_id: str | None
    context_keys: tuple[str, ...]
    type: str  # slack_channel, slack_user, webhook, phone...
    endpoint: dict[str, Any]
    created_at: str
    updated_at: str


class Channels:
    """``connections`` and ``endpoints``: identifier -> record, in creation order."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.connections: dict[str, Connection] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.changed: dict[str, int] = {}  # record id -> change counter (orderBy=updatedAt)
        self._changes = 0

    def new_identifier(self, prefix: str, taken: Iterable[str]) -> str:
        """A generated identifier (``chconn_...``, ``chendp_...``) no record has."""
        held = set(taken)
        while True:
            made = f"{prefix}{self._ids.object_id()[-12:]}"
            if made not in held:
                return made

    def add_connection(self, **fields: Any) -> Connection:
        now = self._clock.iso()
        made = Connection(id=self._ids.object_id(), created_at=now, updated_at=now, **fields)
        self.connections[made.identifier] = made
        self.touch(made)
        return made

    def add_endpoint(self, **fields: Any) -> Endpoint:
        now = self._clock.iso()
        made = Endpoint(id=self._ids.object_id(), created_at=now, updated_at=now, **fields)
        self.endpoints[made.identifier] = made
        self.touch(made)
        return made

    def touch(self, record: Connection | Endpoint) -> None:
        record.updated_at = self._clock.iso()
        self._changes += 1
        self.changed[record.id] = self._changes
