"""One attempt (``_transport.send``): bounded as a whole by the timeout and in size by
``max_response_bytes`` (after decompression: gzip and deflate are decoded here), and whatever the
transport raises named as httpx names it, so that the retry policy and ``connection_error`` read one
vocabulary (aiohttp's errors through httpx-aiohttp included). Through ``NovuCore.request`` over
``httpx.MockTransport`` and small transports of the test's own; the same over real sockets is in
``tests/reliability/test_hostile_answers.py`` and ``test_attempt_bounds.py``."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from novu_async._core import NovuCore
from novu_async.errors import (
    APIConnectionError,
    APITimeoutError,
    NovuError,
    ResponseTooLargeError,
)
from tests.support.core import GET_SUBSCRIBER, SECRET, SUBSCRIBER, envelope

pytestmark = pytest.mark.anyio

BODY = json.dumps(envelope(SUBSCRIBER)).encode()


class Chunks(httpx.AsyncByteStream):
    """A response body that arrives in pieces (as from a socket), counting what was read."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks
        self.read = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


class Scripted(httpx.AsyncBaseTransport):
    """Answers every request with ``answer()`` (a response, or an exception to raise)."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        outcome = self.answer()
        if isinstance(outcome, BaseException):
            raise outcome
        if callable(outcome):
            return await outcome()  # type: ignore[no-any-return]
        return outcome  # type: ignore[no-any-return]


def _core(answer: Any, **settings: Any) -> tuple[NovuCore, Scripted]:
    transport = Scripted(answer)
    core = NovuCore(SECRET, http_client=httpx.AsyncClient(transport=transport), **settings)

    async def no_wait(seconds: float) -> None:
        await anyio.lowlevel.checkpoint()

    core.sleep = no_wait
    return core, transport


def _ok(stream: httpx.AsyncByteStream, *headers: tuple[str, str]) -> httpx.Response:
    return httpx.Response(200, headers=[("content-type", "application/json"), *headers], stream=stream)


async def _get(core: NovuCore) -> Any:
    return await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})


# ---------------------------------------------------------------------------------------------- decoding


def _deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        pytest.param("gzip", gzip.compress(BODY), id="gzip"),
        pytest.param("x-gzip", gzip.compress(BODY), id="x-gzip"),
        pytest.param("deflate", zlib.compress(BODY), id="deflate"),
        pytest.param("deflate", _deflate_raw(BODY), id="raw-deflate"),
        pytest.param("identity", BODY, id="identity"),
    ],
)
async def test_compressed_answers_are_decoded(encoding: str, encoded: bytes) -> None:
    pieces = [encoded[i : i + 7] for i in range(0, len(encoded), 7)]  # decoding across pieces
    core, _ = _core(lambda: _ok(Chunks(*pieces), ("content-encoding", encoding)))
    response = await _get(core)
    assert response.data.subscriber_id == "sub-1"
    assert response.raw.content == BODY


@pytest.mark.parametrize("transport", ["httpx", "auto"])
async def test_the_clients_it_makes_ask_only_for_the_encodings_it_decodes(transport: str) -> None:
    async with NovuCore(SECRET, transport=transport) as core:  # type: ignore[arg-type]
        assert core._clients.get().headers["accept-encoding"] == "gzip, deflate"  # no br, no zstd


async def test_a_broken_compressed_body_is_a_malformed_answer_and_retried() -> None:
    broken = gzip.compress(BODY)
    for body in (broken[:10] + b"\xff" * 20, broken[:-12]):  # garbage; cut short
        core, transport = _core(lambda body=body: _ok(Chunks(body), ("content-encoding", "gzip")), retries=2)
        with pytest.raises(APIConnectionError, match="compressed body is broken") as raised:
            await _get(core)
        assert transport.requests == 3
        assert raised.value.request_sent


# ------------------------------------------------------------------------------------------ the size limit


async def test_a_body_over_the_limit_is_not_read_further_nor_retried() -> None:
    stream = Chunks(*[b"x" * 1000] * 100)
    core, transport = _core(lambda: _ok(stream), max_response_bytes=5000, retries=3)
    with pytest.raises(ResponseTooLargeError) as raised:
        await _get(core)
    error = raised.value
    assert (error.status_code, error.limit, error.attempts) == (200, 5000, 1)
    assert transport.requests == 1
    assert stream.read == 6  # the sixth thousand passed the limit: nothing after it was read
    assert stream.closed
    assert isinstance(error, APIConnectionError)
    assert error.request_sent
    assert "answer larger than max_response_bytes=5000" in str(error)


async def test_a_content_length_over_the_limit_is_refused_before_reading() -> None:
    stream = Chunks(b"x" * 10)
    core, _ = _core(lambda: _ok(stream, ("content-length", "999999")), max_response_bytes=1000)
    with pytest.raises(ResponseTooLargeError, match="Content-Length: 999999"):
        await _get(core)
    assert stream.read == 0


async def test_the_limit_counts_the_decoded_size() -> None:
    bomb = gzip.compress(bytes(10_000_000))  # about 10 kB
    core, _ = _core(lambda: _ok(Chunks(bomb), ("content-encoding", "gzip")), max_response_bytes=1_000_000)
    with pytest.raises(ResponseTooLargeError):
        await _get(core)
    # within the limit, the same answer is read whole
    core, _ = _core(
        lambda: _ok(Chunks(gzip.compress(BODY)), ("content-encoding", "gzip")), max_response_bytes=len(BODY)
    )
    assert (await _get(core)).raw.content == BODY


async def test_an_answer_already_in_memory_is_checked_too() -> None:
    core, _ = _core(lambda: httpx.Response(200, content=b"x" * 2000), max_response_bytes=1000)
    with pytest.raises(ResponseTooLargeError, match="2000 bytes"):
        await _get(core)


async def test_no_limit_reads_everything() -> None:
    core, _ = _core(lambda: _ok(Chunks(BODY[:10], BODY[10:])), max_response_bytes=None)
    assert (await _get(core)).raw.content == BODY


# ------------------------------------------------------------------------------------------ the time bound


async def test_the_timeout_bounds_the_whole_attempt() -> None:
    """Each piece comes well within a read timeout, but the whole answer takes longer than the
    attempt's timeout: cut off (and retried, each attempt cut off alike)."""

    class Slow(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            while True:
                await anyio.sleep(0.01)
                yield b" "

    core, transport = _core(lambda: _ok(Slow()), timeout=0.2, retries=1)
    with anyio.fail_after(10):
        with pytest.raises(APITimeoutError, match=r"longer than its timeout of 0\.2 s") as raised:
            await _get(core)
    assert raised.value.attempts == 2
    assert transport.requests == 2


async def test_an_httpx_timeout_bounds_the_attempt_by_its_largest_value() -> None:
    async def late() -> httpx.Response:
        await anyio.sleep(0.3)
        return httpx.Response(200, content=BODY)

    core, _ = _core(lambda: late, timeout=httpx.Timeout(0.1, read=0.5), retries=0)
    assert (await _get(core)).data.subscriber_id == "sub-1"  # 0.3 s: within the largest, 0.5 s
    core, _ = _core(lambda: late, timeout=httpx.Timeout(0.1, read=0.15), retries=0)
    with pytest.raises(APITimeoutError):
        await _get(core)


# ---------------------------------------------------------------------------------------------- errors


def _aiohttp_error(name: str) -> BaseException:
    aiohttp = pytest.importorskip("aiohttp")
    import yarl
    from aiohttp import client_exceptions as ce
    from multidict import CIMultiDict, CIMultiDictProxy

    key = aiohttp.client_reqrep.ConnectionKey("127.0.0.1", 1, False, True, None, None, None)
    info = aiohttp.RequestInfo(yarl.URL("http://127.0.0.1:1/x"), "GET", CIMultiDictProxy(CIMultiDict()))
    made: dict[str, Any] = {
        "ClientConnectorError": lambda: ce.ClientConnectorError(key, OSError(111, "Connection refused")),
        "ConnectionTimeoutError": lambda: ce.ConnectionTimeoutError("Connection timeout"),
        "ServerDisconnectedError": lambda: ce.ServerDisconnectedError(),
        "ClientPayloadError": lambda: ce.ClientPayloadError("Response payload is not completed"),
        "ClientResponseError": lambda: ce.ClientResponseError(
            info, (), status=400, message="Invalid status line"
        ),
        "ClientOSError": lambda: ce.ClientOSError(104, "Connection reset by peer"),
        "SocketTimeoutError": lambda: ce.SocketTimeoutError("Timeout on reading data from socket"),
        "NonHttpUrlClientError": lambda: ce.NonHttpUrlClientError("ftp://x"),
    }
    return made[name]()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("name", "wrapped", "error", "retried", "sent"),
    [
        # as httpx-aiohttp passes them: some unmapped, some under a name that says something else
        ("ClientConnectorError", httpx.ConnectError, APIConnectionError, True, False),
        ("ConnectionTimeoutError", httpx.ConnectTimeout, APITimeoutError, True, False),
        ("ServerDisconnectedError", httpx.ConnectTimeout, APIConnectionError, True, True),
        ("ClientOSError", httpx.ConnectTimeout, APIConnectionError, True, True),
        ("ClientPayloadError", httpx.ReadError, APIConnectionError, True, True),
        ("SocketTimeoutError", httpx.ReadTimeout, APITimeoutError, True, True),
        ("ClientResponseError", None, APIConnectionError, True, True),
        ("NonHttpUrlClientError", httpx.UnsupportedProtocol, APIConnectionError, False, False),
    ],
)
async def test_aiohttp_errors_get_their_httpx_names(
    name: str, wrapped: type[httpx.RequestError] | None, error: type[NovuError], retried: bool, sent: bool
) -> None:
    def raise_it() -> BaseException:
        cause = _aiohttp_error(name)
        if wrapped is None:
            return cause
        exc = wrapped(str(cause))
        exc.__cause__ = cause
        return exc

    core, transport = _core(raise_it, retries=1)
    with pytest.raises(NovuError) as raised:
        await _get(core)
    assert type(raised.value) is error, raised.value
    assert isinstance(raised.value, APIConnectionError)
    assert raised.value.request_sent is sent
    assert transport.requests == (2 if retried else 1)
    assert name in str(raised.value)


@pytest.mark.parametrize(
    ("exc", "retried"),
    [
        pytest.param(RuntimeError("Session is closed"), False, id="runtime-error"),
        pytest.param(ValueError("a transport's bug"), False, id="value-error"),
        pytest.param(ConnectionResetError(104, "reset"), True, id="os-error"),
        pytest.param(TimeoutError(), True, id="timeout-error"),
    ],
)
async def test_any_other_transport_exception_is_a_novu_error(exc: BaseException, retried: bool) -> None:
    core, transport = _core(lambda: exc, retries=1)
    with pytest.raises(APIConnectionError) as raised:
        await _get(core)
    assert transport.requests == (2 if retried else 1)
    assert raised.value.__cause__ is not None
    assert raised.value.__cause__.__cause__ is exc  # the httpx-named error, then the original


async def test_cancellation_is_not_mapped() -> None:
    async def never() -> httpx.Response:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    core, _ = _core(lambda: never)
    with anyio.move_on_after(0.05) as scope:
        await _get(core)
    assert scope.cancelled_caught


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_timed_out_attempt_leaves_no_cancellation_behind() -> None:
    """On asyncio the attempt's timer cancels the task and takes that back: once the timeout is
    raised the task counts no cancellation, so a cancel scope around it is not confused."""
    import asyncio

    async def late() -> httpx.Response:
        await anyio.sleep(10)
        raise AssertionError  # pragma: no cover

    core, _ = _core(lambda: late, timeout=0.05, retries=2)
    with anyio.CancelScope() as outer:
        with pytest.raises(APITimeoutError):
            await _get(core)
        task = asyncio.current_task()
        assert task is not None
        assert task.cancelling() == 0
        await anyio.lowlevel.checkpoint()  # a checkpoint: no stray cancellation arrives
    assert not outer.cancelled_caught
