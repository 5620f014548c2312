"""Workflows through the API, and what their state, steps and preferences do to triggers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

INBOX = {
    "name": "Inbox",
    "type": "in_app",
    "controlValues": {"subject": "Hi", "body": "Order {{payload.order}}"},
}
MAIL = {
    "name": "Mail",
    "type": "email",
    "controlValues": {"subject": "Receipt {{payload.order}}", "body": "x"},
}


def preferences(enabled: bool = True, read_only: bool = False, **channels: bool) -> dict[str, Any]:
    shown = {channel: {"enabled": value} for channel, value in channels.items()}
    return {"workflow": {"all": {"enabled": enabled, "readOnly": read_only}, "channels": shown}}


async def create(client: httpx.AsyncClient, workflow_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": workflow_id.title(), "workflowId": workflow_id, "steps": [INBOX], **fields}
    response = await client.post("/v2/workflows", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def trigger(client: httpx.AsyncClient, name: str, to: Any = "ada", **extra: Any) -> dict[str, Any]:
    response = await client.post("/v1/events/trigger", json={"name": name, "to": to, **extra})
    assert response.status_code == 201, response.text
    ack: dict[str, Any] = response.json()["data"]
    return ack


async def test_a_created_workflow_is_inactive_until_activated(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    created = await create(client, "orders")
    assert (created["active"], created["status"]) == (False, "INACTIVE")
    assert (await trigger(client, "orders"))["status"] == "trigger_not_active"
    patched = await client.patch("/v2/workflows/orders", json={"active": True})
    assert patched.json()["data"]["status"] == "ACTIVE"
    assert (await trigger(client, "orders", payload={"order": 42}))["status"] == "processed"
    [notification] = fake.inbox("ada")
    assert (notification["subject"], notification["body"]) == ("Hi", "Order 42")
    listed = (await client.get("/v2/workflows")).json()["data"]["workflows"]
    assert listed[0]["lastTriggeredAt"] is not None
    unknown = await client.post("/v1/events/trigger", json={"name": "other", "to": "ada"})
    assert unknown.status_code == 422  # the fake holds workflows now: names are looked up


async def test_steps_are_replaced_by_an_update_and_keep_their_ids(client: httpx.AsyncClient) -> None:
    created = await create(client, "orders", active=True, steps=[INBOX, MAIL])
    inbox = created["steps"][0]
    body = {
        "name": "Orders",
        "steps": [MAIL, {**INBOX, "_id": inbox["_id"]}],
        "preferences": {},
        "origin": "external",
    }
    updated = (await client.put("/v2/workflows/orders", json=body)).json()["data"]
    assert [step["type"] for step in updated["steps"]] == ["email", "in_app"]
    assert updated["steps"][1]["_id"] == inbox["_id"]
    assert updated["steps"][0]["_id"] == created["steps"][1]["_id"]  # same stepId: same step
    step = await client.get(f"/v2/workflows/orders/steps/{inbox['stepId']}")
    assert step.json()["data"]["controlValues"]["body"] == "Order {{payload.order}}"


async def test_workflow_preferences_set_the_channels_defaults(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    await create(client, "digest", active=True, steps=[INBOX, MAIL], preferences=preferences(email=False))
    await create(client, "silent", active=True, steps=[INBOX, MAIL], preferences=preferences(enabled=False))
    await create(
        client, "security", active=True, steps=[INBOX, MAIL], preferences=preferences(read_only=True)
    )
    ada = {"subscriberId": "ada", "email": "ada@example.com"}
    await trigger(client, "digest", ada)
    await trigger(client, "silent", ada)
    assert [(m["templateIdentifier"], m["channel"]) for m in fake.messages("ada")] == [("digest", "in_app")]
    await client.patch(
        "/v2/subscribers/ada/preferences", json={"workflowId": "silent", "channels": {"email": True}}
    )
    await client.patch(
        "/v2/subscribers/ada/preferences", json={"channels": {"in_app": False, "email": False}}
    )
    await trigger(client, "silent", ada)
    await trigger(client, "security", ada)  # read-only preferences: critical, the subscriber's do not count
    sent = [(m["templateIdentifier"], m["channel"]) for m in fake.messages("ada")]
    assert sent[1:] == [("silent", "email"), ("security", "in_app"), ("security", "email")]


async def test_search_filters_orders_and_pages(client: httpx.AsyncClient) -> None:
    for name, tags in (("alpha", ["a"]), ("beta", ["b"]), ("gamma", ["a", "b"])):
        await create(client, name, tags=tags)
    await client.patch("/v2/workflows/beta", json={"active": True})

    async def ids(**query: Any) -> list[str]:
        answer = (await client.get("/v2/workflows", params=query)).json()["data"]
        return [w["workflowId"] for w in answer["workflows"]]

    assert await ids() == ["gamma", "beta", "alpha"]  # newest first
    assert await ids(orderBy="name", orderDirection="ASC", limit=2) == ["alpha", "beta"]
    assert await ids(orderBy="name", orderDirection="ASC", limit=2, offset=2) == ["gamma"]
    assert await ids(tags=["a"]) == ["gamma", "alpha"]
    assert await ids(status=["ACTIVE"]) == ["beta"]
    assert await ids(query="MM") == ["gamma"]
    total = (await client.get("/v2/workflows", params={"limit": 1})).json()["data"]["totalCount"]
    assert total == 3


async def test_deleting_the_last_workflow_brings_implicit_ones_back(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    await create(client, "orders", active=True)
    assert (await client.post("/v1/events/trigger", json={"name": "x", "to": "ada"})).status_code == 422
    assert (await client.delete("/v2/workflows/orders")).status_code == 204
    assert (await client.get("/v2/workflows/orders")).status_code == 404
    assert (await trigger(client, "x"))["status"] == "processed"
    assert fake.workflows["x"].implicit


async def test_a_preview_renders_the_step_with_the_payload_given(client: httpx.AsyncClient) -> None:
    created = await create(client, "orders", steps=[MAIL])
    step = created["steps"][0]["stepId"]
    body = {"previewPayload": {"payload": {"order": 7}}}
    preview = (await client.post(f"/v2/workflows/orders/step/{step}/preview", json=body)).json()["data"]
    assert preview["result"] == {"type": "email", "preview": {"body": "x", "subject": "Receipt 7"}}


async def test_sync_copies_a_workflow_into_another_environment(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    created = await create(client, "orders", steps=[INBOX, MAIL], tags=["shop"])
    production = fake.environments["Production"].id
    synced = await client.put("/v2/workflows/orders/sync", json={"targetEnvironmentId": production})
    assert synced.status_code == 200, synced.text
    copy = synced.json()["data"]
    assert copy["_id"] != created["_id"]
    assert [s["stepId"] for s in copy["steps"]] == [s["stepId"] for s in created["steps"]]
    shown = await client.get("/v2/workflows/orders", params={"environmentId": production})
    assert shown.json()["data"]["_id"] == copy["_id"]
    await client.patch("/v2/workflows/orders", json={"name": "Orders v2"})
    again = (await client.put("/v2/workflows/orders/sync", json={"targetEnvironmentId": production})).json()
    assert (again["data"]["_id"], again["data"]["name"]) == (copy["_id"], "Orders v2")  # updated in place
    assert fake.environments["Production"].workflows["orders"].name == "Orders v2"
    tags = await client.get(f"/v2/environments/{production}/tags")
    assert tags.json()["data"] == [{"name": "shop"}]
    same = await client.put("/v2/workflows/orders/sync", json={"targetEnvironmentId": fake.environment_id})
    assert same.status_code == 400
    assert (await client.get("/v2/workflows", params={"query": "orders"})).json()["data"]["totalCount"] == 1
