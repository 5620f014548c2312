"""EventsPage: generated from Fixture API 0.0.1, #/components/schemas/EventsPage.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "EventsPage",
]


@attrs.define(kw_only=True)
class EventsPage:
    """
    Attributes:
        has_more: (JSON ``hasMore``)
        data:
        page:
        page_size: (JSON ``pageSize``)
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    has_more: bool = attrs.field(metadata={"wire": "hasMore"})
    data: list[str]
    page: float
    page_size: float = attrs.field(metadata={"wire": "pageSize"})
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
