"""Novu's idempotency over the transport: replay, another body, in flight, key length, methods."""

from __future__ import annotations

import anyio
import httpx
import pytest

from novu_async._retry import is_in_flight_conflict
from novu_async.testing import FakeNovu
from tests.testing.support import event, ledger_numbers

pytestmark = pytest.mark.anyio


async def test_same_key_and_body_replays_the_stored_answer(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    first = await client.post(
        "/v1/events/trigger/bulk", json={"events": [event(1), event(2)]}, headers={"idempotency-key": "k"}
    )
    again = await client.post(
        "/v1/events/trigger/bulk", json={"events": [event(1), event(2)]}, headers={"idempotency-key": "k"}
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert "idempotency-replay" not in first.headers
    assert again.headers["idempotency-replay"] == "true"
    assert again.headers["idempotency-key"] == "k"
    assert ledger_numbers(fake) == [1, 2]
    assert fake.stats.replays == 1


async def test_same_key_with_another_body_gets_422(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    other = await client.post("/v1/events/trigger", json=event(2), headers={"idempotency-key": "k"})
    assert other.status_code == 422
    assert "being reused for a different body" in other.json()["message"]
    assert other.headers["link"].startswith("https://docs.novu.co/")
    assert ledger_numbers(fake) == [1]


async def test_same_key_while_in_flight_gets_409_with_retry_after(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.latency = 0.1
    answers: list[httpx.Response] = []

    async def send() -> None:
        answers.append(
            await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
        )

    async with anyio.create_task_group() as group:
        group.start_soon(send)
        await anyio.sleep(0.02)
        group.start_soon(send)
    first, second = answers  # each is answered after the latency, in the order they started
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.headers["retry-after"] == "1"
    assert "is currently being processed" in second.json()["message"]
    assert is_in_flight_conflict(second)  # the SDK retries exactly this 409
    fake.latency = 0.0
    replay = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert replay.headers["idempotency-replay"] == "true"
    assert replay.content == first.content
    assert ledger_numbers(fake) == [1]
    assert fake.stats.conflicts == 1


async def test_key_length_limit(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    longest = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k" * 255})
    too_long = await client.post("/v1/events/trigger", json=event(2), headers={"idempotency-key": "k" * 256})
    assert longest.status_code == 201
    assert too_long.status_code == 400
    assert "maximum allowed length of 255" in too_long.json()["message"]
    assert ledger_numbers(fake) == [1]


async def test_errors_are_replayed_too(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    first = await client.post("/v1/events/trigger", json={"name": "x"}, headers={"idempotency-key": "k"})
    again = await client.post("/v1/events/trigger", json={"name": "x"}, headers={"idempotency-key": "k"})
    assert first.status_code == again.status_code == 422
    assert again.content == first.content
    assert again.headers["idempotency-replay"] == "true"


async def test_patch_is_idempotent_delete_and_get_are_not(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await client.post("/v2/subscribers", json={"subscriberId": "s"})
    keyed = {"idempotency-key": "p"}
    first = await client.patch("/v2/subscribers/s", json={"firstName": "A"}, headers=keyed)
    await client.patch("/v2/subscribers/s", json={"firstName": "B"})
    again = await client.patch("/v2/subscribers/s", json={"firstName": "A"}, headers=keyed)
    assert again.headers["idempotency-replay"] == "true"
    assert again.content == first.content
    assert fake.subscribers["s"]["firstName"] == "B"  # the replay changed nothing

    get = await client.get("/v2/subscribers/s", headers={"idempotency-key": "g"})
    assert "idempotency-key" not in get.headers
    deleted = [
        (await client.delete("/v2/subscribers/s", headers={"idempotency-key": "d"})).status_code for _ in "12"
    ]
    assert deleted == [200, 404]  # Novu keeps idempotency records for POST and PATCH only


async def test_answers_given_before_processing_are_not_stored(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    for fault in ("status_503", "status_500", "status_429"):
        fake.fail_next(fault)
        refused = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
        assert refused.status_code == int(fault[-3:])
        assert "idempotency-key" not in refused.headers
    accepted = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert accepted.status_code == 201
    assert "idempotency-replay" not in accepted.headers
    assert ledger_numbers(fake) == [1]
