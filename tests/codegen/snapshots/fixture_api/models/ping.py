"""Ping: generated from Fixture API 0.0.1, #/components/schemas/Ping.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .pong import Pong

__all__ = [
    "Ping",
]


@attrs.define(kw_only=True)
class Ping:
    """Ping and Pong refer to each other across modules.

    Attributes:
        pong:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    pong: Pong | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
