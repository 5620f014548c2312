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
        additional_properties: Keys the document does not declare, kept as received.
    """

    file: bytes
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)


@attrs.define(kw_only=True)
class UploadResponse:
    """
    Attributes:
        stored:
        additional_properties: Keys the document does not declare, kept as received.
    """

    stored: bool | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)
