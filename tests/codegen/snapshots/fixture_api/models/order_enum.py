"""OrderEnum: generated from Fixture API 0.0.1, #/components/schemas/OrderEnum.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum

__all__ = [
    "OrderEnum",
]


class OrderEnum(str, enum.Enum):
    """Sort order: first in the document, but referenced by nothing.

    A value this version does not list arrives as a plain ``str``.
    """

    ASC = "asc"
    DESC = "desc"
