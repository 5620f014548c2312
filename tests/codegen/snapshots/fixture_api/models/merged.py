"""Merged: generated from Fixture API 0.0.1, #/components/schemas/Merged.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .sort_order import SortOrder

__all__ = [
    "Merged",
]


@attrs.define(kw_only=True)
class Merged:
    """allOf with several members: merged into one object.

    Attributes:
        name:
        email:
        nicknames:
        sort: Inline, with SortOrder's values in another order, and null.
        age:
        additional_properties: Keys the document does not declare, kept as received.
    """

    name: str
    email: str | Unset | None = UNSET
    nicknames: list[str] | Unset = UNSET
    sort: SortOrder | str | Unset | None = UNSET
    age: int
    additional_properties: dict[str, Any] = attrs.field(factory=dict)
