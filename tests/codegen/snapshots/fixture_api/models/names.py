"""Names: generated from Fixture API 0.0.1, #/components/schemas/Names.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "Names",
]


@attrs.define(kw_only=True)
class Names:
    """Wire names of every kind, and the collisions they cause.

    Attributes:
        _id: Dropping the underscore would clash with `id`.
        id:
        v: (JSON ``__v``)
        provider_id: (JSON ``providerId``)
        from_: (JSON ``from``)
        in_: (JSON ``in``)
        class_: (JSON ``class``)
        global_: (JSON ``global``)
        type:
        hash:
        environment_id: (JSON ``_environmentId``)
        additional_properties_2: Takes the reserved attribute name. (JSON ``additional_properties``)
        field_9lives: (JSON ``9lives``)
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    _id: str = attrs.field(alias="_id")
    id: str
    v: float | Unset = attrs.field(default=UNSET, metadata={"wire": "__v"})
    provider_id: str | Unset = attrs.field(default=UNSET, metadata={"wire": "providerId"})
    from_: str | Unset = attrs.field(default=UNSET, metadata={"wire": "from"})
    in_: str | Unset = attrs.field(default=UNSET, metadata={"wire": "in"})
    class_: str | Unset = attrs.field(default=UNSET, metadata={"wire": "class"})
    global_: bool | Unset = attrs.field(default=UNSET, metadata={"wire": "global"})
    type: str | Unset = UNSET
    hash: str | Unset = UNSET
    environment_id: str | Unset = attrs.field(default=UNSET, metadata={"wire": "_environmentId"})
    additional_properties_2: str | Unset = attrs.field(
        default=UNSET, metadata={"wire": "additional_properties"}
    )
    field_9lives: int | Unset = attrs.field(default=UNSET, metadata={"wire": "9lives"})
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
