"""Person: generated from Fixture API 0.0.1, #/components/schemas/Person.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .sort_order import SortOrder

__all__ = [
    "Person",
]


@attrs.define(kw_only=True)
class Person:
    """
    Attributes:
        name:
        email:
        nicknames:
        sort: Inline, with SortOrder's values in another order, and null.
        additional_properties: Keys the document does not declare, kept as received.
    """

    name: str
    email: str | Unset | None = UNSET
    nicknames: list[str] | Unset = UNSET
    sort: SortOrder | str | Unset | None = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)
