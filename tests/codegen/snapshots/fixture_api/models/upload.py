"""UploadResponse: generated from Fixture API 0.0.1, #/paths/~1v1~1files/post/responses/201.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import Any

import attrs

from novu_async._types import UNSET, Unset

__all__ = [
    "UploadBody",
    "UploadResponse",
]


@attrs.define(kw_only=True)
class UploadBody:
    """
    Attributes:
        file:
        label:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    file: bytes
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})


@attrs.define(kw_only=True)
class UploadResponse:
    """
    Attributes:
        stored:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    stored: bool | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
