"""FakeNovu over loopback sockets, on asyncio (protocol driver) and trio (anyio stream driver), with
each HTTP parser (h11, always there; httptools, used when installed): the same behaviour."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from novu_async import NovuCore
from novu_async._transport import POOL_LIMITS
from novu_async.funcs.trigger import trigger
from novu_async.funcs.trigger_bulk import trigger_bulk
from novu_async.testing import FakeNovu, FakeServer, Faults
from tests.testing.support import AUTH, FAST_RETRIES, KEY, event, ledger_numbers, read_response

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["h11", "httptools"])
def parser(request: pytest.FixtureRequest) -> str:
    if request.param == "httptools":
        pytest.importorskip("httptools", reason="the httptools parser is used only when it is installed")
    return str(request.param)


@pytest.fixture
async def server(fake: FakeNovu, parser: str) -> AsyncIterator[FakeServer]:
    async with fake.serve(host="127.0.0.1", port=0, parser=parser) as running:
        yield running


@pytest.fixture
async def http(server: FakeServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, headers=AUTH) as client:
        yield client


async def test_requests_share_one_kept_alive_connection(
    fake: FakeNovu, server: FakeServer, http: httpx.AsyncClient
) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}"
    first = await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    again = await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    missing = await http.get("/v2/subscribers/nobody")
    assert (first.status_code, again.status_code, missing.status_code) == (201, 201, 404)
    assert again.headers["idempotency-replay"] == "true"
    assert again.content == first.content
    assert first.headers["content-type"] == "application/json; charset=utf-8"
    assert ledger_numbers(fake) == [1]
    assert fake.stats.connections == 1


async def test_a_dropped_connection_after_processing_then_a_replay(
    fake: FakeNovu, http: httpx.AsyncClient
) -> None:
    fake.fail_next("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    retry = await http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
    assert retry.headers["idempotency-replay"] == "true"
    assert ledger_numbers(fake) == [1]


async def test_the_sdk_delivers_every_event_once_through_socket_faults(server: FakeServer) -> None:
    fake = server.fake
    fake.faults = Faults(drop_before=0.1, drop_after=0.2, status_503=0.1, retry_after=0)
    async with server.client(retries=FAST_RETRIES) as novu, anyio.create_task_group() as group:
        for start in range(0, 1000, 100):
            group.start_soon(
                trigger_bulk, novu.core, {"events": [event(n) for n in range(start, start + 100)]}
            )
        for n in range(1000, 1050):
            group.start_soon(trigger, novu.core, event(n))
    assert sorted(ledger_numbers(fake)) == list(range(1050))
    assert fake.stats.replays == fake.stats.faults["drop_after"] > 0


async def test_a_slow_answer_keeps_its_key_in_flight(fake: FakeNovu, server: FakeServer) -> None:
    fake.faults = Faults(slow_seconds=0.2)
    fake.fail_next("slow")
    async with httpx.AsyncClient(base_url=server.url, headers=AUTH, timeout=0.05) as http:
        keyed = {"idempotency-key": "k"}
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/v1/events/trigger", json=event(1), headers=keyed)
        assert ledger_numbers(fake) == [1]  # done, still being answered
        conflict = await http.post("/v1/events/trigger", json=event(1), headers=keyed)
        assert conflict.status_code == 409
        assert conflict.headers["retry-after"] == "1"
        await anyio.sleep(0.25)
        replay = await http.post("/v1/events/trigger", json=event(1), headers=keyed)
    assert replay.headers["idempotency-replay"] == "true"
    assert ledger_numbers(fake) == [1]


def request(method: str, path: str, body: bytes = b"", *headers: str, version: str = "HTTP/1.1") -> bytes:
    lines = [f"{method} {path} {version}", "Host: fake", f"Authorization: ApiKey {KEY}", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


TRIGGER = b'{"name":"welcome","to":"s"}'


async def test_pipelined_requests_are_answered_in_order(fake: FakeNovu, server: FakeServer) -> None:
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(
            request("POST", "/v1/events/trigger", TRIGGER)
            + request("GET", "/v2/subscribers/x")
            + request("POST", "/v1/events/trigger", TRIGGER, "Connection: close")
            + request("POST", "/v1/events/trigger", TRIGGER)  # after a close: not read
        )
        buffer = bytearray()
        answers = [await read_response(stream, buffer) for _ in range(3)]
        assert [status for status, _, _ in answers] == [201, 404, 201]
        assert answers[2][1]["connection"] == "close"
        with pytest.raises(anyio.EndOfStream):
            await stream.receive()
    assert len(fake.ledger) == 2


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /v2/subscribers HTTP/1.1\r\nAuthorization: ApiKey x\r\n\r\n", 400),  # no Host
        (request("GET", "/v2/subscribers", b"", "Bad Header"), 400),
        (request("POST", "/v1/events/trigger", b"", "Content-Length: ten"), 400),
        (request("POST", "/v1/events/trigger", b"", f"Content-Length: {64 * 1024 * 1024}"), 413),
        (b"GET / HTTP/1.1\r\nX: " + b"x" * 70_000, 431),
    ],
)
async def test_requests_the_server_refuses_close_the_connection(
    server: FakeServer, raw: bytes, status: int
) -> None:
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(raw)
        answer, headers, body = await read_response(stream, bytearray())
        assert answer == status
        assert headers["connection"] == "close"
        assert b'"statusCode"' in body
        with pytest.raises((anyio.EndOfStream, anyio.BrokenResourceError)):
            await stream.receive()


async def test_a_client_closing_its_side_gets_the_answers_it_asked_for(
    fake: FakeNovu, server: FakeServer
) -> None:
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(request("POST", "/v1/events/trigger", TRIGGER))
        await stream.send_eof()  # a complete request, then EOF: answered, then closed
        status, _, _ = await read_response(stream, bytearray())
        assert status == 201
        with pytest.raises((anyio.EndOfStream, anyio.BrokenResourceError)):
            await stream.receive()
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(request("POST", "/v1/events/trigger", TRIGGER)[:-5])
        await stream.send_eof()  # within the body: refused
        status, headers, _ = await read_response(stream, bytearray())
        assert (status, headers["connection"]) == (400, "close")
    assert len(fake.ledger) == 1


async def test_a_head_read_with_a_large_body_before_it_is_not_too_large(
    fake: FakeNovu, server: FakeServer
) -> None:
    """The head limit counts the head only: a request whose head arrives in one read with 100 KB of
    the body before it, and is completed in the next, is answered."""
    big = b'{"name":"welcome","to":"s","payload":{"text":"%s"}}' % (b"x" * 100_000)
    second = request("POST", "/v1/events/trigger", TRIGGER)
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(request("POST", "/v1/events/trigger", big) + second[:20])
        buffer = bytearray()
        first_status, _, _ = await read_response(stream, buffer)
        await stream.send(second[20:])
        second_status, _, _ = await read_response(stream, buffer)
    assert (first_status, second_status) == (201, 201)
    assert len(fake.ledger) == 2


async def test_http10_keep_alive_is_closed_too(server: FakeServer) -> None:
    """As h11 serves HTTP/1.0: one request per connection, whatever it asks."""
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(
            request("GET", "/v2/subscribers", b"", "Connection: keep-alive", version="HTTP/1.0")
        )
        status, headers, _ = await read_response(stream, bytearray())
        assert (status, headers["connection"]) == (200, "close")


async def test_an_unknown_parser_is_refused_by_name(fake: FakeNovu) -> None:
    with pytest.raises(ValueError, match="unknown HTTP parser 'picohttp'"):
        async with fake.serve(parser="picohttp"):
            pass


async def test_chunked_request_bodies_are_accepted(fake: FakeNovu, server: FakeServer) -> None:
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        head = request("POST", "/v1/events/trigger", b"", "Transfer-Encoding: chunked")
        chunks = b"".join(
            f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (TRIGGER[:9], TRIGGER[9:])
        )
        await stream.send(head + chunks + b"0\r\n\r\n")
        status, headers, body = await read_response(stream, bytearray())
        assert status == 201
        assert "connection" not in headers  # kept alive
        assert b'"processed"' in body
        # with a Content-Length too, the chunks count (RFC 9112 6.3)
        await stream.send(
            request("POST", "/v1/events/trigger", b"", "Transfer-Encoding: chunked", "Content-Length: 3")
            + chunks
            + b"0\r\n\r\n"
        )
        status, _, _ = await read_response(stream, bytearray())
        assert status == 201

    async def parts() -> AsyncIterator[bytes]:  # httpx sends an iterated body chunked
        yield b'{"name": "welcome", '
        yield b'"to": "s2"}'

    async with httpx.AsyncClient(base_url=server.url, headers=AUTH) as http:
        response = await http.post("/v1/events/trigger", content=parts())
    assert response.status_code == 201
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert [entry.event["to"] for entry in fake.ledger] == ["s", "s", "s2"]


async def test_http10_closes_and_expect_continue_is_answered(fake: FakeNovu, server: FakeServer) -> None:
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        head = request("POST", "/v1/events/trigger", TRIGGER, "Expect: 100-continue")
        await stream.send(head[: -len(TRIGGER)])
        buffer = bytearray()
        while b"\r\n\r\n" not in buffer:
            buffer += await stream.receive()
        assert bytes(buffer) == b"HTTP/1.1 100 Continue\r\n\r\n"
        await stream.send(TRIGGER)
        status, _, _ = await read_response(stream, bytearray())
        assert status == 201
    async with await anyio.connect_tcp("127.0.0.1", server.port) as stream:
        await stream.send(request("GET", "/v2/subscribers", version="HTTP/1.0"))
        status, headers, _ = await read_response(stream, bytearray())
        assert status == 200
        assert headers["connection"] == "close"
    assert len(fake.ledger) == 1


async def test_the_sdk_client_of_the_server_and_its_stop(fake: FakeNovu, parser: str) -> None:
    async with fake.serve(parser=parser) as server:
        async with server.client() as novu:
            ack = await trigger(novu.core, event(5))
        port = server.port
    assert fake.ledger[0].transaction_id == ack.transaction_id
    with pytest.raises(OSError, match="connection attempts failed"):  # nothing listens any more
        await anyio.connect_tcp("127.0.0.1", port)


async def test_a_latency_holds_one_connection_and_not_the_others(fake: FakeNovu, server: FakeServer) -> None:
    fake.latency = 0.05
    async with httpx.AsyncClient(base_url=server.url, headers=AUTH) as http:
        started = anyio.current_time()
        async with anyio.create_task_group() as group:
            for n in range(10):
                group.start_soon(functools.partial(http.post, "/v1/events/trigger", json=event(n)))
        elapsed = anyio.current_time() - started
    assert len(fake.ledger) == 10
    assert elapsed < 0.6  # concurrent, not 10 x 0.1 s


async def test_the_sdk_keeps_its_connections_open_under_load(fake: FakeNovu) -> None:
    """64 workers, 3 calls each, against a server that takes 0.05 s per answer, through the core's own
    httpx pool: the pool keeps every connection it opens, so it never opens more than its limit of
    open connections (100), far fewer than the 192 calls. (httpx's default pool closed an idle
    connection whenever more than 20 were open: nearly one connection per call.) How many it opens
    up to that limit is the pool's own business: httpcore may hand two queued calls one idle
    connection and open another for the one that loses, more often on a loaded machine."""
    fake.latency = 0.05
    async with fake.serve() as server, NovuCore(KEY, server_url=server.url, transport="httpx") as core:

        async def worker(w: int) -> None:
            for n in range(3):
                await trigger(core, event(w * 3 + n))

        async with anyio.create_task_group() as group:
            for w in range(64):
                group.start_soon(worker, w)
    assert len(fake.ledger) == 192
    assert fake.stats.connections <= POOL_LIMITS.max_connections == 100
