"""The legacy (v1) document's operations that map to state the fake holds: subscribers, topics and
their subscribers, tenants. Their operationIds are ``legacy.<operationId>`` (see ``_routes``); the
legacy operations whose method and path a current one has are that operation's, and the rest answer
501 naming them.

* Subscribers: create (an upsert, as the current create), retrieve, update (``PUT``: the given
  fields change, as a patch), delete, and the v1 list (``page`` from 0, ``limit``) over the same
  subscribers the current operations see.
* Topics: the same topics and subscriptions as the current ones. Create refuses a key in use (409);
  adding subscribers subscribes the ones that exist (the document's 204 has no body to report the
  others) to an existing topic (404 otherwise); a topic answers with its subscribers' ids; a topic
  with subscribers cannot be deleted (409, as the document's summary says).
* Tenants: their own store (``_store.tenants``): identifier unique (409), 404 for one not held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from .._routes import CONFIGURATION, LEGACY, NO_BODY, Call, Group, Handler, Result
from .._store import State
from ._common import Args, Fields, conflict, not_found, offset_page
from ._views import v1_subscriber
from .subscribers import create_subscriber, get_subscriber, patch_subscriber, remove_subscriber

__all__ = ["group"]

group = Group("Legacy", CONFIGURATION)

MAX_NAME: Final = 100


def legacy(operation_id: str) -> Callable[[Handler], Handler]:
    """``@group.operation`` for the legacy document's ``operation_id``."""
    return group.operation(LEGACY + operation_id)


# --- subscribers: the current handlers, for the v1 paths


def _as_v1(handler: Handler) -> Handler:
    def answer(state: State, call: Call) -> Result:
        status, body = handler(state, call)
        return status, v1_subscriber(body)

    return answer


_SAME: Final[dict[str, Handler]] = {
    "SubscribersController_createSubscriber": create_subscriber,
    "SubscribersController_getSubscriber": get_subscriber,
    "SubscribersController_updateSubscriber": patch_subscriber,
    "SubscribersController_removeSubscriber": remove_subscriber,
}
for _operation_id, _handler in _SAME.items():
    legacy(_operation_id)(_as_v1(_handler))


@legacy("SubscribersController_listSubscribers")
def list_subscribers(state: State, call: Call) -> Result:
    records = list(state.subscribers.records.values())
    return 200, offset_page(call, records, v1_subscriber, total=False)


# --- topics


def _topic(state: State, key: str) -> dict[str, Any]:
    """``TopicDto``: the topic with its subscribers' ids."""
    record = state.topics.require(key)
    return {
        "_id": record["_id"],
        "_organizationId": state.ids.organization_id,
        "_environmentId": state.ids.environment_id,
        "key": key,
        "name": record.get("name", ""),
        "subscribers": state.topics.subscriber_ids(key),
    }


@legacy("TopicsController_createTopic")
def create_topic(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    key = fields.text("key", required=True, max_length=MAX_NAME)
    name = fields.text("name", required=True, max_length=MAX_NAME)
    if key in state.topics.records:
        raise conflict(f"Topic exists with key {key}")
    made = state.topics.create(key, name)
    return 201, {"_id": made["_id"], "key": key}


@legacy("TopicsController_listTopics")
def list_topics(state: State, call: Call) -> Result:
    args = Args(call)
    page = args.whole("page", 0, low=0)
    size = args.whole("pageSize", 10, low=0, high=100)
    key = args.text("key")
    keys = [k for k in state.topics.records if key is None or k == key]
    chunk = keys[page * size : (page + 1) * size]
    return 200, {
        "data": [_topic(state, k) for k in chunk],
        "page": page,
        "pageSize": size,
        "totalCount": len(keys),
    }


@legacy("TopicsController_getTopic")
def get_topic(state: State, call: Call) -> Result:
    return 200, _topic(state, call.params["topicKey"])


@legacy("TopicsController_renameTopic")
def rename_topic(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    record = state.topics.require(key)
    name = Fields(call.body).text("name", required=True, max_length=MAX_NAME)
    assert name is not None
    state.topics.rename(record, name)
    return 200, _topic(state, key)


@legacy("TopicsController_deleteTopic")
def delete_topic(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    state.topics.require(key)
    if state.topics.subscriber_ids(key):
        raise conflict(f"Topic with key {key} has subscribers: remove them before deleting the topic")
    state.topics.delete(key)
    return 204, NO_BODY


def _subscriber_ids(call: Call) -> list[str]:
    found = Fields(call.body).strings("subscribers", required=True)
    assert found is not None
    return found


@legacy("TopicsController_addSubscribers")
def add_subscribers(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    state.topics.require(key)
    for subscriber_id in _subscriber_ids(call):
        if state.subscribers.get(subscriber_id) is not None:
            state.topics.subscribe(key, subscriber_id, None)
    return 204, NO_BODY


@legacy("TopicsController_removeSubscribers")
def remove_subscribers(state: State, call: Call) -> Result:
    key = call.params["topicKey"]
    state.topics.require(key)
    leaving = set(_subscriber_ids(call))
    held = state.topics.subscriptions[key]
    for identifier in [i for i, s in held.items() if s.subscriber_id in leaving]:
        del held[identifier]
    return 204, NO_BODY


# --- tenants


def _tenant(state: State, identifier: str) -> dict[str, Any]:
    found = state.tenants.records.get(identifier)
    if found is None:
        raise not_found(f"Tenant with identifier: {identifier} does not exist")
    return found


def _data(fields: Fields) -> dict[str, Any] | None:
    value: dict[str, Any] | None = fields.obj("data")
    return value


@legacy("TenantController_listTenants")
def list_tenants(state: State, call: Call) -> Result:
    return 200, offset_page(call, list(state.tenants.records.values()), dict, total=False)


@legacy("TenantController_createTenant")
def create_tenant(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    identifier = fields.text("identifier", required=True)
    name = fields.text("name", required=True)
    data = _data(fields)
    if identifier in state.tenants.records:
        raise conflict(f"Tenant with identifier: {identifier} already exists")
    return 200, dict(state.tenants.create(identifier, name, data))


@legacy("TenantController_getTenantById")
def get_tenant(state: State, call: Call) -> Result:
    return 200, dict(_tenant(state, call.params["identifier"]))


@legacy("TenantController_updateTenant")
def update_tenant(state: State, call: Call) -> Result:
    record = _tenant(state, call.params["identifier"])
    fields = Fields(call.body)
    changes: dict[str, Any] = {}
    for name in ("identifier", "name"):
        value = fields.text(name)
        if value is not None:
            changes[name] = value
    data = _data(fields)
    if data is not None:
        changes["data"] = data
    moved = changes.get("identifier")
    if moved is not None and moved != record["identifier"] and moved in state.tenants.records:
        raise conflict(f"Tenant with identifier: {moved} already exists")
    return 200, dict(state.tenants.update(record, changes))


@legacy("TenantController_removeTenant")
def remove_tenant(state: State, call: Call) -> Result:
    identifier = call.params["identifier"]
    _tenant(state, identifier)
    state.tenants.delete(identifier)
    return 204, NO_BODY
