"""SortOrder: generated from Fixture API 0.0.1, #/components/schemas/SortOrder.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum

__all__ = [
    "SortOrder",
]


class SortOrder(str, enum.Enum):
    """Sort order: the same values as OrderEnum, referenced once.

    A value this version does not list arrives as a plain ``str``.
    """

    ASC = "asc"
    DESC = "desc"
