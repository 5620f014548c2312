"""Subscribers, kept as the API returns them (``SubscriberResponseDto``), by subscriberId."""

from __future__ import annotations

from typing import Any, Final

from .._clock import Clock
from .._wire import ApiError
from .ids import Ids

__all__ = ["TEXT_FIELDS", "Subscribers", "subscriber_fields", "subscriber_id"]

TEXT_FIELDS: Final = ("firstName", "lastName", "email", "phone", "avatar", "locale", "timezone")


def subscriber_fields(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The writable subscriber fields a body gives (``None`` where it sends null), checked."""
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in body:
            value = body[name]
            if value is not None and not isinstance(value, str):
                raise ApiError.invalid(prefix + name, f"{name} must be a string", value)
            fields[name] = value
    if "data" in body:
        if body["data"] is not None and not isinstance(body["data"], dict):
            raise ApiError.invalid(prefix + "data", "data must be an object")
        fields["data"] = body["data"]
    return fields


def subscriber_id(body: dict[str, Any], prefix: str = "") -> str:
    value = body.get("subscriberId")
    if not isinstance(value, str) or not value.strip():
        raise ApiError.invalid(prefix + "subscriberId", "subscriberId should not be empty", value)
    return value


class Subscribers:
    """subscriberId -> the subscriber as the API returns it. ``changed`` orders by last change with a
    counter: sorting by ``updatedAt`` must not depend on two changes falling into different
    milliseconds."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, dict[str, Any]] = {}
        self.changed: dict[str, int] = {}
        self._changes = 0

    def __len__(self) -> int:
        return len(self.records)

    def get(self, subscriber_id: str) -> dict[str, Any] | None:
        return self.records.get(subscriber_id)

    def require(self, subscriber_id: str) -> dict[str, Any]:
        """The subscriber, or a 404 as Novu words it."""
        record = self.records.get(subscriber_id)
        if record is None:
            raise ApiError(404, f"Subscriber '{subscriber_id}' was not found")
        return record

    def create(self, subscriber_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        now = self._clock.iso()
        record = {
            "_id": self._ids.object_id(),
            "subscriberId": subscriber_id,
            **fields,
            "channels": [],
            "topics": [],
            "isOnline": None,
            "lastOnlineAt": None,
            "_organizationId": self._ids.organization_id,
            "_environmentId": self._ids.environment_id,
            "deleted": False,
            "createdAt": now,
            "updatedAt": now,
            "__v": 0,
        }
        self.records[subscriber_id] = record
        self._touch(subscriber_id)
        return record

    def update(self, record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        record.update(fields)
        record["updatedAt"] = self._clock.iso()
        self._touch(record["subscriberId"])
        return record

    def upsert(self, subscriber_id: str, fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Create or update; ``(record, created)``."""
        record = self.records.get(subscriber_id)
        if record is None:
            return self.create(subscriber_id, fields), True
        return self.update(record, fields), False

    def delete(self, subscriber_id: str) -> dict[str, Any]:
        record = self.require(subscriber_id)
        del self.records[subscriber_id], self.changed[subscriber_id]
        return record

    def _touch(self, subscriber_id: str) -> None:
        self._changes += 1
        self.changed[subscriber_id] = self._changes
