"""TypedDicts of PersonAddressDict, PersonDict: generated from Fixture API 0.0.1.

Type checkers read them; nothing at run time does. Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing import Literal

    from fixture_api.models.names import Names
    from fixture_api.models.person import PersonAddress
    from typing_extensions import NotRequired

    from .names import NamesDict

__all__ = [
    "PersonAddressDict",
    "PersonDict",
]


class PersonAddressDict(TypedDict):
    """The JSON form of ``PersonAddress`` (``fixture_api.models.PersonAddress``): a request body
    (or part of one) given as a dict, with the document's wire names as keys.

    Keys it does not list are allowed and sent as given (type checkers know only these: put
    others in the model's ``additional_properties``).
    """

    city: NotRequired[str]


class PersonDict(TypedDict):
    """The JSON form of ``Person`` (``fixture_api.models.Person``): a request body (or part of one)
    given as a dict, with the document's wire names as keys.

    A key it does not list is refused before sending (``DataValidationError``, naming the
    closest known key); to send one on purpose, use the model and its ``additional_properties``.
    """

    name: str
    email: NotRequired[str | None]
    nicknames: NotRequired[list[str]]
    sort: NotRequired[Literal["asc", "desc"] | str | None]
    handle: NotRequired[str]
    age: NotRequired[int]
    address: NotRequired[PersonAddress | PersonAddressDict]
    names: NotRequired[Names | NamesDict]
