"""Empty: generated from Fixture API 0.0.1, #/components/schemas/Empty.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = [
    "Empty",
]


@attrs.define(kw_only=True)
class Empty:
    """
    Attributes:
        additional_properties: Keys the document does not declare, kept as received.
    """

    additional_properties: dict[str, Any] = attrs.field(factory=dict)
