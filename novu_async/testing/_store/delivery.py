"""Novu's worker, plainly: what an accepted trigger causes, run when someone looks.

``settle()`` delivers the events accepted since the last call, in order, then resumes the delayed
work that has fallen due by the fake's clock. For each event: the actor and every subscriber named
in ``to`` are created or updated (a string creates a subscriber with only its id, as Novu does);
topics fan out to their subscribers (minus ``exclude``); a broadcast reaches every subscriber; a
subscriber reached twice gets one notification. Each notification runs its workflow's steps in order:

* a channel step (in_app, email, sms, chat, push) sends one message unless the subscriber's
  preferences turn the channel off (job ``skipped``; critical workflows ignore preferences) or there
  is no address (email without an email address, sms without a phone, push without device tokens,
  chat without a webhook URL: job ``failed``) or no active integration to send it through (see
  ``_store/integrations.py``; job ``failed``). In-app messages make the subscriber's feed; an email's
  body is wrapped in its layout (``_store/layouts.py``);
* a delay step waits ``amount`` ``unit`` (1 hour when not given) by the fake's clock: it is
  ``delayed`` and the steps after it ``pending`` until then;
* a digest step opens a window as long for (workflow, subscriber, the ``digestKey`` value); events for
  the same window that arrive meanwhile are ``merged`` into it and send nothing of their own; when the
  window ends, the steps after the digest run once, for the first event, with the others listed in
  the digest job;
* throttle, custom and http_request steps complete at once and change nothing.

``cancel(transactionId)`` cancels a transaction's delayed and merged work and the steps waiting
behind it (``True``), or finds none (``False``), as Novu's cancel endpoint does.
"""

from __future__ import annotations

import re
from typing import Any, Final, Protocol

from .._clock import Clock
from .._wire import ApiError
from .contexts import Contexts
from .events import Events, Pending
from .ids import Ids
from .inbox import Action, Inbox, Job, Message, Notification
from .preferences import Preferences
from .subscribers import Subscribers, subscriber_fields
from .topics import Topics
from .workflows import CHANNELS, Workflow, Workflows

__all__ = ["Delivery", "Sending", "duration"]

_UNITS: Final = {
    "seconds": 1,
    "minutes": 60,
    "hours": 3600,
    "days": 86400,
    "weeks": 7 * 86400,
    "months": 30 * 86400,
}
_VARIABLE: Final = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")


def duration(controls: dict[str, Any]) -> float:
    """Seconds of a delay or digest step's ``amount`` and ``unit`` (1 hour when either is missing)."""
    amount, unit = controls.get("amount"), controls.get("unit")
    if not isinstance(amount, (int, float)) or unit not in _UNITS:
        return 3600.0
    return float(amount) * _UNITS[unit]


def _lookup(context: dict[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def render(template: Any, context: dict[str, Any]) -> str:
    """``{{ payload.order }}`` and ``{{ subscriber.firstName }}`` filled in (unknown ones: empty)."""
    if not isinstance(template, str):
        return ""
    if "{{" not in template:
        return template
    return _VARIABLE.sub(lambda found: _text(_lookup(context, found[1])), template)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class Sending(Protocol):
    """What a channel step needs besides its subscriber (``_store/sending.py``): the integration that
    sends it, the variables its content may name, and its final body (an email in its layout)."""

    def route(
        self, channel: str, subscriber: dict[str, Any], overrides: dict[str, Any]
    ) -> tuple[str | None, str]:
        """``(providerId, "")``, or ``(None, why it cannot be sent)``."""
        ...

    def variables(self, workflow: Workflow, context: dict[str, Any]) -> dict[str, Any]: ...

    def finish(self, channel: str, controls: dict[str, Any], body: str, context: dict[str, Any]) -> str: ...


class Delivery:
    def __init__(
        self,
        ids: Ids,
        clock: Clock,
        events: Events,
        subscribers: Subscribers,
        topics: Topics,
        workflows: Workflows,
        preferences: Preferences,
        inbox: Inbox,
        sending: Sending | None = None,
        contexts: Contexts | None = None,
    ) -> None:
        self._ids = ids
        self._clock = clock
        self._events = events
        self._subscribers = subscribers
        self._topics = topics
        self._workflows = workflows
        self._preferences = preferences
        self._inbox = inbox
        self._sending = sending
        self._contexts = contexts  # a trigger's `context` finds or creates them (contextKeys)
        self.cancelled: set[str] = set()  # transactions whose pending work a cancel stopped

    def settle(self) -> None:
        """Deliver in time order: before each event, the delayed work due by the time it was
        accepted; after the last, what is due now."""
        for pending in self._events.undelivered():
            self._resume(pending.at)
            self._deliver(pending)
        self._resume(self._clock.now())

    # --- one event

    def _deliver(self, pending: Pending) -> None:
        event = pending.event
        workflow = self._workflows.resolve(event["name"])
        if workflow is None or not workflow.active:  # changed since the trigger was accepted
            return
        actor = self._upsert(event.get("actor"))
        payload = _object(event.get("payload"))
        overrides = _object(event.get("overrides"))
        now = pending.at
        context = event.get("context")
        context_keys = () if context is None or self._contexts is None else self._contexts.resolve(context)
        for subscriber, to, topics in self._recipients(pending, workflow):
            notification = Notification(
                self._ids.object_id(),
                pending.transaction_id,
                workflow,
                subscriber["subscriberId"],
                subscriber["_id"],
                payload,
                overrides,
                to,
                now,
                pending.kind,
                topics=topics,
                actor=actor,
                context_keys=context_keys,
            )
            notification.jobs = [
                Job(self._ids.object_id(), notification, step, "pending", now)
                for step in workflow.steps
                if step.active
            ]
            self._inbox.add_notification(notification)
            self._run(notification, 0, now)

    def _upsert(self, named: Any) -> dict[str, Any] | None:
        """The subscriber a ``to`` item or an actor names, created or updated; None for anything else."""
        if isinstance(named, str) and named:
            record = self._subscribers.get(named)
            return record if record is not None else self._subscribers.create(named, {})
        if isinstance(named, dict) and isinstance(named.get("subscriberId"), str) and named["subscriberId"]:
            try:
                fields = subscriber_fields(named)
            except ApiError:  # a field of the wrong type: the subscriber is still reached
                fields = {}
            record, _ = self._subscribers.upsert(named["subscriberId"], fields)
            channels = named.get("channels")
            if isinstance(channels, list):
                record["channels"] = [*record["channels"], *(c for c in channels if isinstance(c, dict))]
            return record
        return None

    def _recipients(
        self, pending: Pending, workflow: Workflow
    ) -> list[tuple[dict[str, Any], Any, tuple[tuple[str, str], ...]]]:
        """(subscriber, the ``to`` item, topics it came through) per subscriber, each once."""
        reached: dict[str, tuple[dict[str, Any], Any, tuple[tuple[str, str], ...]]] = {}
        if pending.kind == "broadcast":
            for record in list(self._subscribers.records.values()):
                reached[record["subscriberId"]] = (record, {"subscriberId": record["subscriberId"]}, ())
            return list(reached.values())
        to = pending.event.get("to")
        items = to if isinstance(to, list) else [to]
        # subscribers named directly first, then topics' subscribers not reached yet (as Novu does)
        for item in sorted(items, key=lambda item: isinstance(item, dict) and "topicKey" in item):
            if isinstance(item, dict) and "topicKey" in item:
                topic = self._topics.records.get(item["topicKey"])
                if topic is None:
                    continue
                excluded = set(item.get("exclude") or ())
                via = ((topic["_id"], topic["key"]),)
                for subscriber_id in self._topics.subscriber_ids(topic["key"], workflow.workflow_id):
                    member = self._subscribers.get(subscriber_id)
                    if member is not None and subscriber_id not in excluded and subscriber_id not in reached:
                        reached[subscriber_id] = (member, item, via)
                continue
            named = self._upsert(item)
            if named is not None and named["subscriberId"] not in reached:
                shown = item if isinstance(item, dict) else {"subscriberId": item}
                reached[named["subscriberId"]] = (named, shown, ())
        return list(reached.values())

    # --- steps

    def _run(self, notification: Notification, start: int, now: float) -> None:
        """Run the notification's pending jobs from ``start``, at ``now``, until one has to wait."""
        jobs = notification.jobs
        for index in range(start, len(jobs)):
            job = jobs[index]
            if job.status != "pending":
                continue
            kind = job.step.type
            job.updated = now
            if kind in CHANNELS:
                self._send(job, now)
            elif kind == "delay":
                self._wait(job, now + duration(job.step.controls))
                return
            elif kind == "digest":
                key = self._digest_key(job)
                open_digest = self._inbox.digests.get(key)
                if open_digest is not None and open_digest.status == "delayed":
                    job.status = "merged"
                    open_digest.digested.append(notification)
                    for rest in jobs[index + 1 :]:
                        rest.status = "merged"
                    return
                job.digested = [notification]
                self._inbox.digests[key] = job
                self._wait(job, now + duration(job.step.controls))
                return
            else:
                job.status = "completed"

    def _wait(self, job: Job, due: float) -> None:
        job.status = "delayed"
        job.due = due
        self._inbox.wait(job)

    def _digest_key(self, job: Job) -> tuple[str, str, str]:
        notification = job.notification
        path = job.step.controls.get("digestKey")
        value = None
        if isinstance(path, str) and path:
            context = {"payload": notification.payload, **notification.payload}
            value = _lookup(context, path)
        return (notification.workflow.id, notification.subscriber_id, _text(value))

    def _resume(self, until: float) -> None:
        """Run on the delayed jobs due by ``until``, each at the time it fell due."""
        waiting = self._inbox.waiting
        while waiting and (waiting[0].due or 0.0) <= until:
            job = waiting.pop(0)
            if job.status != "delayed":
                continue
            due = job.due or until
            job.status = "completed"
            job.updated = due
            if job.step.type == "digest":
                self._inbox.digests.pop(self._digest_key(job), None)
            notification = job.notification
            self._run(notification, notification.jobs.index(job) + 1, due)

    def _send(self, job: Job, now: float) -> None:
        notification = job.notification
        workflow = notification.workflow
        channel = job.step.type
        subscriber = self._subscribers.get(notification.subscriber_id)
        if subscriber is None:
            job.status, job.detail = "failed", "Subscriber not found"
            return
        if not self._preferences.allows(notification.subscriber_id, workflow, channel):
            job.status, job.detail = (
                "skipped",
                f"Step skipped: {channel} is off in the subscriber's preferences",
            )
            return
        address = _address(subscriber, channel)
        if address is False:
            job.status, job.detail = "failed", f"Subscriber has no {channel} address or credentials"
            return
        provider, why = (
            (None, "")
            if self._sending is None
            else self._sending.route(channel, subscriber, notification.overrides)
        )
        if why:
            job.status, job.detail = "failed", why
            return
        context = {
            "payload": notification.payload,
            "subscriber": subscriber,
            "workflow": {"name": workflow.name},
        }
        if self._sending is not None:
            context = self._sending.variables(workflow, context)
        controls = job.step.controls
        body = render(controls.get("body", workflow.name), context)
        message = Message(
            self._ids.object_id(),
            notification,
            job,
            channel,
            render(controls["subject"], context)
            if "subject" in controls
            else _default_subject(workflow, channel),
            body if self._sending is None else self._sending.finish(channel, controls, body, context),
            now,
            to=address if isinstance(address, str) else None,
            provider_id=provider,
        )
        if channel == "in_app":
            message.avatar = controls.get("avatar") if isinstance(controls.get("avatar"), str) else None
            message.primary = _action(controls.get("primaryAction"), context)
            message.secondary = _action(controls.get("secondaryAction"), context)
            redirect = controls.get("redirect")
            message.redirect = dict(redirect) if isinstance(redirect, dict) and "url" in redirect else None
            data = controls.get("data")
            message.data = dict(data) if isinstance(data, dict) else None
        self._inbox.add_message(message)
        job.message = message
        job.status = "completed"

    # --- cancel

    def cancel(self, transaction_id: str) -> bool:
        notifications = self._inbox.by_transaction.get(transaction_id, [])
        if not any(job.status in ("delayed", "merged") for n in notifications for job in n.jobs):
            return False
        for notification in notifications:
            for job in notification.jobs:
                if job.status not in ("delayed", "merged", "pending"):
                    continue
                if job.status == "delayed" and job.step.type == "digest":
                    self._pass_on(job)
                job.status = "canceled"
            for digest in self._inbox.digests.values():
                if notification in digest.digested and digest.notification is not notification:
                    digest.digested.remove(notification)
        self.cancelled.add(transaction_id)
        return True

    def _pass_on(self, digest: Job) -> None:
        """A cancelled digest's window goes on for the events merged into it: the first of them leads."""
        key = self._digest_key(digest)
        self._inbox.digests.pop(key, None)
        followers = [n for n in digest.digested if n is not digest.notification]
        if not followers:
            return
        leader = followers[0]
        index = next(i for i, job in enumerate(leader.jobs) if job.step.id == digest.step.id)
        job = leader.jobs[index]
        job.digested = followers
        for rest in leader.jobs[index + 1 :]:
            rest.status = "pending"
        self._inbox.digests[key] = job
        self._wait(job, digest.due or self._clock.now())


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _default_subject(workflow: Workflow, channel: str) -> str | None:
    return workflow.name if channel in ("in_app", "email", "push") else None


def _address(subscriber: dict[str, Any], channel: str) -> str | bool:
    """Where a channel's message goes: an address, True (in-app: nowhere else), False (none)."""
    if channel == "in_app":
        return True
    if channel == "email":
        return subscriber.get("email") or False
    if channel == "sms":
        return subscriber.get("phone") or False
    wanted = "deviceTokens" if channel == "push" else "webhookUrl"
    credentials = [c.get("credentials") or {} for c in subscriber.get("channels") or []]
    return any(c.get(wanted) for c in credentials)


def _action(spec: Any, context: dict[str, Any]) -> Action | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
        return None
    redirect = _object(spec.get("redirect"))
    return Action(render(spec["label"], context), redirect.get("url"), redirect.get("target"))
