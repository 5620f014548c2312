"""FakeNovu over real sockets: a small HTTP/1.1 server for asyncio and trio.

Keep-alive by default (HTTP/1.1), ``Connection: close`` honoured, pipelined requests answered in
order, ``Expect: 100-continue`` answered. Request bodies need ``Content-Length``: a chunked body gets
411. Answers always carry ``Content-Length``. A dropped-connection fault closes the socket without
writing a byte for that request.

One parser (``_Requests``: bytes in, requests out) and two drivers: an ``asyncio.Protocol`` on
asyncio (no task switch for a request answered at once, and the socket stays registered for reading,
about 40% less CPU per request than a stream), anyio byte streams anywhere else (trio).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final, NamedTuple, cast

import anyio
import anyio.abc
import attrs
import sniffio

from ._wire import JSON_TYPE, Reply, dumps, error_body

if TYPE_CHECKING:
    from .._client import Novu
    from ._fake import Answer, FakeNovu

__all__ = ["FakeServer", "serve"]

logger = logging.getLogger("novu_async.testing")

MAX_HEAD: Final = 64 * 1024
MAX_BODY: Final = 32 * 1024 * 1024
_RECEIVE: Final = 256 * 1024
_CONTINUE: Final = b"HTTP/1.1 100 Continue\r\n\r\n"
_GONE: Final = (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)


@attrs.frozen
class FakeServer:
    """A running ``FakeNovu.serve()``: where it listens."""

    fake: FakeNovu = attrs.field(repr=False)
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def client(self, **kwargs: Any) -> Novu:
        """A ``Novu`` for this server (its own HTTP client); takes ``Novu``'s keywords but ``server_url``."""
        from .._client import Novu

        kwargs.setdefault("secret_key", self.fake.client_secret_key)
        return Novu(server_url=self.url, **kwargs)


@contextlib.asynccontextmanager
async def serve(fake: FakeNovu, host: str, port: int) -> AsyncIterator[FakeServer]:
    """Listen on ``host:port`` until the block ends, then close the listener and every connection."""
    if sniffio.current_async_library() == "asyncio":
        connections: set[_Protocol] = set()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Protocol(fake, connections), host, port)
        try:
            yield FakeServer(fake, host, server.sockets[0].getsockname()[1])
        finally:
            server.close()
            for connection in list(connections):
                connection.abort()
            await server.wait_closed()
        return
    listener = await anyio.create_tcp_listener(local_host=host, local_port=port)
    async with listener, anyio.create_task_group() as group:
        group.start_soon(listener.serve, functools.partial(_serve_stream, fake))
        try:
            yield FakeServer(fake, host, listener.extra(anyio.abc.SocketAttribute.local_port))
        finally:
            group.cancel_scope.cancel()


# --- HTTP/1.1, without I/O


@functools.cache
def _status_line(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP/1.1 {status} {phrase}\r\n".encode()


def _encode(reply: Reply, close: bool) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in reply.headers)
    tail = "Connection: close\r\n\r\n" if close else "\r\n"
    head = f"{head}Content-Length: {len(reply.body)}\r\n{tail}"
    return _status_line(reply.status) + head.encode("latin-1") + reply.body


class _Refused(Exception):
    """A request the server answers itself (400, 411, 413, 431), then closes the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def encoded(self) -> bytes:
        body = dumps(error_body(self.status, "", str(self)))
        return _encode(Reply(self.status, body, [JSON_TYPE]), close=True)


class _Request(NamedTuple):
    method: str
    target: str
    authorization: str | None
    idempotency_key: str | None
    body: bytes
    close: bool  # the connection closes after the answer


class _Requests:
    """Bytes in (``feed``), complete requests out (``next``); ``wants_continue`` once per request
    whose client waits for ``100 Continue`` before sending its body."""

    __slots__ = ("_buffer", "_continued")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._continued = False

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next(self) -> _Request | None:
        """The next complete request, removed from the buffer; None until one has fully arrived."""
        buffer = self._buffer
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > MAX_HEAD:
                raise _Refused(431, "request head too large")
            return None
        lines = bytes(buffer[:end]).lstrip(b"\r\n").decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or parts[2] not in ("HTTP/1.1", "HTTP/1.0") or not parts[1].startswith("/"):
            raise _Refused(400, "malformed request line")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise _Refused(400, "malformed header line")
            headers[name.lower()] = value.strip()
        if "transfer-encoding" in headers:
            raise _Refused(411, "chunked request bodies are not supported: send Content-Length")
        length_text = headers.get("content-length", "0")
        if not length_text.isdigit():
            raise _Refused(400, "invalid Content-Length")
        length = int(length_text)
        if length > MAX_BODY:
            raise _Refused(413, f"request body larger than {MAX_BODY} bytes")
        start = end + 4
        if len(buffer) < start + length:
            return None
        body = bytes(buffer[start : start + length])
        del buffer[: start + length]
        self._continued = False
        connection = headers.get("connection", "").lower()
        close = connection == "close" if parts[2] == "HTTP/1.1" else connection != "keep-alive"
        return _Request(
            parts[0], parts[1], headers.get("authorization"), headers.get("idempotency-key"), body, close
        )

    def wants_continue(self) -> bool:
        """After ``next`` returned None: whether to send ``100 Continue`` now."""
        if self._continued:
            return False
        end = self._buffer.find(b"\r\n\r\n")
        head = bytes(self._buffer[:end]).lower() if end >= 0 else b""
        self._continued = b"\r\nexpect: 100-continue" in head
        return self._continued


# --- driver: anyio byte streams


async def _serve_stream(fake: FakeNovu, stream: anyio.abc.ByteStream) -> None:
    """Serve one connection until the client closes it, asks to, or a fault drops it."""
    fake.stats.connections += 1
    requests = _Requests()
    async with stream:
        try:
            while True:
                request = requests.next()
                if request is None:
                    if requests.wants_continue():
                        await stream.send(_CONTINUE)
                    requests.feed(await stream.receive(_RECEIVE))
                    continue
                reply = await fake.handle(*request[:5])
                if reply.drop:
                    return
                await stream.send(_encode(reply, request.close))
                if request.close:
                    return
        except _Refused as refused:
            with contextlib.suppress(*_GONE):
                await stream.send(refused.encoded())
        except _GONE:
            pass
        except Exception:  # never let one connection take the listener down
            logger.exception("FakeNovu server: connection failed")


# --- driver: asyncio protocol


class _Protocol(asyncio.Protocol):
    """One connection. Requests are answered in order: while one waits (latency, slow fault), the
    ones behind it stay in the buffer."""

    def __init__(self, fake: FakeNovu, connections: set[_Protocol]) -> None:
        self._fake = fake
        self._connections = connections
        self._requests = _Requests()
        self._transport: asyncio.Transport | None = None
        self._waiting: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # a stream transport (uvloop's is not a subclass of asyncio.Transport, hence no isinstance)
        self._transport = cast(asyncio.Transport, transport)
        self._connections.add(self)
        self._fake.stats.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        # an answer being waited for stays in flight, as on a real server whose client gave up
        if self._waiting is None:
            self._connections.discard(self)

    def abort(self) -> None:
        """Server shutdown: close at once, stop waiting (the answer is still completed for its key)."""
        if self._transport is not None:
            self._transport.abort()
        if self._waiting is not None:
            self._waiting.cancel()

    def data_received(self, data: bytes) -> None:
        self._requests.feed(data)
        if self._waiting is None:
            self._serve()

    def _serve(self) -> None:
        transport = self._transport
        assert transport is not None
        try:
            while not transport.is_closing():
                request = self._requests.next()
                if request is None:
                    if self._requests.wants_continue():
                        transport.write(_CONTINUE)
                    return
                answer = self._fake.respond(*request[:5])
                if answer.delay > 0:
                    self._waiting = asyncio.get_running_loop().create_task(self._later(answer, request.close))
                    return
                answer.complete()
                self._send(answer.reply, request.close)
        except _Refused as refused:
            transport.write(refused.encoded())
            transport.close()
        except Exception:  # never let one connection take the server down
            logger.exception("FakeNovu server: connection failed")
            transport.abort()

    async def _later(self, answer: Answer, close: bool) -> None:
        try:
            await asyncio.sleep(answer.delay)
        finally:
            answer.complete()
            self._waiting = None
        if self._transport is None or self._transport.is_closing():
            self._connections.discard(self)
            return
        self._send(answer.reply, close)
        self._serve()

    def _send(self, reply: Reply, close: bool) -> None:
        transport = self._transport
        assert transport is not None
        if transport.is_closing():
            return
        if not reply.drop:
            transport.write(_encode(reply, close))
        if reply.drop or close:
            transport.close()
