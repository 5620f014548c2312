"""Generated identifiers: Mongo-like object ids and uuid-shaped transaction ids, reproducible per seed."""

from __future__ import annotations

import random

__all__ = ["Ids"]


class Ids:
    """``object_id()``: 24 hex digits, increasing, so ids sort in creation order (as Mongo's do);
    ``transaction_id()``: a version-4-shaped uuid. Both follow ``seed``."""

    __slots__ = (
        "_integrations",
        "_made",
        "_prefix",
        "_transaction_format",
        "_transactions",
        "environment_id",
        "organization_id",
    )

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        hexes = f"{rng.getrandbits(72):018x}"
        self._transaction_format = f"{hexes[:8]}-{hexes[8:12]}-4{hexes[12:15]}-8{hexes[15:18]}-%012x"
        self._transactions = 0
        self._prefix = f"{rng.getrandbits(32):08x}"
        self._made = 0
        self.organization_id = f"{rng.getrandbits(96):024x}"
        self.environment_id = f"{rng.getrandbits(96):024x}"
        self._integrations: dict[str, str] = {}

    def object_id(self) -> str:
        self._made += 1
        return f"{self._prefix}{self._made:016x}"

    def transaction_id(self) -> str:
        self._transactions += 1
        return self._transaction_format % self._transactions

    def integration_id(self, provider_id: str) -> str:
        """The id of the (made-up) integration a provider's credentials belong to: one per provider."""
        found = self._integrations.get(provider_id)
        if found is None:
            found = self._integrations[provider_id] = self.object_id()
        return found
