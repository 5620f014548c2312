"""The retry policy as NovuCore runs it: what is retried, the waits, and one idempotency key per call."""

from __future__ import annotations

import email.utils
import time

import anyio
import httpx
import pytest

from novu_async._core import NovuCore
from novu_async._retry import RetryConfig
from novu_async._types import RequestOptions
from novu_async.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    RateLimitError,
)
from tests.support.core import (
    GET_SUBSCRIBER,
    SECRET,
    SUBSCRIBER,
    TRIGGER,
    TRIGGER_BODY,
    TRIGGER_OK,
    Server,
    envelope,
    error_body,
    make_core,
    reply,
)

pytestmark = pytest.mark.anyio

EXACT = RetryConfig(jitter=0)  # waits without jitter, for exact assertions
OK = reply(201, envelope(TRIGGER_OK))


async def test_server_errors_are_retried_with_one_idempotency_key() -> None:
    server = Server(reply(503), reply(500, error_body(500, "boom")), OK)
    core, waits = make_core(server, retries=EXACT)
    response = await core.request(TRIGGER, body=TRIGGER_BODY)
    assert response.data.acknowledged is True
    assert len(server.requests) == 3
    assert waits == [0.5, 1.0]
    key = server.keys[0]
    assert key is not None
    assert server.keys == [key, key, key]
    assert [r.content for r in server.requests] == [server.requests[0].content] * 3


async def test_a_callers_key_is_reused_by_every_attempt() -> None:
    server = Server(reply(502), reply(504), OK)
    core, _ = make_core(server)
    await core.request(TRIGGER, headers={"idempotency-key": "order-42"}, body=TRIGGER_BODY)
    assert server.keys == ["order-42"] * 3


async def test_default_budget_then_the_error() -> None:
    server = Server(reply(500, error_body(500, "down")))
    core, waits = make_core(server)
    with pytest.raises(InternalServerError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 4  # 3 retries
    assert len(waits) == 3
    # jitter only shortens, by at most a quarter
    for wait, base in zip(waits, [0.5, 1.0, 2.0], strict=True):
        assert 0.75 * base <= wait <= base
    assert caught.value.idempotency_key == server.keys[0]
    assert len(set(server.keys)) == 1


async def test_backoff_is_capped() -> None:
    server = Server(reply(503))
    core, waits = make_core(server, retries=RetryConfig(max_retries=6, jitter=0, max_elapsed=None))
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


async def test_total_time_bounds_the_retries() -> None:
    server = Server(reply(503))
    core, waits = make_core(server, retries=RetryConfig(max_retries=10, jitter=0, max_elapsed=3.0))
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert waits == [0.5, 1.0]  # a third wait of 2 s would end 3.5 s after the start
    assert len(server.requests) == 3


async def test_the_time_budget_counts_the_first_attempt() -> None:
    # the first attempt runs before the retry loop starts; its duration still counts
    attempts: list[httpx.Request] = []

    async def slow_then_unavailable(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        await anyio.sleep(0.3)
        return httpx.Response(503)

    client = httpx.AsyncClient(transport=httpx.MockTransport(slow_then_unavailable))
    core = NovuCore(
        SECRET, http_client=client, retries=RetryConfig(initial_wait=0.3, jitter=0, max_elapsed=0.5)
    )
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    core.sleep = record
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(attempts) == 1  # 0.3 s spent + a 0.3 s wait would end past the 0.5 s budget
    assert waits == []


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses(status: int) -> None:
    server = Server(reply(status), OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 2
    assert waits == [0.5]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_other_client_errors_are_final(status: int) -> None:
    server = Server(reply(status, error_body(status, "no")), OK)
    core, waits = make_core(server)
    with pytest.raises(APIError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.status_code == status
    assert len(server.requests) == 1
    assert waits == []


async def test_a_business_conflict_is_final() -> None:
    server = Server(reply(409, error_body(409, "Subscriber sub-1 already exists")), OK)
    core, waits = make_core(server)
    with pytest.raises(ConflictError, match="already exists"):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 1
    assert waits == []


async def test_an_in_flight_idempotency_conflict_is_retried() -> None:
    in_flight = reply(409, error_body(409, "Request with key is still being processed"))
    with_header = reply(409, error_body(409, "Conflict"), {"Retry-After": "1"})
    server = Server(in_flight, with_header, OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 3
    assert waits == [0.5, 1.0]
    assert len(set(server.keys)) == 1


async def test_retry_after_seconds_is_honoured() -> None:
    server = Server(reply(429, None, {"Retry-After": "3"}), reply(503, None, {"Retry-After": "0"}), OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert waits == [3.0, 0.0]


async def test_retry_after_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    server = Server(reply(429, None, {"Retry-After": when}), OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(waits) == 1
    assert 8.0 <= waits[0] <= 10.0


async def test_retry_after_ms_comes_first() -> None:
    server = Server(reply(429, None, {"retry-after-ms": "1500", "Retry-After": "30"}), OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert waits == [1.5]


async def test_retry_after_beyond_the_cap_gives_up() -> None:
    server = Server(reply(429, error_body(429, "quota"), {"Retry-After": "61"}), OK)
    core, waits = make_core(server)
    with pytest.raises(RateLimitError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.retry_after == 61.0
    assert len(server.requests) == 1
    assert waits == []
    # a client that accepts longer waits does wait
    server = Server(reply(429, None, {"Retry-After": "61"}), OK)
    core, waits = make_core(server, retries=RetryConfig(max_retry_after=120, max_elapsed=None))
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert waits == [61.0]


async def test_a_server_wait_past_the_time_budget_gives_up() -> None:
    server = Server(reply(429, None, {"Retry-After": "30"}), OK)
    core, waits = make_core(server, retries=RetryConfig(max_elapsed=20))
    with pytest.raises(RateLimitError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.retry_after == 30.0
    assert waits == []


async def test_x_should_retry_wins() -> None:
    server = Server(reply(503, None, {"x-should-retry": "false"}), OK)
    core, _ = make_core(server)
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 1

    server = Server(reply(400, None, {"x-should-retry": "true"}), OK)
    core, waits = make_core(server, retries=EXACT)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 2
    assert waits == [0.5]


async def test_reads_are_retried_too() -> None:
    server = Server(reply(503), reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    response = await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert response.data.subscriber_id == "sub-1"
    assert server.keys == [None, None]


# ---------------------------------------------------------------------------------------------- no response


async def test_connection_errors_are_retried_then_raised() -> None:
    server = Server(httpx.ConnectError("connection refused"))
    core, waits = make_core(server, retries=EXACT)
    with pytest.raises(APIConnectionError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    error = caught.value
    assert not isinstance(error, APITimeoutError)
    assert error.attempts == 4
    assert error.operation == "trigger"
    assert error.idempotency_key == server.keys[0]
    assert len(set(server.keys)) == 1
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert "connection refused" in str(error)
    assert "4 attempts" in str(error)
    assert waits == [0.5, 1.0, 2.0]


async def test_a_dropped_connection_then_success() -> None:
    server = Server(httpx.RemoteProtocolError("server disconnected"), httpx.ReadError("reset"), OK)
    core, _ = make_core(server)
    response = await core.request(TRIGGER, body=TRIGGER_BODY)
    assert response.status_code == 201
    assert len(set(server.keys)) == 1


async def test_timeouts_are_retried_then_raised() -> None:
    server = Server(httpx.ReadTimeout("timed out"))
    core, _ = make_core(server)
    with pytest.raises(APITimeoutError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.attempts == 4
    assert len(server.requests) == 4
    assert "timed out" in str(caught.value)


async def test_aiohttp_connection_errors_are_not_called_timeouts() -> None:
    aiohttp = pytest.importorskip("aiohttp")

    def disconnected(request: httpx.Request) -> httpx.Response:
        # what httpx-aiohttp raises when the server hangs up: a "ConnectTimeout"
        raise httpx.ConnectTimeout("Server disconnected") from aiohttp.ServerDisconnectedError()

    def timed_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("Timeout on reading data from socket") from aiohttp.SocketTimeoutError()

    core, _ = make_core(Server(disconnected), retries=1)
    with pytest.raises(APIConnectionError, match="ServerDisconnectedError") as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.attempts == 2
    core, _ = make_core(Server(timed_out), retries=1)
    with pytest.raises(APITimeoutError):
        await core.request(TRIGGER, body=TRIGGER_BODY)


async def test_an_unusable_url_is_not_retried() -> None:
    server = Server(httpx.UnsupportedProtocol("no such scheme"))
    core, waits = make_core(server)
    with pytest.raises(APIConnectionError, match="1 attempt"):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 1
    assert waits == []


# ---------------------------------------------------------------------------------------------- settings


async def test_retries_zero_disables() -> None:
    server = Server(reply(503), OK)
    core, waits = make_core(server, retries=0)
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 1
    assert waits == []


async def test_per_call_retries() -> None:
    server = Server(reply(503))
    core, waits = make_core(server, retries=EXACT)
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY, options=RequestOptions(retries=0))
    assert len(server.requests) == 1
    with pytest.raises(InternalServerError):
        await core.request(
            TRIGGER, body=TRIGGER_BODY, options=RequestOptions(retries=RetryConfig(1, jitter=0))
        )
    assert len(server.requests) == 3
    assert waits == [0.5]
    with pytest.raises(InternalServerError):
        await core.request(TRIGGER, body=TRIGGER_BODY, options=RequestOptions(retries=1))
    assert len(server.requests) == 5


async def test_concurrent_calls_keep_their_own_retry_state() -> None:
    seen: set[str] = set()

    def first_attempt_fails(request: httpx.Request) -> httpx.Response:
        key = request.headers["idempotency-key"]
        if key in seen:
            return httpx.Response(201, json=envelope(TRIGGER_OK))
        seen.add(key)
        return httpx.Response(503)

    server = Server(first_attempt_fails)
    core, waits = make_core(server, retries=EXACT)
    results = []

    async def one() -> None:
        results.append(await core.request(TRIGGER, body=TRIGGER_BODY))

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(one)
    assert len(results) == 20
    assert len(server.requests) == 40
    assert waits == [0.5] * 20


async def test_a_final_status_ends_the_retries() -> None:
    server = Server(reply(503), reply(400, error_body(400, "bad")), OK)
    core, _ = make_core(server, retries=RetryConfig(max_retries=1, jitter=0))
    with pytest.raises(BadRequestError, match="bad"):
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 2
