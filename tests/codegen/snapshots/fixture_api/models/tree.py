"""Tree: generated from Fixture API 0.0.1, #/components/schemas/Tree.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "Tree",
]


@attrs.define(kw_only=True)
class Tree:
    """Refers to itself.

    Attributes:
        value:
        children:
        by_name: (JSON ``byName``)
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    value: str
    children: list[Tree] | Unset = UNSET
    by_name: dict[str, Tree] | Unset = attrs.field(default=UNSET, metadata={"wire": "byName"})
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
