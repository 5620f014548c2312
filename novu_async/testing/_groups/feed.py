"""A subscriber's in-app messages, the v1 way (deprecated by Novu, still served): the feed, the unseen
count, marking messages read / seen / unread / unseen, and a message's action status.

``feedIdentifier`` (feeds were a v0 notion) filters nothing: the fake has no feeds.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Final

from .._routes import CONFIGURATION, Call, Group, Result
from .._store import State
from .._wire import ApiError
from ._common import Args, Fields, not_found, offset_page
from ._views import feed_item, message_view
from .inbox import find_message, mark, subscriber_feed

__all__ = ["group"]

group = Group("Subscribers", CONFIGURATION)

MARK_AS: Final = ("read", "seen", "unread", "unseen")


def _payload_filter(text: str | None) -> dict[str, Any] | None:
    """The feed's ``payload`` parameter: a base64-encoded partial payload (JSON object)."""
    if text is None:
        return None
    try:
        wanted = json.loads(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        wanted = None
    if not isinstance(wanted, dict):
        raise ApiError.invalid("payload", "payload must be a base64-encoded JSON object", text)
    return wanted


@group.operation("SubscribersV1Controller_getNotificationsFeed")
def notifications_feed(state: State, call: Call) -> Result:
    messages = subscriber_feed(state, call)
    args = Args(call)
    read, seen = args.flag("read"), args.flag("seen")
    payload = _payload_filter(args.text("payload"))
    kept = [
        m
        for m in messages
        if (read is None or m.read == read)
        and (seen is None or m.seen == seen)
        and (payload is None or all(m.notification.payload.get(k) == v for k, v in payload.items()))
    ]
    return 200, offset_page(call, kept, lambda m: feed_item(state, m))


@group.operation("SubscribersV1Controller_getUnseenCount")
def unseen_count(state: State, call: Call) -> Result:
    messages = subscriber_feed(state, call)
    args = Args(call)
    seen = args.flag("seen") or False
    limit = args.whole("limit", 100, low=1, high=100)
    return 200, {"count": min(limit, sum(1 for m in messages if m.seen == seen))}


@group.operation("SubscribersV1Controller_markAllUnreadAsRead")
def mark_all(state: State, call: Call) -> Result:
    messages = subscriber_feed(state, call)
    fields = Fields(call.body)
    how = fields.choice("markAs", MARK_AS, required=True)
    assert how is not None
    feeds = fields.body.get("feedIdentifier")
    if feeds is not None and not isinstance(feeds, (str, list)):
        raise ApiError.invalid("feedIdentifier", "feedIdentifier must be a string or a list of strings", None)
    now = state.clock.now()
    return 201, sum(1 for message in messages if mark(message, now, how))


@group.operation("SubscribersV1Controller_markMessagesAs")
def mark_messages_as(state: State, call: Call) -> Result:
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    fields = Fields(call.body)
    how = fields.choice("markAs", MARK_AS, required=True)
    assert how is not None
    ids = fields.body.get("messageId")
    wanted = [ids] if isinstance(ids, str) else ids
    if not isinstance(wanted, list) or not wanted or not all(isinstance(i, str) and i for i in wanted):
        raise ApiError.invalid("messageId", "messageId must be a message id or a list of them", None)
    feed = state.inbox.feeds.get(subscriber_id, {})
    missing = [i for i in wanted if i not in feed]
    if missing:
        raise not_found(f"Message with id: {missing[0]} is not found.")
    now = state.clock.now()
    changed = []
    for message_id in dict.fromkeys(wanted):
        message = feed[message_id]
        mark(message, now, how)
        changed.append(message_view(state, message))
    return 201, changed


@group.operation("SubscribersV1Controller_markActionAsSeen")
def mark_action(state: State, call: Call) -> Result:
    message = find_message(state, call, "messageId")
    kind = call.params["type"]
    if kind not in ("primary", "secondary"):
        raise ApiError.invalid("type", "type must be one of the following values: primary, secondary", kind)
    fields = Fields(call.body)
    status = fields.choice("status", ("pending", "done"), required=True)
    payload = fields.obj("payload")
    message.action_status = status
    message.action_result = {"type": kind, **({"payload": payload} if payload is not None else {})}
    action = message.primary if kind == "primary" else message.secondary
    if action is not None:
        action.completed = status == "done"
    return 201, message_view(state, message)
