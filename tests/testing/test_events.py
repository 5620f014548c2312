"""Events over the transport: auth, trigger, bulk, broadcast, cancel, the ledger, unknown routes."""

from __future__ import annotations

import httpx
import pytest

from novu_async.testing import FakeNovu, LedgerEntry
from tests.testing.support import AUTH, KEY, api, event, ledger_numbers

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing Authorization header"),
        ({"Authorization": "ApiKey wrong-key"}, "API Key not found"),
        ({"Authorization": f"Bearer {KEY}"}, "API Key not found"),
        ({"Authorization": "ApiKey "}, "API Key not found"),
    ],
)
async def test_requests_without_the_key_get_401_and_do_nothing(
    fake: FakeNovu, headers: dict[str, str], message: str
) -> None:
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.url, headers=headers) as http:
        response = await http.post("/v1/events/trigger", json=event(1))
    assert response.status_code == 401
    body = response.json()
    assert body["statusCode"] == 401
    assert body["path"] == "/v1/events/trigger"
    assert message in body["message"]
    assert KEY not in response.text
    assert "wrong-key" not in response.text
    assert fake.ledger == []
    assert fake.stats.by_status == {401: 1}


async def test_without_a_secret_key_any_api_key_is_accepted() -> None:
    fake = FakeNovu()
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.url) as http:
        accepted = await http.post("/v1/events/trigger", json=event(1), headers={"Authorization": "ApiKey x"})
        refused = await http.post("/v1/events/trigger", json=event(2))
    assert (accepted.status_code, refused.status_code) == (201, 401)


async def test_trigger_answers_in_the_envelope_and_records_the_event(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    sent = {**event(7), "overrides": {"email": {"subject": "hi"}}, "actor": "admin"}
    response = await client.post("/v1/events/trigger", json=sent, headers={"idempotency-key": "k-1"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"data"}
    ack = body["data"]
    assert ack["acknowledged"] is True
    assert ack["status"] == "processed"
    assert fake.ledger == [LedgerEntry(sent, ack["transactionId"], "k-1", 1, "trigger")]
    assert response.headers["idempotency-key"] == "k-1"


async def test_a_given_transaction_id_is_kept(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/events/trigger", json={**event(1), "transactionId": 'tx-"1"'})
    assert response.json()["data"]["transactionId"] == 'tx-"1"'
    assert fake.ledger[0].transaction_id == 'tx-"1"'


async def test_generated_transaction_ids_are_unique_and_follow_the_seed() -> None:
    async def ids(seed: int) -> list[str]:
        fake = FakeNovu(KEY, seed=seed)
        async with api(fake) as http:
            response = await http.post(
                "/v1/events/trigger/bulk", json={"events": [event(n) for n in range(50)]}
            )
        return [ack["transactionId"] for ack in response.json()["data"]]

    first = await ids(1)
    assert len(set(first)) == 50
    assert await ids(1) == first
    assert set(await ids(2)).isdisjoint(first)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"to": "s"}, {"name"}),
        ({"name": "welcome"}, {"to"}),
        ({"name": " ", "to": []}, {"name", "to"}),
        ({"name": "w", "to": "s", "payload": [1], "transactionId": 5}, {"payload", "transactionId"}),
        ([1, 2], {"body"}),
    ],
)
async def test_invalid_trigger_gets_422_listing_the_fields(
    fake: FakeNovu, client: httpx.AsyncClient, body: object, fields: set[str]
) -> None:
    response = await client.post("/v1/events/trigger", json=body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == fields
    assert all(problem["messages"] for problem in errors.values())
    assert fake.ledger == []


async def test_bulk_answers_in_order_and_records_every_event(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    response = await client.post("/v1/events/trigger/bulk", json={"events": [event(n) for n in range(100)]})
    assert response.status_code == 201
    acks = response.json()["data"]
    assert [entry.transaction_id for entry in fake.ledger] == [ack["transactionId"] for ack in acks]
    assert ledger_numbers(fake) == list(range(100))
    assert {entry.kind for entry in fake.ledger} == {"bulk"}
    assert {entry.request for entry in fake.ledger} == {1}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": [event(n) for n in range(101)]}, "events"),
        ({"events": []}, "events"),
        ({}, "events"),
        ({"events": [event(0), {"name": "x"}, event(2)]}, "events.1.to"),
        ({"events": [event(0), "nope"]}, "events.1"),
    ],
)
async def test_invalid_bulk_gets_422_and_records_nothing(
    fake: FakeNovu, client: httpx.AsyncClient, body: object, field: str
) -> None:
    response = await client.post("/v1/events/trigger/bulk", json=body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert fake.ledger == []
    assert fake.summary()["events"] == 0


async def test_broadcast_and_cancel(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    missing = await client.post("/v1/events/trigger/broadcast", json={"name": "news"})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"payload"}
    response = await client.post("/v1/events/trigger/broadcast", json={"name": "news", "payload": {"n": 1}})
    assert response.status_code == 201
    transaction_id = response.json()["data"]["transactionId"]
    assert [(e.kind, e.event["name"]) for e in fake.ledger] == [("broadcast", "news")]

    # the implicit workflow has no delay or digest step: nothing is pending, so nothing to cancel
    # (test_delivery.py cancels delayed and digested work)
    assert (await client.delete(f"/v1/events/trigger/{transaction_id}")).json() == {"data": False}
    assert (await client.delete("/v1/events/trigger/unknown")).json() == {"data": False}
    assert fake.cancelled == frozenset()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/events/trigger"),
        ("PUT", "/v1/events/trigger"),
        ("POST", "/v3/anything"),
        ("GET", "/v2/subscribers/a/b"),
        ("DELETE", "/v1/events/trigger/"),
    ],
)
async def test_unknown_routes_get_404(client: httpx.AsyncClient, method: str, path: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 404
    assert response.json()["message"] == f"Cannot {method} {path}"


async def test_invalid_json_gets_400(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/events/trigger", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400
    assert fake.ledger == []


async def test_stats_reset_and_repr(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await client.post("/v1/events/trigger", json=event(1))
    await client.post("/v1/events/trigger", json={})
    await client.post("/v2/subscribers", json={"subscriberId": "s"})
    assert fake.summary() == {
        "requests": 3,
        "by_status": {"201": 2, "422": 1},
        "replays": 0,
        "conflicts": 0,
        "rate_limited": 0,
        "faults": {},
        "connections": 0,
        "not_implemented": {},
        "events": 1,
        "ignored": 0,
        "pending": 0,
        "subscribers": 2,  # "s", and subscriber-1 of the trigger, delivered before the create
        "topics": 0,
        "messages": 1,
    }
    assert KEY not in repr(fake)
    assert "<redacted>" in repr(fake)
    fake.reset()
    assert fake.ledger == []
    assert fake.subscribers == {}
    assert fake.stats.requests == 0
    assert (await client.post("/v1/events/trigger", json=event(2))).status_code == 201
    assert ledger_numbers(fake) == [2]
    assert fake.ledger[0].request == 1


async def test_admin_endpoints(fake: FakeNovu) -> None:
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.url) as http:
        await http.post("/v1/events/trigger", json=event(1), headers=AUTH)
        stats = (await http.get("/__fake/stats")).json()
        ledger = (await http.get("/__fake/ledger")).json()
        assert (await http.get("/__fake/nothing")).status_code == 404
        assert (await http.post("/__fake/reset")).json() == {"reset": True}
    assert stats["events"] == 1
    assert stats["requests"] == 1
    assert ledger == [
        {
            "event": event(1),
            "transaction_id": ledger[0]["transaction_id"],
            "idempotency_key": None,
            "request": 1,
            "kind": "trigger",
        }
    ]
    assert fake.ledger == []
