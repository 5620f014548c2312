"""Contexts through the API, and the contexts that triggers and topic subscriptions name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.errors import ConflictError, NotFoundError
from novu_async.funcs.contexts_create import contexts_create
from novu_async.funcs.contexts_delete import contexts_delete
from novu_async.funcs.contexts_list import contexts_list
from novu_async.funcs.contexts_retrieve import contexts_retrieve
from novu_async.funcs.contexts_update import contexts_update
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio


async def data_of(response: httpx.Response) -> Any:
    body = response.json()
    return body["data"] if set(body) == {"data"} else body


async def test_create_read_update_list_delete(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/v2/contexts", json={"type": "tenant", "id": "acme", "data": {"plan": "pro"}}
    )
    assert created.status_code == 201
    context = created.json()  # its own `data` is an object, so Novu's interceptor adds no envelope
    assert (context["type"], context["id"], context["data"]) == ("tenant", "acme", {"plan": "pro"})
    assert fake.contexts["tenant:acme"] == context
    assert (await client.get("/v2/contexts/tenant/acme")).json() == context

    again = await client.post("/v2/contexts", json={"type": "tenant", "id": "acme"})
    assert again.status_code == 409
    assert "tenant" in again.json()["message"]

    updated = (await client.patch("/v2/contexts/tenant/acme", json={"data": {"seats": 3}})).json()
    assert updated["data"] == {"seats": 3}  # the data is replaced, not merged
    assert updated["createdAt"] == context["createdAt"]

    await client.post("/v2/contexts", json={"type": "app", "id": "jira"})
    await client.post("/v2/contexts", json={"type": "tenant", "id": "globex"})
    listing = await data_of(await client.get("/v2/contexts"))
    assert [(c["type"], c["id"]) for c in listing["data"]] == [
        ("tenant", "globex"),
        ("app", "jira"),
        ("tenant", "acme"),
    ]
    assert listing["totalCount"] == 3

    async def ids(**query: Any) -> list[str]:
        return [c["id"] for c in (await data_of(await client.get("/v2/contexts", params=query)))["data"]]

    assert await ids(search="TENANT:") == ["globex", "acme"]
    assert await ids(id="jira") == ["jira"]
    assert await ids(type="tenant", orderDirection="ASC") == ["acme", "globex"]
    await client.patch("/v2/contexts/app/jira", json={"data": {"v": 2}})
    assert await ids(orderBy="updatedAt") == ["jira", "globex", "acme"]  # last changed first
    page = await data_of(await client.get("/v2/contexts", params={"limit": 2}))
    rest = await data_of(await client.get("/v2/contexts", params={"limit": 2, "after": page["next"]}))
    assert [c["id"] for c in rest["data"]] == ["acme"]

    assert (await client.delete("/v2/contexts/tenant/acme")).status_code == 204
    assert "tenant:acme" not in fake.contexts
    for response in (
        await client.get("/v2/contexts/tenant/acme"),
        await client.patch("/v2/contexts/tenant/acme", json={"data": {}}),
        await client.delete("/v2/contexts/tenant/acme"),
    ):
        assert response.status_code == 404


async def test_bad_requests_name_the_field(client: httpx.AsyncClient) -> None:
    cases = [
        ({"id": "acme"}, "type"),
        ({"type": "tenant", "id": "has space"}, "id"),
        ({"type": "t" * 101, "id": "acme"}, "type"),
        ({"type": "tenant", "id": "acme", "data": "plan"}, "data"),
        ({"type": "tenant", "id": "acme", "data": {"blob": "x" * 70_000}}, "data"),
    ]
    for body, field in cases:
        response = await client.post("/v2/contexts", json=body)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], body
    await client.post("/v2/contexts", json={"type": "tenant", "id": "acme"})
    missing = await client.patch("/v2/contexts/tenant/acme", json={})
    assert missing.status_code == 422
    assert "data" in missing.json()["errors"]


async def test_a_trigger_finds_or_creates_its_contexts_and_its_messages_carry_them(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_context("tenant", "acme", {"plan": "pro"})
    fake.add_context("region", "eu", {"dc": "fra"})
    context = {"tenant": "acme", "region": {"id": "eu", "data": {"dc": "ams"}}, "app": {"id": "jira"}}
    response = await client.post(
        "/v1/events/trigger", json={"name": "welcome", "to": "ada", "context": context}
    )
    assert response.status_code == 201
    shown = fake.contexts
    assert set(shown) == {"tenant:acme", "region:eu", "app:jira"}  # app:jira was created
    assert shown["tenant:acme"]["data"] == {"plan": "pro"}  # a bare id leaves the data as it is
    assert shown["region:eu"]["data"] == {"dc": "ams"}  # data given with the id replaces it
    assert shown["app:jira"]["data"] == {}
    keys = ["app:jira", "region:eu", "tenant:acme"]
    [message] = fake.messages("ada")
    assert message["contextKeys"] == keys
    [notification] = fake.notifications()
    assert notification["contextKeys"] == keys
    found = await client.get("/v1/messages", params={"contextKeys": ["tenant:acme", "region:eu", "app:jira"]})
    assert [m["_id"] for m in found.json()["data"]] == [message["_id"]]
    other = await client.get("/v1/messages", params={"contextKeys": ["tenant:acme"]})
    assert other.json()["data"] == []  # the exact set of contexts, not any of them


async def test_a_bad_trigger_context_is_refused_and_creates_nothing(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    for context in (
        {},
        {"tenant": "has space"},
        {"tenant": {"data": {}}},
        {"tenant": {"id": "a", "data": 1}},
    ):
        response = await client.post(
            "/v1/events/trigger", json={"name": "w", "to": "ada", "context": context}
        )
        assert response.status_code == 422, context
        assert "context" in response.json()["errors"]
    assert fake.ledger == []
    assert fake.contexts == {}


async def test_a_broadcast_and_a_topic_subscription_create_their_contexts(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_subscriber("ada")
    body = {"subscriptions": ["ada"], "context": {"tenant": {"id": "acme", "data": {"n": 1}}}}
    made = (await client.post("/v2/topics/news/subscriptions", json=body)).json()["data"]
    assert made[0]["contextKeys"] == ["tenant:acme"]
    assert made[0]["identifier"] == "tk_news:si_ada:ctx_tenant:acme"
    assert fake.contexts["tenant:acme"]["data"] == {"n": 1}
    broadcast = {"name": "news", "payload": {}, "context": {"app": "jira"}}
    assert (await client.post("/v1/events/trigger/broadcast", json=broadcast)).status_code == 201
    assert fake.messages("ada")[0]["contextKeys"] == ["app:jira"]


async def test_the_generated_functions_parse_the_answers(fake: FakeNovu) -> None:
    async with fake.client() as novu:
        created = await contexts_create(novu.core, {"type": "tenant", "id": "acme", "data": {"plan": "pro"}})
        with pytest.raises(ConflictError):
            await contexts_create(novu.core, {"type": "tenant", "id": "acme"})
        updated = await contexts_update(novu.core, "tenant", "acme", {"data": {"plan": "team"}})
        listed = await contexts_list(novu.core, limit=5)
        retrieved = await contexts_retrieve(novu.core, "tenant", "acme")
        await contexts_delete(novu.core, "tenant", "acme")
        with pytest.raises(NotFoundError):
            await contexts_retrieve(novu.core, "tenant", "acme")
    assert (created.type, created.id, created.data) == ("tenant", "acme", {"plan": "pro"})
    assert updated.data == {"plan": "team"}
    assert [c.id for c in listed.data] == ["acme"]
    assert retrieved.data == {"plan": "team"}
