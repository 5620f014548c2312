"""EventCount: generated from Fixture API 0.0.1, #/components/schemas/EventCount.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "EventCount",
]


@attrs.define(kw_only=True)
class EventCount:
    """
    Attributes:
        count:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    count: float
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
