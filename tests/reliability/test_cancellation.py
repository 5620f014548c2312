"""Cancellation and deadlines.

A call cancelled mid-flight (an outer cancel scope, or its own ``deadline``) must leave nothing
behind: no connection stuck in the pool, no socket open on the server, no background task. The
server is a real socket server on loopback, in a thread with its own event loop, so the client has a
real connection pool (httpx's own on both backends, aiohttp's on asyncio) and the server's tasks do
not count as the client's. It counts its open connections and notices at once when a client hangs
up, even while it is still "working" on an answer.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from novu_async import Novu, RequestOptions
from novu_async._core import NovuCore
from novu_async._retry import RetryConfig
from novu_async.errors import APITimeoutError, ConfigurationError, InternalServerError
from tests.support.core import (
    GET_SUBSCRIBER,
    SECRET,
    SUBSCRIBER,
    TRIGGER_BODY,
    TRIGGER_OK,
    Server,
    envelope,
    make_core,
    reply,
)

pytestmark = pytest.mark.anyio


# ---------------------------------------------------------------------------------------------- server


class SlowServer:
    """HTTP/1.1 keep-alive on loopback: answers every request after ``delay`` seconds with
    ``status`` (200 for GET, 201 for writes, a Novu-shaped body; ``headers`` added)."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.open = 0
        self.accepted = 0
        self.requests = 0
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        assert self._ready.wait(10)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        self.accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method = lines[0].split(" ", 1)[0]
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                self.requests += 1
                if self.delay > 0:
                    # "working": a hang-up meanwhile reads as EOF and ends the connection at once
                    eof = asyncio.ensure_future(reader.read(1))
                    done, _ = await asyncio.wait({eof}, timeout=self.delay)
                    if eof in done:
                        return
                    eof.cancel()
                status = self.status or (200 if method == "GET" else 201)
                data = SUBSCRIBER if method == "GET" else TRIGGER_OK
                body = json.dumps(envelope(data) if status < 400 else {"message": "busy"}).encode()
                extra = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
                writer.write(
                    f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra}"
                    f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open -= 1
            writer.close()


@pytest.fixture
def server() -> Iterator[SlowServer]:
    slow = SlowServer()
    slow.start()
    try:
        yield slow
    finally:
        slow.stop()


# ---------------------------------------------------------------------------------------------- probes


def pool(core: NovuCore) -> tuple[int, int]:
    """``(busy, idle)`` connections in the pool of the core's HTTP client."""
    client = core._clients.made
    if client is None:
        return 0, 0
    transport: Any = client._transport
    if isinstance(transport, httpx.AsyncHTTPTransport):
        connections = transport._pool.connections
        busy = sum(1 for c in connections if not c.is_idle() and not c.is_closed())
        idle = sum(1 for c in connections if c.is_idle())
        return busy, idle
    session = transport.client  # httpx-aiohttp: the aiohttp.ClientSession, made on first use
    if session is None or callable(session):
        return 0, 0
    connector = session.connector
    idle = sum(len(conns) for conns in connector._conns.values())
    return len(connector._acquired), idle


def tasks() -> set[object]:
    """Every task of the running event loop but the current one."""
    if _library() == "asyncio":
        return set(asyncio.all_tasks()) - {asyncio.current_task()}
    import trio

    found: set[object] = set()
    stack = [trio.lowlevel.current_root_task()]
    while stack:
        task = stack.pop()
        if task is None:
            continue
        found.add(task)
        for nursery in task.child_nurseries:
            stack.extend(nursery.child_tasks)
    found.discard(trio.lowlevel.current_task())
    return found


def _library() -> str:
    import sniffio

    return sniffio.current_async_library()


async def settle(check: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Wait (a little) until ``check()`` holds: closing a socket takes a loop iteration or two."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            return False
        await anyio.sleep(0.01)
    return True


async def cancel_once(check: Callable[[], bool], work: Callable[[], Awaitable[Any]]) -> bool:
    """Run ``work`` and cancel it as soon as ``check()`` holds (the server has the request): the
    cancellation lands mid-flight however slow the machine is, with no guessed delay."""
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                assert await settle(check, seconds=10.0), "the server never saw the request"
                scope.cancel()

            group.start_soon(watch)
            await work()
            pytest.fail("the call was not cancelled")
    return scope.cancelled_caught


@pytest.fixture(params=["httpx", "aiohttp"])
async def core(
    request: pytest.FixtureRequest, server: SlowServer, anyio_backend_name: str
) -> AsyncIterator[NovuCore]:
    transport = request.param
    if transport == "aiohttp":
        if anyio_backend_name != "asyncio":
            pytest.skip("aiohttp runs on asyncio only")
        pytest.importorskip("httpx_aiohttp")
    async with NovuCore(SECRET, server_url=server.url, transport=transport) as made:
        yield made


Call = Callable[[Novu, RequestOptions | None], Awaitable[Any]]


async def _retrieve(novu: Novu, options: RequestOptions | None) -> Any:
    return await novu.subscribers.retrieve("sub-1", options=options)


async def _trigger(novu: Novu, options: RequestOptions | None) -> Any:
    return await novu.trigger(TRIGGER_BODY, options=options)


CALLS = [pytest.param(_retrieve, id="GET"), pytest.param(_trigger, id="POST")]


async def _assert_clean(core: NovuCore, server: SlowServer, baseline: set[object]) -> None:
    # the cancelled connection is closed, not handed back to the pool half-read
    assert await settle(lambda: server.open == 0), f"{server.open} connection(s) left open on the server"
    assert pool(core) == (0, 0)
    assert await settle(lambda: tasks() <= baseline), f"tasks left behind: {tasks() - baseline}"


# ---------------------------------------------------------------------------------------------- cancellation


@pytest.mark.parametrize("call", CALLS)
async def test_cancelling_a_call_in_flight_leaves_nothing_behind(
    core: NovuCore, server: SlowServer, call: Call
) -> None:
    novu = Novu(core=core)
    await call(novu, None)  # warm: a pooled keep-alive connection, the client and its helpers made
    assert pool(core) == (0, 1)
    server.delay = 30.0
    baseline = tasks()
    started = time.monotonic()
    assert await cancel_once(lambda: server.requests == 2, lambda: call(novu, None))
    assert time.monotonic() - started < 15
    assert server.requests == 2
    await _assert_clean(core, server, baseline)

    server.delay = 0.0  # the client still works: a new connection
    assert await call(novu, None) is not None
    assert server.accepted == 2


@pytest.mark.parametrize("call", CALLS)
async def test_cancelling_a_call_in_a_retry_wait_leaves_nothing_behind(
    core: NovuCore, server: SlowServer, call: Call
) -> None:
    novu = Novu(core=core)
    server.status = 503
    server.headers = {"retry-after": "30"}
    baseline = tasks()
    # cancelled once the 503 has been read and its connection is back in the pool: the 30 s wait
    assert await cancel_once(lambda: server.requests == 1 and pool(core) == (0, 1), lambda: call(novu, None))
    assert server.requests == 1
    # the 503 was read in full: its connection may wait in the pool for the next call, nothing more
    assert await settle(lambda: pool(core)[0] == 0)
    assert server.open == pool(core)[1] <= 1
    assert await settle(lambda: tasks() <= baseline), f"tasks left behind: {tasks() - baseline}"


@pytest.mark.parametrize("call", CALLS)
async def test_a_deadline_in_flight_leaves_nothing_behind(
    core: NovuCore, server: SlowServer, call: Call
) -> None:
    novu = Novu(core=core)
    server.delay = 30.0
    baseline = tasks()
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as raised:
        await call(novu, RequestOptions(deadline=0.2))
    assert time.monotonic() - started < 5
    error = raised.value
    assert error.attempts == 1
    assert "deadline of 0.2 s" in str(error)
    assert error.operation in str(error)
    assert SECRET not in str(error)
    assert SECRET not in repr(error)
    await _assert_clean(core, server, baseline)


async def test_many_concurrent_calls_cancelled_together(core: NovuCore, server: SlowServer) -> None:
    novu = Novu(core=core)
    server.delay = 30.0
    baseline = tasks()

    async def ten_calls() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(10):
                group.start_soon(_retrieve, novu, None)

    assert await cancel_once(lambda: server.requests == 10, ten_calls)
    assert server.requests == 10
    await _assert_clean(core, server, baseline)


# ---------------------------------------------------------------------------------------------- deadline


async def test_deadline_spans_retries_and_raises_timeout() -> None:
    """One 503 (retry in 0.1 s), then an attempt that hangs: the deadline ends the second attempt."""

    async def handler(request: httpx.Request) -> httpx.Response:
        if len(seen) == 0:
            seen.append(request)
            return reply(503, {"message": "busy"}, {"retry-after-ms": "100"})
        seen.append(request)
        await anyio.sleep(30)
        raise AssertionError("not cancelled")

    seen: list[httpx.Request] = []
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with NovuCore(SECRET, http_client=client, deadline=0.5) as core:
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as raised:
            await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        assert 0.45 < time.monotonic() - started < 3
    error = raised.value
    assert error.attempts == 2
    assert error.operation == "subscribers_retrieve"
    assert str(error) == (
        "subscribers_retrieve: GET /v2/subscribers/sub-1 did not complete within its deadline of 0.5 s "
        "(2 attempts)"
    )
    assert len(seen) == 2
    await client.aclose()


async def test_a_wait_past_the_deadline_is_not_made() -> None:
    server = Server(reply(503, {"message": "busy"}, {"retry-after": "10"}))
    core, waits = make_core(server, deadline=5)
    with pytest.raises(InternalServerError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert raised.value.status_code == 503
    assert waits == []  # the call ends at once with the last answer, not 10 s later
    assert len(server.requests) == 1


async def test_backoff_waits_stop_at_the_deadline() -> None:
    server = Server(reply(503, {"message": "busy"}))
    config = RetryConfig(max_retries=10, initial_wait=1.0, multiplier=2.0, jitter=0, max_elapsed=None)
    core, waits = make_core(server, retries=config)
    with pytest.raises(InternalServerError):
        await core.request(
            GET_SUBSCRIBER, path={"subscriberId": "sub-1"}, options=RequestOptions(deadline=7.5)
        )
    # waits of 1, 2, 4 end at 1, 3, 7 s; the next (8 s) would end at 15 s, past 7.5 s
    assert waits == [1.0, 2.0, 4.0]
    assert len(server.requests) == 4


async def test_option_overrides_the_client_deadline() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.3)
        return reply(200, envelope(SUBSCRIBER))

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with NovuCore(SECRET, http_client=client, deadline=0.05) as core:
        assert core.deadline == 0.05
        with pytest.raises(APITimeoutError, match=r"deadline of 0\.05 s"):
            await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        for options in (RequestOptions(deadline=None), RequestOptions(deadline=5)):
            response = await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"}, options=options)
            assert response.data.subscriber_id == "sub-1"
    await client.aclose()


async def test_outside_cancellation_is_not_a_deadline() -> None:
    """The caller's own cancel scope cancels the call: no ``APITimeoutError`` in its place."""

    async def handler(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(30)
        raise AssertionError("not cancelled")

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with NovuCore(SECRET, http_client=client, deadline=10) as core:
        with anyio.move_on_after(0.1) as scope:
            await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
            pytest.fail("not cancelled")
        assert scope.cancelled_caught
    await client.aclose()


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "5"])
async def test_bad_deadlines_are_refused(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="deadline must be"):
        NovuCore(SECRET, deadline=bad)
    core, _ = make_core(Server(reply(200, envelope(SUBSCRIBER))))
    with pytest.raises(ConfigurationError, match="deadline must be"):
        await core.request(
            GET_SUBSCRIBER, path={"subscriberId": "sub-1"}, options=RequestOptions(deadline=bad)
        )


def test_the_deadline_reaches_the_core() -> None:
    novu = Novu(SECRET, deadline=2.5)
    assert novu.core.deadline == 2.5
    assert "deadline=2.5" in repr(novu)
    assert NovuCore(SECRET).deadline is None
