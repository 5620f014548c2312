"""Unions: generated from Fixture API 0.0.1, #/components/schemas/Unions.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import attrs

from novu_async._types import UNSET, Discriminator, Unset

if TYPE_CHECKING:
    from .email_step import EmailStep
    from .person import Person
    from .recipient import Recipient
    from .sms_step import SmsStep
    from .topic_recipient import TopicRecipient

__all__ = [
    "UnionsPreviewEmailType",
    "UnionsPreviewEmail",
    "UnionsPreviewSmsType",
    "UnionsPreviewSms",
    "Unions",
]


class UnionsPreviewEmailType(str, enum.Enum):
    """A value this version does not list arrives as a plain ``str``."""

    EMAIL = "email"


@attrs.define(kw_only=True)
class UnionsPreviewEmail:
    """
    Attributes:
        type:
        subject:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    type: UnionsPreviewEmailType | str | Unset = UNSET
    subject: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})


class UnionsPreviewSmsType(str, enum.Enum):
    """A value this version does not list arrives as a plain ``str``."""

    SMS = "sms"


@attrs.define(kw_only=True)
class UnionsPreviewSms:
    """
    Attributes:
        type:
        body:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    type: UnionsPreviewSmsType | str | Unset = UNSET
    body: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})


@attrs.define(kw_only=True)
class Unions:
    """
    Attributes:
        steps:
        to: No discriminator: required keys decide; strings and arrays by kind.
        message:
        preview: Inline members tagged by a one-value enum.
        single:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    steps: (
        list[Annotated[EmailStep | SmsStep, Discriminator("type", {"email": EmailStep, "sms": SmsStep})]]
        | Unset
    ) = UNSET
    to: list[Recipient | TopicRecipient | str] | str | Recipient | TopicRecipient | Unset = UNSET
    message: str | float | bool | dict[str, Any] | list[str | float] | Unset | None = UNSET
    preview: UnionsPreviewEmail | UnionsPreviewSms | Unset = UNSET
    single: Person | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
