"""The rate-limit gate of a bulk run (``novu_async.bulk._pacing``): spacing requests over the rest of
the window, pausing every worker, learning what one request costs."""

from __future__ import annotations

import anyio
import httpx
import pytest

from novu_async.bulk._pacing import Gate, scan, shared_wait
from tests.support.bulk import FakeTime


def test_the_gate_spaces_requests_over_the_window_and_pauses_at_zero() -> None:
    fake = FakeTime()
    gate = Gate(fake.clock, fake.sleep, concurrency=4, max_pause=60.0)

    async def turns(count: int) -> list[float]:
        before = len(fake.waits)
        for _ in range(count):
            await gate.wait()
        return fake.waits[before:]

    gate.observe("100", "10", in_flight=0)  # plenty left: no waiting
    assert gate.calm
    assert anyio.run(turns, 3) == []
    gate.observe("99", "10", in_flight=0)
    gate.observe("4", "10", in_flight=0)  # 4 requests left for 10 s: one every 2.5 s
    assert gate.interval == 2.5
    assert anyio.run(turns, 3) == [2.5, 2.5]
    gate.observe("3", "8", in_flight=3)  # 3 left, 3 in flight: none for this window
    assert gate.resume_at == fake.now + 8
    gate.observe("90", "10", in_flight=0)
    assert gate.interval == 0.0
    waits = anyio.run(turns, 2)
    assert waits[0] == pytest.approx(8.0)
    assert len(waits) == 1
    assert gate.calm


def test_the_gate_learns_what_one_request_costs() -> None:
    fake = FakeTime()
    gate = Gate(fake.clock, fake.sleep, concurrency=2, max_pause=60.0)
    gate.observe("100", "10", in_flight=0)
    gate.observe("90", "10", in_flight=0)  # a bulk request costs 10 tokens
    assert gate.cost == 10
    gate.observe("30", "10", in_flight=0)  # 3 requests left for 10 s, fewer than twice the concurrency
    assert gate.interval == pytest.approx(10 / 3)


def test_scan_reads_the_replay_and_rate_limit_headers_in_one_pass() -> None:
    headers = httpx.Headers(
        {"Idempotency-Replay": "true", "RateLimit-Remaining": "7", "RateLimit-Reset": "30", "X-Other": "1"}
    )
    assert scan(headers) == (True, "7", "30")
    assert scan(httpx.Headers({"Idempotency-Replay": "false"})) == (False, None, None)


def test_a_rate_limit_or_a_503_with_a_wait_pauses_every_worker() -> None:
    assert shared_wait(httpx.Response(429))
    assert shared_wait(httpx.Response(503, headers={"Retry-After": "2"}))
    assert not shared_wait(httpx.Response(503))
    assert not shared_wait(httpx.Response(500, headers={"Retry-After": "2"}))


def test_the_gate_waits_no_longer_than_its_bound_nor_past_the_deadline() -> None:
    """A turn more than ``max_pause`` away, or at or past ``until``, is not waited for: ``wait``
    returns how far away it is, and nothing is slept."""
    fake = FakeTime()
    gate = Gate(fake.clock, fake.sleep, concurrency=4, max_pause=60.0)
    gate.observe("3", "999999999", in_flight=0)  # 3 requests left for 31 years
    assert anyio.run(gate.wait) is None  # the first turn is now
    refused = anyio.run(gate.wait)
    assert refused is not None
    assert refused > 60
    assert fake.waits == []

    gate = Gate(fake.clock, fake.sleep, concurrency=4, max_pause=60.0)
    gate.observe("0", "3600", in_flight=0)  # none left for an hour
    assert anyio.run(gate.wait) == pytest.approx(3600)
    assert fake.waits == []

    gate = Gate(fake.clock, fake.sleep, concurrency=4, max_pause=60.0)
    gate.pause(5.0)

    async def until(deadline: float) -> float | None:
        return await gate.wait(deadline)

    assert anyio.run(until, fake.now + 3.0) == pytest.approx(5.0)  # past the deadline: refused
    assert fake.waits == []
    assert anyio.run(until, fake.now + 10.0) is None  # within it: waited
    assert fake.waits == [5.0]
