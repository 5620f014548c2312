"""Channel endpoints (v1): create, list, retrieve, update (the endpoint), delete.

An endpoint is where a subscriber is reached for one integration: its ``type`` says what the
``endpoint`` object holds (``slack_channel``: ``channelId``; ``webhook``: ``url``; ``phone``:
``phoneNumber``...). The subscriber must exist (404); a ``connectionIdentifier`` must name a
connection of the same integration (404); Webex endpoints need a Webex Messaging integration and a
connection with the same contexts (400). An update replaces the endpoint object, which must fit the
endpoint's type (400). The contexts named are found or created. The integration is named by
identifier: one the fake does not hold is a 404.
"""

from __future__ import annotations

from typing import Any, Final

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.channels import Endpoint, same_contexts
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found
from .channel_connections import MAX_CONTEXTS, channel_filter, integration
from .contexts import read_context

__all__ = ["endpoint_view", "group"]

group = Group("Channel Endpoints", CONFIGURATION)

# type -> (the endpoint's fields, the required ones)
TYPES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "slack_channel": (("channelId",), ("channelId",)),
    "slack_user": (("userId",), ("userId",)),
    "webhook": (("url", "channel"), ("url",)),
    "phone": (("phoneNumber",), ("phoneNumber",)),
    "ms_teams_channel": (("teamId", "channelId"), ("teamId", "channelId")),
    "ms_teams_user": (("userId",), ("userId",)),
    "telegram_chat": (("chatId",), ("chatId",)),
    "webex_room": (("roomId", "parentId"), ("roomId",)),
    "webex_person": (("personId", "personEmail"), ()),
    "line_user": (("userId",), ("userId",)),
}
_WEBEX: Final = ("webex_room", "webex_person")


def endpoint_view(endpoint: Endpoint) -> dict[str, Any]:
    """``GetChannelEndpointResponseDto``."""
    return {
        "identifier": endpoint.identifier,
        "channel": endpoint.channel,
        "providerId": endpoint.provider_id,
        "integrationIdentifier": endpoint.integration_identifier,
        "connectionIdentifier": endpoint.connection_identifier,
        "subscriberId": endpoint.subscriber_id,
        "contextKeys": list(endpoint.context_keys),
        "type": endpoint.type,
        "endpoint": dict(endpoint.endpoint),
        "createdAt": endpoint.created_at,
        "updatedAt": endpoint.updated_at,
    }


def _fits(kind: str, endpoint: Fields) -> tuple[str, str] | None:
    """``(field, problem)`` when an endpoint object does not fit a type, else None."""
    names, required = TYPES[kind]
    for name in names:
        value = endpoint.body.get(name)
        if name in required and (not isinstance(value, str) or not value):
            return f"endpoint.{name}", f"{name} should not be empty for an endpoint of type {kind}"
        if name in endpoint.body and not isinstance(value, str):
            return f"endpoint.{name}", f"{name} must be a string"
    return None


def _endpoint(state: State, call: Call) -> Endpoint:
    identifier = call.params["identifier"]
    found = state.channels.endpoints.get(identifier)
    if found is None:
        raise not_found(f'Channel endpoint with identifier "{identifier}" not found')
    return found


@group.operation("ChannelEndpointsController_createChannelEndpoint")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    kind = fields.choice("type", tuple(TYPES), required=True)
    assert kind is not None
    identifier = fields.text("identifier", min_length=1)
    subscriber_id: str = fields.text("subscriberId", required=True)
    context = read_context(fields, max_count=MAX_CONTEXTS)
    integration_identifier: str = fields.text("integrationIdentifier", required=True)
    connection_identifier = fields.text("connectionIdentifier", min_length=1)
    endpoint = fields.inner("endpoint", required=True)
    assert endpoint is not None
    problem = _fits(kind, endpoint)
    if problem is not None:
        raise ApiError.invalid(*problem)
    found = integration(state, integration_identifier)
    context_keys = state.contexts.resolve(context)
    if state.subscribers.get(subscriber_id) is None:
        raise not_found(f"Subscriber not found: {subscriber_id}")
    channels = state.channels
    identifier = identifier or channels.new_identifier("chendp_", channels.endpoints)
    if identifier in channels.endpoints:
        raise conflict(f'Channel endpoint with identifier "{identifier}" already exists')
    if kind in _WEBEX:
        if found.provider_id != "webex-messaging":
            raise ApiError(400, f'Channel endpoint type "{kind}" requires a Webex Messaging integration')
        if connection_identifier is None:
            raise ApiError(400, f'Channel endpoint type "{kind}" requires a connectionIdentifier')
    connection = None
    if connection_identifier is not None:
        connection = channels.connections.get(connection_identifier)
        if connection is None or connection.integration_identifier != found.identifier:
            raise not_found(f"Channel connection not found: {connection_identifier}")
        if kind in _WEBEX and not same_contexts(connection.context_keys, context_keys):
            raise ApiError(
                400, f'Webex endpoint context must match channel connection "{connection_identifier}" context'
            )
    made = channels.add_endpoint(
        identifier=identifier,
        integration_identifier=found.identifier,
        connection_identifier=None if connection is None else connection.identifier,
        provider_id=found.provider_id,
        channel=found.channel,
        subscriber_id=subscriber_id,
        context_keys=context_keys,
        type=kind,
        endpoint=dict(endpoint.body),
    )
    return 201, endpoint_view(made)


@group.operation("ChannelEndpointsController_listChannelEndpoints")
def list_endpoints(state: State, call: Call) -> Result:
    keep = channel_filter(call)
    connection_identifier = Args(call).text("connectionIdentifier")
    changed = state.channels.changed
    return 200, cursor_page(
        call,
        state.channels.endpoints.values(),
        cursor=lambda endpoint: endpoint.id,
        changed=lambda endpoint: changed[endpoint.id],
        keep=lambda endpoint: (
            keep(endpoint)
            and (connection_identifier is None or endpoint.connection_identifier == connection_identifier)
        ),
        render=endpoint_view,
    )


@group.operation("ChannelEndpointsController_getChannelEndpoint")
def get(state: State, call: Call) -> Result:
    return 200, endpoint_view(_endpoint(state, call))


@group.operation("ChannelEndpointsController_updateChannelEndpoint")
def update(state: State, call: Call) -> Result:
    endpoint = _endpoint(state, call)
    given = Fields(call.body).inner("endpoint", required=True)
    assert given is not None
    if _fits(endpoint.type, given) is not None:
        raise ApiError(400, f'Endpoint must match the required format for type "{endpoint.type}"')
    endpoint.endpoint = dict(given.body)
    state.channels.touch(endpoint)
    return 200, endpoint_view(endpoint)


@group.operation("ChannelEndpointsController_deleteChannelEndpoint")
def delete(state: State, call: Call) -> Result:
    endpoint = _endpoint(state, call)
    del state.channels.endpoints[endpoint.identifier]
    return 204, NO_BODY
