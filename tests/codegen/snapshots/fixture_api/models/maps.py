"""Maps: generated from Fixture API 0.0.1, #/components/schemas/Maps.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .channel_enum import ChannelEnum

__all__ = [
    "Maps",
]


@attrs.define(kw_only=True)
class Maps:
    """
    Attributes:
        counts:
        free: A free-form object.
        anything: No type at all.
        by_channel: (JSON ``byChannel``)
        nested:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    counts: dict[str, int] | Unset = UNSET
    free: dict[str, Any] | Unset = UNSET
    anything: Any | Unset = UNSET
    by_channel: dict[str, ChannelEnum | str] | Unset = attrs.field(
        default=UNSET, metadata={"wire": "byChannel"}
    )
    nested: dict[str, dict[str, Any]] | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
