"""What a test can see and set on a FakeNovu without going through HTTP: ``FakeNovu`` inherits these.

Reads deliver the accepted triggers first, so they show what a request would show. Records come as
the API returns them (plain dicts), workflows as ``Workflow`` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from ._clock import Clock
from ._groups._views import inbox_notification, message_view, notification_view
from ._groups.agents import agent_view
from ._groups.channel_connections import connection_view
from ._groups.channel_endpoints import endpoint_view
from ._groups.contexts import context_view
from ._groups.domains import domain_view
from ._store import LedgerEntry, State
from ._store.contexts import valid_part
from ._store.environments import Environment
from ._store.integrations import Integration
from ._store.layouts import Layout
from ._store.subscribers import subscriber_fields
from ._store.translations import LOCALE, RESOURCE_TYPES
from ._store.variables import Variable
from ._store.workflows import Workflow

__all__ = ["Holdings"]


class Holdings:
    """Inspect, seed and move time (mixed into ``FakeNovu``)."""

    _state: State
    _clock: Clock

    # --- time

    @property
    def clock(self) -> Clock:
        """The fake's time (timestamps, idempotency keys, delays and digests go by it)."""
        return self._clock

    def advance(self, seconds: float) -> None:
        """Move the fake's time forward: keys expire, delayed steps and digests fall due (they run
        at the next request or read)."""
        self._clock.advance(seconds)

    # --- what it holds

    @property
    def environment_id(self) -> str:
        return self._state.ids.environment_id

    @property
    def organization_id(self) -> str:
        return self._state.ids.organization_id

    def deliver(self) -> None:
        """Deliver the triggers accepted so far and run the delayed work now due (reads do it too)."""
        self._state.settle()

    @property
    def ledger(self) -> Sequence[LedgerEntry]:
        """Every event accepted for delivery once, in acceptance order (live: do not modify). Events
        ignored for a repeated transactionId, or answered with another status than ``processed``,
        are not in it."""
        return self._state.events.ledger

    @property
    def subscribers(self) -> Mapping[str, Mapping[str, Any]]:
        """subscriberId -> the subscriber as the API returns it (a live, read-only view)."""
        self._state.settle()
        return MappingProxyType(self._state.subscribers.records)

    @property
    def topics(self) -> Mapping[str, Mapping[str, Any]]:
        """key -> the topic as the API returns it (a live, read-only view)."""
        self._state.settle()
        return MappingProxyType(self._state.topics.records)

    def topic_subscribers(self, key: str) -> list[str]:
        """The subscriberIds subscribed to a topic, in subscription order."""
        self._state.settle()
        return self._state.topics.subscriber_ids(key)

    @property
    def workflows(self) -> Mapping[str, Workflow]:
        """workflowId -> workflow, the held ones and the implicit ones (``Workflow.implicit``)."""
        return MappingProxyType({w.workflow_id: w for w in self._state.workflows.all()})

    @property
    def cancelled(self) -> frozenset[str]:
        """Transaction ids whose pending (delayed, digested) work a cancel stopped."""
        return frozenset(self._state.delivery.cancelled)

    def messages(
        self, subscriber_id: str | None = None, *, channel: str | None = None
    ) -> list[dict[str, Any]]:
        """Messages sent (``MessageResponseDto``), oldest first; of one subscriber, of one channel."""
        self._state.settle()
        return [
            message_view(self._state, m)
            for m in self._state.inbox.messages.values()
            if (subscriber_id is None or m.notification.subscriber_id == subscriber_id)
            and (channel is None or m.channel == channel)
        ]

    def inbox(self, subscriber_id: str) -> list[dict[str, Any]]:
        """A subscriber's in-app notifications as the v2 Inbox shows them, newest first."""
        self._state.settle()
        return [inbox_notification(self._state, m) for m in self._state.inbox.feed(subscriber_id)]

    def notifications(self, transaction_id: str | None = None) -> list[dict[str, Any]]:
        """Notifications with their jobs (``ActivityNotificationResponseDto``), oldest first."""
        self._state.settle()
        inbox = self._state.inbox
        found = (
            inbox.notifications.values()
            if transaction_id is None
            else inbox.by_transaction.get(transaction_id, [])
        )
        return [notification_view(self._state, n) for n in found]

    # --- seeding

    def add_subscriber(self, subscriber_id: str, **fields: Any) -> dict[str, Any]:
        """Create or update a subscriber (``firstName=``, ``email=``, ``data=``...), as POST
        /v2/subscribers would; returns it."""
        self._state.settle()
        record, _ = self._state.subscribers.upsert(subscriber_id, subscriber_fields(fields))
        return record

    def add_topic(self, key: str, name: str | None = None, subscribers: Iterable[str] = ()) -> dict[str, Any]:
        """Create a topic (or keep the one with that key) and subscribe existing or new subscribers."""
        self._state.settle()
        topics = self._state.topics
        record = topics.records.get(key) or topics.create(key, name)
        for subscriber_id in subscribers:
            if self._state.subscribers.get(subscriber_id) is None:
                self._state.subscribers.create(subscriber_id, {})
            topics.subscribe(key, subscriber_id, None)
        return record

    def add_workflow(
        self,
        workflow_id: str,
        *,
        steps: Iterable[str | Mapping[str, Any]] = ("in_app",),
        name: str | None = None,
        active: bool = True,
        critical: bool = False,
        tags: Iterable[str] = (),
        severity: str = "none",
        channels: Mapping[str, bool] | None = None,
        translations: bool = False,
    ) -> Workflow:
        """Hold a workflow (replacing one with that id). Steps are step types (``"email"``) or step
        objects as the API takes them: ``{"type": "delay", "controlValues": {"amount": 5, "unit":
        "minutes"}}``, ``{"type": "in_app", "controlValues": {"subject": "Hi {{subscriber.firstName}}",
        "body": "Order {{payload.order}}"}}``. ``channels`` are its default channel preferences;
        ``translations=True`` renders ``{{t.key}}`` with its translations (``add_translation``). Once
        the fake holds a workflow, triggers of names it does not hold get ``workflow_not_found``."""
        self._state.settle()  # what was accepted before goes by the workflows it was accepted with
        workflows = self._state.workflows
        made = workflows.make(
            workflow_id,
            name=name,
            steps=steps,
            active=active,
            critical=critical,
            tags=tags,
            severity=severity,
            channels=channels,
            extra={"isTranslationEnabled": True} if translations else None,
        )
        return workflows.hold(made)

    # --- layouts, translations, integrations, environments and their variables

    @property
    def layouts(self) -> Mapping[str, Layout]:
        """layoutId -> layout (``Layout``: ``name``, ``is_default``, ``controls``, ``body``)."""
        return MappingProxyType(self._state.layouts.records)

    def add_layout(
        self, layout_id: str, *, name: str | None = None, body: str | None = None, translations: bool = False
    ) -> Layout:
        """Hold a layout, or change the one with that id; the first one is the default, which email
        steps without a ``layoutId`` control use. ``body`` is its email HTML, with ``{{content}}``
        where a step's body goes."""
        self._state.settle()
        controls = {} if body is None else {"email": {"body": body, "editorType": "html"}}
        layouts = self._state.layouts
        found = layouts.records.get(layout_id)
        if found is None:
            return layouts.create(layout_id, name or layout_id, translations=translations, controls=controls)
        found.name, found.translations, found.controls = name or found.name, translations, controls
        layouts.touch(found)
        return found

    def translations(self, resource_id: str, *, resource_type: str = "workflow") -> dict[str, dict[str, Any]]:
        """locale -> the texts a workflow (or a layout) has."""
        group = self._state.translations.group(resource_type, resource_id) or {}
        return {locale: dict(t.content) for locale, t in group.items()}

    def add_translation(
        self, resource_id: str, locale: str, content: Mapping[str, Any], *, resource_type: str = "workflow"
    ) -> None:
        """Set a workflow's (or a layout's) texts for a locale (``en_US``): ``{{t.key}}`` in its steps
        renders them for subscribers of that locale once the workflow has translations enabled."""
        if resource_type not in RESOURCE_TYPES or not LOCALE.match(locale):
            raise ValueError(f"resource_type must be one of {RESOURCE_TYPES} and locale like en_US")
        self._state.settle()
        self._state.translations.put(resource_type, resource_id, locale, dict(content))

    @property
    def integrations(self) -> Mapping[str, Integration]:
        """identifier -> integration, Novu's defaults first (``novu``, ``novu-email``, ``novu-sms``)."""
        return MappingProxyType({i.identifier: i for i in self._state.integrations.records.values()})

    def add_integration(
        self,
        provider_id: str,
        channel: str,
        *,
        identifier: str | None = None,
        name: str | None = None,
        active: bool = True,
        primary: bool = False,
        credentials: Mapping[str, Any] | None = None,
    ) -> Integration:
        """Hold an integration (active unless ``active=False``); ``primary=True`` makes it the one
        its channel's messages (email, SMS) go through."""
        self._state.settle()
        integrations = self._state.integrations
        made = integrations.create(
            provider_id,
            channel,
            name=name,
            identifier=identifier,
            active=active,
            credentials=dict(credentials or {}),
        )
        if primary:
            integrations.make_primary(made)
        return made

    @property
    def environments(self) -> Mapping[str, Environment]:
        """name -> environment: Development (the fake's own), Production, and those created."""
        return MappingProxyType({e.name: e for e in self._state.environments.records.values()})

    def add_environment(self, name: str, *, color: str | None = None) -> Environment:
        """Create an environment (its parent is Development)."""
        environments = self._state.environments
        if environments.by_name(name) is not None:
            raise ValueError(f"an environment named {name!r} exists")
        return environments.create(name, color, environments.own.id)

    @property
    def environment_variables(self) -> Mapping[str, Variable]:
        """key -> variable (``values``: environment _id -> value)."""
        return MappingProxyType(self._state.variables.records)

    def add_environment_variable(
        self, key: str, value: str | None = None, *, secret: bool = False
    ) -> Variable:
        """Create or change a variable; ``value`` is the Development environment's, which
        ``{{env.KEY}}`` in step controls renders."""
        self._state.settle()
        variables = self._state.variables
        values = {} if value is None else {self._state.ids.environment_id: value}
        found = variables.records.get(key)
        if found is None:
            return variables.create(key, values, secret=secret)
        found.values.update(values)
        found.secret = secret
        variables.touch(found)
        return found

    # --- contexts, channel connections and endpoints, domains, agents

    @property
    def contexts(self) -> Mapping[str, Mapping[str, Any]]:
        """``type:id`` -> the context as the API returns it (a snapshot). Triggers, topic
        subscriptions and channel connections or endpoints that name contexts create them."""
        self._state.settle()
        return MappingProxyType({c.key: context_view(c) for c in self._state.contexts})

    def add_context(
        self, kind: str, identifier: str, data: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Create a context (or replace an existing one's data) as POST /v2/contexts would."""
        self._state.settle()
        contexts = self._state.contexts
        found = contexts.get(kind, identifier)
        if found is None:
            if not valid_part(kind) or not valid_part(identifier):
                raise ValueError("a context's type and id are 1-100 letters, digits, - or _")
            found = contexts.create(kind, identifier, data)
        elif data is not None:
            contexts.update(found, data)
        return context_view(found)

    @property
    def channel_connections(self) -> Mapping[str, Mapping[str, Any]]:
        """identifier -> the channel connection as the API returns it (a snapshot)."""
        return MappingProxyType({k: connection_view(c) for k, c in self._state.channels.connections.items()})

    @property
    def channel_endpoints(self) -> Mapping[str, Mapping[str, Any]]:
        """identifier -> the channel endpoint as the API returns it (a snapshot)."""
        return MappingProxyType({k: endpoint_view(e) for k, e in self._state.channels.endpoints.items()})

    @property
    def domains(self) -> Mapping[str, Mapping[str, Any]]:
        """name -> the domain as the API returns it (a snapshot)."""
        return MappingProxyType({d.name: domain_view(self._state, d) for d in self._state.domains})

    def set_mx_record(self, domain: str, configured: bool = True) -> None:
        """What the fake's DNS answers for a domain: whether its MX record points to the fake's mail
        host (the next verify sets the status from it). Unknown domains are a ``KeyError``."""
        found = self._state.domains.find(domain)
        if found is None:
            raise KeyError(domain)
        found.mx_record = configured

    @property
    def inbound_mail(self) -> Sequence[Mapping[str, Any]]:
        """What domain route tests delivered (not dry runs), oldest first: ``{domain, route, mail,
        type, agentId}``."""
        return tuple(self._state.domains.deliveries)

    @property
    def agents(self) -> Mapping[str, Mapping[str, Any]]:
        """identifier -> the agent as the API returns it (a snapshot)."""
        return MappingProxyType({a.identifier: agent_view(self._state, a) for a in self._state.agents})

    def add_conversation(
        self,
        agent: str,
        *,
        integration: str = "slack",
        subscriber_id: str | None = None,
        conversation_id: str | None = None,
    ) -> str:
        """Start a conversation with an agent (an agent identifier the fake holds) on an integration,
        with a subscriber (created when missing) or none; its id, for the agent's replies."""
        self._state.settle()
        found = self._state.agents.records.get(agent)
        if found is None:
            raise KeyError(agent)
        if subscriber_id is not None and self._state.subscribers.get(subscriber_id) is None:
            self._state.subscribers.create(subscriber_id, {})
        agents = self._state.agents
        return agents.start_conversation(found, integration, subscriber_id, conversation_id).id

    @property
    def conversations(self) -> Mapping[str, Mapping[str, Any]]:
        """id -> an agent conversation: ``{id, agent, integrationIdentifier, subscriberId,
        platformThreadId, status, summary, metadata, messages, activity}`` (a snapshot)."""
        return MappingProxyType({k: c.view() for k, c in self._state.agents.conversations.items()})
