"""What channel connections, channel endpoints and agents know of the integrations they name.

Those resources name an integration by its ``identifier``; Novu answers 404 for one the
environment does not have. Until the fake holds integrations (the Integrations group), this lookup
is lenient: every identifier names an integration, made up the first time it is asked for and the
same one after, so nothing that names an integration is refused for it. Its provider is read off
the identifier (``slack-prod`` -> ``slack``: the longest provider id the identifier is or starts with,
followed by ``-`` or ``_``), else the hint the caller gives (an endpoint type's provider), else
unknown (None); its channel is that provider's. ``IntegrationRefs.find`` is the one place to make
strict once integrations are held.
"""

from __future__ import annotations

from typing import Final

import attrs

from novu_async.models.providers_id_enum import ProvidersIdEnum

from .ids import Ids

__all__ = ["IntegrationRef", "IntegrationRefs", "channel_of"]

_PROVIDERS: Final = tuple(member.value for member in ProvidersIdEnum)


def _channels() -> dict[str, str]:
    """Provider id -> channel: the document lists providers by channel (email, sms, push, in-app,
    chat, then agent runtimes, which have none); clickatell, listed among the email ones, is sms."""
    bounds = (("email", "anypost"), ("sms", "nexmo"), ("push", "fcm"), ("in_app", "novu"), ("chat", "slack"))
    found: dict[str, str] = {}
    channel = None
    for provider in _PROVIDERS:
        channel = next((c for c, first in bounds if first == provider), channel)
        if provider == "anthropic":
            break
        if channel is not None:
            found[provider] = channel
    found["clickatell"] = "sms"
    return found


_CHANNELS: Final = _channels()


def channel_of(provider_id: str | None) -> str | None:
    """The channel a provider sends through (None for an unknown one or an agent runtime)."""
    return None if provider_id is None else _CHANNELS.get(provider_id)


def _provider(identifier: str) -> str | None:
    matching = [p for p in _PROVIDERS if identifier == p or identifier.startswith((f"{p}-", f"{p}_"))]
    return max(matching, key=len) if matching else None


@attrs.frozen
class IntegrationRef:
    """An integration as the resources that name it show it."""

    id: str  # the integration's _id
    identifier: str
    provider_id: str | None
    channel: str | None
    name: str
    active: bool = True


class IntegrationRefs:
    """identifier -> ``IntegrationRef``, made up on first use (see the module's docstring)."""

    def __init__(self, ids: Ids) -> None:
        self._ids = ids
        self._known: dict[str, IntegrationRef] = {}

    def find(self, identifier: str, hint: str | None = None) -> IntegrationRef | None:
        """The integration with that identifier; ``hint`` is the provider to assume when the
        identifier names none. None would be Novu's 404: never, while the lookup is lenient."""
        found = self._known.get(identifier)
        if found is None:
            provider = _provider(identifier) or hint
            channel = channel_of(provider)
            found = IntegrationRef(self._ids.object_id(), identifier, provider, channel, identifier)
            self._known[identifier] = found
        return found

    def by_id(self, integration_id: str) -> IntegrationRef | None:
        return next((ref for ref in self._known.values() if ref.id == integration_id), None)
