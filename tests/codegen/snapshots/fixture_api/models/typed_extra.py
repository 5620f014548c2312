"""TypedExtra: generated from Fixture API 0.0.1, #/components/schemas/TypedExtra.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import attrs

__all__ = [
    "TypedExtra",
]


@attrs.define(kw_only=True)
class TypedExtra:
    """Declared properties plus typed additional properties.

    Attributes:
        name:
        additional_properties: Keys the document does not declare, kept as received.
    """

    name: str
    additional_properties: dict[str, int] = attrs.field(factory=dict)
