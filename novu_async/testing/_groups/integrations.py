"""Integrations: create, list (all, active), update, delete, set primary, auto-configure, and the chat
set-up links (OAuth URLs, Telegram's mobile link, deep link and webhook).

Answers carry no ``credentials`` (Novu leaves them out for API-key callers); an API key manages its
own environment's integrations only (another ``_environmentId``: 403). The OAuth and set-up links
are made up, deterministic per seed, and lead nowhere: the fake has no provider to come back from,
so they create no channel connection. What integrations do to deliveries: see
``_store/integrations.py``.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final
from urllib.parse import urlencode

from novu_async.models.providers_id_enum import ProvidersIdEnum

from .._clock import iso
from .._routes import GLOBAL, Call, Group, Result
from .._store import State
from .._store.integrations import CHANNELS_WITH_PRIMARY, Integration
from .._store.workflows import CHANNELS
from .._wire import ApiError
from ._common import Fields, conflict, not_found

__all__ = ["group"]

group = Group("Integrations", GLOBAL)

PROVIDER_IDS: Final = tuple(m.value for m in ProvidersIdEnum)
_OAUTH: Final = ("slack", "msteams", "webex-messaging")
_LINK_LIFETIME: Final = 600.0  # seconds a set-up link is good for (Novu: OAuth URLs 5 minutes)


def _view(state: State, integration: Integration) -> dict[str, Any]:
    """``IntegrationResponseDto`` (without credentials)."""
    shown: dict[str, Any] = {
        "_id": integration.id,
        "_environmentId": integration.environment_id,
        "_organizationId": state.ids.organization_id,
        "name": integration.name,
        "identifier": integration.identifier,
        "providerId": integration.provider_id,
        "kind": integration.kind,
        "active": integration.active,
        "deleted": False,
        "primary": integration.primary,
        "conditions": list(integration.conditions),
    }
    if integration.channel is not None:
        shown["channel"] = integration.channel
    if integration.configurations:
        shown["configurations"] = dict(integration.configurations)
    return shown


def _listed(state: State, active_only: bool = False) -> list[dict[str, Any]]:
    return [_view(state, i) for i in state.integrations.records.values() if i.active or not active_only]


def _integration(state: State, key: str) -> Integration:
    found = state.integrations.find(key)
    if found is None:
        raise not_found(f"Integration with id {key} not found")
    return found


def _own_environment(state: State, fields: Fields) -> None:
    environment = fields.text("_environmentId")
    if environment is not None and environment != state.ids.environment_id:
        raise ApiError(403, "An API key can only manage the integrations of its own environment")


def _details(fields: Fields) -> dict[str, Any]:
    """The optional fields create and update share."""
    found: dict[str, Any] = {}
    for name in ("credentials", "configurations"):
        value = fields.obj(name)
        if value is not None:
            found[name] = value
    conditions = fields.array("conditions")
    if conditions is not None:
        for index, condition in enumerate(conditions):
            Fields(condition, f"conditions.{index}.")
        found["conditions"] = conditions
    return found


@group.operation("IntegrationsController_listIntegrations")
def list_integrations(state: State, call: Call) -> Result:
    return 200, _listed(state)


@group.operation("IntegrationsController_getActiveIntegrations")
def list_active(state: State, call: Call) -> Result:
    return 200, _listed(state, active_only=True)


@group.operation("IntegrationsController_createIntegration")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    provider = fields.choice("providerId", PROVIDER_IDS, required=True)
    kind = fields.choice("kind", ("delivery", "agent")) or "delivery"
    channel = fields.choice("channel", CHANNELS, required=kind == "delivery")
    name = fields.text("name")
    identifier = fields.text("identifier")
    active = bool(fields.flag("active"))
    fields.flag("check")
    details = _details(fields)
    _own_environment(state, fields)
    assert provider is not None
    held = state.integrations.records.values()
    if provider == "novu" and channel == "in_app" and any(i.provider_id == "novu" for i in held):
        raise ApiError(400, "One environment can only have one In app provider")
    if provider in ("novu-email", "novu-sms") and any(i.provider_id == provider for i in held):
        raise conflict(f"Integration with novu provider for {channel} channel already exists")
    if identifier is not None and state.integrations.by_identifier(identifier) is not None:
        raise conflict("Integration with identifier already exists")
    made = state.integrations.create(
        provider, channel, name=name, identifier=identifier, active=active, kind=kind, **details
    )
    return 201, _view(state, made)


@group.operation("IntegrationsController_updateIntegrationById")
def update(state: State, call: Call) -> Result:
    integration = _integration(state, call.params["integrationId"])
    fields = Fields(call.body)
    name = fields.text("name")
    identifier = fields.text("identifier")
    active = fields.flag("active")
    fields.flag("check")
    details = _details(fields)
    _own_environment(state, fields)
    if not (name or identifier or active is not None or details or "_environmentId" in fields):
        raise ApiError(400, "No properties found for update")
    if identifier and identifier != integration.identifier:
        if state.integrations.by_identifier(identifier) is not None:
            raise conflict("Integration with identifier already exists")
        integration.identifier = identifier
    if name:
        integration.name = name
    if active is not None and active != integration.active:
        state.integrations.set_active(integration, active)
    for key, value in details.items():
        setattr(integration, key, value)
    if details.get("conditions"):  # conditional integrations are not primary
        integration.primary = False
    return 200, _view(state, integration)


@group.operation("IntegrationsController_removeIntegration")
def remove(state: State, call: Call) -> Result:
    state.integrations.drop(_integration(state, call.params["integrationId"]))
    return 200, _listed(state)


@group.operation("IntegrationsController_setIntegrationAsPrimary")
def set_primary(state: State, call: Call) -> Result:
    integration = _integration(state, call.params["integrationId"])
    if integration.channel not in CHANNELS_WITH_PRIMARY:
        raise ApiError(400, f"Channel {integration.channel} does not support primary")
    state.integrations.make_primary(integration)
    return 200, _view(state, integration)


def _token(state: State) -> str:
    return hashlib.sha256(state.ids.object_id().encode()).hexdigest()[:32]


@group.operation("IntegrationsController_autoConfigureIntegration")
def auto_configure(state: State, call: Call) -> Result:
    integration = _integration(state, call.params["integrationId"])
    integration.configurations.update(inboundWebhookEnabled=True, inboundWebhookSigningKey=_token(state))
    return 200, {
        "success": True,
        "message": f"Inbound webhooks are configured for {integration.identifier}",
        "integration": _view(state, integration),
    }


def _telegram(state: State, key: str) -> Integration:
    integration = _integration(state, key)
    if integration.provider_id != "telegram":
        raise ApiError(400, f"Provider {integration.provider_id} is not supported: only Telegram is")
    return integration


def _subscriber(state: State, fields: Fields, *, required: bool) -> str | None:
    subscriber_id: str | None = fields.text("subscriberId", required=required)
    if subscriber_id is not None:
        state.subscribers.require(subscriber_id)
    return subscriber_id


def _expiry(state: State) -> str:
    return iso(state.clock.now() + _LINK_LIFETIME)


@group.operation("IntegrationsController_createIntegrationMobileLink")
def mobile_link(state: State, call: Call) -> Result:
    fields = Fields(call.body if call.body is not None else {})
    _subscriber(state, fields, required=False)
    _telegram(state, call.params["integrationIdentifier"])
    token = _token(state)
    return 200, {
        "token": token,
        "url": f"https://dashboard.novu.co/integrations/telegram/mobile-setup?token={token}",
        "expiresAt": _expiry(state),
    }


def _bot(integration: Integration) -> str:
    return str(integration.credentials.get("user") or f"{integration.identifier}_bot")


@group.operation("IntegrationsController_configureIntegrationWebhook")
def configure_webhook(state: State, call: Call) -> Result:
    integration = _telegram(state, call.params["integrationIdentifier"])
    now = state.clock.now()
    url = f"https://api.novu.co/v1/integrations/{integration.id}/webhook/telegram"
    integration.configurations.update(webhookUrl=url, webhookConfiguredAt=iso(now))
    return 200, {"webhookUrl": url, "configuredAt": iso(now), "botUsername": _bot(integration)}


def _oauth_url(state: State, integration: Integration, *, user: bool, scope: list[str] | None) -> str:
    """The provider's authorization URL for an integration (``user``: to link a subscriber)."""
    if integration.provider_id not in _OAUTH:
        raise ApiError(400, f"Provider {integration.provider_id} does not support OAuth")
    client = str(integration.credentials.get("clientId") or integration.identifier)
    query: dict[str, str] = {"client_id": client, "state": _token(state)}
    if integration.provider_id == "slack":
        query["user_scope" if user else "scope"] = ",".join(
            scope or (["identity.basic"] if user else ["chat:write", "chat:write.public", "channels:read"])
        )
        return f"https://slack.com/oauth/v2/authorize?{urlencode(query)}"
    if integration.provider_id == "msteams":
        tenant = str(integration.credentials.get("tenantId") or "organizations")
        path = "oauth2/v2.0/authorize" if user else "adminconsent"
        return f"https://login.microsoftonline.com/{tenant}/{path}?{urlencode(query)}"
    query.update(response_type="code", scope=" ".join(scope or ["spark:messages_write", "spark:people_read"]))
    return f"https://webexapis.com/v1/authorize?{urlencode(query)}"


def _by_identifier(state: State, fields: Fields) -> Integration:
    return _integration(state, fields.text("integrationIdentifier", required=True))


@group.operation("IntegrationsController_generateConnectOAuthUrl")
def connect_oauth(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    integration = _by_identifier(state, fields)
    _subscriber(state, fields, required=False)
    fields.choice("connectionMode", ("subscriber", "shared"))
    return 201, {"url": _oauth_url(state, integration, user=False, scope=fields.strings("scope"))}


@group.operation("IntegrationsController_generateLinkUserOAuthUrl")
def link_user_oauth(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    _subscriber(state, fields, required=True)
    integration = _by_identifier(state, fields)
    return 201, {"url": _oauth_url(state, integration, user=True, scope=fields.strings("userScope"))}


@group.operation("IntegrationsController_getChatOAuthUrl")
def chat_oauth(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    integration = _by_identifier(state, fields)
    mode = fields.choice("mode", ("connect", "link_user")) or "connect"
    _subscriber(state, fields, required=mode == "link_user")
    fields.choice("connectionMode", ("subscriber", "shared"))
    user = mode == "link_user"
    scope = fields.strings("userScope" if user else "scope")
    return 201, {"url": _oauth_url(state, integration, user=user, scope=scope)}


@group.operation("IntegrationsController_linkChannelEndpoint")
def link_endpoint(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    integration = _by_identifier(state, fields)
    _subscriber(state, fields, required=True)
    if integration.provider_id != "telegram":
        return 200, {"url": _oauth_url(state, integration, user=True, scope=None)}
    bot = _bot(integration)
    return 200, {
        "url": f"https://t.me/{bot}?start={_token(state)}",
        "providerMetadata": {"botUsername": bot, "expiresAt": _expiry(state)},
    }
