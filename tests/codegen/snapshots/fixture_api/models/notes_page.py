"""NotesPage: generated from Fixture API 0.0.1, #/components/schemas/NotesPage.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .note import Note

__all__ = [
    "NotesPage",
]


@attrs.define(kw_only=True)
class NotesPage:
    """
    Attributes:
        data:
        has_more: (JSON ``hasMore``)
        filter:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    data: list[Note]
    has_more: bool = attrs.field(metadata={"wire": "hasMore"})
    filter: dict[str, Any]
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
