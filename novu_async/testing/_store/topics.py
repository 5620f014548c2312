"""Topics (``TopicResponseDto`` records by key) and their subscriptions."""

from __future__ import annotations

from typing import Any

import attrs

from .._clock import Clock
from .._wire import ApiError
from .ids import Ids

__all__ = ["Subscription", "Topics", "default_identifier"]


def default_identifier(topic_key: str, subscriber_id: str, context_keys: tuple[str, ...] = ()) -> str:
    """The identifier Novu gives a subscription made without one."""
    base = f"tk_{topic_key}:si_{subscriber_id}"
    return f"{base}:ctx_{','.join(sorted(context_keys))}" if context_keys else base


@attrs.define(eq=False)
class Subscription:
    id: str
    identifier: str
    topic_key: str
    subscriber_id: str
    created_at: str
    updated_at: str
    name: str | None = None
    context_keys: tuple[str, ...] = ()
    # SubscriptionPreferenceDto-like: {"workflowId" | "filter": ..., "enabled": bool, "condition": {...}}
    preferences: list[dict[str, Any]] = attrs.Factory(list)

    def allows(self, workflow_id: str) -> bool:
        """Whether a topic trigger of that workflow reaches this subscription's subscriber."""
        return all(p.get("enabled", True) for p in self.preferences if p.get("workflowId") == workflow_id)


class Topics:
    """key -> topic record; key -> identifier -> ``Subscription``."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Subscription]] = {}
        self.changed: dict[str, int] = {}
        self._changes = 0

    def require(self, key: str) -> dict[str, Any]:
        record = self.records.get(key)
        if record is None:
            raise ApiError(404, f"Topic with key '{key}' not found")
        return record

    def create(self, key: str, name: str | None) -> dict[str, Any]:
        now = self._clock.iso()
        record: dict[str, Any] = {"_id": self._ids.object_id(), "key": key}
        if name is not None:
            record["name"] = name
        record.update(createdAt=now, updatedAt=now)
        self.records[key] = record
        self.subscriptions[key] = {}
        self._touch(key)
        return record

    def rename(self, record: dict[str, Any], name: str) -> dict[str, Any]:
        record["name"] = name
        record["updatedAt"] = self._clock.iso()
        self._touch(record["key"])
        return record

    def delete(self, key: str) -> None:
        self.require(key)
        del self.records[key], self.subscriptions[key], self.changed[key]

    def subscribe(
        self,
        key: str,
        subscriber_id: str,
        identifier: str | None,
        name: str | None = None,
        context_keys: tuple[str, ...] = (),
    ) -> tuple[Subscription, bool]:
        """``(subscription, created)``: an existing subscription with that identifier is kept."""
        identifier = identifier or default_identifier(key, subscriber_id, context_keys)
        existing = self.subscriptions[key].get(identifier)
        if existing is not None:
            return existing, False
        now = self._clock.iso()
        made = Subscription(
            self._ids.object_id(), identifier, key, subscriber_id, now, now, name, context_keys
        )
        self.subscriptions[key][identifier] = made
        return made, True

    def of_subscriber(self, subscriber_id: str) -> list[Subscription]:
        return [
            s
            for subs in self.subscriptions.values()
            for s in subs.values()
            if s.subscriber_id == subscriber_id
        ]

    def subscriber_ids(self, key: str, workflow_id: str | None = None) -> list[str]:
        """The subscribers of a topic, each once, in subscription order; with ``workflow_id``, only
        those whose subscription does not turn that workflow off."""
        return list(
            dict.fromkeys(
                s.subscriber_id
                for s in self.subscriptions.get(key, {}).values()
                if workflow_id is None or s.allows(workflow_id)
            )
        )

    def forget_subscriber(self, subscriber_id: str) -> None:
        for subs in self.subscriptions.values():
            for identifier in [i for i, s in subs.items() if s.subscriber_id == subscriber_id]:
                del subs[identifier]

    def _touch(self, key: str) -> None:
        self._changes += 1
        self.changed[key] = self._changes
