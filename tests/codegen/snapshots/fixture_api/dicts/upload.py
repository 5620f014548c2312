"""TypedDicts of UploadBodyDict: generated from Fixture API 0.0.1.

Type checkers read them; nothing at run time does. Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing_extensions import NotRequired


__all__ = [
    "UploadBodyDict",
]


class UploadBodyDict(TypedDict):
    """The JSON form of ``UploadBody`` (``fixture_api.models.UploadBody``): a request body (or part
    of one) given as a dict, with the document's wire names as keys.

    A key it does not list is refused before sending (``DataValidationError``, naming the
    closest known key); to send one on purpose, use the model and its ``additional_properties``.
    """

    file: bytes
    label: NotRequired[str]
