"""Every model of Fixture API 0.0.1, importable by name and loaded on first use.

``from fixture_api.models import X`` imports only the module that defines ``X``; the modules it
refers to load when the converter first needs them. Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .channel_enum import ChannelEnum as ChannelEnum
    from .data_boolean import DataBoolean as DataBoolean
    from .email_step import EmailStep as EmailStep
    from .empty import Empty as Empty
    from .event_count import EventCount as EventCount
    from .events_page import EventsPage as EventsPage
    from .maps import Maps as Maps
    from .merged import Merged as Merged
    from .merged import MergedAddress as MergedAddress
    from .names import Names as Names
    from .note import Note as Note
    from .notes_page import NotesPage as NotesPage
    from .order_enum import OrderEnum as OrderEnum
    from .person import Person as Person
    from .person import PersonAddress as PersonAddress
    from .pets_page import PetsPage as PetsPage
    from .ping import Ping as Ping
    from .pong import Pong as Pong
    from .presence import Presence as Presence
    from .recipient import Recipient as Recipient
    from .sms_step import SmsStep as SmsStep
    from .sort_order import SortOrder as SortOrder
    from .step_type import StepType as StepType
    from .team import Team as Team
    from .teams_page import TeamsPage as TeamsPage
    from .topic_recipient import TopicRecipient as TopicRecipient
    from .topic_recipient import TopicRecipientType as TopicRecipientType
    from .tree import Tree as Tree
    from .typed_extra import TypedExtra as TypedExtra
    from .unions import Unions as Unions
    from .unions import UnionsPreviewEmail as UnionsPreviewEmail
    from .unions import UnionsPreviewEmailType as UnionsPreviewEmailType
    from .unions import UnionsPreviewSms as UnionsPreviewSms
    from .unions import UnionsPreviewSmsType as UnionsPreviewSmsType
    from .upload import UploadBody as UploadBody
    from .upload import UploadResponse as UploadResponse
    from .wrapped import Wrapped as Wrapped
    from .wrapped import WrappedSettings as WrappedSettings
    from .wrapped import WrappedSettingsWindow as WrappedSettingsWindow
    from .wrapped import WrappedStatus as WrappedStatus

# class name -> module that defines it
_MODULES: dict[str, str] = {
    "ChannelEnum": "channel_enum",
    "DataBoolean": "data_boolean",
    "EmailStep": "email_step",
    "Empty": "empty",
    "EventCount": "event_count",
    "EventsPage": "events_page",
    "Maps": "maps",
    "Merged": "merged",
    "MergedAddress": "merged",
    "Names": "names",
    "Note": "note",
    "NotesPage": "notes_page",
    "OrderEnum": "order_enum",
    "Person": "person",
    "PersonAddress": "person",
    "PetsPage": "pets_page",
    "Ping": "ping",
    "Pong": "pong",
    "Presence": "presence",
    "Recipient": "recipient",
    "SmsStep": "sms_step",
    "SortOrder": "sort_order",
    "StepType": "step_type",
    "Team": "team",
    "TeamsPage": "teams_page",
    "TopicRecipient": "topic_recipient",
    "TopicRecipientType": "topic_recipient",
    "Tree": "tree",
    "TypedExtra": "typed_extra",
    "Unions": "unions",
    "UnionsPreviewEmail": "unions",
    "UnionsPreviewEmailType": "unions",
    "UnionsPreviewSms": "unions",
    "UnionsPreviewSmsType": "unions",
    "UploadBody": "upload",
    "UploadResponse": "upload",
    "Wrapped": "wrapped",
    "WrappedSettings": "wrapped",
    "WrappedSettingsWindow": "wrapped",
    "WrappedStatus": "wrapped",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    try:
        module = _MODULES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
