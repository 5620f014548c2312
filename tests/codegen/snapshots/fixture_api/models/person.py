"""Person: generated from Fixture API 0.0.1, #/components/schemas/Person.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "Person",
]


@attrs.define(kw_only=True)
class Person:
    """
    Attributes:
        name:
        email:
        nicknames:
        additional_properties: Keys the document does not declare, kept as received.
    """

    name: str
    email: str | Unset | None = UNSET
    nicknames: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)
