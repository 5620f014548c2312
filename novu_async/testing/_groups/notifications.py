"""Notifications, the activity feed (``/v1/notifications``): one per triggered event and subscriber,
with the jobs its workflow's steps made. Newest first; ``after`` / ``before`` take ISO dates or Unix
milliseconds."""

from __future__ import annotations

import datetime as _dt
from typing import Final

from .._routes import Call, Group, Result
from .._store import State
from .._store.inbox import Notification
from .._wire import ApiError
from ._common import Args, not_found, offset_page
from ._views import notification_view

__all__ = ["group"]

group = Group("Notifications")

MAX_LIMIT: Final = 50


def _moment(args: Args, name: str) -> float | None:
    text = args.text(name)
    if text is None:
        return None
    try:
        return float(text) / 1000
    except ValueError:
        pass
    try:
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ApiError.invalid(name, f"{name} must be an ISO 8601 date or Unix milliseconds", text) from None


@group.operation("NotificationsController_listNotifications")
def list_notifications(state: State, call: Call) -> Result:
    args = Args(call)
    channels = set(args.texts("channels"))
    templates = set(args.texts("templates"))
    emails = set(args.texts("emails"))
    subscriber_ids = set(args.texts("subscriberIds"))
    severity = set(args.texts("severity"))
    contexts = set(args.texts("contextKeys"))
    transaction_id, topic_key = args.text("transactionId"), args.text("topicKey")
    subscription_id = args.text("subscriptionId")
    after, before = _moment(args, "after"), _moment(args, "before")
    subscriptions = {s.id: s for subs in state.topics.subscriptions.values() for s in subs.values()}

    def keep(n: Notification) -> bool:
        subscriber = state.subscribers.get(n.subscriber_id) or {}
        workflow = n.workflow
        return (
            (not channels or any(job.step.type in channels for job in n.jobs))
            and (not templates or workflow.id in templates or workflow.workflow_id in templates)
            and (not emails or subscriber.get("email") in emails)
            and (not subscriber_ids or n.subscriber_id in subscriber_ids)
            and (not severity or workflow.severity in severity)
            and (not contexts or contexts == set(n.context_keys))
            and (transaction_id is None or n.transaction_id == transaction_id)
            and (topic_key is None or any(key == topic_key for _, key in n.topics))
            and (subscription_id is None or _through(n, subscriptions.get(subscription_id)))
            and (after is None or n.created >= after)
            and (before is None or n.created <= before)
        )

    found = [n for n in reversed(state.inbox.notifications.values()) if keep(n)]
    page = offset_page(call, found, lambda n: notification_view(state, n), max_limit=MAX_LIMIT, total=False)
    return 200, page


def _through(notification: Notification, subscription: object) -> bool:
    topic_key = getattr(subscription, "topic_key", None)
    return (
        topic_key is not None
        and getattr(subscription, "subscriber_id", None) == notification.subscriber_id
        and any(key == topic_key for _, key in notification.topics)
    )


@group.operation("NotificationsController_getNotification")
def get_notification(state: State, call: Call) -> Result:
    notification_id = call.params["notificationId"]
    found = state.inbox.notifications.get(notification_id)
    if found is None:
        raise not_found(f"Notification with id {notification_id} not found")
    return 200, notification_view(state, found)
