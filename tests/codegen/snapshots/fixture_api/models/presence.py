"""Presence: generated from Fixture API 0.0.1, #/components/schemas/Presence.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "Presence",
]


@attrs.define(kw_only=True)
class Presence:
    """Required/optional crossed with nullable/not.

    Attributes:
        required:
        required_nullable: (JSON ``requiredNullable``)
        optional:
        optional_nullable: (JSON ``optionalNullable``)
        when:
        tags:
        matrix:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    required: str
    required_nullable: str | None = attrs.field(metadata={"wire": "requiredNullable"})
    optional: str | Unset = UNSET
    optional_nullable: int | Unset | None = attrs.field(default=UNSET, metadata={"wire": "optionalNullable"})
    when: datetime | Unset = UNSET
    tags: list[str] | Unset = UNSET
    matrix: list[list[float]] | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
