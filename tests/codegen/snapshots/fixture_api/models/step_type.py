"""StepType: generated from Fixture API 0.0.1, #/components/schemas/StepType.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum

__all__ = [
    "StepType",
]


class StepType(str, enum.Enum):
    """A value this version does not list arrives as a plain ``str``."""

    EMAIL = "email"
    SMS = "sms"
