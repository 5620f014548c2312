"""Contexts (v2): typed, identified records with custom data, keyed ``type:id``.

Other resources name contexts by a *context payload* (``{"tenant": "acme", "app": {"id": "jira",
"data": {...}}}``): a trigger's ``context``, a topic subscription's, a channel connection's or
endpoint's. ``resolve`` finds or creates each context the payload names (data given with an id
replaces the context's data; a bare id leaves it as it is), as Novu's context repository does, and
gives the sorted keys the other resource records (``contextKeys``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, TypeGuard

import attrs

from .._clock import Clock
from .ids import Ids

__all__ = [
    "MAX_DATA_BYTES",
    "Context",
    "Contexts",
    "context_key",
    "data_size",
    "payload_problem",
    "valid_part",
]

MAX_PART: Final = 100
MAX_DATA_BYTES: Final = 64 * 1024
_PART: Final = re.compile(r"^[a-zA-Z0-9_-]+$")


def valid_part(value: Any) -> TypeGuard[str]:
    """Whether a value can be a context's type or id: 1-100 letters, digits, ``-`` or ``_``."""
    return isinstance(value, str) and 0 < len(value) <= MAX_PART and _PART.match(value) is not None


def context_key(kind: str, identifier: str) -> str:
    return f"{kind}:{identifier}"


def data_size(data: Any) -> int:
    """The size of a context's data as JSON text, in bytes (the 64 KiB bound)."""
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def payload_problem(payload: Any, max_count: int | None = None) -> str | None:
    """What is wrong with a context payload, or None: an object of at least one entry, each type
    naming a string id or ``{"id": ..., "data": {...}}``, ids of the context id form."""
    if not isinstance(payload, dict) or not payload:
        return "context must be a non-empty object of context types to ids"
    if max_count is not None and len(payload) > max_count:
        return f"context must have no more than {max_count} entries"
    for kind, value in payload.items():
        if not valid_part(kind):
            return f"context type {kind!r} must contain only letters, digits, - or _ (1-100)"
        identifier = value.get("id") if isinstance(value, dict) else value
        if not valid_part(identifier):
            return f"context.{kind} must be an id (letters, digits, - or _) or an object with one"
        if isinstance(value, dict) and "data" in value and not isinstance(value["data"], dict):
            return f"context.{kind}.data must be an object"
    return None


@attrs.define(eq=False)
class Context:
    """One context (``fake.contexts`` shows them as the API returns them)."""

    id: str  # the database id (_id): the list cursor
    type: str
    identifier: str  # its id within its type
    data: dict[str, Any]
    created_at: str
    updated_at: str

    @property
    def key(self) -> str:
        return context_key(self.type, self.identifier)


class Contexts:
    """``type:id`` -> ``Context``, in creation order; ``changed`` orders by last change."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Context] = {}
        self.changed: dict[str, int] = {}
        self._changes = 0

    def __iter__(self) -> Iterator[Context]:
        return iter(self.records.values())

    def get(self, kind: str, identifier: str) -> Context | None:
        return self.records.get(context_key(kind, identifier))

    def create(self, kind: str, identifier: str, data: Mapping[str, Any] | None = None) -> Context:
        now = self._clock.iso()
        made = Context(self._ids.object_id(), kind, identifier, dict(data or {}), now, now)
        self.records[made.key] = made
        self._touch(made.key)
        return made

    def update(self, context: Context, data: Mapping[str, Any]) -> Context:
        context.data = dict(data)
        context.updated_at = self._clock.iso()
        self._touch(context.key)
        return context

    def delete(self, context: Context) -> None:
        del self.records[context.key], self.changed[context.key]

    def resolve(self, payload: Any) -> tuple[str, ...]:
        """The keys of the contexts a (checked) payload names, each found or created; sorted."""
        if not isinstance(payload, dict):
            return ()
        keys = []
        for kind, value in payload.items():
            identifier = value.get("id") if isinstance(value, dict) else value
            if not valid_part(kind) or not valid_part(identifier):
                continue
            data = value.get("data") if isinstance(value, dict) else None
            found = self.get(kind, identifier)
            if found is None:
                found = self.create(kind, identifier, data if isinstance(data, dict) else None)
            elif isinstance(data, dict):
                self.update(found, data)
            keys.append(found.key)
        return tuple(sorted(keys))

    def _touch(self, key: str) -> None:
        self._changes += 1
        self.changed[key] = self._changes
