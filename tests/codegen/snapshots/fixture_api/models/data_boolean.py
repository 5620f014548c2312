"""DataBoolean: generated from Fixture API 0.0.1, #/components/schemas/DataBoolean.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "DataBoolean",
]


@attrs.define(kw_only=True)
class DataBoolean:
    """Describes the wrapped body itself: not unwrapped.

    Attributes:
        data:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    data: bool
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
