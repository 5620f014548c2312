"""PetsPage: generated from Fixture API 0.0.1, #/components/schemas/PetsPage.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .person import Person

__all__ = [
    "PetsPage",
]


@attrs.define(kw_only=True)
class PetsPage:
    """
    Attributes:
        pets:
        total_count: (JSON ``totalCount``)
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    pets: list[Person]
    total_count: float = attrs.field(metadata={"wire": "totalCount"})
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
