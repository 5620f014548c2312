"""What a bulk report says of a chunk whose retries ran out, and every wait of a run bounded.

* ``FAILED`` only when the server cannot have done the chunk (a refusal: 4XX other than 408, 409
  "still being processed" and 429; or no attempt reached it; or the rate limit turned every attempt
  down), ``UNKNOWN`` ("may have been delivered") when an attempt reached the server without a
  definitive answer; ``failures()`` lists only what is not done;
* rate-limit pacing never waits longer than the policy's ``max_retry_after`` for one request: a run
  whose server asks for more stops with ``PacingError``; a 429 within the policy pauses the run, and
  the run goes on even when that chunk's retries run out;
* ``trigger_many(deadline=...)`` bounds the whole run: its waits, its requests, and what it starts.

Against the fake bulk endpoint of ``test_bulk.py`` on ``httpx.MockTransport``, in simulated time
(``FakeTime``) unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from novu_async import ChunkOutcome, RequestOptions, RetryConfig, trigger_many
from novu_async.bulk import PacingError
from novu_async.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    InternalServerError,
    RateLimitError,
    UnprocessableEntityError,
)
from tests.support.bulk import FakeTime, outcomes
from tests.support.core import error_body, reply
from tests.unit.test_bulk import BulkServer, events, make_core

pytestmark = pytest.mark.anyio

EXACT = RetryConfig(max_retries=2, jitter=0, initial_wait=1.0, max_elapsed=None)
IN_FLIGHT_409 = reply(
    409, error_body(409, "Request with this idempotency key is being processed"), {"retry-after": "1"}
)


async def _run(server: BulkServer, count: int = 200, **settings: Any) -> tuple[Any, FakeTime]:
    fake = FakeTime()
    settings.setdefault("concurrency", 1)
    report = await trigger_many(
        make_core(server, retries=settings.pop("retries", EXACT)),
        events(count),
        idempotency_prefix="k",
        sleep=fake.sleep,
        clock=fake.clock,
        **settings,
    )
    return report, fake


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("Connection refused", request=request)


def _timed_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


# ---------------------------------------------------------------------------------------------- outcomes


@pytest.mark.parametrize(
    ("attempts", "outcome", "error"),
    [
        # reached the server, no definitive answer: may have been delivered
        pytest.param(["drop"] * 3, "unknown", APIConnectionError, id="dropped-after-processing"),
        pytest.param([IN_FLIGHT_409] * 3, "unknown", ConflictError, id="409-in-flight"),
        pytest.param([reply(500, error_body(500, "boom"))] * 3, "unknown", InternalServerError, id="5xx"),
        pytest.param([reply(408, "Request Timeout")] * 3, "unknown", None, id="408"),
        pytest.param([_timed_out] * 3, "unknown", APITimeoutError, id="timed-out-after-sending"),
        pytest.param(["drop", _refused, _refused], "unknown", APIConnectionError, id="dropped-then-refused"),
        pytest.param(
            [reply(429, "slow down", {"retry-after": "1"})] * 2 + [reply(503, "busy")],
            "unknown",
            InternalServerError,
            id="429s-then-503",
        ),
        # nothing of it can have been done
        pytest.param([_refused] * 3, "failed", APIConnectionError, id="never-reached"),
        pytest.param(
            [reply(422, error_body(422, "bad event"))], "failed", UnprocessableEntityError, id="422-refused"
        ),
        pytest.param(
            ["drop", reply(422, error_body(422, "bad"))],
            "failed",
            UnprocessableEntityError,
            id="drop-then-422",
        ),
        pytest.param(
            [reply(409, error_body(409, "Subscriber already exists"))],
            "failed",
            ConflictError,
            id="business-409",
        ),
        pytest.param(
            [reply(429, "slow down", {"retry-after": "1"})] * 3, "failed", RateLimitError, id="429-every-time"
        ),
    ],
)
async def test_the_outcome_of_a_chunk_whose_retries_ran_out(
    attempts: list[Any], outcome: str, error: type[BaseException] | None
) -> None:
    server = BulkServer()
    for number, action in enumerate(attempts, 1):
        server.script[("k-0", number)] = action if not callable(action) else None
    if any(callable(a) for a in attempts):
        scripted = list(attempts)

        async def hook(request: httpx.Request) -> httpx.Response | None:
            if request.headers["idempotency-key"] != "k-0":
                return None
            action = scripted[server.attempts["k-0"] - 1]
            return action(request) if callable(action) else None

        server.hook = hook
    report, _ = await _run(server)
    chunk = report.chunks[0]
    assert chunk.outcome.value == outcome, chunk.error
    assert chunk.attempts == len(attempts)
    if error is not None:
        assert isinstance(chunk.error, error)
    assert outcomes(report)[1] == "acknowledged"  # the run went on
    assert report.stopped_by is None
    failures = list(report.failures())
    if outcome == "unknown":
        assert failures == []
        assert (report.unknown, report.failed) == (100, 0)
        assert report.unknown_chunks == [chunk]
        assert {r.outcome for r in report.results() if r.chunk == 0} == {ChunkOutcome.UNKNOWN}
        assert report.result(0).error is chunk.error
    else:
        assert [r.index for r in failures] == list(range(100))
        assert (report.unknown, report.failed) == (0, 100)
    assert report.done == 200
    assert not report.ok


async def test_a_401_after_an_attempt_that_may_have_been_done_is_unknown() -> None:
    """401 and 403 come before the server looks at the key: after a drop, they do not say that the
    earlier attempt was not done. The run stops (every later chunk would get the same)."""
    server = BulkServer()
    server.script[("k-0", 1)] = "drop"
    server.script[("k-0", 2)] = reply(401, error_body(401, "API key revoked"))
    report, _ = await _run(server)
    assert outcomes(report) == ["unknown"]
    assert isinstance(report.stopped_by, AuthenticationError)
    server = BulkServer()
    server.script[("k-0", 1)] = reply(401, error_body(401, "API key not found"))
    report, _ = await _run(server)
    assert outcomes(report) == ["failed"]


async def test_raise_for_failures_says_what_to_do_with_unknown_chunks() -> None:
    server = BulkServer()
    for attempt in (1, 2, 3):
        server.script[("k-1", attempt)] = "drop"
    report, _ = await _run(server, count=300)
    assert outcomes(report) == ["acknowledged", "unknown", "acknowledged"]
    with pytest.raises(Exception, match="100 events may have been delivered") as raised:
        report.raise_for_failures()
    assert "same idempotency prefix" in str(raised.value)
    assert "0 of 300 events failed" in str(raised.value)
    assert isinstance(raised.value.__cause__, APIConnectionError)
    assert "unknown=100" in repr(report)


# ---------------------------------------------------------------------------------------------- 429s


async def test_a_429_within_the_policy_pauses_the_run_and_it_goes_on() -> None:
    """Chunk 1 gets 429 ``Retry-After: 1`` on every attempt: its retries run out (it is reported,
    not done), but the wait was one the policy accepts, so the run goes on."""
    server = BulkServer()
    for attempt in (1, 2, 3):
        server.script[("k-1", attempt)] = reply(429, "Too many requests", {"retry-after": "1"})
    report, fake = await _run(server, count=500)
    assert outcomes(report) == ["acknowledged", "failed", "acknowledged", "acknowledged", "acknowledged"]
    assert report.stopped_by is None
    assert isinstance(report.chunks[1].error, RateLimitError)
    assert fake.waits == [1.0, 1.0]  # every worker paused, twice
    assert report.accepted == 400


async def test_a_429_longer_than_the_policy_stops_the_run() -> None:
    server = BulkServer()
    server.script[("k-1", 1)] = reply(429, "Too many requests", {"retry-after": "120"})
    report, fake = await _run(server, count=500)
    assert outcomes(report) == ["acknowledged", "failed"]
    assert isinstance(report.stopped_by, RateLimitError)
    assert fake.waits == []


# ---------------------------------------------------------------------------------------------- pacing


def _rate_limited(remaining: str, reset: str) -> BulkServer:
    return BulkServer(headers=lambda: {"ratelimit-remaining": remaining, "ratelimit-reset": reset})


@pytest.mark.parametrize(
    ("remaining", "reset"),
    [("3", "999999999"), ("3", "3600"), ("0", "3600"), ("1", "61")],
)
async def test_pacing_that_asks_for_more_than_the_policy_accepts_stops_the_run(
    remaining: str, reset: str
) -> None:
    """One answer with few requests left in a long window: the next turn would be further away than
    ``max_retry_after`` (60 s by default). The run stops instead of stalling, and says why."""
    server = _rate_limited(remaining, reset)
    report, fake = await _run(server, count=1000, concurrency=4, retries=RetryConfig(jitter=0))
    assert isinstance(report.stopped_by, PacingError)
    assert report.stopped_by.limit == 60
    assert report.stopped_by.wait > 60
    assert "max_retry_after=60 s" in str(report.stopped_by)
    assert all(wait <= 60 for wait in fake.waits)
    assert fake.now <= 60
    assert report.finished
    assert not report.ok
    assert 1 <= len(server.requests) < 10
    not_sent = [c for c in report.chunks if c.outcome is ChunkOutcome.NOT_SENT]
    assert {r.chunk for r in report.failures()} == {c.index for c in not_sent}  # never sent: not done


async def test_pacing_within_the_policy_slows_the_run_and_it_finishes() -> None:
    server = _rate_limited("3", "30")  # every answer: 3 left, the window resets in 30 s
    report, fake = await _run(server, count=500, concurrency=2, retries=RetryConfig(jitter=0))
    assert report.ok
    assert fake.waits
    assert max(fake.waits) <= 60


# ---------------------------------------------------------------------------------------------- deadline


async def test_the_deadline_bounds_the_runs_waits() -> None:
    """Chunk 0 gets 503 ``Retry-After: 10`` again and again: the run waits 10 s twice, and a third
    wait would end past its 25 s deadline, so it stops there, the chunk unknown (a 5XX)."""
    server = BulkServer()
    for attempt in range(1, 10):
        server.script[("k-0", attempt)] = reply(503, "busy", {"retry-after": "10"})
    retries = RetryConfig(max_retries=8, jitter=0, max_elapsed=None)
    report, fake = await _run(server, count=300, deadline=25, retries=retries)
    assert fake.waits == [10.0, 10.0]
    assert outcomes(report) == ["unknown"]
    assert isinstance(report.stopped_by, APITimeoutError)
    assert "deadline of 25 s" in str(report.stopped_by)
    assert report.finished


async def test_pacing_counts_toward_the_deadline() -> None:
    """One request left per 20 s window: after the first two, one request every 20 s (at 20 and
    40 s); the next turn, at 60 s, would be past the 50 s deadline, so the run stops at 40 s."""
    server = _rate_limited("1", "20")
    report, fake = await _run(server, count=1000, deadline=50, retries=RetryConfig(jitter=0))
    assert isinstance(report.stopped_by, APITimeoutError)
    assert fake.waits == [20.0, 20.0]
    assert report.accepted == 400
    assert [c.outcome for c in report.chunks[4:]] == [ChunkOutcome.NOT_SENT]


async def test_the_deadline_cuts_a_request_in_flight() -> None:
    """In real time: the server never answers chunk 1; at the 0.3 s deadline the request is cut,
    the chunk is unknown (it was sent), and the run returns its report."""
    server = BulkServer()
    server.script[("k-1", 1)] = "hang_after"
    with anyio.fail_after(10):
        report = await trigger_many(
            make_core(server), events(500), idempotency_prefix="k", concurrency=1, deadline=0.3
        )
    assert outcomes(report) == ["acknowledged", "unknown"]
    assert isinstance(report.chunks[1].error, APITimeoutError)
    assert isinstance(report.stopped_by, APITimeoutError)
    assert sorted(server.processed) == list(range(200))  # chunk 1 was done: unknown is the truth


async def test_the_per_request_deadline_of_options_still_applies_within_the_runs() -> None:
    server = BulkServer()
    server.script[("k-0", 1)] = "hang"
    with anyio.fail_after(10):
        report = await trigger_many(
            make_core(server, retries=0),
            events(100),
            idempotency_prefix="k",
            deadline=60,
            options=RequestOptions(deadline=0.1),
        )
    assert outcomes(report) == ["unknown"]
    assert report.stopped_by is None
