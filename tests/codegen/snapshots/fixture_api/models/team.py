"""Team: generated from Fixture API 0.0.1, #/components/schemas/Team.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .sort_order import SortOrder

__all__ = [
    "Team",
]


@attrs.define(kw_only=True)
class Team:
    """
    Attributes:
        id:
        name:
        order: Sort order: the same values as OrderEnum, referenced once.
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    id: str
    name: str | Unset = UNSET
    order: SortOrder | str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
