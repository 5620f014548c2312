"""ChannelEnum: generated from Fixture API 0.0.1, #/components/schemas/ChannelEnum.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum

__all__ = [
    "ChannelEnum",
]


class ChannelEnum(str, enum.Enum):
    """An enum whose values are not identifiers, with a duplicate.

    A value this version does not list arrives as a plain ``str``.
    """

    IN_APP = "in_app"
    WEBEX_MESSAGING = "webex-messaging"
    EMAIL_RECEIVED = "email.received"
    VALUE_1 = "1"
    IN_APP_2 = "inApp"
    EMPTY = ""
