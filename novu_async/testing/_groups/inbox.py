"""A subscriber's in-app notifications, the v2 way (the Inbox): list, count, read / seen / archive /
snooze one or all, complete and revert actions, delete.

A notification here is one in-app message (its ``id`` is the message's). Lists are newest first and
filtered only by what the query gives. Reading marks seen too; archiving marks read too, as in Novu's
Inbox. ``tags`` filters match the workflow's tags (a list: any of them; ``{"and": [{"or": [...]},
...]}``: every group); ``data`` (a JSON object) matches messages whose ``data`` holds those values.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from typing import Any, Final

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.inbox import Message
from .._wire import ApiError
from ._common import Args, Fields, not_found
from ._views import inbox_notification

__all__ = ["find_message", "group", "mark", "subscriber_feed"]

group = Group("Subscribers", CONFIGURATION)

MAX_COUNT_FILTERS: Final = 30
SEVERITIES: Final = ("high", "medium", "low", "none")


def subscriber_feed(state: State, call: Call) -> list[Message]:
    """The path's subscriber's in-app messages, newest first (404 for an unknown subscriber)."""
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    return state.inbox.feed(subscriber_id)


def find_message(state: State, call: Call, name: str = "notificationId") -> Message:
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    message_id = call.params[name]
    message = state.inbox.feeds.get(subscriber_id, {}).get(message_id)
    if message is None:
        raise not_found(f"Notification with id: {message_id} is not found.")
    return message


def mark(message: Message, now: float, how: str) -> bool:
    """Set one state (read, unread, seen, unseen, archive, unarchive); whether anything changed."""
    before = (message.read_at, message.first_seen_at, message.archived_at)
    if how in ("read", "archive"):
        message.read_at = message.read_at or now
    if how in ("read", "seen", "archive"):
        message.first_seen_at = message.first_seen_at or now
        message.last_seen_at = now
    if how == "archive":
        message.archived_at = message.archived_at or now
    elif how == "unarchive":
        message.archived_at = None
    elif how == "unread":
        message.read_at = None
    elif how == "unseen":
        message.first_seen_at = message.last_seen_at = None
        message.read_at = None
    return before != (message.read_at, message.first_seen_at, message.archived_at)


# --- filters


def _tags_match(rule: Any, tags: list[str]) -> bool:
    if isinstance(rule, list):
        return not rule or any(tag in tags for tag in rule)
    if isinstance(rule, dict) and isinstance(rule.get("and"), list):
        return all(
            _tags_match(group.get("or", []) if isinstance(group, dict) else group, tags)
            for group in rule["and"]
        )
    return True


def _data_filter(text: Any, field: str) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        wanted = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        wanted = None
    if not isinstance(wanted, dict):
        raise ApiError.invalid(
            field, f"{field} must be a JSON object", text if isinstance(text, str) else None
        )
    return wanted


def _matcher(spec: dict[str, Any], now: float, field: str) -> Callable[[Message], bool]:
    """A predicate from filter values: read, seen, archived, snoozed, tags, data, severity, created*."""
    states = {
        name: spec[name]
        for name in ("read", "seen", "archived", "snoozed")
        if isinstance(spec.get(name), bool)
    }
    tags = spec.get("tags")
    data = _data_filter(spec.get("data"), f"{field}.data" if field else "data")
    severity = spec.get("severity")
    gte, lte = spec.get("createdGte"), spec.get("createdLte")

    def keep(message: Message) -> bool:
        values = {
            "read": message.read,
            "seen": message.seen,
            "archived": message.archived,
            "snoozed": message.snoozed(now),
        }
        if any(values[name] != wanted for name, wanted in states.items()):
            return False
        workflow = message.notification.workflow
        if tags is not None and not _tags_match(tags, workflow.tags):
            return False
        if data is not None and any((message.data or {}).get(k) != v for k, v in data.items()):
            return False
        if severity and workflow.severity not in severity:
            return False
        created = message.created * 1000
        return (gte is None or created >= gte) and (lte is None or created <= lte)

    return keep


def _body_matcher(state: State, call: Call) -> Callable[[Message], bool]:
    fields = Fields(call.body)
    tags = fields.body.get("tags")
    if tags is not None and not isinstance(tags, (list, dict)):
        raise ApiError.invalid("tags", "tags must be a list of tags or an and/or object", None)
    fields.text("data")
    fields.strings("contextKeys")
    return _matcher({"tags": tags, "data": fields.body.get("data")}, state.clock.now(), "")


# --- lists


@group.operation("SubscribersController_getSubscriberNotifications")
def list_notifications(state: State, call: Call) -> Result:
    messages = subscriber_feed(state, call)
    args = Args(call)
    limit = args.whole("limit", 10, low=1, high=100)
    offset = args.whole("offset", 0, low=0)
    after = args.text("after")
    spec: dict[str, Any] = {name: args.flag(name) for name in ("read", "archived", "snoozed", "seen")}
    spec = {name: value for name, value in spec.items() if value is not None}
    severity = args.texts("severity")
    for level in severity:
        if level not in SEVERITIES:
            raise ApiError.invalid(
                "severity", f"each value in severity must be one of {', '.join(SEVERITIES)}", level
            )
    if severity:
        spec["severity"] = severity
    if "data" in args:
        spec["data"] = args.text("data")
    for name in ("createdGte", "createdLte"):
        value = args.number(name)
        if value is not None:
            spec[name] = value
    if after:  # the cursor need not match the filters: what comes after it does
        position = next((i for i, m in enumerate(messages) if m.id == after), None)
        if position is None:
            raise ApiError.invalid("after", "the cursor is not a known notification", after)
        messages = messages[position + 1 :]
    keep = _matcher(spec, state.clock.now(), "")
    matching = [m for m in messages if keep(m)]
    page = matching[offset : offset + limit]
    return 200, {
        "data": [inbox_notification(state, m) for m in page],
        "hasMore": len(matching) > offset + limit,
        "filter": {k: v for k, v in spec.items() if k not in ("createdGte", "createdLte")},
    }


@group.operation("SubscribersController_getSubscriberNotificationsCount")
def count_notifications(state: State, call: Call) -> Result:
    messages = subscriber_feed(state, call)
    text = Args(call).text("filters")
    try:
        filters = json.loads(text) if text is not None else None
    except ValueError:
        filters = None
    if not isinstance(filters, list) or not all(isinstance(f, dict) for f in filters):
        raise ApiError.invalid("filters", "filters must be a JSON array of filter objects", text)
    if len(filters) > MAX_COUNT_FILTERS:
        raise ApiError.invalid(
            "filters", f"filters must contain no more than {MAX_COUNT_FILTERS} elements", None
        )
    now = state.clock.now()
    counts = []
    for index, spec in enumerate(filters):
        keep = _matcher(spec, now, f"filters.{index}")
        counts.append({"count": sum(1 for m in messages if keep(m)), "filter": spec})
    return 200, counts


# --- one notification


def _changed(how: str) -> Callable[[State, Call], Result]:
    """The handler that sets one state of one notification."""

    def change(state: State, call: Call) -> Result:
        message = find_message(state, call)
        mark(message, state.clock.now(), how)
        return 200, inbox_notification(state, message)

    return change


for _operation_id, _how in (
    ("SubscribersController_markNotificationAsRead", "read"),
    ("SubscribersController_markNotificationAsUnread", "unread"),
    ("SubscribersController_archiveNotification", "archive"),
    ("SubscribersController_unarchiveNotification", "unarchive"),
):
    group.operation(_operation_id)(_changed(_how))


@group.operation("SubscribersController_snoozeNotification")
def snooze(state: State, call: Call) -> Result:
    message = find_message(state, call)
    text = Fields(call.body).text("snoozeUntil", required=True)
    try:
        until = _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ApiError.invalid(
            "snoozeUntil", "snoozeUntil must be a valid ISO 8601 date string", text
        ) from None
    if until <= state.clock.now():
        raise ApiError.invalid("snoozeUntil", "snoozeUntil must be in the future", text)
    message.snoozed_until = until
    return 200, inbox_notification(state, message)


@group.operation("SubscribersController_unsnoozeNotification")
def unsnooze(state: State, call: Call) -> Result:
    message = find_message(state, call)
    message.snoozed_until = None
    return 200, inbox_notification(state, message)


def _action(state: State, call: Call, completed: bool) -> Result:
    message = find_message(state, call)
    kind = call.params["actionType"]
    if kind not in ("primary", "secondary"):
        raise ApiError.invalid(
            "actionType", "actionType must be one of the following values: primary, secondary", kind
        )
    action = message.primary if kind == "primary" else message.secondary
    if action is None:
        raise ApiError(400, f"Notification does not have a {kind} action")
    action.completed = completed
    return 200, inbox_notification(state, message)


@group.operation("SubscribersController_completeNotificationAction")
def complete_action(state: State, call: Call) -> Result:
    return _action(state, call, True)


@group.operation("SubscribersController_revertNotificationAction")
def revert_action(state: State, call: Call) -> Result:
    return _action(state, call, False)


@group.operation("SubscribersController_deleteNotification")
def delete_notification(state: State, call: Call) -> Result:
    state.inbox.remove_message(find_message(state, call))
    return 204, NO_BODY


# --- many notifications


def _all(state: State, call: Call, how: str, only: Callable[[Message], bool] | None = None) -> Result:
    keep = _body_matcher(state, call)
    now = state.clock.now()
    for message in subscriber_feed(state, call):
        if keep(message) and (only is None or only(message)):
            if how == "delete":
                state.inbox.remove_message(message)
            else:
                mark(message, now, how)
    return 204, NO_BODY


@group.operation("SubscribersController_markAllNotificationsAsRead")
def read_all(state: State, call: Call) -> Result:
    return _all(state, call, "read")


@group.operation("SubscribersController_archiveAllNotifications")
def archive_all(state: State, call: Call) -> Result:
    return _all(state, call, "archive")


@group.operation("SubscribersController_archiveAllReadNotifications")
def archive_all_read(state: State, call: Call) -> Result:
    return _all(state, call, "archive", only=lambda message: message.read)


@group.operation("SubscribersController_deleteAllNotifications")
def delete_all(state: State, call: Call) -> Result:
    return _all(state, call, "delete")


@group.operation("SubscribersController_markNotificationsAsSeen")
def seen(state: State, call: Call) -> Result:
    ids = Fields(call.body).strings("notificationIds")
    wanted = None if ids is None else set(ids)
    return _all(state, call, "seen", only=None if wanted is None else (lambda message: message.id in wanted))
