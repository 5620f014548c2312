"""TeamsPage: generated from Fixture API 0.0.1, #/components/schemas/TeamsPage.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .team import Team

__all__ = [
    "TeamsPage",
]


@attrs.define(kw_only=True)
class TeamsPage:
    """
    Attributes:
        data:
        next: The next page's cursor, null on the last page.
        previous:
        total_count: (JSON ``totalCount``)
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    data: list[Team]
    next: str | None
    previous: str | None
    total_count: float = attrs.field(metadata={"wire": "totalCount"})
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
