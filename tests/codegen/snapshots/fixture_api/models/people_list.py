"""PeopleListOrder: generated from Fixture API 0.0.1, #/paths/~1v1~1people/get/parameters/order.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum

__all__ = [
    "PeopleListOrder",
]


class PeopleListOrder(str, enum.Enum):
    """A value this version does not list arrives as a plain ``str``."""

    ASC = "asc"
    DESC = "desc"
