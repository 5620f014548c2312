"""Agents: their lifecycle, integration links, and replies into their conversations (and what replies
trigger)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.errors import ConflictError, NotFoundError
from novu_async.funcs.agents_create import agents_create
from novu_async.funcs.agents_integrations_create import agents_integrations_create
from novu_async.funcs.agents_integrations_list import agents_integrations_list
from novu_async.funcs.agents_retrieve import agents_retrieve
from novu_async.funcs.agents_send_reply import agents_send_reply
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def integrations(fake: FakeNovu) -> None:
    """The integrations the agents below link to."""
    fake.add_integration("slack", "chat", identifier="slack-prod")
    fake.add_integration("msteams", "chat", identifier="msteams-prod")


async def create(client: httpx.AsyncClient, identifier: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/v1/agents", json={"name": identifier.title(), "identifier": identifier, **fields}
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["data"]
    return made


async def reply(
    client: httpx.AsyncClient, conversation: str, agent: str = "support", **body: Any
) -> httpx.Response:
    payload = {"conversationId": conversation, "integrationIdentifier": "slack-prod", **body}
    return await client.post(f"/v1/agents/{agent}/reply", json=payload)


async def test_an_agent_lives_and_dies(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    made = await create(client, "support", description="Answers tickets")
    assert (made["active"], made["runtime"], made["integrations"]) == (True, "self-hosted", [])
    assert fake.agents["support"] == made
    assert (await client.get("/v1/agents/support")).json()["data"] == made
    assert (
        await client.post("/v1/agents", json={"name": "Again", "identifier": "support"})
    ).status_code == 409
    for body in (
        {"identifier": "x"},
        {"name": "x"},
        {"name": "x", "identifier": "a b"},
        {"name": "x" * 61, "identifier": "x"},
    ):
        assert (await client.post("/v1/agents", json=body)).status_code == 422, body

    changed = (await client.patch("/v1/agents/support", json={"name": "Helpdesk", "active": False})).json()[
        "data"
    ]
    assert (changed["name"], changed["active"], changed["description"]) == (
        "Helpdesk",
        False,
        "Answers tickets",
    )
    bridge = {
        "bridgeUrl": "https://example.com/bridge",
        "devBridgeUrl": "https://tunnel",
        "devBridgeActive": True,
    }
    bridged = (await client.put("/v1/agents/support/bridge", json=bridge)).json()["data"]
    assert {k: bridged[k] for k in bridge} == bridge

    await create(client, "sales")
    await create(client, "supply")
    names = [a["identifier"] for a in (await client.get("/v1/agents")).json()["data"]]
    assert names == ["supply", "sales", "support"]
    found = (await client.get("/v1/agents", params={"identifier": "SUP"})).json()["data"]
    assert [a["identifier"] for a in found] == ["supply", "support"]

    assert (await client.delete("/v1/agents/support")).status_code == 204
    assert "support" not in fake.agents
    for response in (
        await client.get("/v1/agents/support"),
        await client.patch("/v1/agents/support", json={}),
        await client.put("/v1/agents/support/bridge", json={}),
        await client.delete("/v1/agents/support"),
    ):
        assert response.status_code == 404


async def test_a_managed_agent_keeps_its_runtime(client: httpx.AsyncClient) -> None:
    managed = {"providerId": "anthropic", "integrationId": "int-1", "systemPrompt": "Be kind"}
    made = await create(client, "brain", runtime="managed", managedRuntime=managed)
    runtime = made["managedRuntime"]
    assert (made["runtime"], runtime["providerId"], runtime["systemPrompt"]) == (
        "managed",
        "anthropic",
        "Be kind",
    )
    assert runtime["externalAgentId"].startswith("agent_")
    adopted = {"providerId": "anthropic", "integrationId": "int-1", "externalAgentId": "agent_01Ab"}
    response = await client.post("/v1/agents", json={"runtime": "managed", "managedRuntime": adopted})
    assert response.status_code == 201  # adopting: name and identifier may be left out
    assert response.json()["data"]["identifier"] == "agent-01Ab"
    bare = await client.post("/v1/agents", json={"name": "X", "identifier": "x", "runtime": "managed"})
    assert bare.status_code == 422


async def test_integration_links(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "support")
    base = "/v1/agents/support/integrations"
    first = await client.post(base, json={"integrationIdentifier": "slack-prod"})
    assert first.status_code == 201
    link = first.json()["data"]
    assert (link["integration"]["identifier"], link["integration"]["providerId"]) == ("slack-prod", "slack")
    assert link["connectedAt"] is None
    dedicated = (await client.post(base, json={"providerId": "novu-email-agent"})).json()["data"]
    assert dedicated["integration"]["identifier"] == "novu-email-agent-support"
    assert dedicated["integration"]["channel"] == "email"
    assert (await client.post(base, json={"integrationIdentifier": "slack-prod"})).status_code == 409
    unknown = await client.post(base, json={"integrationIdentifier": "slack-x"})
    assert unknown.status_code == 404  # an integration the fake does not hold
    assert fake.integrations["novu-email-agent-support"].active  # the dedicated one was made
    again = await client.post(base, json={"providerId": "novu-email-agent"})
    assert again.status_code == 409  # the same dedicated integration, already linked

    agent = (await client.get("/v1/agents/support")).json()["data"]
    assert [i["identifier"] for i in agent["integrations"]] == ["slack-prod", "novu-email-agent-support"]
    only = (await client.get(base, params={"integrationIdentifier": "slack-prod"})).json()["data"]
    assert [item["_id"] for item in only] == [link["_id"]]

    path = f"{base}/{link['_id']}"
    clash = await client.patch(path, json={"integrationIdentifier": "novu-email-agent-support"})
    assert clash.status_code == 409
    moved = (await client.patch(path, json={"integrationIdentifier": "msteams-prod"})).json()["data"]
    assert (moved["_id"], moved["integration"]["providerId"]) == (link["_id"], "msteams")
    assert (await client.delete(path)).status_code == 204
    assert (await client.delete(path)).status_code == 404
    assert (await client.patch(path, json={"integrationIdentifier": "x"})).status_code == 404

    await client.delete("/v1/agents/support")
    await create(client, "support")
    assert (await client.get(base)).json()["data"] == []  # deleting the agent deleted its links
    assert (await client.get("/v1/agents/nobody/integrations")).status_code == 404


async def test_replies_go_into_the_conversation(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "support")
    conversation = fake.add_conversation("support", integration="slack-prod", subscriber_id="ada")
    sent = (await reply(client, conversation, reply={"markdown": "Looking into it"})).json()["data"]
    assert sent["platformThreadId"] == fake.conversations[conversation]["platformThreadId"]
    edited = await reply(
        client, conversation, edit={"messageId": sent["messageId"], "content": {"markdown": "Fixed"}}
    )
    assert edited.json()["data"]["messageId"] == sent["messageId"]
    quiet = await reply(
        client,
        conversation,
        addReactions=[{"messageId": sent["messageId"], "emojiName": "thumbsup"}],
        typing={"status": "Checking"},
        toolResults=[{"toolCallId": "call-1", "output": {"ok": True}}],
        signals=[
            {"type": "metadata", "key": "ticket", "value": 42},
            {"type": "metadata", "key": "x", "value": 1},
        ],
    )
    assert quiet.json() == {"data": None}  # nothing was delivered
    await reply(client, conversation, signals=[{"type": "metadata", "action": "delete", "key": "x"}])
    await reply(
        client, conversation, resolve={"summary": "Done"}, deleteMessages=[{"messageId": sent["messageId"]}]
    )

    state = fake.conversations[conversation]
    [message] = state["messages"]
    assert (message["content"], message["edited"], message["deleted"]) == ({"markdown": "Fixed"}, True, True)
    assert message["reactions"] == ["thumbsup"]
    assert (state["status"], state["summary"], state["metadata"]) == ("resolved", "Done", {"ticket": 42})
    kinds = [item["type"] for item in state["activity"]]
    assert kinds == [
        "reply",
        "edit",
        "toolResult",
        "reaction",
        "metadata",
        "typing",
        "metadata",
        "delete",
        "resolve",
    ]


async def test_bad_replies_change_nothing(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "support")
    await create(client, "sales")
    conversation = fake.add_conversation("support")
    cases = [
        (400, {}),  # asks for nothing
        (400, {"error": True, "reply": {"markdown": "x"}}),
        (400, {"edit": {"messageId": "m", "content": {"markdown": "x"}}, "resolve": {}}),
        (422, {"reply": {}}),
        (422, {"reply": {"markdown": "x", "files": [{"filename": "a.txt"}]}}),
        (404, {"edit": {"messageId": "nope", "content": {"markdown": "x"}}}),
        (404, {"addReactions": [{"messageId": "nope", "emojiName": "x"}], "reply": {"markdown": "x"}}),
        (400, {"signals": [{"type": "trigger", "workflowId": "welcome"}]}),  # no subscriber to send to
        (400, {"signals": [{"type": "metadata", "key": "big", "value": "x" * 70_000}]}),
        (422, {"signals": [{"type": "metadata", "key": "has space", "value": 1}]}),
    ]
    for status, body in cases:
        response = await reply(client, conversation, **body)
        assert response.status_code == status, (body, response.text)
    assert (await reply(client, conversation, agent="sales", resolve={})).status_code == 404  # not its own
    assert (await reply(client, "nope", resolve={})).status_code == 404
    assert (await reply(client, conversation, agent="nobody", resolve={})).status_code == 404
    state = fake.conversations[conversation]
    assert (state["messages"], state["activity"], state["metadata"], state["status"]) == (
        [],
        [],
        {},
        "active",
    )
    assert fake.ledger == []
    assert (await reply(client, conversation, error=True)).json() == {"data": None}
    assert fake.conversations[conversation]["activity"] == [{"type": "error"}]


async def test_a_trigger_signal_is_a_trigger(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow(
        "ticket-update", steps=[{"type": "in_app", "controlValues": {"body": "#{{payload.n}}"}}]
    )
    await create(client, "support")
    conversation = fake.add_conversation("support", subscriber_id="ada")
    signals = [
        {
            "type": "trigger",
            "workflowId": "ticket-update",
            "payload": {"n": 7},
        },  # to the conversation's subscriber
        {"type": "trigger", "workflowId": "ticket-update", "to": ["bob"], "payload": {"n": 8}},
    ]
    assert (await reply(client, conversation, signals=signals)).status_code == 200
    assert [(entry.event["to"], entry.kind) for entry in fake.ledger] == [
        ("ada", "trigger"),
        (["bob"], "trigger"),
    ]
    assert [n["body"] for n in fake.inbox("ada")] == ["#7"]
    assert [n["body"] for n in fake.inbox("bob")] == ["#8"]
    unknown = await reply(client, conversation, signals=[{"type": "trigger", "workflowId": "nope"}])
    assert unknown.status_code == 422
    assert "signals.0.workflowId" in unknown.json()["errors"]
    assert len(fake.ledger) == 2


async def test_the_generated_functions_parse_the_answers(fake: FakeNovu) -> None:
    async with fake.client() as novu:
        made = await agents_create(
            novu.core, {"name": "Support", "identifier": "support"}, novu_analytics_source="t"
        )
        with pytest.raises(ConflictError):
            await agents_create(
                novu.core, {"name": "Support", "identifier": "support"}, novu_analytics_source="t"
            )
        link = await agents_integrations_create(novu.core, "support", {"integrationIdentifier": "slack-prod"})
        links = await agents_integrations_list(novu.core, "support")
        conversation = fake.add_conversation("support")
        sent = await agents_send_reply(
            novu.core,
            "support",
            {
                "conversationId": conversation,
                "integrationIdentifier": "slack-prod",
                "reply": {"markdown": "hi"},
            },
        )
        resolved = await agents_send_reply(
            novu.core,
            "support",
            {"conversationId": conversation, "integrationIdentifier": "slack-prod", "resolve": {}},
        )
        again = await agents_retrieve(novu.core, "support")
        with pytest.raises(NotFoundError):
            await agents_retrieve(novu.core, "nobody")
    assert made.identifier == "support"
    assert [item.id for item in links.data] == [link.id]
    assert sent is not None
    assert sent.message_id == fake.conversations[conversation]["messages"][0]["messageId"]
    assert resolved is None
    assert again.integrations is not None
    assert [i.identifier for i in again.integrations] == ["slack-prod"]
