"""``trigger_many``: chunking, idempotency keys, retries, the shared rate-limit gate, the report,
cancellation and bounded memory, against a small fake of Novu's bulk endpoint on ``httpx.MockTransport``.

The fake keeps what Novu's idempotency layer keeps: per key, the body and the answer. The same key
with the same body is replayed (``Idempotency-Replay: true``); with another body it gets 422. Every
event carries ``payload.n`` (its input index); the fake answers ``transactionId = f"tx-{n}"``, so a
result in the wrong place is visible.
"""

from __future__ import annotations

import inspect
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from novu_async import (
    BulkReport,
    BulkTriggerError,
    ChunkOutcome,
    ConfigurationError,
    DataValidationError,
    Novu,
    NovuCore,
    RequestOptions,
    RetryConfig,
    trigger_many,
)
from novu_async import bulk as bulk_module
from novu_async.errors import (
    AuthenticationError,
    InternalServerError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from novu_async.models import SubscriberPayloadDto, TriggerEventRequestDto
from tests.support.bulk import Dilated, FakeTime, agen, outcomes
from tests.support.core import SECRET, envelope, error_body, reply

Action = Callable[[httpx.Request], Awaitable[httpx.Response | None]]


def event(n: int, **extra: Any) -> dict[str, Any]:
    return {"name": "welcome", "to": f"sub-{n}", "payload": {"n": n}, **extra}


def events(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [event(n) for n in range(start, start + count)]


class BulkServer:
    """``POST /v1/events/trigger/bulk`` with Novu's idempotency behaviour, and a script of failures.

    ``script[(key, attempt)]``: what the server does on that attempt of that key instead of its
    normal work: an ``httpx.Response`` to answer, or ``"drop"`` (do the work, then lose the
    connection), ``"hang"`` (never answer), ``"hang_after"`` (do the work, never answer).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        delay: Callable[[str], float] | None = None,
        headers: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.delay = delay
        self.headers = headers
        self.script: dict[tuple[str, int], Any] = {}
        self.attempts: Counter[str] = Counter()
        self.stored: dict[str, tuple[bytes, bytes]] = {}
        self.processed: list[int] = []  # payload.n of every event the server did, in order
        self.log: list[tuple[float, str, int]] = []  # (arrival time, key, events) per request
        self.requests: list[httpx.Request] = []
        self.hook: Action | None = None
        self.stuck: anyio.Event | None = None  # set when a "hang" or "hang_after" starts hanging

    def sent_keys(self) -> list[str]:
        return [key for _, key, _ in self.log]

    def bodies(self) -> list[list[dict[str, Any]]]:
        return [json.loads(r.content)["events"] for r in self.requests]

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/events/trigger/bulk"
        assert request.headers["authorization"] == f"ApiKey {SECRET}"
        key = request.headers["idempotency-key"]
        body = request.content
        self.requests.append(request)
        self.attempts[key] += 1
        self.log.append((self.clock(), key, len(json.loads(body)["events"])))
        if self.hook is not None:
            hooked = await self.hook(request)
            if hooked is not None:
                return hooked
        action = self.script.get((key, self.attempts[key]))
        if isinstance(action, httpx.Response):
            return httpx.Response(action.status_code, headers=action.headers, content=action.content)
        if action == "hang":
            await self.hang()
        if self.delay is not None and self.sleep is not None:
            await self.sleep(self.delay(key))
        else:
            await anyio.lowlevel.checkpoint()
        response = self.process(key, body)
        if action == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if action == "hang_after":
            await self.hang()
        return response

    async def hang(self) -> None:
        if self.stuck is not None:
            self.stuck.set()
        await anyio.sleep_forever()

    def process(self, key: str, body: bytes) -> httpx.Response:
        headers = {"content-type": "application/json", "idempotency-key": key, **(self.headers or dict)()}
        stored = self.stored.get(key)
        if stored is not None:
            if stored[0] != body:
                return reply(
                    422,
                    error_body(
                        422, "Request body does not match the original request for this idempotency key"
                    ),
                )
            return httpx.Response(201, content=stored[1], headers={**headers, "idempotency-replay": "true"})
        sent = json.loads(body)["events"]
        results = [
            {"acknowledged": True, "status": "processed", "transactionId": f"tx-{e['payload']['n']}"}
            for e in sent
        ]
        self.processed.extend(e["payload"]["n"] for e in sent)
        content = json.dumps(envelope(results)).encode()
        self.stored[key] = (body, content)
        return httpx.Response(201, content=content, headers=headers)


@pytest.fixture
def server() -> BulkServer:
    """A fresh fake of the bulk endpoint for each test."""
    return BulkServer()


def make_core(server: Any, **kwargs: Any) -> NovuCore:
    kwargs.setdefault("retries", RetryConfig(jitter=0))
    return NovuCore(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **kwargs)


# ---------------------------------------------------------------------------------------------- chunking


@pytest.mark.anyio
async def test_250_events_go_in_chunks_of_100_100_50_with_keys_prefix_0_to_2(server: BulkServer) -> None:
    core = make_core(server)
    report = await trigger_many(core, events(250), idempotency_prefix="run-1", concurrency=1)

    assert server.sent_keys() == ["run-1-0", "run-1-1", "run-1-2"]
    assert [len(b) for b in server.bodies()] == [100, 100, 50]
    assert [e["payload"]["n"] for body in server.bodies() for e in body] == list(range(250))
    assert server.bodies()[0][0] == {"name": "welcome", "to": "sub-0", "payload": {"n": 0}}
    assert server.requests[0].headers["content-type"] == "application/json"

    assert report.ok
    assert report.finished
    assert report.stopped_by is None
    assert (report.events, report.accepted, report.failed, report.done) == (250, 250, 0, 250)
    assert (len(report.chunks), report.retries, report.replays) == (3, 0, 0)
    assert report.total == 250
    assert [(c.index, c.key, c.start, c.stop) for c in report.chunks] == [
        (0, "run-1-0", 0, 100),
        (1, "run-1-1", 100, 200),
        (2, "run-1-2", 200, 250),
    ]
    assert outcomes(report) == ["acknowledged"] * 3
    assert [r.transaction_id for r in report] == [f"tx-{n}" for n in range(250)]
    assert {r.status for r in report} == {"processed"}
    assert len(report) == 250
    last = report.result(-1)
    assert (last.index, last.chunk, last.accepted, last.outcome) == (249, 2, True, ChunkOutcome.ACKNOWLEDGED)
    with pytest.raises(IndexError):
        report.result(250)
    report.raise_for_failures()  # ok: nothing raised


@pytest.mark.anyio
async def test_results_stay_in_input_order_when_chunks_finish_out_of_order() -> None:
    rng = random.Random(7)
    time_ = Dilated()
    server = BulkServer(clock=time_.clock, sleep=time_.sleep, delay=lambda key: rng.uniform(0.0, 0.5))
    report = await trigger_many(
        make_core(server), events(1000), chunk_size=37, concurrency=6, clock=time_.clock, sleep=time_.sleep
    )
    finish_order = [int(k.rsplit("-", 1)[1]) for k in server.sent_keys()]
    assert sorted(finish_order) == list(range(28))
    assert report.ok
    assert [c.size for c in report.chunks] == [37] * 27 + [1]
    assert [r.transaction_id for r in report.results()] == [f"tx-{n}" for n in range(1000)]
    assert sorted(server.processed) == list(range(1000))


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["list", "generator", "async generator"])
async def test_sync_and_async_iterables_of_dicts_and_models(kind: str) -> None:
    items: list[Any] = []
    for n in range(150):
        if n % 2:
            items.append(event(n))
        else:
            items.append(
                TriggerEventRequestDto(
                    workflow_id="welcome",
                    to=SubscriberPayloadDto(subscriber_id=f"sub-{n}", first_name="Ann"),
                    payload={"n": n},
                    transaction_id=f"t-{n}",
                )
            )
    source: Any = items if kind == "list" else iter(items) if kind == "generator" else agen(items)
    server = BulkServer()
    progress: list[tuple[int, int | None]] = []
    report = await trigger_many(
        make_core(server),
        source,
        idempotency_prefix="mixed",
        concurrency=1,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert report.ok
    sent = [e for body in server.bodies() for e in body]
    assert len(sent) == 150
    # models go out with their wire names, UNSET fields left out; dicts go out as given
    assert sent[0] == {
        "name": "welcome",
        "to": {"firstName": "Ann", "subscriberId": "sub-0"},
        "payload": {"n": 0},
        "transactionId": "t-0",
    }
    assert sent[1] == event(1)
    assert [r.transaction_id for r in report] == [f"tx-{n}" for n in range(150)]
    total = 150 if kind == "list" else None
    assert progress == [(100, total), (150, total)]
    assert report.total == total


@pytest.mark.anyio
async def test_chunk_size_and_concurrency_are_checked_before_anything_is_sent(server: BulkServer) -> None:
    core = make_core(server)
    for bad in (0, 101, -1, True, 2.5):
        with pytest.raises(ConfigurationError, match="chunk_size"):
            await trigger_many(core, events(5), chunk_size=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chunk_size must be an integer 1 to 100"):
        await trigger_many(core, events(5), chunk_size=500)
    with pytest.raises(ConfigurationError, match="concurrency"):
        await trigger_many(core, events(5), concurrency=0)
    with pytest.raises(ConfigurationError, match="idempotency_prefix must be 1 to 244"):
        await trigger_many(core, events(5), idempotency_prefix="p" * 245)
    with pytest.raises(ConfigurationError, match="idempotency_prefix must be 1 to 244"):
        await trigger_many(core, events(5), idempotency_prefix="")
    with pytest.raises(ConfigurationError, match="printable ASCII"):
        await trigger_many(core, events(5), idempotency_prefix="my run")
    with pytest.raises(ConfigurationError, match="invalid must be 'raise' or 'fail_chunk'"):
        await trigger_many(core, events(5), invalid="skip")  # type: ignore[typeddict-item]
    with pytest.raises(TypeError, match="unexpected keyword argument 'concurency'"):
        await trigger_many(core, events(5), concurency=2)  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match="idempotency-key"):
        await trigger_many(core, events(5), options=RequestOptions(headers={"Idempotency-Key": "x"}))
    with pytest.raises(TypeError, match="iterable"):
        await trigger_many(core, event(1))
    with pytest.raises(TypeError, match="iterable"):
        await trigger_many(core, 5)  # type: ignore[arg-type]
    assert server.requests == []

    # the longest prefix still makes keys Novu takes (chunk numbers up to 10 digits)
    longest = "p" * bulk_module.MAX_PREFIX_LENGTH
    report = await trigger_many(core, events(5), idempotency_prefix=longest)
    assert server.sent_keys() == [f"{longest}-0"]
    assert len(f"{longest}-{10**10 - 1}") == 255
    assert report.ok


@pytest.mark.anyio
async def test_a_report_fills_one_run_only() -> None:
    core = make_core(BulkServer())
    report = BulkReport()
    assert repr(report).endswith("not started)")
    returned = await trigger_many(core, events(3), report=report)
    assert returned is report
    assert report.ok
    with pytest.raises(ConfigurationError, match="another run"):
        await trigger_many(core, events(3), report=report)


# ---------------------------------------------------------------------------------------------- keys


@pytest.mark.anyio
async def test_without_a_prefix_each_run_makes_its_own_and_reports_it(server: BulkServer) -> None:
    core = make_core(server)
    first = await trigger_many(core, events(150))
    second = await trigger_many(core, events(150))
    assert first.idempotency_prefix.startswith("bulk-")
    assert first.idempotency_prefix != second.idempotency_prefix
    assert server.sent_keys() == [
        f"{first.idempotency_prefix}-0",
        f"{first.idempotency_prefix}-1",
        f"{second.idempotency_prefix}-0",
        f"{second.idempotency_prefix}-1",
    ]
    assert [c.key for c in first.chunks] == server.sent_keys()[:2]


@pytest.mark.anyio
async def test_a_run_resumed_with_the_same_prefix_sends_nothing_twice(server: BulkServer) -> None:
    """First run: chunks 0-2 done, chunk 3 done by the server but its answer never arrives, then the
    run is cancelled. Second run, same input and prefix: 0-3 are replayed, 4-5 done once."""
    core = make_core(server)
    server.script[("import-7-3", 1)] = "hang_after"
    server.stuck = anyio.Event()
    report = BulkReport()

    async def first_run() -> None:
        await trigger_many(
            core, events(550), chunk_size=100, concurrency=1, idempotency_prefix="import-7", report=report
        )

    async with anyio.create_task_group() as tg:
        tg.start_soon(first_run)
        await server.stuck.wait()
        tg.cancel_scope.cancel()
    assert outcomes(report) == ["acknowledged"] * 3 + ["in_flight"]
    assert report.interrupted
    assert not report.finished
    assert not report.ok
    assert sorted(server.processed) == list(range(400))  # the server did chunk 3

    again = await trigger_many(
        core, events(550), chunk_size=100, concurrency=2, idempotency_prefix="import-7"
    )
    assert again.ok
    assert again.replays == 4
    assert [c.replayed for c in again.chunks] == [True] * 4 + [False] * 2
    assert sorted(server.processed) == list(range(550))  # every event done exactly once
    assert [r.transaction_id for r in again] == [f"tx-{n}" for n in range(550)]


@pytest.mark.anyio
async def test_the_same_key_with_another_body_fails_that_chunk_and_the_run_goes_on(
    server: BulkServer,
) -> None:
    core = make_core(server)
    await trigger_many(core, events(200), idempotency_prefix="batch")
    changed = events(200)
    changed[150]["payload"]["n"] = 150  # same
    changed[160]["to"] = "someone-else"  # chunk 1 differs from the first run's chunk 1
    report = await trigger_many(core, changed + events(100, start=200), idempotency_prefix="batch")

    assert outcomes(report) == ["acknowledged", "failed", "acknowledged"]
    failed = report.chunks[1]
    assert isinstance(failed.error, UnprocessableEntityError)
    assert failed.error.idempotency_key == "batch-1"
    assert failed.attempts == 1  # a 422 is final
    assert (report.accepted, report.failed, report.replays) == (200, 100, 1)
    assert report.finished
    assert not report.ok
    failures = list(report.failures())
    assert [f.index for f in failures] == list(range(100, 200))
    assert failures[0].error is failed.error
    assert not failures[0].accepted
    assert report.result(99).accepted
    assert report.result(99).error is None
    with pytest.raises(
        BulkTriggerError, match=r"100 of 300 events failed; failed chunks: 1 \(Unprocessable"
    ) as info:
        report.raise_for_failures()
    assert info.value.report is report
    assert info.value.__cause__ is failed.error


# ---------------------------------------------------------------------------------------------- retries


@pytest.mark.anyio
async def test_a_connection_dropped_after_the_server_did_the_chunk_is_retried_with_the_same_key(
    server: BulkServer,
) -> None:
    server.script[("drop-1", 1)] = "drop"
    fake = FakeTime()
    report = await trigger_many(
        make_core(server),
        events(300),
        idempotency_prefix="drop",
        concurrency=2,
        sleep=fake.sleep,
        clock=fake.clock,
    )
    assert report.ok
    assert server.sent_keys().count("drop-1") == 2
    assert (report.retries, report.replays) == (1, 1)
    chunk = report.chunks[1]
    assert (chunk.attempts, chunk.replayed, chunk.outcome) == (2, True, ChunkOutcome.ACKNOWLEDGED)
    assert sorted(server.processed) == list(range(300))  # no event done twice
    assert fake.waits == [0.5]  # RetryConfig's first backoff, no jitter
    assert [r.transaction_id for r in report][100:102] == ["tx-100", "tx-101"]


@pytest.mark.anyio
async def test_409_in_flight_waits_then_retries_and_a_business_409_is_final(server: BulkServer) -> None:
    server.script[("k-0", 1)] = reply(
        409, error_body(409, "Request with this idempotency key is being processed"), {"retry-after": "2"}
    )
    server.script[("k-1", 1)] = reply(409, error_body(409, "Subscriber already exists"))
    fake = FakeTime()
    report = await trigger_many(
        make_core(server),
        events(200),
        idempotency_prefix="k",
        concurrency=1,
        sleep=fake.sleep,
        clock=fake.clock,
    )
    assert outcomes(report) == ["acknowledged", "failed"]
    assert fake.waits == [2.0]
    assert report.chunks[0].attempts == 2
    assert report.chunks[1].attempts == 1
    assert report.retries == 1


@pytest.mark.anyio
async def test_5xx_is_retried_within_the_budget_then_the_chunk_is_unknown(server: BulkServer) -> None:
    """A 5XX may come after the server did the work: once the retries are spent the chunk is UNKNOWN
    (may have been delivered), not FAILED, and not among the failures."""
    for attempt in (1, 2, 3):
        server.script[("b-0", attempt)] = reply(500, error_body(500, "boom"))
    fake = FakeTime()
    core = make_core(server, retries=RetryConfig(max_retries=2, jitter=0, initial_wait=1.0))
    report = await trigger_many(core, events(150), idempotency_prefix="b", sleep=fake.sleep, clock=fake.clock)
    assert outcomes(report) == ["unknown", "acknowledged"]
    assert (report.unknown, report.failed, report.accepted, report.done) == (100, 0, 50, 150)
    assert list(report.failures()) == []
    assert [c.index for c in report.unknown_chunks] == [0]
    assert not report.ok
    assert isinstance(report.chunks[0].error, InternalServerError)
    assert report.result(0).error is report.chunks[0].error
    assert report.chunks[0].attempts == 3
    assert fake.waits == [1.0, 2.0]
    assert server.sent_keys().count("b-0") == 3

    # options.retries overrides the core's budget for the chunks
    server2 = BulkServer()
    server2.script[("c-0", 1)] = reply(503, error_body(503, "busy"))
    report = await trigger_many(
        make_core(server2), events(10), idempotency_prefix="c", options=RequestOptions(retries=0)
    )
    assert outcomes(report) == ["unknown"]


@pytest.mark.anyio
async def test_401_stops_the_run_without_reading_further() -> None:
    read = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal read
        for n in range(10_000):
            read += 1
            yield event(n)

    server = BulkServer()
    server.script[("a-0", 1)] = reply(401, error_body(401, "API Key not found"))
    report = await trigger_many(make_core(server), source(), idempotency_prefix="a", concurrency=1)
    assert len(server.requests) == 1
    assert read <= 200
    assert isinstance(report.stopped_by, AuthenticationError)
    assert report.finished
    assert not report.ok
    assert outcomes(report) == ["failed"]
    with pytest.raises(BulkTriggerError, match="stopped early") as info:
        report.raise_for_failures()
    for text in (str(info.value), repr(report), str(report.stopped_by), repr(report.chunks[0])):
        assert SECRET not in text


# ---------------------------------------------------------------------------------------------- rate limits


@pytest.mark.anyio
async def test_a_429_pauses_every_worker_until_the_reset() -> None:
    time_ = Dilated()
    server = BulkServer(clock=time_.clock, sleep=time_.sleep, delay=lambda key: 0.2)
    server.script[("rl-3", 1)] = reply(429, "Too many requests", {"retry-after": "3"})
    report = await trigger_many(
        make_core(server),
        events(20 * 10),
        chunk_size=10,
        concurrency=4,
        idempotency_prefix="rl",
        clock=time_.clock,
        sleep=time_.sleep,
    )
    assert report.ok
    assert report.retries == 1
    limited_at = next(t for t, key, _ in server.log if key == "rl-3")
    after = [(t, key) for t, key, _ in server.log if t > limited_at]
    assert len(after) >= 16  # the retry and every chunk not yet sent
    # nothing reached the server while the pause lasted, from any worker
    assert all(t >= limited_at + 3.0 for t, _ in after), [round(t - limited_at, 2) for t, _ in after]
    assert server.sent_keys().count("rl-3") == 2
    assert sorted(server.processed) == list(range(200))


@pytest.mark.anyio
async def test_ratelimit_remaining_slows_the_run_down_before_the_limit() -> None:
    """A fixed window of 12 requests per 10 s. The run sees RateLimit-Remaining/Reset fall and
    spreads the requests still allowed, then waits for the reset: never a 429."""
    time_ = Dilated()
    window, limit = 10.0, 12
    used: Counter[int] = Counter()

    async def limiter(request: httpx.Request) -> httpx.Response | None:
        now = time_.clock()
        current = int(now // window)
        reset = str(math.ceil((current + 1) * window - now))
        if used[current] >= limit:
            return reply(429, "Too many requests", {"retry-after": reset})
        used[current] += 1
        headers["ratelimit-remaining"] = str(limit - used[current])
        headers["ratelimit-reset"] = reset
        return None

    headers: dict[str, str] = {}
    server = BulkServer(
        clock=time_.clock, sleep=time_.sleep, delay=lambda key: 0.05, headers=lambda: dict(headers)
    )
    server.hook = limiter
    report = await trigger_many(
        make_core(server),
        events(30),
        chunk_size=1,
        concurrency=4,
        idempotency_prefix="slow",
        clock=time_.clock,
        sleep=time_.sleep,
    )
    assert report.ok
    assert report.retries == 0  # not one 429
    assert sum(used.values()) == 30
    assert max(used.values()) <= limit
    assert len(used) >= 3  # it took three windows, as it must
    # within a window, once few requests were left, they were spaced out, not sent in one burst
    first_window = sorted(t for t, _, _ in server.log if t < window)
    assert first_window[-1] - first_window[0] > 2.0


@pytest.mark.anyio
async def test_a_rate_limit_longer_than_the_retry_policy_accepts_stops_the_run(server: BulkServer) -> None:
    server.script[("long-1", 1)] = reply(429, "Too many requests", {"retry-after": "3600"})
    fake = FakeTime()
    report = await trigger_many(
        make_core(server),
        events(1000),
        idempotency_prefix="long",
        concurrency=1,
        sleep=fake.sleep,
        clock=fake.clock,
        options=RequestOptions(headers={"X-Trace-Id": "t-1"}, timeout=5.0),
    )
    assert outcomes(report) == ["acknowledged", "failed"]
    assert isinstance(report.stopped_by, RateLimitError)
    assert report.stopped_by.retry_after == 3600
    assert fake.waits == []  # it did not wait an hour
    assert server.sent_keys() == ["long-0", "long-1"]
    assert all(r.headers["x-trace-id"] == "t-1" for r in server.requests)
    assert server.requests[0].extensions["timeout"]["read"] == 5.0


def test_an_iterator_that_yields_again_after_it_ended_is_not_read_further() -> None:
    class Stuttering:
        def __init__(self) -> None:
            self.calls = 0

        def __iter__(self) -> Stuttering:
            return self

        def __next__(self) -> dict[str, Any]:
            self.calls += 1
            if self.calls == 151 or self.calls > 180:  # ends, then yields 29 more, then ends
                raise StopIteration
            return event(self.calls)

    server = BulkServer()
    report = anyio.run(lambda: trigger_many(make_core(server), Stuttering(), concurrency=4))
    assert [c.size for c in report.chunks] == [100, 50]
    assert report.ok


# ---------------------------------------------------------------------------------------------- events


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"to": "sub-1"}, "$.name: required, but not given"),
        ({"name": 5, "to": "sub-1"}, "$.name: expected a string, got integer"),
        ({"name": "welcome"}, "$.to: required, but not given"),
        (
            {"name": "welcome", "to": None},
            "$.to: expected a subscriber id, a subscriber or a topic object, got null",
        ),
        (
            {"name": "welcome", "to": ["a", {"subscriberId": 7}]},
            "$.to[1].subscriberId: expected a string, got integer",
        ),
        ({"name": "welcome", "to": {"subscriberId": 7}}, "$.to.subscriberId: expected a string, got integer"),
        ({"name": "welcome", "to": {"topicKey": "t"}}, "$.to.type: required, but not given"),
        ({"name": "welcome", "to": "s", "payload": None}, "$.payload: expected an object, got null"),
        (
            {"name": "welcome", "to": "s", "transactionId": None},
            "$.transactionId: expected a string, got null",
        ),
        ({"name": "welcome", "to": {"email": "a@b.c"}}, "$.to: a recipient object needs subscriberId"),
        ({"name": "welcome", "to": "s", "payload": "x"}, "$.payload: expected an object, got string"),
        (
            {"name": "welcome", "to": "s", "payload": {}, "transactionId": 1},
            "$.transactionId: expected a string",
        ),
        (
            {"name": "welcome", "to": "s", "actor": ["a"]},
            "$.actor: expected a string or an object, got array",
        ),
        ({"name": "welcome", "to": "s", "payload": {"x": object()}}, "$: not JSON serialisable: object"),
        ("welcome", "$: expected a TriggerEventRequestDto or a dict, got str"),
        (TriggerEventRequestDto(workflow_id="welcome", to=None), "$.to: expected a subscriber id"),  # type: ignore[arg-type]
    ],
)
async def test_a_bad_event_raises_naming_its_index_and_field_before_its_chunk_is_sent(
    bad: Any, message: str, server: BulkServer
) -> None:
    items: list[Any] = events(130)
    items[120] = bad
    report = BulkReport()
    with pytest.raises(DataValidationError) as info:
        await trigger_many(make_core(server), items, idempotency_prefix="v", concurrency=1, report=report)
    text = str(info.value)
    assert text.startswith("trigger_bulk event 120 (chunk 1, key 'v-1'; not sent) is invalid: ")
    assert message in text
    assert server.sent_keys() == ["v-0"]  # the chunk before was sent; the bad one was not
    assert outcomes(report) == ["acknowledged", "failed"]
    assert report.chunks[1].attempts == 0
    assert report.chunks[1].error is info.value
    assert report.stopped_by is info.value
    assert report.finished


@pytest.mark.anyio
async def test_with_fail_chunk_a_bad_event_fails_its_chunk_and_the_run_goes_on(server: BulkServer) -> None:
    items: list[Any] = events(300)
    del items[150]["to"]
    report = await trigger_many(
        make_core(server), agen(items), idempotency_prefix="f", invalid="fail_chunk", concurrency=2
    )
    assert sorted(server.sent_keys()) == ["f-0", "f-2"]
    assert outcomes(report) == ["acknowledged", "failed", "acknowledged"]
    assert isinstance(report.chunks[1].error, DataValidationError)
    assert "event 150" in str(report.chunks[1].error)
    assert (report.accepted, report.failed) == (200, 100)
    assert report.finished
    assert report.stopped_by is None
    assert not report.ok


@pytest.mark.anyio
async def test_per_event_answers_are_kept_and_unacknowledged_events_count_as_failed() -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)["events"]
        results: list[dict[str, Any]] = [
            {"acknowledged": True, "status": "processed", "transactionId": f"tx-{e['payload']['n']}"}
            for e in sent
        ]
        results[2] = {"acknowledged": False, "status": "trigger_not_active", "error": ["workflow is paused"]}
        results[3]["status"] = "a_status_from_the_future"
        return reply(201, envelope(results))

    report = await trigger_many(make_core(answer), events(5))
    assert (report.accepted, report.failed) == (4, 1)
    assert report.finished
    assert not report.ok
    third = report.result(2)
    assert (third.accepted, third.status, third.transaction_id, third.messages) == (
        False,
        "trigger_not_active",
        None,
        ("workflow is paused",),
    )
    assert report.result(3).accepted
    assert report.result(3).status == "a_status_from_the_future"
    assert [f.index for f in report.failures()] == [2]
    assert report.chunks[0].statuses()[:2] == ("processed", "processed")


@pytest.mark.anyio
async def test_an_answer_without_one_result_per_event_still_counts_as_accepted() -> None:
    async def short(request: httpx.Request) -> httpx.Response:
        return reply(201, envelope([{"acknowledged": True, "status": "processed"}]))

    report = await trigger_many(make_core(short), events(3))
    chunk = report.chunks[0]
    assert chunk.outcome is ChunkOutcome.ACKNOWLEDGED
    assert isinstance(chunk.error, ResponseValidationError)
    assert "got 1 results" in str(chunk.error)

    async def strings(request: httpx.Request) -> httpx.Response:
        return reply(201, envelope(["a", "b", "c"]))

    odd = await trigger_many(make_core(strings), events(3))
    assert "other things than objects" in str(odd.chunks[0].error)
    assert odd.accepted == 3
    assert report.accepted == 3
    assert report.ok
    assert [r.transaction_id for r in report] == [None, None, None]


# ---------------------------------------------------------------------------------------------- cancellation


@pytest.mark.anyio
async def test_a_cancelled_run_leaves_a_report_of_what_the_server_acknowledged() -> None:
    """Three workers. Chunks 0-2 are answered at 0.1, 0.2 and 0.3 s; then chunk 3 is sent and never
    answered, chunk 4 gets a 429 (wait 30 s) and chunk 5, read, waits at the gate unsent. At 10 s
    the caller's time runs out."""
    time_ = Dilated()
    delays = {"c-0": 0.1, "c-1": 0.2, "c-2": 0.3}
    server = BulkServer(clock=time_.clock, sleep=time_.sleep, delay=lambda key: delays.get(key, 0.0))
    server.script[("c-3", 1)] = "hang"
    server.script[("c-4", 1)] = reply(429, "Too many requests", {"retry-after": "30"})
    report = BulkReport()
    progress: list[int] = []
    started = anyio.current_time()
    with anyio.move_on_after(10 / Dilated.SCALE):
        await trigger_many(
            make_core(server),
            events(1000),
            chunk_size=100,
            concurrency=3,
            idempotency_prefix="c",
            report=report,
            on_progress=lambda done, total: progress.append(done),
            clock=time_.clock,
            sleep=time_.sleep,
        )
    assert anyio.current_time() - started < 5
    assert outcomes(report) == ["acknowledged"] * 3 + ["in_flight", "in_flight", "not_sent"]
    assert report.interrupted
    assert not report.running
    assert not report.finished
    assert [c.index for c in report.acknowledged_chunks] == [0, 1, 2]
    assert [c.key for c in report.unacknowledged_chunks] == ["c-3", "c-4", "c-5"]
    assert report.chunks[5].attempts == 0
    assert (report.events, report.accepted, report.done) == (600, 300, 300)
    assert progress == [100, 200, 300]
    assert "interrupted" in repr(report)
    with pytest.raises(BulkTriggerError, match="did not finish"):
        report.raise_for_failures()
    # failures are what is not done for sure: the chunk never sent; the two in flight may have been done
    pending = [r.outcome for r in report.failures()]
    assert pending == [ChunkOutcome.NOT_SENT] * 100


@pytest.mark.anyio
async def test_an_error_in_the_input_is_raised_after_the_chunks_in_flight_finish() -> None:
    def broken() -> Iterator[dict[str, Any]]:
        yield from events(250)
        raise RuntimeError("the database went away")

    server = BulkServer()
    report = BulkReport()
    with pytest.raises(RuntimeError, match="database"):
        await trigger_many(make_core(server), broken(), concurrency=2, report=report)
    assert outcomes(report) == ["acknowledged", "acknowledged"]
    assert isinstance(report.stopped_by, RuntimeError)


# ---------------------------------------------------------------------------------------------- memory


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_a_million_events_are_held_at_most_concurrency_chunks_at_a_time() -> None:
    count, concurrency, chunk_size = 1_000_000, 8, 100
    content = json.dumps(
        envelope(
            [
                {
                    "acknowledged": True,
                    "status": "processed",
                    "transactionId": f"{n:08d}-4b1e-9a55-7c0d2f3e8a11",
                }
                for n in range(chunk_size)
            ]
        )
    ).encode()

    async def fast(request: httpx.Request) -> httpx.Response:
        await anyio.lowlevel.checkpoint()  # let the other workers run, as a network would
        return httpx.Response(201, content=content, headers={"content-type": "application/json"})

    yielded = done = held = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal yielded, held
        for n in range(count):
            yielded += 1
            held = max(held, yielded - done)
            yield {"name": "welcome", "to": f"subscriber-{n}", "payload": {"n": n}}

    def progress(events_done: int, total: int | None) -> None:
        nonlocal done
        done = events_done

    # no time bound here (a loaded machine takes what it takes): benchmarks/throughput.py measures speed
    report = await trigger_many(
        make_core(fast), source(), concurrency=concurrency, chunk_size=chunk_size, on_progress=progress
    )
    assert report.ok
    assert report.accepted == count
    assert done == count
    assert chunk_size < held <= concurrency * chunk_size, held  # the workers overlapped, within the bound
    # per-event results are kept compactly: the transaction ids joined per chunk, one status string
    stored = sys.getsizeof(report.chunks) + sum(
        sys.getsizeof(c)
        + sys.getsizeof(c._ids)
        + (0 if isinstance(c._statuses, str) else sys.getsizeof(c._statuses))
        for c in report.chunks
    )
    assert stored / count < 60, f"{stored / count:.1f} bytes per event"
    assert report.result(999_999).transaction_id == "00000099-4b1e-9a55-7c0d2f3e8a11"


# ---------------------------------------------------------------------------------------------- Novu


@pytest.mark.anyio
async def test_novu_trigger_many_delegates_to_the_function(server: BulkServer) -> None:
    async with Novu(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))) as novu:
        report = await novu.trigger_many(events(120), idempotency_prefix="novu", chunk_size=60)
    assert report.ok
    assert server.sent_keys() == ["novu-0", "novu-1"]

    method = list(inspect.signature(Novu.trigger_many).parameters.values())[1:]
    function = list(inspect.signature(trigger_many).parameters.values())[1:]
    assert [(p.name, p.kind, p.default, p.annotation) for p in method] == [
        (p.name, p.kind, p.default, p.annotation) for p in function
    ]


@pytest.mark.anyio
async def test_invalid_events_is_the_deprecated_name_of_invalid(server: BulkServer) -> None:
    items: list[Any] = events(150)
    del items[120]["to"]
    deprecated = r"invalid_events=\.\.\.\) is deprecated: use invalid="
    with pytest.warns(DeprecationWarning, match=deprecated):
        report = await trigger_many(
            make_core(server), items, idempotency_prefix="d", invalid_events="fail_chunk"
        )
    assert outcomes(report) == ["acknowledged", "failed"]
    with (
        pytest.warns(DeprecationWarning, match=deprecated),
        pytest.raises(ConfigurationError, match="invalid_events must"),
    ):
        await trigger_many(make_core(server), items, invalid_events="skip")  # type: ignore[typeddict-item]
    with (
        pytest.warns(DeprecationWarning, match=deprecated),
        pytest.raises(ConfigurationError, match="disagree"),
    ):
        await trigger_many(make_core(server), items, invalid="raise", invalid_events="fail_chunk")
    assert server.sent_keys() == ["d-0"]


@pytest.mark.anyio
async def test_a_pre_encoded_body_reaches_the_wire_unchanged() -> None:
    seen: list[bytes] = []

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return reply(201, envelope([{"acknowledged": True, "status": "processed", "transactionId": "x"}]))

    report = await trigger_many(make_core(record), [{"name": "welcome", "to": "s", "payload": {"é": "ü"}}])
    assert report.ok
    assert seen == ['{"events":[{"name":"welcome","to":"s","payload":{"é":"ü"}}]}'.encode()]


# ---------------------------------------------------------------------------------------------- skip_chunks


@pytest.mark.anyio
async def test_skipped_chunks_are_read_and_numbered_but_never_sent(server: BulkServer) -> None:
    progress: list[tuple[int, int | None]] = []
    report = await trigger_many(
        make_core(server),
        events(550),
        idempotency_prefix="s",
        concurrency=1,
        skip_chunks={0, 2, 5, 9},  # 9: past the input's end, ignored
        on_progress=lambda done, total: progress.append((done, total)),
    )
    # never on the wire; the chunks sent keep the keys and event ranges of a run without skips
    assert server.sent_keys() == ["s-1", "s-3", "s-4"]
    assert [[e["payload"]["n"] for e in body] for body in server.bodies()] == [
        list(range(100, 200)),
        list(range(300, 400)),
        list(range(400, 500)),
    ]
    assert sorted(server.processed) == list(range(100, 200)) + list(range(300, 500))
    assert [(c.index, c.key, c.start, c.stop) for c in report.chunks] == [
        (i, f"s-{i}", 100 * i, min(100 * i + 100, 550)) for i in range(6)
    ]
    assert outcomes(report) == [
        "skipped",
        "acknowledged",
        "skipped",
        "acknowledged",
        "acknowledged",
        "skipped",
    ]
    assert [c.attempts for c in report.chunks] == [0, 1, 0, 1, 1, 0]
    assert (report.events, report.accepted, report.failed, report.skipped, report.done) == (
        550,
        300,
        0,
        250,
        550,
    )
    assert progress == [(n, 550) for n in (100, 200, 300, 400, 500, 550)]
    assert report.ok
    assert report.finished
    report.raise_for_failures()
    assert [c.index for c in report.skipped_chunks] == [0, 2, 5]
    assert [c.index for c in report.acknowledged_chunks] == [1, 3, 4]
    assert report.unacknowledged_chunks == []
    assert list(report.failures()) == []
    skipped = report.result(0)
    assert (skipped.outcome, skipped.accepted, skipped.transaction_id, skipped.error) == (
        ChunkOutcome.SKIPPED,
        False,
        None,
        None,
    )
    assert report.result(100).transaction_id == "tx-100"
    assert "skipped=250" in repr(report)
    assert ChunkOutcome.SKIPPED.value == "skipped"


@pytest.mark.anyio
async def test_skipped_chunks_are_not_checked_and_a_failure_elsewhere_still_fails_the_run(
    server: BulkServer,
) -> None:
    server.script[("f-2", 1)] = reply(422, error_body(422, "nope"))
    items: list[Any] = events(300)
    items[50] = {"to": "no name"}  # in a skipped chunk: never checked, never sent
    report = await trigger_many(
        make_core(server), agen(items), idempotency_prefix="f", concurrency=3, skip_chunks=[0]
    )
    assert sorted(server.sent_keys()) == ["f-1", "f-2"]
    assert outcomes(report) == ["skipped", "acknowledged", "failed"]
    assert (report.accepted, report.failed, report.skipped, report.done) == (100, 100, 100, 300)
    assert not report.ok
    assert [c.index for c in report.unacknowledged_chunks] == [2]
    assert [f.index for f in report.failures()] == list(range(200, 300))
    with pytest.raises(BulkTriggerError, match=r"trigger_many: 100 of 300 events failed"):
        report.raise_for_failures()


@pytest.mark.anyio
async def test_a_cancelled_run_resumed_with_skip_chunks_sends_only_what_was_not_acknowledged(
    server: BulkServer,
) -> None:
    """Chunks 0-2 acknowledged, chunk 3 done by the server but unanswered, then cancelled. The resumed
    run skips 0-2: they never reach the server again; 3 is replayed, 4-5 done once."""
    core = make_core(server)
    server.script[("r-3", 1)] = "hang_after"
    server.stuck = anyio.Event()
    first = BulkReport()

    async def first_run() -> None:
        await trigger_many(core, events(550), concurrency=1, idempotency_prefix="r", report=first)

    async with anyio.create_task_group() as tg:
        tg.start_soon(first_run)
        await server.stuck.wait()
        tg.cancel_scope.cancel()
    assert outcomes(first) == ["acknowledged"] * 3 + ["in_flight"]
    sent_before = len(server.requests)

    done = [c.index for c in first.acknowledged_chunks + first.skipped_chunks]
    again = await trigger_many(core, events(550), concurrency=2, idempotency_prefix="r", skip_chunks=done)
    assert sorted(server.sent_keys()[sent_before:]) == ["r-3", "r-4", "r-5"]
    assert again.ok
    assert outcomes(again) == ["skipped"] * 3 + ["acknowledged"] * 3
    assert (again.skipped, again.accepted, again.replays) == (300, 250, 1)
    assert again.chunks[3].replayed
    assert sorted(server.processed) == list(range(550))  # every event done exactly once
    assert [r.transaction_id for r in again][300:] == [f"tx-{n}" for n in range(300, 550)]

    # and a third run, skipping what the second acknowledged or skipped, sends nothing at all
    sent_before = len(server.requests)
    third = await trigger_many(
        core,
        events(550),
        idempotency_prefix="r",
        skip_chunks=[c.index for c in again.acknowledged_chunks + again.skipped_chunks],
    )
    assert len(server.requests) == sent_before
    assert third.ok
    assert (third.skipped, third.accepted, third.done) == (550, 0, 550)


@pytest.mark.anyio
async def test_skip_chunks_is_checked_before_anything_is_sent(server: BulkServer) -> None:
    core = make_core(server)
    for bad in ("12", 3, [-1], [True], [1.5], {"a": 1}, None):
        with pytest.raises(ConfigurationError, match="skip_chunks"):
            await trigger_many(core, events(5), skip_chunks=bad)  # type: ignore[arg-type]
    assert server.requests == []
    report = await trigger_many(core, events(5), skip_chunks=range(0))
    assert report.ok
    assert report.skipped == 0


@pytest.mark.anyio
async def test_novu_trigger_many_passes_skip_chunks_on(server: BulkServer) -> None:
    async with Novu(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))) as novu:
        report = await novu.trigger_many(events(120), idempotency_prefix="n", chunk_size=60, skip_chunks=(0,))
    assert server.sent_keys() == ["n-1"]
    assert (report.skipped, report.accepted) == (60, 60)
    assert report.ok
