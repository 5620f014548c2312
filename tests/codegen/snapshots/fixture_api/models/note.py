"""Note: generated from Fixture API 0.0.1, #/components/schemas/Note.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "Note",
]


@attrs.define(kw_only=True)
class Note:
    """
    Attributes:
        id:
        text:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    id: str
    text: str
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
