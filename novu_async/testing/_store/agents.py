"""Agents, their integration links, and the conversations their replies go into.

An agent is known by its ``identifier`` (unique in the environment); its links point to
integrations the fake holds, at most one link per integration. Conversations start on a chat
platform, which the fake does not have: a test seeds one (``FakeNovu.add_conversation``) for an
agent, an integration and optionally a subscriber, and the agent's replies (``POST
/v1/agents/{agentId}/reply``) are kept in it: messages (edited, deleted, reacted to), metadata,
status, and the activity (tool results, typing, errors) in order. Deleting an agent deletes its
links; its conversations stay, as history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from .._clock import Clock
from .ids import Ids
from .integrations import Integration

__all__ = ["Agent", "AgentLink", "Agents", "Conversation"]


@attrs.define(eq=False)
class AgentLink:
    id: str
    agent_id: str  # the agent's _id
    integration: Integration
    created_at: str
    updated_at: str


@attrs.define(eq=False)
class Agent:
    id: str
    identifier: str
    name: str
    created_at: str
    updated_at: str
    # the rest of AgentResponseDto as given: description, active, behavior, bridgeUrl, devBridgeUrl,
    # devBridgeActive, runtime, managedRuntime
    fields: dict[str, Any] = attrs.Factory(dict)
    links: dict[str, AgentLink] = attrs.Factory(dict)  # link _id -> link, in creation order


@attrs.define(eq=False)
class Conversation:
    id: str
    agent_identifier: str
    integration_identifier: str
    subscriber_id: str | None
    platform_thread_id: str
    status: str = "active"  # "resolved" once a reply resolves it
    summary: str | None = None
    metadata: dict[str, Any] = attrs.Factory(dict)
    messages: list[dict[str, Any]] = attrs.Factory(list)  # {messageId, content, files, edited...}
    activity: list[dict[str, Any]] = attrs.Factory(list)  # {type, ...}: what each reply did, in order

    def view(self) -> dict[str, Any]:
        """What ``FakeNovu.conversations`` shows (a copy)."""
        return {
            "id": self.id,
            "agent": self.agent_identifier,
            "integrationIdentifier": self.integration_identifier,
            "subscriberId": self.subscriber_id,
            "platformThreadId": self.platform_thread_id,
            "status": self.status,
            "summary": self.summary,
            "metadata": dict(self.metadata),
            "messages": [dict(message) for message in self.messages],
            "activity": [dict(item) for item in self.activity],
        }


class Agents:
    """identifier -> ``Agent`` in creation order; ``conversations`` by id."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Agent] = {}
        self.changed: dict[str, int] = {}  # agent or link id -> change counter
        self.conversations: dict[str, Conversation] = {}
        self._changes = 0

    def __iter__(self) -> Iterator[Agent]:
        return iter(self.records.values())

    def by_id(self, agent_id: str) -> Agent | None:
        return next((a for a in self if a.id == agent_id), None)

    def create(self, identifier: str, name: str, fields: dict[str, Any]) -> Agent:
        now = self._clock.iso()
        made = Agent(self._ids.object_id(), identifier, name, now, now, fields=fields)
        self.records[identifier] = made
        self.touch(made)
        return made

    def delete(self, agent: Agent) -> None:
        del self.records[agent.identifier]
        for link in agent.links:
            self.changed.pop(link, None)
        self.changed.pop(agent.id, None)

    def link(self, agent: Agent, integration: Integration) -> AgentLink:
        now = self._clock.iso()
        made = AgentLink(self._ids.object_id(), agent.id, integration, now, now)
        agent.links[made.id] = made
        self.touch(made)
        return made

    def start_conversation(
        self, agent: Agent, integration: str, subscriber_id: str | None, conversation_id: str | None
    ) -> Conversation:
        made_id = conversation_id or self._ids.object_id()
        made = Conversation(made_id, agent.identifier, integration, subscriber_id, f"thread-{made_id}")
        self.conversations[made_id] = made
        return made

    def message_id(self) -> str:
        return f"msg-{self._ids.object_id()}"

    def touch(self, record: Agent | AgentLink) -> None:
        record.updated_at = self._clock.iso()
        self._changes += 1
        self.changed[record.id] = self._changes
