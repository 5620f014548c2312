"""Agents (v1): create, list, retrieve, update, update the bridge, delete; the agent's integration
links: add, list, update, remove. (Replies into an agent's conversations: ``agent_replies``.)

An agent's ``identifier`` is a slug unique in the environment (409). ``runtime: managed`` with a
``managedRuntime`` makes a provider-hosted agent: the fake provisions nothing and makes up the
provider's agent id unless ``externalAgentId`` adopts one (then ``name`` and ``identifier`` may be
left out: they default to that id). A link points the agent to an integration, named by identifier
or, with ``providerId``, a dedicated one made for the agent (``<providerId>-<agent identifier>``);
an integration is linked at most once (409). An identifier the fake holds no integration with is a
404; the dedicated integration is created (active) when the fake does not hold it yet. Deleting an
agent deletes its links; routes that point to it stay.
"""

from __future__ import annotations

import re
from typing import Any, Final

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.agents import Agent, AgentLink
from .._store.integrations import Integration, channel_of
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found
from .channel_connections import integration

__all__ = ["agent_view", "find_agent", "group"]

group = Group("Agents", CONFIGURATION)

MAX_NAME: Final = 60
_SLUG: Final = re.compile(r"^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$")
_RUNTIMES: Final = ("self-hosted", "managed")
_MANAGED_PROVIDERS: Final = ("anthropic", "novu-anthropic", "anthropic-aws")
_TEXT: Final = ("description", "bridgeUrl", "devBridgeUrl")


def find_agent(state: State, identifier: str) -> Agent:
    found = state.agents.records.get(identifier)
    if found is None:
        raise not_found(f'Agent with identifier "{identifier}" was not found.')
    return found


def _summary(ref: Integration) -> dict[str, Any]:
    """``AgentIntegrationSummaryDto``."""
    shown = {
        "integrationId": ref.id,
        "providerId": ref.provider_id,
        "name": ref.name,
        "identifier": ref.identifier,
        "active": ref.active,
    }
    if ref.channel is not None:
        shown["channel"] = ref.channel
    return shown


def agent_view(state: State, agent: Agent) -> dict[str, Any]:
    """``AgentResponseDto``."""
    shown: dict[str, Any] = {
        "_id": agent.id,
        "name": agent.name,
        "identifier": agent.identifier,
        "active": agent.fields.get("active", True),
        "runtime": agent.fields.get("runtime", "self-hosted"),
        "visibility": "public",
        "_environmentId": state.ids.environment_id,
        "_organizationId": state.ids.organization_id,
        "createdAt": agent.created_at,
        "updatedAt": agent.updated_at,
        "integrations": [_summary(link.integration) for link in agent.links.values()],
    }
    for name in (*_TEXT, "devBridgeActive", "managedRuntime"):
        if agent.fields.get(name) is not None:
            shown[name] = agent.fields[name]
    # Novu resolves unset behaviour: acknowledged, and unknown senders let in by managed agents only
    access = "open" if shown["runtime"] == "managed" else "restricted"
    shown["behavior"] = {
        "acknowledgeOnReceived": True,
        "subscriberAccess": access,
        **agent.fields.get("behavior", {}),
    }
    return shown


def _link_view(state: State, link: AgentLink) -> dict[str, Any]:
    """``AgentIntegrationResponseDto``."""
    ref = link.integration
    embedded = {k: v for k, v in _summary(ref).items() if k != "integrationId"}
    return {
        "_id": link.id,
        "_agentId": link.agent_id,
        "integration": {"_id": ref.id, **embedded},
        "_environmentId": state.ids.environment_id,
        "_organizationId": state.ids.organization_id,
        "connectedAt": None,
        "createdAt": link.created_at,
        "updatedAt": link.updated_at,
    }


def _behavior(fields: Fields) -> dict[str, Any] | None:
    given = fields.inner("behavior")
    if given is None:
        return None
    given.flag("acknowledgeOnReceived")
    given.choice("subscriberAccess", ("open", "restricted"))
    reaction = given.body.get("reactionOnResolved")
    if reaction is not None and not isinstance(reaction, str):
        raise ApiError.invalid(
            "behavior.reactionOnResolved", "reactionOnResolved must be an emoji name or null", None
        )
    return dict(given.body)


def _changes(fields: Fields, bridge_only: bool = False) -> dict[str, Any]:
    """The fields an update (or a bridge update) sets, checked."""
    found: dict[str, Any] = {}
    if not bridge_only:
        name = fields.text("name", min_length=1, max_length=MAX_NAME)
        if name is not None:
            found["name"] = name
        description = fields.text("description")
        if description is not None:
            found["description"] = description
        active = fields.flag("active")
        if active is not None:
            found["active"] = active
        behavior = _behavior(fields)
        if behavior is not None:
            found["behavior"] = behavior
    for name in ("bridgeUrl", "devBridgeUrl"):
        url = fields.text(name)
        if url is not None:
            found[name] = url
    dev_active = fields.flag("devBridgeActive")
    if dev_active is not None:
        found["devBridgeActive"] = dev_active
    return found


def _managed(state: State, fields: Fields) -> dict[str, Any] | None:
    """``managedRuntime`` checked, as the response shows it."""
    given = fields.inner("managedRuntime")
    if given is None:
        return None
    provider = given.choice("providerId", _MANAGED_PROVIDERS, required=True)
    integration_id = given.text("integrationId", required=True)
    external = given.text("externalAgentId") or f"agent_{state.ids.object_id()}"
    for name in ("externalEnvironmentId", "model", "systemPrompt"):
        given.text(name)
    given.strings("tools")
    given.strings("mcpServers")
    for index, skill in enumerate(given.array("skills") or ()):
        inner = Fields(skill, f"managedRuntime.skills.{index}.")
        inner.choice("type", ("anthropic", "custom"), required=True)
        inner.text("skillId", required=True)
    shown = {"providerId": provider, "integrationId": integration_id, "externalAgentId": external}
    for name in ("externalEnvironmentId", "systemPrompt"):
        if given.body.get(name) is not None:
            shown[name] = given.body[name]
    return shown


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-") or "agent"


@group.operation("AgentsController_createAgent")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    runtime = fields.choice("runtime", _RUNTIMES)
    managed = _managed(state, fields)
    if runtime == "managed" and managed is None:
        raise ApiError.invalid("managedRuntime", "managedRuntime should not be empty when runtime is managed")
    adopting = managed is not None and fields.body["managedRuntime"].get("externalAgentId") is not None
    name = fields.text("name", required=not adopting, min_length=1, max_length=MAX_NAME)
    identifier = fields.text("identifier", required=not adopting, min_length=1)
    if managed is not None and name is None:
        name = managed["externalAgentId"]
    assert name is not None
    identifier = identifier or _slug(name)
    if not _SLUG.match(identifier):
        raise ApiError.invalid(
            "identifier",
            "identifier must be a valid slug format (letters, numbers, hyphens, dot and underscores only)",
            identifier,
        )
    extra: dict[str, Any] = {}
    description, active = fields.text("description"), fields.flag("active")
    if description is not None:
        extra["description"] = description
    if active is not None:
        extra["active"] = active
    if state.agents.records.get(identifier) is not None:
        raise conflict(f'An agent with identifier "{identifier}" already exists in this environment.')
    extra["runtime"] = runtime or ("managed" if managed is not None else "self-hosted")
    if managed is not None:
        extra["managedRuntime"] = managed
    return 201, agent_view(state, state.agents.create(identifier, name, extra))


@group.operation("AgentsController_listAgents")
def list_agents(state: State, call: Call) -> Result:
    wanted = (Args(call).text("identifier") or "").lower()
    changed = state.agents.changed
    return 200, cursor_page(
        call,
        state.agents,
        cursor=lambda agent: agent.id,
        changed=lambda agent: changed[agent.id],
        keep=lambda agent: wanted in agent.identifier.lower(),
        render=lambda agent: agent_view(state, agent),
    )


@group.operation("AgentsController_getAgent")
def get(state: State, call: Call) -> Result:
    return 200, agent_view(state, find_agent(state, call.params["identifier"]))


def _update(state: State, call: Call, bridge_only: bool) -> Result:
    agent = find_agent(state, call.params["identifier"])
    changes = _changes(Fields(call.body), bridge_only)
    if "name" in changes:
        agent.name = changes.pop("name")
    agent.fields.update(changes)
    state.agents.touch(agent)
    return 200, agent_view(state, agent)


@group.operation("AgentsController_updateAgent")
def update(state: State, call: Call) -> Result:
    return _update(state, call, bridge_only=False)


@group.operation("AgentsController_updateAgentBridge")
def update_bridge(state: State, call: Call) -> Result:
    return _update(state, call, bridge_only=True)


@group.operation("AgentsController_deleteAgent")
def delete(state: State, call: Call) -> Result:
    Args(call).choice("deleteFromProvider", ("true", "false"))
    state.agents.delete(find_agent(state, call.params["identifier"]))
    return 204, NO_BODY


# --- integration links


def _link(state: State, call: Call) -> tuple[Agent, AgentLink]:
    agent = find_agent(state, call.params["identifier"])
    found = agent.links.get(call.params["agentIntegrationId"])
    if found is None:
        raise not_found(f"Agent integration link {call.params['agentIntegrationId']} was not found.")
    return agent, found


def _already_linked(agent: Agent, ref: Integration, other_than: AgentLink | None = None) -> None:
    if any(link.integration.id == ref.id and link is not other_than for link in agent.links.values()):
        raise conflict("This integration is already linked to the agent.")


def _dedicated(state: State, agent: Agent, provider: str) -> Integration:
    """The integration made for this agent and provider (``<providerId>-<agent identifier>``)."""
    identifier = f"{provider}-{agent.identifier}"
    found = state.integrations.by_identifier(identifier)
    if found is None:
        channel = channel_of(provider)
        found = state.integrations.create(
            provider,
            channel,
            identifier=identifier,
            active=True,
            kind="delivery" if channel is not None else "agent",
        )
    return found


@group.operation("AgentIntegrationsController_addAgentIntegration")
def add_integration(state: State, call: Call) -> Result:
    agent = find_agent(state, call.params["identifier"])
    fields = Fields(call.body)
    identifier = fields.text("integrationIdentifier", min_length=1)
    provider = fields.text("providerId", min_length=1)
    if identifier is None and provider is None:
        raise ApiError.invalid("integrationIdentifier", "give an integrationIdentifier or a providerId")
    if identifier is not None:
        ref = integration(state, identifier)
    else:
        assert provider is not None
        ref = _dedicated(state, agent, provider)
    _already_linked(agent, ref)
    return 201, _link_view(state, state.agents.link(agent, ref))


@group.operation("AgentIntegrationsController_listAgentIntegrations")
def list_integrations(state: State, call: Call) -> Result:
    agent = find_agent(state, call.params["identifier"])
    wanted = Args(call).text("integrationIdentifier")
    changed = state.agents.changed
    return 200, cursor_page(
        call,
        agent.links.values(),
        cursor=lambda link: link.id,
        changed=lambda link: changed[link.id],
        keep=None if wanted is None else (lambda link: link.integration.identifier == wanted),
        render=lambda link: _link_view(state, link),
    )


@group.operation("AgentIntegrationsController_updateAgentIntegration")
def update_integration(state: State, call: Call) -> Result:
    agent, link = _link(state, call)
    identifier: str = Fields(call.body).text("integrationIdentifier", required=True)
    ref = integration(state, identifier)
    _already_linked(agent, ref, other_than=link)
    link.integration = ref
    state.agents.touch(link)
    return 200, _link_view(state, link)


@group.operation("AgentIntegrationsController_removeAgentIntegration")
def remove_integration(state: State, call: Call) -> Result:
    agent, link = _link(state, call)
    del agent.links[link.id]
    state.agents.changed.pop(link.id, None)
    return 204, NO_BODY
