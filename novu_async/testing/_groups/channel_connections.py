"""Channel connections (v1): create, list, retrieve, update (workspace and auth), delete.

A connection holds one integration's workspace and credentials for a subscriber, or in ``shared``
mode for a context alone (its ``subscriberId`` is then null): a create needs a subscriberId or a
context (400 otherwise), the subscriber must exist (404), and there is one connection per
integration, subscriber and exact set of contexts (409). The contexts named are found or created.
Integrations are named by identifier: one the fake does not hold is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Protocol

from novu_async.models.providers_id_enum import ProvidersIdEnum

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.channels import Connection, same_contexts
from .._store.integrations import Integration
from .._store.workflows import CHANNELS
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found
from .contexts import read_context

__all__ = ["MAX_CONTEXTS", "channel_filter", "connection_view", "group", "integration"]

group = Group("Channel Connections", CONFIGURATION)

MAX_CONTEXTS: Final = 5  # context entries a connection or endpoint may name
PROVIDERS: Final = tuple(member.value for member in ProvidersIdEnum)


class _Owned(Protocol):
    """What connections and endpoints share for the list filters."""

    subscriber_id: str | None
    channel: str | None
    provider_id: str | None
    integration_identifier: str
    context_keys: tuple[str, ...]


def channel_filter(call: Call) -> Callable[[_Owned], bool]:
    """The list filters both groups take: subscriberId, channel, providerId, integrationIdentifier,
    and contextKeys (the exact set, in any order; given empty: records without contexts)."""
    args = Args(call)
    subscriber_id = args.text("subscriberId")
    channel = args.choice("channel", CHANNELS)
    provider = args.choice("providerId", PROVIDERS)
    integration_identifier = args.text("integrationIdentifier")
    contexts = args.texts("contextKeys") if "contextKeys" in args else None

    def keep(record: _Owned) -> bool:
        return (
            (subscriber_id is None or record.subscriber_id == subscriber_id)
            and (channel is None or record.channel == channel)
            and (provider is None or record.provider_id == provider)
            and (integration_identifier is None or record.integration_identifier == integration_identifier)
            and (contexts is None or same_contexts(record.context_keys, contexts))
        )

    return keep


def integration(state: State, identifier: str) -> Integration:
    """The integration an identifier names (404 when the fake holds none with it)."""
    found = state.integrations.by_identifier(identifier)
    if found is None:
        raise not_found(f"Integration not found: {identifier}")
    return found


def connection_view(connection: Connection) -> dict[str, Any]:
    """``GetChannelConnectionResponseDto``."""
    return {
        "identifier": connection.identifier,
        "channel": connection.channel,
        "providerId": connection.provider_id,
        "integrationIdentifier": connection.integration_identifier,
        "subscriberId": connection.subscriber_id,
        "contextKeys": list(connection.context_keys),
        "workspace": dict(connection.workspace),
        "auth": dict(connection.auth),
        "createdAt": connection.created_at,
        "updatedAt": connection.updated_at,
    }


def _workspace_and_auth(fields: Fields) -> tuple[dict[str, Any], dict[str, Any]]:
    workspace = fields.inner("workspace", required=True)
    auth = fields.inner("auth", required=True)
    assert workspace is not None
    assert auth is not None
    workspace.text("id", required=True)
    workspace.text("name")
    auth.text("accessToken", required=True)
    for name in ("refreshToken", "expiresAt", "refreshTokenExpiresAt"):
        auth.text(name)
    return dict(workspace.body), dict(auth.body)


def _connection(state: State, call: Call) -> Connection:
    identifier = call.params["identifier"]
    found = state.channels.connections.get(identifier)
    if found is None:
        raise not_found(f"Channel connection with identifier '{identifier}' not found")
    return found


@group.operation("ChannelConnectionsController_createChannelConnection")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    identifier = fields.text("identifier", min_length=1)
    subscriber_id = fields.text("subscriberId", min_length=1)
    context = read_context(fields, max_count=MAX_CONTEXTS)
    shared = fields.choice("connectionMode", ("subscriber", "shared")) == "shared"
    integration_identifier = fields.text("integrationIdentifier", required=True)
    workspace, auth = _workspace_and_auth(fields)
    owner = None if shared else subscriber_id
    if owner is None and context is None:
        raise ApiError(400, "Either subscriberId or context must be provided")
    found = integration(state, integration_identifier)
    context_keys = state.contexts.resolve(context)
    if owner is not None and state.subscribers.get(owner) is None:
        raise not_found(f"Subscriber not found: {owner}")
    channels = state.channels
    for held in channels.connections.values():
        if (
            held.integration_identifier == found.identifier
            and held.subscriber_id == owner
            and same_contexts(held.context_keys, context_keys)
        ):
            who = f'subscriber "{owner}"' if owner else "no subscriber"
            where = f"context [{', '.join(context_keys)}]" if context_keys else "no context"
            raise conflict(
                f'A channel connection already exists for integration "{found.identifier}" with {who} '
                f"and {where}. Connection ID: {held.identifier}"
            )
    identifier = identifier or channels.new_identifier("chconn_", channels.connections)
    if identifier in channels.connections:
        raise conflict(f'Channel connection with identifier "{identifier}" already exists')
    made = channels.add_connection(
        identifier=identifier,
        integration_identifier=found.identifier,
        provider_id=found.provider_id,
        channel=found.channel,
        subscriber_id=owner,
        context_keys=context_keys,
        workspace=workspace,
        auth=auth,
    )
    return 201, connection_view(made)


@group.operation("ChannelConnectionsController_listChannelConnections")
def list_connections(state: State, call: Call) -> Result:
    changed = state.channels.changed
    return 200, cursor_page(
        call,
        state.channels.connections.values(),
        cursor=lambda connection: connection.id,
        changed=lambda connection: changed[connection.id],
        keep=channel_filter(call),
        render=connection_view,
    )


@group.operation("ChannelConnectionsController_getChannelConnectionByIdentifier")
def get(state: State, call: Call) -> Result:
    return 200, connection_view(_connection(state, call))


@group.operation("ChannelConnectionsController_updateChannelConnection")
def update(state: State, call: Call) -> Result:
    connection = _connection(state, call)
    connection.workspace, connection.auth = _workspace_and_auth(Fields(call.body))
    state.channels.touch(connection)
    return 200, connection_view(connection)


@group.operation("ChannelConnectionsController_deleteChannelConnection")
def delete(state: State, call: Call) -> Result:
    connection = _connection(state, call)
    del state.channels.connections[connection.identifier]
    return 204, NO_BODY
