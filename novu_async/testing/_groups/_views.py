"""Records as the API returns them, where more than one group shows the same thing."""

from __future__ import annotations

from typing import Any, Final

from .._clock import iso
from .._store import State
from .._store.inbox import Action, Job, Message, Notification
from .._store.topics import Subscription
from ._common import time_or_none

__all__ = [
    "PROVIDERS",
    "feed_item",
    "inbox_notification",
    "message_view",
    "notification_view",
    "subscriber_summary",
    "subscription_view",
    "v1_subscriber",
]

# the provider each channel's messages go through in the fake (a job names one: ProvidersIdEnum)
PROVIDERS: Final = {
    "in_app": "novu",
    "email": "novu-email",
    "sms": "novu-sms",
    "chat": "novu-slack",
    "push": "push-webhook",
}


def subscriber_summary(record: dict[str, Any]) -> dict[str, Any]:
    """``SubscriberDto``."""
    summary = {"_id": record["_id"], "subscriberId": record["subscriberId"]}
    for name in ("avatar", "firstName", "lastName", "email"):
        if name in record:
            summary[name] = record[name]
    return summary


def v1_subscriber(record: dict[str, Any]) -> dict[str, Any]:
    """A subscriber as the v1 operations answer it: fields without a value (null in the v2 answers)
    are left out, as Novu's records leave them out, which fits the current document (where they are
    optional) and the legacy one (where they are optional and not nullable)."""
    return {name: value for name, value in record.items() if value is not None}


def subscription_view(state: State, subscription: Subscription) -> dict[str, Any]:
    """``TopicSubscriptionResponseDto``."""
    topic = state.topics.records[subscription.topic_key]
    subscriber = state.subscribers.get(subscription.subscriber_id)
    return {
        "_id": subscription.id,
        "identifier": subscription.identifier,
        "createdAt": subscription.created_at,
        "topic": dict(topic),
        "subscriber": subscriber_summary(subscriber)
        if subscriber
        else {"_id": "", "subscriberId": subscription.subscriber_id},
        "contextKeys": list(subscription.context_keys),
    }


def _action(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    shown: dict[str, Any] = {"label": action.label, "isCompleted": action.completed}
    if action.url is not None:
        shown["redirect"] = {"url": action.url, **({"target": action.target} if action.target else {})}
    return shown


def inbox_notification(state: State, message: Message) -> dict[str, Any]:
    """``InboxNotificationDto``: an in-app message as the v2 inbox shows it."""
    notification = message.notification
    subscriber = state.subscribers.get(notification.subscriber_id) or {}
    to: dict[str, Any] = {"id": notification.subscriber_db_id, "subscriberId": notification.subscriber_id}
    for name in ("firstName", "lastName", "avatar"):
        if isinstance(subscriber.get(name), str):
            to[name] = subscriber[name]
    workflow = notification.workflow
    shown: dict[str, Any] = {
        "id": message.id,
        "transactionId": notification.transaction_id,
        "body": message.body,
        "to": to,
        "isRead": message.read,
        "isSeen": message.seen,
        "isArchived": message.archived,
        "isSnoozed": message.snoozed(state.clock.now()),
        "snoozedUntil": time_or_none(message.snoozed_until),
        "deliveredAt": [iso(message.created)],
        "createdAt": iso(message.created),
        "readAt": time_or_none(message.read_at),
        "firstSeenAt": time_or_none(message.first_seen_at),
        "archivedAt": time_or_none(message.archived_at),
        "channelType": "in_app",
        "tags": list(workflow.tags),
        "data": dict(message.data or {}),
        "workflow": workflow.summary(),
        "severity": workflow.severity,
    }
    if message.subject is not None:
        shown["subject"] = message.subject
    if message.avatar is not None:
        shown["avatar"] = message.avatar
    for name, action in (("primaryAction", message.primary), ("secondaryAction", message.secondary)):
        rendered = _action(action)
        if rendered is not None:
            shown[name] = rendered
    if message.redirect is not None:
        shown["redirect"] = dict(message.redirect)
    return shown


def _cta(message: Message) -> dict[str, Any]:
    cta: dict[str, Any] = {}
    if message.redirect is not None:
        cta = {"type": "redirect", "data": {"url": message.redirect["url"]}}
    buttons = [
        {"type": kind, "content": action.label}
        for kind, action in (("primary", message.primary), ("secondary", message.secondary))
        if action is not None
    ]
    if buttons or message.action_status is not None:
        action_view: dict[str, Any] = {"buttons": buttons}
        if message.action_status is not None:
            action_view["status"] = message.action_status
        if message.action_result is not None:
            action_view["result"] = dict(message.action_result)
        cta["action"] = action_view
    return cta


def _message_ids(state: State, message: Message) -> dict[str, Any]:
    """The ids both v1 views of a message start with."""
    notification = message.notification
    return {
        "_id": message.id,
        "_templateId": notification.workflow.id,
        "_environmentId": state.ids.environment_id,
        "_messageTemplateId": message.job.step.id,
        "_organizationId": state.ids.organization_id,
        "_notificationId": notification.id,
        "_subscriberId": notification.subscriber_db_id,
    }


def feed_item(state: State, message: Message) -> dict[str, Any]:
    """``NotificationFeedItemDto``: an in-app message as the v1 feed shows it."""
    notification = message.notification
    workflow = notification.workflow
    subscriber = state.subscribers.get(notification.subscriber_id) or {}
    shown: dict[str, Any] = {
        **_message_ids(state, message),
        "_feedId": None,
        "_jobId": message.job.id,
        "createdAt": iso(message.created),
        "updatedAt": iso(message.created),
        "subscriber": {
            "_id": notification.subscriber_db_id,
            "subscriberId": notification.subscriber_id,
            **{
                n: subscriber[n]
                for n in ("firstName", "lastName", "avatar")
                if isinstance(subscriber.get(n), str)
            },
        },
        "transactionId": notification.transaction_id,
        "templateIdentifier": workflow.workflow_id,
        "providerId": message.provider_id or PROVIDERS["in_app"],
        "content": message.body,
        "subject": message.subject,
        "channel": "in_app",
        "read": message.read,
        "seen": message.seen,
        "archived": message.archived,
        "deviceTokens": None,
        "cta": _cta(message),
        "status": "sent",
        "payload": dict(notification.payload),
        "data": dict(message.data) if message.data is not None else None,
        "overrides": dict(notification.overrides),
        "tags": list(workflow.tags),
    }
    return shown


def message_view(state: State, message: Message) -> dict[str, Any]:
    """``MessageResponseDto``: a message of any channel (``/v1/messages``, the v1 mark endpoints)."""
    notification = message.notification
    workflow = notification.workflow
    shown: dict[str, Any] = {
        **_message_ids(state, message),
        "templateIdentifier": workflow.workflow_id,
        "createdAt": iso(message.created),
        "deliveredAt": [iso(message.created)],
        "transactionId": notification.transaction_id,
        "content": message.body,
        "channel": message.channel,
        "read": message.read,
        "seen": message.seen,
        "cta": _cta(message),
        "_feedId": None,
        "status": "sent",
        "providerId": message.provider_id or PROVIDERS[message.channel],
        "payload": dict(notification.payload),
        "overrides": dict(notification.overrides),
        "contextKeys": list(notification.context_keys),
    }
    subscriber = state.subscribers.get(notification.subscriber_id)
    if subscriber is not None:
        shown["subscriber"] = dict(subscriber)
    if message.subject is not None:
        shown["subject"] = message.subject
    if message.last_seen_at is not None:
        shown["lastSeenDate"] = iso(message.last_seen_at)
    if message.read_at is not None:
        shown["lastReadDate"] = iso(message.read_at)
    if message.snoozed_until is not None:
        shown["snoozedUntil"] = iso(message.snoozed_until)
    if message.channel == "email" and message.to:
        shown["email"] = message.to
    if message.channel == "sms" and message.to:
        shown["phone"] = message.to
    return shown


def _job_view(job: Job) -> dict[str, Any]:
    """``ActivityNotificationJobResponseDto``."""
    step = job.step
    provider = (job.message.provider_id if job.message else None) or PROVIDERS.get(step.type, "novu")
    detail = job.detail or {
        "completed": "Step completed",
        "pending": "Step waits for an earlier step",
        "delayed": "Step is delayed",
        "merged": "Step was merged into another digest",
        "canceled": "Step was canceled",
        "failed": "Step failed",
    }.get(job.status, job.status)
    execution_status = {"completed": "Success", "failed": "Failed", "canceled": "Warning"}.get(
        job.status, "Pending"
    )
    shown: dict[str, Any] = {
        "_id": job.id,
        "type": step.type,
        "executionDetails": [
            {
                "_id": f"{job.id}",
                "createdAt": iso(job.updated),
                "status": execution_status,
                "detail": detail,
                "isRetry": False,
                "isTest": False,
                "providerId": provider,
                "raw": None,
                "source": "Internal",
            }
        ],
        "step": {
            "_id": step.id,
            "active": step.active,
            "filters": [],
            "_templateId": step.id,
            "name": step.name,
        },
        "overrides": {},
        "payload": dict(job.notification.payload),
        "providerId": provider,
        "status": job.status,
        "updatedAt": iso(job.updated),
    }
    if step.type == "digest":
        controls = step.controls
        digest: dict[str, Any] = {"type": "timed" if controls.get("type") == "timed" else "regular"}
        if isinstance(controls.get("digestKey"), str):
            digest["digestKey"] = controls["digestKey"]
        if isinstance(controls.get("amount"), (int, float)):
            digest["amount"] = controls["amount"]
        if controls.get("unit") in ("seconds", "minutes", "hours", "days", "weeks", "months"):
            digest["unit"] = controls["unit"]
        digest["events"] = [dict(n.payload) for n in job.digested]
        shown["digest"] = digest
    return shown


def notification_view(state: State, notification: Notification) -> dict[str, Any]:
    """``ActivityNotificationResponseDto``: a notification with its jobs (the activity feed)."""
    workflow = notification.workflow
    subscriber = state.subscribers.get(notification.subscriber_id) or {}
    shown_subscriber: dict[str, Any] = {
        "_id": notification.subscriber_db_id,
        "subscriberId": notification.subscriber_id,
    }
    for name in ("firstName", "lastName", "email", "phone"):
        if isinstance(subscriber.get(name), str):
            shown_subscriber[name] = subscriber[name]
    to = (
        notification.to if isinstance(notification.to, dict) else {"subscriberId": notification.subscriber_id}
    )
    return {
        "_id": notification.id,
        "_environmentId": state.ids.environment_id,
        "_organizationId": state.ids.organization_id,
        "_subscriberId": notification.subscriber_db_id,
        "transactionId": notification.transaction_id,
        "_templateId": workflow.id,
        "createdAt": iso(notification.created),
        "updatedAt": iso(max([notification.created, *(job.updated for job in notification.jobs)])),
        "channels": [job.step.type for job in notification.jobs],
        "subscriber": shown_subscriber,
        "template": {
            "_id": workflow.id,
            "name": workflow.name,
            "origin": "novu-cloud",
            "triggers": [{"type": "event", "identifier": workflow.workflow_id, "variables": []}],
        },
        "jobs": [_job_view(job) for job in notification.jobs],
        "payload": dict(notification.payload),
        "tags": list(workflow.tags),
        "to": dict(to),
        "topics": [{"_topicId": topic_id, "topicKey": key} for topic_id, key in notification.topics],
        "severity": workflow.severity,
        "critical": workflow.critical,
        "contextKeys": list(notification.context_keys),
    }
