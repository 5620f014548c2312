"""Integrations: the providers a channel step delivers through, and which one it picks.

The fake's environment starts with the integrations Novu gives a new environment: Novu's in-app
one (``novu``), ``novu-email`` and ``novu-sms``, each active, the email and SMS ones primary. What a
channel step needs, as Novu's worker looks it up:

* in-app: an active in-app integration;
* email and SMS: the active primary integration of the channel, or the active one named by
  ``overrides.<channel>.integrationIdentifier`` of the trigger;
* push and chat: for one of the subscriber's credentials (device tokens, a webhook URL) an active
  integration of the channel, the one its ``integrationIdentifier`` names or else one of its
  provider. While the fake holds no integration of the channel at all, credentials deliver
  through their provider as they are (as they did before integrations were modelled).

Without one the step's job fails ("Subscriber does not have an active integration"). A created
integration is inactive unless the body says ``active: true``; an active email or SMS integration
is made primary when its channel has no primary one; deactivating one takes its primary flag;
``set-primary`` moves it (and activates).
"""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from novu_async.models.providers_id_enum import ProvidersIdEnum

from .._clock import Clock
from .ids import Ids

__all__ = [
    "CHANNELS_WITH_PRIMARY",
    "NO_INTEGRATION",
    "PUSH_PROVIDERS",
    "Integration",
    "Integrations",
    "channel_of",
]

CHANNELS_WITH_PRIMARY: Final = ("email", "sms")
PUSH_PROVIDERS: Final = frozenset(
    {"fcm", "apns", "expo", "one-signal", "pushpad", "push-webhook", "pusher-beams", "appio"}
)
NO_INTEGRATION: Final = "Subscriber does not have an active integration"
_NAMES: Final = {
    "novu": "Novu Inbox",
    "novu-email": "Novu Email",
    "novu-sms": "Novu SMS",
    "sendgrid": "SendGrid",
    "mailgun": "Mailgun",
    "twilio": "Twilio",
    "fcm": "Firebase Cloud Messaging",
    "apns": "APNS",
    "slack": "Slack",
    "msteams": "MSTeams",
    "telegram": "Telegram",
}
# what a subscriber's credentials need for the channel
_ADDRESS: Final = {"push": "deviceTokens", "chat": "webhookUrl"}


def _channels() -> dict[str, str]:
    """Provider id -> channel: the document lists providers by channel (email, sms, push, in-app,
    chat, then agent runtimes, which have none); clickatell, listed among the email ones, is sms."""
    bounds = (("email", "anypost"), ("sms", "nexmo"), ("push", "fcm"), ("in_app", "novu"), ("chat", "slack"))
    found: dict[str, str] = {}
    channel = None
    for member in ProvidersIdEnum:
        provider = member.value
        channel = next((c for c, first in bounds if first == provider), channel)
        if provider == "anthropic":
            break
        if channel is not None:
            found[provider] = channel
    found["clickatell"] = "sms"
    return found


_CHANNELS: Final = _channels()


def channel_of(provider_id: str) -> str | None:
    """The channel a provider sends through (None for an unknown one or an agent runtime)."""
    return _CHANNELS.get(provider_id)


@attrs.define(eq=False)
class Integration:
    """An integration as the fake holds it (``fake.integrations``)."""

    id: str
    environment_id: str
    name: str
    identifier: str
    provider_id: str
    channel: str | None  # None for agent integrations
    kind: str = "delivery"
    credentials: dict[str, Any] = attrs.Factory(dict)
    configurations: dict[str, Any] = attrs.Factory(dict)
    active: bool = False
    primary: bool = False
    conditions: list[Any] = attrs.Factory(list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "integration"


class Integrations:
    """_id -> ``Integration``, in creation order; Novu's defaults first."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Integration] = {}
        for provider, channel in (("novu", "in_app"), ("novu-email", "email"), ("novu-sms", "sms")):
            self.create(provider, channel, active=True, identifier=provider)

    @staticmethod
    def default_name(provider_id: str) -> str:
        return _NAMES.get(provider_id) or provider_id[:1].upper() + provider_id[1:]

    def create(
        self,
        provider_id: str,
        channel: str | None,
        *,
        name: str | None = None,
        identifier: str | None = None,
        active: bool = False,
        kind: str = "delivery",
        credentials: dict[str, Any] | None = None,
        configurations: dict[str, Any] | None = None,
        conditions: list[Any] | None = None,
    ) -> Integration:
        """Hold a new integration (primary when it is an active email or SMS one and its channel has
        none)."""
        name = name or self.default_name(provider_id)
        record_id = self._ids.object_id()
        made = Integration(
            record_id,
            self._ids.environment_id,
            name,
            identifier or f"{_slug(name)}-{record_id[-8:]}",
            provider_id,
            channel,
            kind,
            dict(credentials or {}),
            dict(configurations or {}),
            active,
            False,
            list(conditions or []),
        )
        if active and channel in CHANNELS_WITH_PRIMARY and self.primary(channel) is None:
            made.primary = True
        self.records[record_id] = made
        return made

    def find(self, key: str) -> Integration | None:
        """By _id or identifier."""
        found = self.records.get(key)
        return found if found is not None else self.by_identifier(key)

    def by_identifier(self, identifier: str) -> Integration | None:
        return next((i for i in self.records.values() if i.identifier == identifier), None)

    def primary(self, channel: str) -> Integration | None:
        """The channel's active primary integration (the newest, should there be several)."""
        found = (
            i for i in reversed(self.records.values()) if i.channel == channel and i.active and i.primary
        )
        return next(found, None)

    def set_active(self, integration: Integration, active: bool) -> None:
        integration.active = active
        if not active:
            integration.primary = False

    def make_primary(self, integration: Integration) -> None:
        for other in self.records.values():
            if other.channel == integration.channel and other is not integration:
                other.primary = False
        integration.active, integration.primary, integration.conditions = True, True, []

    def drop(self, integration: Integration) -> None:
        del self.records[integration.id]

    def credentials_id(self, provider_id: str, identifier: str | None) -> str | None:
        """The integration a subscriber's credentials belong to, when the fake holds it."""
        found = self.by_identifier(identifier) if identifier else None
        if found is None:
            found = next((i for i in self.records.values() if i.provider_id == provider_id), None)
        return None if found is None else found.id

    # --- delivery

    def route(
        self, channel: str, subscriber: dict[str, Any], overrides: dict[str, Any]
    ) -> tuple[str | None, str]:
        """(the providerId a channel step's message goes through, "") or (None, why it cannot be
        sent)."""
        if channel in _ADDRESS:
            return self._through_credentials(channel, subscriber)
        override = overrides.get(channel) if overrides else None
        named = override.get("integrationIdentifier") if isinstance(override, dict) else None
        primary = channel in CHANNELS_WITH_PRIMARY
        for integration in reversed(self.records.values()):  # the newest first, as Novu sorts
            if integration.channel != channel or not integration.active:
                continue
            if primary and isinstance(named, str):
                if integration.identifier == named:
                    return integration.provider_id, ""
            elif not primary or integration.primary:
                return integration.provider_id, ""
        return None, NO_INTEGRATION

    def _through_credentials(self, channel: str, subscriber: dict[str, Any]) -> tuple[str | None, str]:
        wanted = _ADDRESS[channel]
        settings = [
            s
            for s in subscriber.get("channels") or []
            if isinstance(s, dict)
            and (s.get("providerId") in PUSH_PROVIDERS) == (channel == "push")
            and (s.get("credentials") or {}).get(wanted)
        ]
        if not settings:
            return None, f"Subscriber does not have a configured {channel} channel"
        held = [i for i in self.records.values() if i.channel == channel]
        if not held:
            return str(settings[0]["providerId"]), ""
        for setting in settings:
            identifier = setting.get("integrationIdentifier")
            for integration in held:
                if not integration.active:
                    continue
                if (identifier and integration.identifier == identifier) or (
                    not identifier and integration.provider_id == setting.get("providerId")
                ):
                    return integration.provider_id, ""
        return None, NO_INTEGRATION
