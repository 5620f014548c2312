"""TopicRecipient: generated from Fixture API 0.0.1, #/components/schemas/TopicRecipient.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

__all__ = [
    "TopicRecipientType",
    "TopicRecipient",
]


class TopicRecipientType(str, enum.Enum):
    """A value this version does not list arrives as a plain ``str``."""

    TOPIC = "Topic"


@attrs.define(kw_only=True)
class TopicRecipient:
    """
    Attributes:
        topic_key: (JSON ``topicKey``)
        type:
        additional_properties: Undeclared keys: kept as received, sent as given (a dict body may not hold them).
    """

    topic_key: str = attrs.field(metadata={"wire": "topicKey"})
    type: TopicRecipientType | str
    additional_properties: dict[str, Any] = attrs.field(factory=dict, metadata={"closed": True})
