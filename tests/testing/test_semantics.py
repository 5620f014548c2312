"""Semantics fixed by Novu's documents and server: transactionId de-duplication, the recipient cap,
subscribers from ``to``, trigger statuses, idempotency (empty key, JSON-equal bodies, expiry on the
fake's clock), RateLimit headers on every answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu
from tests.testing.support import KEY, Clock, api, event, ledger_numbers

pytestmark = pytest.mark.anyio


async def trigger(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await client.post("/v1/events/trigger", json=body, headers=headers)


# --- transactionId


async def test_a_repeated_transaction_id_is_answered_and_ignored(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    first = await trigger(client, {**event(1), "transactionId": "tx-1"})
    again = await trigger(client, {**event(2), "transactionId": "tx-1"})
    other = await trigger(client, {**event(3), "transactionId": "tx-2"})
    for response in (first, again, other):
        assert response.status_code == 201
        assert response.json()["data"]["status"] == "processed"
    assert again.json()["data"]["transactionId"] == "tx-1"
    assert ledger_numbers(fake) == [1, 3]  # the second trigger with tx-1 did nothing
    assert len(fake.inbox("subscriber-1")) == 1
    assert fake.inbox("subscriber-2") == []
    assert "subscriber-2" not in fake.subscribers  # not even its recipient was made
    assert fake.summary()["ignored"] == 1


async def test_a_transaction_id_repeated_within_a_bulk_request(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    events = [{**event(n), "transactionId": f"tx-{n % 2}"} for n in range(4)]
    response = await client.post("/v1/events/trigger/bulk", json={"events": events})
    acks = response.json()["data"]
    assert [ack["transactionId"] for ack in acks] == ["tx-0", "tx-1", "tx-0", "tx-1"]
    assert {ack["status"] for ack in acks} == {"processed"}
    assert ledger_numbers(fake) == [0, 1]
    assert [entry.transaction_id for entry in fake.ledger] == ["tx-0", "tx-1"]


async def test_a_transaction_id_of_a_trigger_that_was_not_delivered_is_still_free(fake: FakeNovu) -> None:
    fake.add_workflow("welcome", active=False)
    async with api(fake) as client:
        inactive = await trigger(client, {**event(1), "transactionId": "tx"})
        assert inactive.json()["data"] == {"acknowledged": True, "status": "trigger_not_active"}
        fake.add_workflow("welcome")
        active = await trigger(client, {**event(2), "transactionId": "tx"})
    assert active.json()["data"]["transactionId"] == "tx"
    assert ledger_numbers(fake) == [2]


# --- recipients


async def test_at_most_100_recipients(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    hundred = [f"s{n}" for n in range(100)]
    assert (await trigger(client, {"name": "w", "to": hundred})).status_code == 201
    too_many = await trigger(client, {"name": "w", "to": [*hundred, "s100"]})
    assert too_many.status_code == 422
    assert "no more than 100" in too_many.json()["errors"]["to"]["messages"][0]
    bulk = await client.post(
        "/v1/events/trigger/bulk", json={"events": [{"name": "w", "to": [*hundred, "x"]}]}
    )
    assert bulk.status_code == 422
    assert "events.0.to" in bulk.json()["errors"]
    assert len(fake.ledger) == 1
    assert len(fake.subscribers) == 100


async def test_subscribers_named_in_to_are_created_or_updated(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    await client.post("/v2/subscribers", json={"subscriberId": "ada", "firstName": "Ada", "phone": "+1"})
    to = [
        {"subscriberId": "ada", "lastName": "Lovelace", "email": "ada@example.com"},
        {"subscriberId": "bob", "firstName": "Bob", "data": {"plan": "pro"}},
        "cy",
    ]
    await trigger(client, {"name": "welcome", "to": to, "actor": {"subscriberId": "admin", "firstName": "A"}})
    ada = (await client.get("/v2/subscribers/ada")).json()["data"]
    assert (ada["firstName"], ada["lastName"], ada["email"], ada["phone"]) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
        "+1",
    )
    bob = (await client.get("/v2/subscribers/bob")).json()
    assert (bob["firstName"], bob["data"]) == ("Bob", {"plan": "pro"})
    assert (await client.get("/v2/subscribers/cy")).status_code == 200  # a bare id creates it too
    assert fake.subscribers["admin"]["firstName"] == "A"  # so does the actor


@pytest.mark.parametrize(
    "recipient",
    [{"firstName": "no id"}, {"subscriberId": ""}, {"topicKey": "t"}, {"type": "Topic", "topicKey": ""}, 5],
)
async def test_recipients_that_name_nobody_get_422(client: httpx.AsyncClient, recipient: Any) -> None:
    assert (await trigger(client, {"name": "w", "to": [recipient]})).status_code == 422


# --- trigger status


@pytest.mark.parametrize(
    ("workflow", "status"),
    [
        ({"active": False}, "trigger_not_active"),
        ({"steps": []}, "no_workflow_steps_defined"),
        ({"steps": [{"type": "in_app", "active": False}]}, "no_workflow_active_steps_defined"),
        ({}, "processed"),
    ],
)
async def test_the_status_follows_the_workflow(fake: FakeNovu, workflow: dict[str, Any], status: str) -> None:
    fake.add_workflow("welcome", **workflow)
    async with api(fake) as client:
        answer = (await trigger(client, event(1))).json()["data"]
        bulk = (await client.post("/v1/events/trigger/bulk", json={"events": [event(2)]})).json()["data"]
    assert answer["status"] == bulk[0]["status"] == status
    assert ("transactionId" in answer) is (status == "processed")
    assert len(fake.ledger) == (2 if status == "processed" else 0)
    assert len(fake.messages()) == (2 if status == "processed" else 0)


async def test_an_unknown_workflow_is_refused_once_the_fake_holds_workflows(fake: FakeNovu) -> None:
    async with api(fake) as client:
        assert (await trigger(client, event(1, name="anything"))).status_code == 201  # implicit
        fake.add_workflow("welcome")
        refused = await trigger(client, event(2, name="anything"))
        bulk = await client.post(
            "/v1/events/trigger/bulk", json={"events": [event(3, name="anything"), event(4)]}
        )
        broadcast = await client.post(
            "/v1/events/trigger/broadcast", json={"name": "anything", "payload": {}}
        )
    assert refused.status_code == 422
    assert refused.json()["message"] == "workflow_not_found"
    assert refused.json()["errors"]["name"]["value"] == "anything"
    acks = bulk.json()["data"]
    assert acks[0] == {"acknowledged": True, "status": "error", "error": ["workflow_not_found"]}
    assert acks[1]["status"] == "processed"
    assert broadcast.status_code == 422
    assert ledger_numbers(fake) == [1, 4]


# --- idempotency


async def test_an_empty_idempotency_key_is_no_key(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    first = await trigger(client, event(1), **{"idempotency-key": ""})
    second = await trigger(client, event(1), **{"idempotency-key": ""})
    other = await trigger(client, event(2), **{"idempotency-key": ""})
    assert [r.status_code for r in (first, second, other)] == [201, 201, 201]
    assert "idempotency-replay" not in second.headers
    assert "idempotency-key" not in first.headers
    assert ledger_numbers(fake) == [1, 1, 2]


async def test_bodies_are_compared_as_json(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    keyed = {"idempotency-key": "k", "content-type": "application/json"}
    first = await client.post(
        "/v1/events/trigger", content=b'{"name":"w","to":"s","payload":{"a":1,"b":2}}', headers=keyed
    )
    reordered = await client.post(
        "/v1/events/trigger",
        content=b'{ "payload": {"b": 2, "a": 1},\n "to": "s", "name": "w" }',
        headers=keyed,
    )
    assert reordered.status_code == 201
    assert reordered.headers["idempotency-replay"] == "true"
    assert reordered.content == first.content
    changed = await client.post(
        "/v1/events/trigger", content=b'{"name":"w","to":"s","payload":{"a":1,"b":3}}', headers=keyed
    )
    assert changed.status_code == 422
    number = await client.post(
        "/v1/events/trigger", content=b'{"name":"w","to":"s","payload":{"a":true,"b":2}}', headers=keyed
    )
    assert number.status_code == 422  # true is not 1 in JSON
    assert len(fake.ledger) == 1


async def test_keys_expire_after_24_hours_on_the_fakes_clock() -> None:
    clock = Clock(1_700_000_000.0)
    fake = FakeNovu(KEY, clock=clock)
    async with api(fake) as client:
        keyed = {"idempotency-key": "k"}
        await trigger(client, event(1), **keyed)
        fake.advance(24 * 3600 - 1)
        assert (await trigger(client, event(1), **keyed)).headers["idempotency-replay"] == "true"
        assert (await trigger(client, event(2), **keyed)).status_code == 422
        fake.advance(1)
        fresh = await trigger(client, event(2), **keyed)  # a new request: another body is fine now
    assert fresh.status_code == 201
    assert "idempotency-replay" not in fresh.headers
    assert ledger_numbers(fake) == [1, 2]
    clock.now += 10  # the clock a test gives moves the fake's time too
    assert fake.clock.now() == clock.now + 24 * 3600


async def test_a_key_in_flight_is_released_after_5_minutes(fake: FakeNovu) -> None:
    """A request that never completes (its worker died) must not block its key forever."""
    fake.latency = 3600.0  # answered an hour from now: in flight meanwhile
    answer = fake.respond("POST", "/v1/events/trigger", f"ApiKey {KEY}", "k", b'{"name":"w","to":"s"}')
    fake.latency = 0.0
    async with api(fake) as client:
        assert (
            await trigger(client, {"name": "w", "to": "s"}, **{"idempotency-key": "k"})
        ).status_code == 409
        fake.advance(5 * 60)
        retried = await trigger(client, {"name": "w", "to": "s"}, **{"idempotency-key": "k"})
    assert retried.status_code == 201
    assert "idempotency-replay" not in retried.headers
    answer.complete()


# --- rate limits


async def test_every_answer_carries_generous_rate_limit_headers(client: httpx.AsyncClient) -> None:
    answers = [
        await trigger(client, event(1)),
        await client.post("/v1/events/trigger/bulk", json={"events": [event(2)]}),
        await client.get("/v2/subscribers"),
        await client.get("/v2/topics/missing"),
        await client.get("/v1/messages"),
        await trigger(client, {"name": "w"}),
    ]
    for response in answers:
        assert int(response.headers["ratelimit-limit"]) >= 1_000_000
        assert int(response.headers["ratelimit-remaining"]) > 900_000
        assert response.headers["ratelimit-reset"] == "0"
    assert answers[0].headers["ratelimit-policy"].endswith('category="trigger";cost="single"')
    assert answers[1].headers["ratelimit-policy"].endswith('category="trigger";cost="bulk"')
    assert 'category="configuration"' in answers[2].headers["ratelimit-policy"]
    assert 'category="global"' in answers[4].headers["ratelimit-policy"]


async def test_without_rate_limits_there_are_no_headers() -> None:
    fake = FakeNovu(KEY, rate_limit=None)
    async with api(fake) as client:
        response = await trigger(client, event(1))
    assert response.status_code == 201
    assert "ratelimit-limit" not in response.headers
