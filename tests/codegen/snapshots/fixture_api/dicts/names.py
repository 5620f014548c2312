"""TypedDicts of NamesDict: generated from Fixture API 0.0.1.

Type checkers read them; nothing at run time does. Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing_extensions import NotRequired


__all__ = [
    "NamesDict",
]


# keys that are no Python identifiers: the functional form, values as strings (read by type checkers)
NamesDict = TypedDict(
    "NamesDict",
    {
        "_id": "str",
        "id": "str",
        "__v": "NotRequired[float]",
        "providerId": "NotRequired[str]",
        "from": "NotRequired[str]",
        "in": "NotRequired[str]",
        "class": "NotRequired[str]",
        "global": "NotRequired[bool]",
        "type": "NotRequired[str]",
        "hash": "NotRequired[str]",
        "_environmentId": "NotRequired[str]",
        "additional_properties": "NotRequired[str]",
        "9lives": "NotRequired[int]",
    },
)
