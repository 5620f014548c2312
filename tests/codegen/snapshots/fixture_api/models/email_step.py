"""EmailStep: generated from Fixture API 0.0.1, #/components/schemas/EmailStep.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .step_type import StepType

__all__ = [
    "EmailStep",
]


@attrs.define(kw_only=True)
class EmailStep:
    """
    Attributes:
        type:
        subject:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    type: StepType | str
    subject: str
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
