"""Pong: generated from Fixture API 0.0.1, #/components/schemas/Pong.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from .ping import Ping

__all__ = [
    "Pong",
]


@attrs.define(kw_only=True)
class Pong:
    """
    Attributes:
        ping: Ping and Pong refer to each other across modules.
        count:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    ping: Ping | Unset = UNSET
    count: int | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
