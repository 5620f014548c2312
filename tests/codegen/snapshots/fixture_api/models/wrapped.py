"""Wrapped: generated from Fixture API 0.0.1, #/components/schemas/Wrapped.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

from novu_async._types import UNSET, Limits, Unset

if TYPE_CHECKING:
    from .channel_enum import ChannelEnum
    from .person import Person

__all__ = [
    "WrappedStatus",
    "WrappedSettingsWindow",
    "WrappedSettings",
    "Wrapped",
]


class WrappedStatus(str, enum.Enum):
    """An inline enum.

    A value this version does not list arrives as a plain ``str``.
    """

    ACTIVE = "active"
    PAUSED = "paused"


@attrs.define(kw_only=True)
class WrappedSettingsWindow:
    """
    Attributes:
        seconds:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    seconds: float
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})


@attrs.define(kw_only=True)
class WrappedSettings:
    """An inline object, itself holding one.

    Attributes:
        retries:
        window:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    retries: int | Unset = UNSET
    window: WrappedSettingsWindow | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})


@attrs.define(kw_only=True)
class Wrapped:
    """
    Attributes:
        channel: allOf with one $ref, to attach a description.
        owner:
        labels:
        status: An inline enum.
        settings: An inline object, itself holding one.
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    channel: ChannelEnum | str
    owner: Person | Unset | None = UNSET
    labels: list[str] | Unset = attrs.field(default=UNSET, metadata={"limits": Limits(min_length=1)})
    status: WrappedStatus | str | Unset = UNSET
    settings: WrappedSettings | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
