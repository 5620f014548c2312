"""Environments (their API keys, diff and publish between them) and environment variables, which
deliveries render as ``{{env.KEY}}``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu
from tests.testing.support import KEY, Contract

pytestmark = pytest.mark.anyio

VARS = "/v1/environment-variables"


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"] if response.content else None


async def test_create_read_change_delete_and_api_keys(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    listed = await ok(await client.get("/v1/environments"))
    assert [(e["name"], e["type"]) for e in listed] == [("Development", "dev"), ("Production", "prod")]
    assert listed[0]["_id"] == fake.environment_id
    assert listed[1]["_parentId"] == fake.environment_id
    keys = [e["apiKeys"][0]["key"] for e in listed]
    assert len(set(keys)) == 2
    assert KEY not in keys  # made up: the fake never echoes its secret key
    staging = await ok(
        await client.post("/v1/environments", json={"name": "Staging", "color": "#ff0000"}), 201
    )
    assert (staging["type"], staging["_parentId"], staging["color"]) == (None, fake.environment_id, "#ff0000")
    assert staging["apiKeys"][0]["key"] not in keys
    renamed = await ok(await client.put(f"/v1/environments/{staging['_id']}", json={"name": "QA"}))
    assert renamed["name"] == "QA"
    assert fake.environments["QA"].id == staging["_id"]
    taken = await client.put(f"/v1/environments/{staging['_id']}", json={"name": "production"})
    assert taken.status_code == 422
    assert (await client.delete(f"/v1/environments/{fake.environment_id}")).status_code == 400
    assert (await client.delete(f"/v1/environments/{staging['_id']}")).status_code == 200
    assert (await client.put(f"/v1/environments/{staging['_id']}", json={"name": "x"})).status_code == 404
    assert [e["name"] for e in await ok(await client.get("/v1/environments"))] == [
        "Development",
        "Production",
    ]


async def test_publish_copies_deletes_and_skips_and_diff_sees_it(
    fake: FakeNovu, client: httpx.AsyncClient, contract: Contract
) -> None:
    fake.add_layout("brand", body="<html><body>{{content}}</body></html>")
    fake.add_workflow("welcome", steps=["in_app", "email"], tags=["onboarding"])
    fake.add_workflow("receipt", steps=["email"])
    production = fake.environments["Production"].id
    answers = []
    before = await client.post(f"/v2/environments/{production}/diff", json={})
    answers.append(before)
    diff = await ok(before)
    assert [(r["resourceType"], r["changes"][0]["action"]) for r in diff["resources"]] == [
        ("layout", "added"),
        ("workflow", "added"),
        ("workflow", "added"),
    ]
    dry = await client.post(f"/v2/environments/{production}/publish", json={"dryRun": True})
    answers.append(dry)
    assert (await ok(dry))["summary"] == {"resources": 3, "successful": 0, "failed": 0, "skipped": 3}
    assert fake.environments["Production"].workflows == {}
    published = await client.post(f"/v2/environments/{production}/publish", json={})
    answers.append(published)
    results = (await ok(published))["results"]
    assert [[s["action"] for s in r["successful"]] for r in results] == [["created"], ["created", "created"]]
    assert set(fake.environments["Production"].workflows) == {"welcome", "receipt"}
    tags = await ok(await client.get(f"/v2/environments/{production}/tags"))
    assert tags == [{"name": "onboarding"}]
    # change Development: a step moves and another is added, a workflow goes
    fake.add_workflow("welcome", steps=["email", "in_app", "sms"], tags=["onboarding"])
    await client.delete("/v2/workflows/receipt")
    after = await client.post(f"/v2/environments/{production}/diff", json={})
    answers.append(after)
    changed = {
        r["sourceResource"]["id"] if r["sourceResource"] else r["targetResource"]["id"]: r
        for r in (await ok(after))["resources"]
    }
    assert set(changed) == {"welcome", "receipt"}
    assert changed["receipt"]["changes"][0]["action"] == "deleted"
    steps = [(c["action"], c.get("stepType")) for c in changed["welcome"]["changes"][1:]]
    assert ("added", "sms") in steps
    again = await client.post(f"/v2/environments/{production}/publish", json={})
    answers.append(again)
    results = (await ok(again))["results"]
    assert [s["action"] for s in results[1]["successful"]] == ["updated", "deleted"]
    assert results[0]["skipped"][0]["reason"] == "No changes detected"  # the layout did not change
    assert set(fake.environments["Production"].workflows) == {"welcome"}
    problems = [p for answer in answers for p in contract.problems(answer)]
    assert problems == []


async def test_variables_crud_and_what_deliveries_render(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    production = fake.environments["Production"].id
    values = [{"_environmentId": fake.environment_id, "value": "https://dev.example.com"}]
    made = await ok(await client.post(VARS, json={"key": "BASE_URL", "values": values}))
    assert made["values"] == values
    secret = [{"_environmentId": fake.environment_id, "value": "s3cret"}]
    token = await ok(await client.post(VARS, json={"key": "TOKEN", "isSecret": True, "values": secret}))
    assert token["values"][0]["value"] == "••••••••"
    assert (await client.post(VARS, json={"key": "BASE_URL"})).status_code == 409
    prod_value = [{"_environmentId": production, "value": "https://example.com"}]
    merged = await ok(await client.patch(f"{VARS}/BASE_URL", json={"values": prod_value}))
    assert [v["_environmentId"] for v in merged["values"]] == [fake.environment_id, production]
    found = await ok(await client.get(VARS, params={"search": "url"}))
    assert [v["key"] for v in found] == ["BASE_URL"]
    link = {"type": "in_app", "controlValues": {"body": "{{env.BASE_URL}}/orders?t={{ env.TOKEN }}"}}
    fake.add_workflow("orders", steps=[link])
    await client.post("/v1/events/trigger", json={"name": "orders", "to": "ada"})
    assert fake.inbox("ada")[0]["body"] == "https://dev.example.com/orders?t=s3cret"  # Development's values
    usage = await ok(await client.get(f"{VARS}/TOKEN/usage"))
    assert usage == {"workflows": [{"name": "orders", "workflowId": "orders"}]}
    renamed = await ok(await client.patch(f"{VARS}/TOKEN", json={"key": "API_TOKEN"}))
    assert renamed["key"] == "API_TOKEN"
    assert (await client.get(f"{VARS}/TOKEN")).status_code == 404
    assert (await client.delete(f"{VARS}/API_TOKEN")).status_code == 204
    assert (await client.delete(f"{VARS}/API_TOKEN")).status_code == 404
    fake.add_environment_variable("GREETING", "Hello")
    await client.post("/v1/events/trigger", json={"name": "orders", "to": "bob"})
    assert fake.inbox("bob")[0]["body"] == "https://dev.example.com/orders?t="
    assert set(fake.environment_variables) == {"BASE_URL", "GREETING"}
