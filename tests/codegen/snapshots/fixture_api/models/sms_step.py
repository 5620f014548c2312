"""SmsStep: generated from Fixture API 0.0.1, #/components/schemas/SmsStep.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .step_type import StepType

__all__ = [
    "SmsStep",
]


@attrs.define(kw_only=True)
class SmsStep:
    """
    Attributes:
        type:
        body:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    type: StepType | str
    body: str
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
