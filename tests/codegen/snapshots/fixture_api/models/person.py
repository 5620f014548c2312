"""Person: generated from Fixture API 0.0.1, #/components/schemas/Person.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Limits, Unset

if TYPE_CHECKING:
    from .names import Names
    from .sort_order import SortOrder

__all__ = [
    "PersonAddress",
    "Person",
]


@attrs.define(kw_only=True)
class PersonAddress:
    """Inline, and open: keys it does not list are allowed.

    Attributes:
        city:
        additional_properties: Keys the document does not declare, kept as received.
    """

    city: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)


@attrs.define(kw_only=True)
class Person:
    """
    Attributes:
        name:
        email:
        nicknames:
        sort: Inline, with SortOrder's values in another order, and null.
        person_handle: Renamed for SDKs by the document, and bounded. (JSON ``handle``)
        age:
        address: Inline, and open: keys it does not list are allowed.
        names: Wire names of every kind, and the collisions they cause.
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    name: str
    email: str | Unset | None = UNSET
    nicknames: list[str] | Unset = attrs.field(
        default=UNSET, metadata={"limits": Limits(max_length=10, min_items=1, max_items=3)}
    )
    sort: SortOrder | str | Unset | None = UNSET
    person_handle: str | Unset = attrs.field(
        default=UNSET, metadata={"wire": "handle", "limits": Limits(min_length=2, max_length=20)}
    )
    age: int | Unset = attrs.field(
        default=UNSET, metadata={"limits": Limits(minimum=0, exclusive_maximum=150)}
    )
    address: PersonAddress | Unset = UNSET
    names: Names | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
