"""Subscribers: create (upsert), retrieve, patch, delete, search, bulk create; credentials, online
status, and the topics a subscriber is subscribed to.

Deleting a subscriber also deletes their topic subscriptions and preferences; their notifications
stay as history. ``channels`` credentials are kept per provider (``providerId`` plus
``integrationIdentifier``): PUT replaces a provider's device tokens, PATCH adds to them.
"""

from __future__ import annotations

from typing import Any, Final

from novu_async.models.chat_or_push_provider_enum import ChatOrPushProviderEnum

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.subscribers import subscriber_fields, subscriber_id
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page
from ._views import subscription_view, v1_subscriber

__all__ = ["MAX_BULK_SUBSCRIBERS", "group"]

group = Group("Subscribers", CONFIGURATION)

MAX_BULK_SUBSCRIBERS: Final = 500
PROVIDERS: Final = tuple(member.value for member in ChatOrPushProviderEnum)


@group.operation("SubscribersController_createSubscriber")
def create_subscriber(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    sid = subscriber_id(fields.body)
    values = subscriber_fields(fields.body)
    subscribers = state.subscribers
    existing = subscribers.get(sid)
    if existing is None:
        return 201, subscribers.create(sid, values)
    if Args(call).flag("failIfExists"):
        raise conflict(f"Subscriber: {sid} already exists")
    return 201, subscribers.update(existing, values)


@group.operation("SubscribersController_getSubscriber")
def get_subscriber(state: State, call: Call) -> Result:
    return 200, state.subscribers.require(call.params["subscriberId"])


@group.operation("SubscribersController_patchSubscriber")
def patch_subscriber(state: State, call: Call) -> Result:
    record = state.subscribers.require(call.params["subscriberId"])
    return 200, state.subscribers.update(record, subscriber_fields(Fields(call.body).body))


@group.operation("SubscribersController_removeSubscriber")
def remove_subscriber(state: State, call: Call) -> Result:
    removed = state.subscribers.delete(call.params["subscriberId"])
    state.forget_subscriber(removed["subscriberId"])
    return 200, {"acknowledged": True, "status": "deleted"}


@group.operation("SubscribersV1Controller_bulkCreateSubscribers", bulk=True)
def bulk_create_subscribers(state: State, call: Call) -> Result:
    items = Fields(call.body).array("subscribers", required=True, max_items=MAX_BULK_SUBSCRIBERS) or []
    checked = []
    for index, item in enumerate(items):
        prefix = f"subscribers.{index}."
        fields = Fields(item, prefix)
        checked.append((subscriber_id(fields.body, prefix), subscriber_fields(fields.body, prefix)))
    created: list[dict[str, str]] = []
    updated: list[dict[str, str]] = []
    for sid, values in checked:  # all or nothing: checked first
        _, made = state.subscribers.upsert(sid, values)
        (created if made else updated).append({"subscriberId": sid})
    return 201, {"updated": updated, "created": created, "failed": []}


@group.operation("SubscribersController_searchSubscribers")
def search_subscribers(state: State, call: Call) -> Result:
    """``email``, ``phone`` and ``subscriberId`` match exactly; ``name`` is a case-sensitive part of
    "firstName lastName"."""
    args = Args(call)
    exact = [(name, args.text(name)) for name in ("email", "phone", "subscriberId") if name in args]
    name = args.text("name")

    def keep(record: dict[str, Any]) -> bool:
        if not all(record.get(field) == value for field, value in exact):
            return False
        return name is None or name in f"{record.get('firstName') or ''} {record.get('lastName') or ''}"

    changed = state.subscribers.changed
    return 200, cursor_page(
        call,
        state.subscribers.records.values(),
        cursor=lambda record: record["_id"],
        changed=lambda record: changed[record["subscriberId"]],
        keep=keep,
        render=lambda record: record,
    )


@group.operation("SubscribersController_listSubscriberTopics")
def list_subscriber_topics(state: State, call: Call) -> Result:
    sid = call.params["subscriberId"]
    state.subscribers.require(sid)
    key = Args(call).text("key")
    return 200, cursor_page(
        call,
        state.topics.of_subscriber(sid),
        cursor=lambda subscription: subscription.id,
        keep=None if key is None else (lambda subscription: subscription.topic_key == key),
        render=lambda subscription: subscription_view(state, subscription),
    )


# --- credentials and online status


def _channel(state: State, call: Call, append: bool) -> Result:
    record = state.subscribers.require(call.params["subscriberId"])
    fields = Fields(call.body)
    provider = fields.choice("providerId", PROVIDERS, required=True)
    identifier = fields.text("integrationIdentifier")
    credentials = fields.inner("credentials", required=True)
    assert provider is not None
    assert credentials is not None
    given = dict(credentials.body)
    if "deviceTokens" in given:
        credentials.strings("deviceTokens")
    channels: list[dict[str, Any]] = record["channels"]
    existing = next(
        (c for c in channels if c["providerId"] == provider and c.get("integrationIdentifier") == identifier),
        None,
    )
    if existing is None:
        existing = {
            "providerId": provider,
            "credentials": {},
            "_integrationId": state.integrations.credentials_id(provider, identifier)
            or state.ids.integration_id(provider),
        }
        if identifier is not None:
            existing["integrationIdentifier"] = identifier
        channels.append(existing)
    held = existing["credentials"]
    tokens = given.pop("deviceTokens", None)
    held.update(given)
    if tokens is not None:
        old = held.get("deviceTokens", []) if append else []
        held["deviceTokens"] = list(dict.fromkeys([*old, *tokens]))
    return 200, v1_subscriber(state.subscribers.update(record, {}))


@group.operation("SubscribersV1Controller_updateSubscriberChannel")
def update_subscriber_channel(state: State, call: Call) -> Result:
    return _channel(state, call, append=False)


@group.operation("SubscribersV1Controller_modifySubscriberChannel")
def modify_subscriber_channel(state: State, call: Call) -> Result:
    return _channel(state, call, append=True)


@group.operation("SubscribersV1Controller_deleteSubscriberCredentials")
def delete_subscriber_credentials(state: State, call: Call) -> Result:
    record = state.subscribers.require(call.params["subscriberId"])
    provider = call.params["providerId"]
    if provider not in PROVIDERS:
        raise ApiError.invalid(
            "providerId", f"providerId must be one of the following values: {', '.join(PROVIDERS)}", provider
        )
    kept = [c for c in record["channels"] if c["providerId"] != provider]
    if len(kept) != len(record["channels"]):
        record["channels"] = kept
        state.subscribers.update(record, {})
    return 204, NO_BODY


@group.operation("SubscribersV1Controller_updateSubscriberOnlineFlag")
def update_online_flag(state: State, call: Call) -> Result:
    record = state.subscribers.require(call.params["subscriberId"])
    online = Fields(call.body).flag("isOnline", required=True)
    fields: dict[str, Any] = {"isOnline": online}
    if not online:
        fields["lastOnlineAt"] = state.clock.iso()
    return 200, v1_subscriber(state.subscribers.update(record, fields))
