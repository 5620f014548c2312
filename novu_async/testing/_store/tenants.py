"""Tenants (legacy v1 API), kept as the API returns them (``GetTenantResponseDto``), by identifier.

The current document has no tenants; the legacy one creates, reads, lists, renames and deletes them.
A tenant's ``identifier`` is unique in the environment and may be changed by an update.
"""

from __future__ import annotations

from typing import Any

from .._clock import Clock
from .ids import Ids

__all__ = ["Tenants"]


class Tenants:
    """identifier -> the tenant record, in creation order."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, dict[str, Any]] = {}

    def create(self, identifier: str, name: str, data: dict[str, Any] | None) -> dict[str, Any]:
        now = self._clock.iso()
        record: dict[str, Any] = {
            "_id": self._ids.object_id(),
            "identifier": identifier,
            "name": name,
            "_environmentId": self._ids.environment_id,
            "createdAt": now,
            "updatedAt": now,
        }
        if data is not None:
            record["data"] = data
        self.records[identifier] = record
        return record

    def update(self, record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        """Changes the given fields; a new ``identifier`` re-keys the tenant (keeping its place)."""
        old = record["identifier"]
        record.update(fields, updatedAt=self._clock.iso())
        if record["identifier"] != old:
            self.records = {
                (record["identifier"] if key == old else key): value for key, value in self.records.items()
            }
        return record

    def delete(self, identifier: str) -> None:
        del self.records[identifier]
