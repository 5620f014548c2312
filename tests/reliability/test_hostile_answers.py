"""Hostile answers over a real socket: whatever bytes come back, the call raises a ``NovuError`` (never
the transport's own exception), a malformed answer is an ``APIConnectionError`` retried like a broken
connection, and nothing is retried that should not be.

The matrix: each answer below, from the raw-socket server of ``tests/support/raw_server.py``, on
httpx's transport and httpx-aiohttp's (the default on asyncio), on asyncio, trio and uvloop (aiohttp
on asyncio and uvloop only: it has no trio support). Retry waits are recorded, not slept.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from novu_async._core import NovuCore
from novu_async.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NovuError,
    ResponseValidationError,
)
from tests.support.core import GET_SUBSCRIBER, SECRET, SUBSCRIBER, envelope
from tests.support.raw_server import Answer, RawServer, closed_port, head, raw, reset_after

pytestmark = pytest.mark.anyio

RETRIES = 2  # three attempts in all
_SUBSCRIBER = json.dumps(envelope(SUBSCRIBER)).encode()
_HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass(frozen=True)
class Hostile:
    """One answer and what the call must raise: ``error`` after ``attempts`` attempts
    (``None``: the answer is fine for that transport, the call succeeds)."""

    answer: Answer
    error: type[NovuError] | None
    attempts: int
    aiohttp_error: type[NovuError] | None = None  # when aiohttp's parser judges otherwise
    sent: bool = True  # APIConnectionError.request_sent
    # aiohttp sends an idempotent request (GET) once more by itself when the server hangs up without
    # a word: the server may count up to twice the attempts
    aiohttp_resends: bool = False


MALFORMED = APIConnectionError  # and retried
CASES: dict[str, Hostile] = {
    "garbage status line": Hostile(
        raw(b"HTTP/1.1 two hundred OK\r\ncontent-length: 2\r\n\r\n{}"), MALFORMED, 3
    ),
    "not http at all": Hostile(raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), MALFORMED, 3),
    # 9,000 bytes: over aiohttp's 8,190-byte line limit, within h11's (httpcore allows 100 KiB)
    "long header (9 kB)": Hostile(
        raw(
            head(200, "content-type: application/json", "x-long: " + "a" * 9000, length=len(_SUBSCRIBER))
            + _SUBSCRIBER
        ),
        None,
        1,
        aiohttp_error=MALFORMED,
    ),
    "long header (200 kB)": Hostile(
        raw(head(200, "content-type: application/json", "x-long: " + "a" * 200_000, length=2) + b"{}"),
        MALFORMED,
        3,
    ),
    "bad header character": Hostile(
        raw(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"x-bad: a\x00b\r\ncontent-length: 2\r\n\r\n{}"
        ),
        MALFORMED,
        3,
    ),
    "bad header name": Hostile(
        raw(b"HTTP/1.1 200 OK\r\nx-b@d: 1\r\ncontent-length: 2\r\n\r\n{}"), MALFORMED, 3
    ),
    "bad chunked encoding": Hostile(
        raw(
            head(200, "content-type: application/json", "transfer-encoding: chunked")
            + b"zz\r\nnot a chunk\r\n"
        ),
        MALFORMED,
        3,
    ),
    "reset mid-body": Hostile(
        reset_after(head(200, "content-type: application/json", length=len(_SUBSCRIBER)) + _SUBSCRIBER[:20]),
        MALFORMED,
        3,
    ),
    "truncated body": Hostile(
        raw(head(200, "content-type: application/json", length=len(_SUBSCRIBER)) + _SUBSCRIBER[:20]),
        MALFORMED,
        3,
    ),
    "closed before any answer": Hostile(raw(b""), MALFORMED, 3, aiohttp_resends=True),
    # the server did the work: not retried, the raw body kept
    "invalid JSON 2XX": Hostile(
        raw(head(200, "content-type: application/json", length=9) + b'{"data": '), ResponseValidationError, 1
    ),
    "HTML 502": Hostile(
        raw(head(502, "content-type: text/html", length=len(_HTML)) + _HTML, keep_alive=True),
        InternalServerError,
        3,
    ),
    "the answer it should be": Hostile(
        raw(
            head(200, "content-type: application/json", length=len(_SUBSCRIBER)) + _SUBSCRIBER,
            keep_alive=True,
        ),
        None,
        1,
    ),
}


@pytest.fixture(params=["httpx", "aiohttp"])
def transport(request: pytest.FixtureRequest, anyio_backend_name: str) -> str:
    name: str = request.param
    if name == "aiohttp":
        if anyio_backend_name != "asyncio":
            pytest.skip("aiohttp runs on asyncio only")
        if importlib.util.find_spec("httpx_aiohttp") is None:  # pragma: no cover - in the dev extra
            pytest.skip("httpx-aiohttp is not installed")
    return name


@pytest.fixture(params=list(CASES))
def case(request: pytest.FixtureRequest) -> Iterator[tuple[Hostile, RawServer]]:
    hostile = CASES[request.param]
    with RawServer.serving(hostile.answer) as server:
        yield hostile, server


@asynccontextmanager
async def _core(url: str, transport: str) -> AsyncIterator[tuple[NovuCore, list[float]]]:
    waits: list[float] = []
    core = NovuCore(SECRET, server_url=url, transport=transport, retries=RETRIES, timeout=10)  # type: ignore[arg-type]

    async def record(seconds: float) -> None:
        waits.append(seconds)

    core.sleep = record
    async with core:
        yield core, waits


async def _call(core: NovuCore) -> Any:
    return await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})


async def test_a_hostile_answer_is_a_novu_error(case: tuple[Hostile, RawServer], transport: str) -> None:
    hostile, server = case
    expected = hostile.aiohttp_error if transport == "aiohttp" and hostile.aiohttp_error else hostile.error
    attempts = 3 if expected is MALFORMED else hostile.attempts
    async with _core(server.url, transport) as (core, waits):
        if expected is None:
            response = await _call(core)
            assert response.data.subscriber_id == "sub-1"
            assert server.requests == attempts
            return
        with pytest.raises(NovuError) as raised:
            await _call(core)
        error = raised.value
        assert type(error) is expected, f"{type(error).__name__}: {error}"
        if transport == "aiohttp" and hostile.aiohttp_resends:
            assert attempts <= server.requests <= 2 * attempts
        else:
            assert server.requests == attempts
        assert len(waits) == attempts - 1
        if isinstance(error, APIConnectionError):
            assert not isinstance(error, APITimeoutError)
            assert error.attempts == attempts
            assert error.request_sent is hostile.sent
            assert "subscribers_retrieve: GET /v2/subscribers/sub-1 failed" in str(error)
        if isinstance(error, ResponseValidationError):
            assert error.body == '{"data": '
        if isinstance(error, InternalServerError):
            assert error.status_code == 502
            assert error.body == _HTML.decode()


async def test_a_refused_connection_is_not_sent(transport: str) -> None:
    async with _core(f"http://127.0.0.1:{closed_port()}", transport) as (core, waits):
        with pytest.raises(APIConnectionError) as raised:
            await _call(core)
    error = raised.value
    assert type(error) is APIConnectionError
    assert error.request_sent is False
    assert error.attempts == RETRIES + 1
    assert len(waits) == RETRIES  # retried all the same: a server may come up
    assert "the request was not sent" in str(error)


def test_the_matrix_is_complete() -> None:
    """The issue's list: garbage status, long header, bad header char, bad chunked, reset mid-body,
    truncated body, invalid JSON 2XX, HTML 502 (and the refused connection, above)."""
    names = " ".join(CASES)
    for word in (
        "garbage",
        "long header",
        "bad header",
        "chunked",
        "reset",
        "truncated",
        "invalid JSON",
        "502",
    ):
        assert word in names
