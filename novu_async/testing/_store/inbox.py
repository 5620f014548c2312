"""What triggers leave behind: notifications (one per event and subscriber), their jobs (one per
workflow step), and the messages channel steps send (the in-app ones make up the subscriber's feed).

Records are small objects; the groups render them as the API's DTOs (``NotificationFeedItemDto``,
``InboxNotificationDto``, ``MessageResponseDto``, ``ActivityNotificationResponseDto``).
"""

from __future__ import annotations

from typing import Any

import attrs

from .workflows import Step, Workflow

__all__ = ["Action", "Inbox", "Job", "Message", "Notification"]


@attrs.define(eq=False)
class Notification:
    id: str
    transaction_id: str
    workflow: Workflow
    subscriber_id: str  # the subscriber's subscriberId
    subscriber_db_id: str  # its _id
    payload: dict[str, Any]
    overrides: dict[str, Any]
    to: Any  # the recipient as the trigger named it
    created: float
    kind: str  # "trigger", "bulk" or "broadcast"
    topics: tuple[tuple[str, str], ...] = ()  # (topic _id, key) it came through
    jobs: list[Job] = attrs.Factory(list)
    context_keys: tuple[str, ...] = ()
    actor: dict[str, Any] | None = None


@attrs.define(eq=False)
class Job:
    """One step of one notification. ``status``: ``pending`` (waits for an earlier step),
    ``delayed`` (a delay or digest step counting down to ``due``), ``merged`` (folded into another
    notification's digest), ``completed``, ``skipped`` (preferences), ``failed`` (nothing to send
    to), ``canceled``."""

    id: str
    notification: Notification
    step: Step
    status: str
    updated: float
    due: float | None = None
    detail: str = ""
    digested: list[Notification] = attrs.Factory(list)  # a digest's own event first
    message: Message | None = None


@attrs.define(eq=False)
class Action:
    label: str
    url: str | None = None
    target: str | None = None
    completed: bool = False


@attrs.define(eq=False)
class Message:
    id: str
    notification: Notification
    job: Job
    channel: str
    subject: str | None
    body: str
    created: float
    avatar: str | None = None
    primary: Action | None = None
    secondary: Action | None = None
    redirect: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    to: str | None = None  # the address: email, phone
    provider_id: str | None = None  # the integration's provider it went through (None: the channel's default)
    read_at: float | None = None
    first_seen_at: float | None = None
    last_seen_at: float | None = None
    archived_at: float | None = None
    snoozed_until: float | None = None
    action_status: str | None = None  # v1 cta action: pending / done
    action_result: dict[str, Any] | None = None

    @property
    def read(self) -> bool:
        return self.read_at is not None

    @property
    def seen(self) -> bool:
        return self.first_seen_at is not None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def snoozed(self, now: float) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now


class Inbox:
    """Notifications and messages, with the indexes the API's lists need."""

    def __init__(self) -> None:
        self.notifications: dict[str, Notification] = {}
        self.by_transaction: dict[str, list[Notification]] = {}
        self.messages: dict[str, Message] = {}
        self.feeds: dict[str, dict[str, Message]] = {}  # subscriberId -> in-app messages, oldest first
        self.waiting: list[Job] = []  # delayed jobs, in the order they fall due
        # open digests: (workflow _id, subscriberId, digest key value) -> the digest's job
        self.digests: dict[tuple[str, str, str], Job] = {}

    def add_notification(self, notification: Notification) -> None:
        self.notifications[notification.id] = notification
        self.by_transaction.setdefault(notification.transaction_id, []).append(notification)

    def add_message(self, message: Message) -> None:
        self.messages[message.id] = message
        if message.channel == "in_app":
            self.feeds.setdefault(message.notification.subscriber_id, {})[message.id] = message

    def remove_message(self, message: Message) -> None:
        self.messages.pop(message.id, None)
        feed = self.feeds.get(message.notification.subscriber_id)
        if feed is not None:
            feed.pop(message.id, None)

    def feed(self, subscriber_id: str) -> list[Message]:
        """The subscriber's in-app messages, newest first."""
        return list(reversed(self.feeds.get(subscriber_id, {}).values()))

    def wait(self, job: Job) -> None:
        """Keep a delayed job until it falls due (``waiting`` stays sorted by ``due``)."""
        assert job.due is not None
        index = len(self.waiting)
        while index > 0 and (self.waiting[index - 1].due or 0.0) > job.due:
            index -= 1
        self.waiting.insert(index, job)
