"""Recipient: generated from Fixture API 0.0.1, #/components/schemas/Recipient.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "Recipient",
]


@attrs.define(kw_only=True)
class Recipient:
    """
    Attributes:
        subscriber_id: (JSON ``subscriberId``)
        email:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    subscriber_id: str = attrs.field(metadata={"wire": "subscriberId"})
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
