"""Subscribers over the transport: create (upsert, failIfExists), retrieve, patch, delete, search, bulk."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio


async def create(client: httpx.AsyncClient, subscriber_id: str, **fields: Any) -> httpx.Response:
    return await client.post("/v2/subscribers", json={"subscriberId": subscriber_id, **fields})


async def test_create_retrieve_patch_delete(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    created = await create(client, "ada", firstName="Ada", email="ada@example.com", phone=None)
    assert created.status_code == 201
    subscriber = created.json()["data"]
    assert subscriber["subscriberId"] == "ada"
    assert subscriber["firstName"] == "Ada"
    assert subscriber["phone"] is None
    assert "lastName" not in subscriber
    assert len(subscriber["_id"]) == 24
    assert subscriber["deleted"] is False
    assert fake.subscribers["ada"] == subscriber

    retrieved = await client.get("/v2/subscribers/ada")
    assert retrieved.status_code == 200
    assert retrieved.json() == {"data": subscriber}

    patched = await client.patch("/v2/subscribers/ada", json={"lastName": "Lovelace", "email": None})
    assert patched.status_code == 200
    after = patched.json()["data"]
    assert (after["firstName"], after["lastName"], after["email"]) == ("Ada", "Lovelace", None)
    assert after["createdAt"] == subscriber["createdAt"]
    assert after["_id"] == subscriber["_id"]

    deleted = await client.delete("/v2/subscribers/ada")
    assert deleted.status_code == 200
    assert deleted.json() == {"data": {"acknowledged": True, "status": "deleted"}}
    assert "ada" not in fake.subscribers
    for response in (
        await client.get("/v2/subscribers/ada"),
        await client.patch("/v2/subscribers/ada", json={}),
        await client.delete("/v2/subscribers/ada"),
    ):
        assert response.status_code == 404
        assert "ada" in response.json()["message"]


async def test_a_subscriber_with_custom_data_comes_without_the_envelope(client: httpx.AsyncClient) -> None:
    # Novu's interceptor returns an object whose own `data` is truthy as it is
    body = (await create(client, "s", data={"plan": "pro"})).json()
    assert body["subscriberId"] == "s"
    assert body["data"] == {"plan": "pro"}
    assert (await create(client, "t", data={})).json()["subscriberId"] == "t"  # {} is truthy in JavaScript
    assert (await create(client, "u", data=None)).json()["data"]["subscriberId"] == "u"


async def test_create_again_updates_unless_fail_if_exists(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "ada", firstName="Ada")
    again = await create(client, "ada", lastName="L")
    assert again.status_code == 201
    assert (again.json()["data"]["firstName"], again.json()["data"]["lastName"]) == ("Ada", "L")
    conflict = await client.post("/v2/subscribers?failIfExists=true", json={"subscriberId": "ada"})
    assert conflict.status_code == 409
    assert conflict.json()["message"] == "Subscriber: ada already exists"
    assert "Retry-After" not in conflict.headers  # a business conflict: the SDK must not retry it
    assert len(fake.subscribers) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "subscriberId"),
        ({"subscriberId": "  "}, "subscriberId"),
        ({"subscriberId": "s", "email": 5}, "email"),
    ],
)
async def test_invalid_subscriber_gets_422(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/v2/subscribers", json=body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


async def test_path_parameters_are_percent_decoded(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "user/1 é")
    response = await client.get("/v2/subscribers/user%2F1%20%C3%A9")
    assert response.json()["data"]["subscriberId"] == "user/1 é"


async def search(client: httpx.AsyncClient, **query: Any) -> dict[str, Any]:
    response = await client.get("/v2/subscribers", params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(page: dict[str, Any]) -> list[str]:
    return [s["subscriberId"] for s in page["data"]]


async def test_search_filters(client: httpx.AsyncClient) -> None:
    await create(client, "a", firstName="Ada", lastName="Lovelace", email="ada@x.io", phone="+100")
    await create(client, "b", firstName="Bob", lastName="Lovelace", email="bob@x.io", phone="+200")
    await create(client, "c", firstName="ada", email="c@x.io")
    assert ids(await search(client, email="ada@x.io")) == ["a"]
    assert ids(await search(client, phone="+200")) == ["b"]
    assert ids(await search(client, phone="+20")) == []
    assert ids(await search(client, subscriberId="c")) == ["c"]
    assert ids(await search(client, name="Lovelace", orderDirection="ASC")) == ["a", "b"]
    assert ids(await search(client, name="Ada Lovelace")) == ["a"]  # case-sensitive: not "ada"
    page = await search(client, name="Lovelace", limit=1)
    assert page["totalCount"] == 2
    assert page["totalCountCapped"] is False


async def test_cursor_pagination_forwards_and_backwards(client: httpx.AsyncClient) -> None:
    for n in range(10):
        await create(client, f"s{n}")
    first = await search(client, limit=4)  # newest first by default
    assert ids(first) == ["s9", "s8", "s7", "s6"]
    assert first["previous"] is None
    assert first["next"] == first["data"][-1]["_id"]
    assert first["totalCount"] == 10
    second = await search(client, limit=4, after=first["next"])
    assert ids(second) == ["s5", "s4", "s3", "s2"]
    assert second["previous"] == second["data"][0]["_id"]
    last = await search(client, limit=4, after=second["next"])
    assert ids(last) == ["s1", "s0"]
    assert last["next"] is None
    back = await search(client, limit=4, before=second["previous"])
    assert back["data"] == first["data"]
    assert back["previous"] is None
    assert back["next"] is not None
    with_cursor = await search(client, limit=2, after=first["next"], includeCursor="true")
    assert ids(with_cursor) == ["s6", "s5"]
    ascending = await search(client, limit=3, orderDirection="ASC")
    assert ids(ascending) == ["s0", "s1", "s2"]


async def test_order_by_updated_at(client: httpx.AsyncClient) -> None:
    for name in ("a", "b", "c"):
        await create(client, name)
    await client.patch("/v2/subscribers/a", json={"firstName": "A"})
    assert ids(await search(client, orderBy="updatedAt"))[0] == "a"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "101"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"orderDirection": "UP"}, "orderDirection"),
        ({"orderBy": "email"}, "orderBy"),
        ({"after": "nope"}, "after"),
        ({"after": "a", "before": "b"}, "before"),
    ],
)
async def test_invalid_search_gets_422(client: httpx.AsyncClient, query: dict[str, str], field: str) -> None:
    response = await client.get("/v2/subscribers", params=query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


async def test_bulk_create_upserts(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await create(client, "old", firstName="Old")
    response = await client.post(
        "/v1/subscribers/bulk",
        json={"subscribers": [{"subscriberId": "old", "lastName": "Timer"}, {"subscriberId": "new"}]},
    )
    assert response.status_code == 201
    assert response.json() == {
        "data": {"updated": [{"subscriberId": "old"}], "created": [{"subscriberId": "new"}], "failed": []}
    }
    assert fake.subscribers["old"]["lastName"] == "Timer"
    assert "new" in fake.subscribers
    too_many = await client.post("/v1/subscribers/bulk", json={"subscribers": [{"subscriberId": "x"}] * 501})
    invalid = await client.post("/v1/subscribers/bulk", json={"subscribers": [{"subscriberId": "y"}, {}]})
    assert too_many.status_code == invalid.status_code == 422
    assert "subscribers.1.subscriberId" in invalid.json()["errors"]
    assert set(fake.subscribers) == {"old", "new"}  # all or nothing
