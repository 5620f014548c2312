"""Injected faults over the transport, scripted and seeded; exactly-once delivery through them."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest

from novu_async._retry import RetryConfig
from novu_async.errors import APIConnectionError, APITimeoutError, ResponseValidationError
from novu_async.funcs.trigger import trigger
from novu_async.funcs.trigger_bulk import trigger_bulk
from novu_async.testing import FakeNovu, Faults
from tests.testing.support import FAST_RETRIES, KEY, api, event, ledger_numbers

pytestmark = pytest.mark.anyio


async def test_drop_after_processes_then_fails_and_the_retry_is_replayed(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.fail_next("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert ledger_numbers(fake) == [1]
    retry = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert retry.status_code == 201
    assert retry.headers["idempotency-replay"] == "true"
    assert ledger_numbers(fake) == [1]
    assert fake.stats.faults == {"drop_after": 1}
    assert fake.stats.by_status == {201: 1}


async def test_drop_before_does_nothing(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.fail_next("drop_before")
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert fake.ledger == []
    retry = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert "idempotency-replay" not in retry.headers
    assert ledger_numbers(fake) == [1]


async def test_error_statuses_before_processing(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.faults = Faults(retry_after=7)
    for fault in ("status_500", "status_503", "status_429"):
        fake.fail_next(fault)
    answers = [await client.post("/v1/events/trigger", json=event(n)) for n in range(3)]
    assert [r.status_code for r in answers] == [500, 503, 429]
    assert answers[0].json()["errorId"]
    assert "retry-after" not in answers[0].headers
    assert answers[1].json() == "Please wait some time, then try again."
    assert answers[1].headers["retry-after"] == "7"
    assert answers[2].json() == "API rate limit exceeded"
    assert answers[2].headers["retry-after"] == "7"
    assert fake.ledger == []
    assert fake.stats.faults == {"status_500": 1, "status_503": 1, "status_429": 1}


async def test_malformed_answers_are_processed_and_truncated(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.fail_next("malformed")
    broken = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert broken.status_code == 201
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    retry = await client.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert retry.json()["data"]["acknowledged"] is True  # the stored answer is the intact one
    assert ledger_numbers(fake) == [1]
    fake.fail_next("malformed")
    async with fake.client(retries=0) as novu:
        with pytest.raises(ResponseValidationError, match="not JSON"):
            await trigger(novu.core, event(2))
    assert ledger_numbers(fake) == [1, 2]


async def test_slow_answers_trip_the_client_timeout_but_the_work_is_done(fake: FakeNovu) -> None:
    fake.faults = Faults(slow_seconds=5.0)
    fake.fail_next("slow")
    async with api(fake, timeout=0.05) as http:
        with anyio.fail_after(2):
            with pytest.raises(httpx.ReadTimeout):
                await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
        assert ledger_numbers(fake) == [1]
        retry = await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert retry.headers["idempotency-replay"] == "true"
    fake.fail_next("slow")
    async with fake.client(retries=0, timeout=0.05) as novu:
        with pytest.raises(APITimeoutError):
            await trigger(novu.core, event(2))
    assert ledger_numbers(fake) == [1, 2]


async def test_scripted_faults_by_path_and_count(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.fail_next("status_503", path="/v1/events/trigger/bulk", times=2)
    fake.fail_next("status_500")
    codes = [
        (await client.post("/v1/events/trigger", json=event(0))).status_code,  # the path-less fault
        (await client.post("/v1/events/trigger", json=event(1))).status_code,
        (await client.post("/v1/events/trigger/bulk", json={"events": [event(2)]})).status_code,
        (await client.post("/v1/events/trigger/bulk", json={"events": [event(3)]})).status_code,
        (await client.post("/v1/events/trigger/bulk", json={"events": [event(4)]})).status_code,
    ]
    assert codes == [500, 201, 503, 503, 201]
    with pytest.raises(ValueError, match="unknown fault"):
        fake.fail_next("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="times"):
        fake.fail_next("slow", times=0)


async def run_fault_sequence(seed: int) -> list[str]:
    fake = FakeNovu(
        KEY, faults=Faults(drop_after=0.2, status_503=0.2, malformed=0.2, retry_after=0), seed=seed
    )
    outcomes = []
    async with api(fake) as http:
        for n in range(40):
            try:
                response = await http.post("/v1/events/trigger", json=event(n))
            except httpx.RemoteProtocolError:
                outcomes.append("dropped")
            else:
                try:
                    response.json()
                except ValueError:
                    outcomes.append(f"{response.status_code} malformed")
                else:
                    outcomes.append(str(response.status_code))
    return outcomes


async def test_random_faults_follow_the_seed() -> None:
    first = await run_fault_sequence(3)
    assert await run_fault_sequence(3) == first
    assert await run_fault_sequence(4) != first
    assert {"dropped", "503", "201 malformed", "201"} == set(first)


async def test_faults_only_on_the_paths_given(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.faults = Faults(status_500=1.0, paths={"/v1/events/trigger/bulk"})
    assert (await client.post("/v1/events/trigger", json=event(1))).status_code == 201
    assert (await client.post("/v1/events/trigger/bulk", json={"events": [event(2)]})).status_code == 500


async def test_every_event_is_recorded_exactly_once_through_faults_and_retries() -> None:
    faults = Faults(
        drop_before=0.1, drop_after=0.15, status_500=0.05, status_503=0.05, status_429=0.05, retry_after=0
    )
    fake = FakeNovu(KEY, faults=faults, seed=11)
    async with fake.client(retries=FAST_RETRIES) as novu, anyio.create_task_group() as group:
        for start in range(0, 3000, 100):
            body = {"events": [event(n) for n in range(start, start + 100)]}
            group.start_soon(trigger_bulk, novu.core, body)
        for n in range(3000, 3100):
            group.start_soon(trigger, novu.core, event(n))
    assert sorted(ledger_numbers(fake)) == list(range(3100))  # each once, none lost
    stats = fake.stats
    assert stats.replays == stats.faults["drop_after"] > 10
    assert sum(stats.faults.values()) > 20


async def test_without_retries_the_sdk_reports_the_dropped_connection(fake: FakeNovu) -> None:
    fake.fail_next("drop_after")
    async with fake.client(retries=RetryConfig(max_retries=0)) as novu:
        with pytest.raises(APIConnectionError) as raised:
            await trigger(novu.core, event(1))
    assert raised.value.idempotency_key  # the caller can resend with it and get the replay
    assert ledger_numbers(fake) == [1]
