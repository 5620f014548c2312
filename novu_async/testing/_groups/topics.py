"""Topics and their subscriptions (v2), and the v1 check whether a subscriber belongs to a topic.

Creating subscriptions creates the topic when it does not exist (as the document says) and reports
subscribers that do not exist in ``errors`` (code ``SUBSCRIBER_NOT_FOUND``) while the others are
subscribed. A subscription made from a bare subscriberId gets Novu's identifier
``tk_<topicKey>:si_<subscriberId>``; subscribing again with the same identifier keeps the existing
one. A subscription's preferences for a workflow with ``enabled: false`` keep that workflow's topic
triggers from the subscriber; their JSON Logic ``condition``s are kept, not evaluated. The contexts
a ``context`` names are found or created (Contexts) and scope the subscriptions (``contextKeys``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from .._routes import CONFIGURATION, Call, Group, Result
from .._store import State
from .._store.topics import Subscription
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found
from ._views import subscriber_summary, subscription_view
from .contexts import read_context

__all__ = ["group"]

group = Group("Topics", CONFIGURATION)

MAX_SUBSCRIPTIONS: Final = 100
MAX_IDENTIFIER: Final = 512
_KEY: Final = re.compile(r"^[A-Za-z0-9_:-]+$|^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _topic_key(fields: Fields) -> str:
    key: str = fields.text("key", required=True, min_length=1, max_length=100)
    if not _KEY.match(key):
        raise ApiError.invalid(
            "key", "key must contain only alphanumeric characters, -, _, : or be a valid email address", key
        )
    return key


def _topic_dto(record: dict[str, Any]) -> dict[str, Any]:
    """``TopicDto``."""
    return {k: record[k] for k in ("_id", "key", "name") if k in record}


def _preferences_view(state: State, subscription: Subscription) -> list[dict[str, Any]]:
    shown = []
    for preference in subscription.preferences:
        workflow = None
        if "workflowId" in preference:
            found = state.workflows.resolve(preference["workflowId"])
            workflow = None if found is None else found.summary()
        item: dict[str, Any] = {
            "subscriptionId": subscription.id,
            "workflow": workflow,
            "enabled": preference["enabled"],
        }
        if "condition" in preference:
            item["condition"] = preference["condition"]
        shown.append(item)
    return shown


def _subscription_response(
    state: State, subscription: Subscription, with_preferences: bool = True
) -> dict[str, Any]:
    """``SubscriptionResponseDto`` (``SubscriptionDto`` without preferences)."""
    subscriber = state.subscribers.get(subscription.subscriber_id)
    shown: dict[str, Any] = {
        "_id": subscription.id,
        "identifier": subscription.identifier,
        "topic": _topic_dto(state.topics.records[subscription.topic_key]),
        "subscriber": subscriber_summary(subscriber) if subscriber is not None else None,
        "contextKeys": list(subscription.context_keys),
        "createdAt": subscription.created_at,
        "updatedAt": subscription.updated_at,
    }
    if subscription.name is not None:
        shown["name"] = subscription.name
    if with_preferences:
        shown["preferences"] = _preferences_view(state, subscription)
    return shown


def _preferences(fields: Fields) -> list[dict[str, Any]] | None:
    """The ``preferences`` of a subscription request, normalised to dicts."""
    items = fields.array("preferences")
    if items is None:
        return None
    found = []
    for index, item in enumerate(items):
        where = f"preferences.{index}"
        if isinstance(item, str) and item:
            found.append({"workflowId": item, "enabled": True})
            continue
        inner = Fields(item, where + ".")
        enabled = inner.flag("enabled")
        preference: dict[str, Any] = {"enabled": True if enabled is None else enabled}
        condition = inner.obj("condition")
        if condition is not None:
            preference["condition"] = condition
        if "filter" in inner:
            group_filter = inner.inner("filter", required=True)
            assert group_filter is not None
            group_filter.strings("workflowIds")
            group_filter.strings("tags")
            preference["filter"] = dict(group_filter.body)
        else:
            preference["workflowId"] = inner.text("workflowId", required=True)
        found.append(preference)
    return found


@group.operation("TopicsController_listTopics")
def list_topics(state: State, call: Call) -> Result:
    args = Args(call)
    key, name = args.text("key"), args.text("name")

    def keep(record: dict[str, Any]) -> bool:
        return (key is None or record["key"] == key) and (name is None or name in (record.get("name") or ""))

    changed = state.topics.changed
    return 200, cursor_page(
        call,
        state.topics.records.values(),
        cursor=lambda record: record["_id"],
        changed=lambda record: changed[record["key"]],
        keep=keep,
        render=dict,
    )


@group.operation("TopicsController_upsertTopic")
def upsert_topic(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    key = _topic_key(fields)
    name = fields.text("name", max_length=100)
    topics = state.topics
    existing = topics.records.get(key)
    if existing is None:
        return 201, dict(topics.create(key, name))
    if Args(call).flag("failIfExists"):
        raise conflict(f"Topic with key '{key}' already exists")
    return 200, dict(topics.rename(existing, name) if name is not None else existing)


@group.operation("TopicsController_getTopic")
def get_topic(state: State, call: Call) -> Result:
    return 200, dict(state.topics.require(call.params["topicKey"]))


@group.operation("TopicsController_updateTopic")
def update_topic(state: State, call: Call) -> Result:
    record = state.topics.require(call.params["topicKey"])
    name = Fields(call.body).text("name", required=True, max_length=100)
    assert name is not None
    return 200, dict(state.topics.rename(record, name))


@group.operation("TopicsController_deleteTopic")
def delete_topic(state: State, call: Call) -> Result:
    state.topics.delete(call.params["topicKey"])
    return 200, {"acknowledged": True}


@group.operation("TopicsController_listTopicSubscriptions")
def list_topic_subscriptions(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    state.topics.require(key)
    subscriber_id = Args(call).text("subscriberId")
    return 200, cursor_page(
        call,
        state.topics.subscriptions[key].values(),
        cursor=lambda subscription: subscription.id,
        keep=None
        if subscriber_id is None
        else (lambda subscription: subscription.subscriber_id == subscriber_id),
        render=lambda subscription: subscription_view(state, subscription),
    )


def _targets(fields: Fields, create: bool) -> list[tuple[str | None, str | None, str | None]]:
    """``(subscriberId, identifier, name)`` per item of ``subscriptions`` (or the deprecated
    ``subscriberIds``), checked."""
    items = fields.array("subscriptions", max_items=MAX_SUBSCRIPTIONS)
    name = "subscriptions"
    if items is None:
        items = fields.strings("subscriberIds", max_items=MAX_SUBSCRIPTIONS)
        name = "subscriberIds"
    if not items:
        raise ApiError.invalid("subscriptions", "subscriptions should not be empty", None)
    targets: list[tuple[str | None, str | None, str | None]] = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item:
            targets.append((item, None, None))
            continue
        inner = Fields(item, f"{name}.{index}.")
        identifier = inner.text("identifier", required=create, max_length=MAX_IDENTIFIER)
        subscriber_id = inner.text("subscriberId", required=create)
        if not create and identifier is None and subscriber_id is None:
            raise ApiError.invalid(f"{name}.{index}", "give an identifier or a subscriberId", None)
        targets.append((subscriber_id, identifier, inner.text("name") if create else None))
    return targets


@group.operation("TopicsController_createTopicSubscriptions")
def create_topic_subscriptions(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    fields = Fields(call.body)
    targets = _targets(fields, create=True)
    topic_name = fields.text("name")
    preferences = _preferences(fields)
    context_keys = state.contexts.resolve(read_context(fields))
    topics = state.topics
    if key not in topics.records:
        topics.create(key, topic_name)
    made, errors = [], []
    for subscriber_id, identifier, name in targets:
        assert subscriber_id is not None
        if state.subscribers.get(subscriber_id) is None:
            errors.append(
                {
                    "subscriberId": subscriber_id,
                    "code": "SUBSCRIBER_NOT_FOUND",
                    "message": f"Subscriber with id '{subscriber_id}' not found",
                }
            )
            continue
        subscription, _ = topics.subscribe(key, subscriber_id, identifier, name, context_keys)
        if preferences is not None:
            subscription.preferences = [dict(p) for p in preferences]
        made.append(_subscription_response(state, subscription))
    return 201, {
        "data": made,
        "meta": {"totalCount": len(targets), "successful": len(made), "failed": len(errors)},
        "errors": errors,
    }


@group.operation("TopicsController_deleteTopicSubscriptions")
def delete_topic_subscriptions(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    state.topics.require(key)
    targets = _targets(Fields(call.body), create=False)
    held = state.topics.subscriptions[key]
    removed, errors = [], []
    for subscriber_id, identifier, _ in targets:
        matching = [
            s
            for s in held.values()
            if (identifier is None or s.identifier == identifier)
            and (subscriber_id is None or s.subscriber_id == subscriber_id)
        ]
        if not matching:
            errors.append(
                {
                    "subscriberId": subscriber_id or identifier or "",
                    "code": "SUBSCRIPTION_NOT_FOUND",
                    "message": f"Subscription not found for topic '{key}'",
                }
            )
            continue
        for subscription in matching:
            removed.append(_subscription_response(state, subscription, with_preferences=False))
            del held[subscription.identifier]
    return 200, {
        "data": removed,
        "meta": {"totalCount": len(targets), "successful": len(targets) - len(errors), "failed": len(errors)},
        "errors": errors,
    }


def _subscription(state: State, call: Call) -> Subscription:
    key = call.params["topicKey"]
    state.topics.require(key)
    identifier = call.params["identifier"]
    found = state.topics.subscriptions[key].get(identifier)
    if found is None:
        raise not_found(f"Subscription with identifier '{identifier}' not found for topic '{key}'")
    return found


@group.operation("TopicsController_getTopicSubscription")
def get_topic_subscription(state: State, call: Call) -> Result:
    subscription = _subscription(state, call)
    shown: dict[str, Any] = {
        "id": subscription.id,
        "identifier": subscription.identifier,
        "preferences": _preferences_view(state, subscription),
        "contextKeys": list(subscription.context_keys),
    }
    if subscription.name is not None:
        shown["name"] = subscription.name
    return 200, shown


@group.operation("TopicsController_updateTopicSubscription")
def update_topic_subscription(state: State, call: Call) -> Result:
    subscription = _subscription(state, call)
    fields = Fields(call.body)
    name = fields.text("name")
    preferences = _preferences(fields)
    if name is not None:
        subscription.name = name
    if preferences is not None:
        subscription.preferences = preferences
    subscription.updated_at = state.clock.iso()
    return 200, _subscription_response(state, subscription)


@group.operation("TopicsV1Controller_getTopicSubscriber")
def get_topic_subscriber(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    topic = state.topics.require(key)
    subscriber_id = call.params["externalSubscriberId"]
    subscriber = state.subscribers.get(subscriber_id)
    if subscriber is None or subscriber_id not in state.topics.subscriber_ids(key):
        raise not_found(f"Subscriber {subscriber_id} not found in topic {key}")
    return 200, {
        "_organizationId": state.ids.organization_id,
        "_environmentId": state.ids.environment_id,
        "_subscriberId": subscriber["_id"],
        "_topicId": topic["_id"],
        "topicKey": key,
        "externalSubscriberId": subscriber_id,
    }
