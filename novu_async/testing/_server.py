"""A fake over real sockets: HTTP/1.1 on h11 (the state machine httpx's own stack uses), for asyncio
and trio.

h11 reads the requests: framing (``Content-Length`` and chunked bodies), keep-alive and
``Connection: close``, HTTP/1.0, pipelined requests (answered in order), ``Expect: 100-continue``,
and the 400 / 431 answers to requests it cannot read. This module adds limits (a body over
``MAX_BODY`` gets 413), hands each complete request to a ``Responder``, and writes its answer
(always with ``Content-Length``); a dropped-connection fault closes the socket without writing a
byte for that request.

One connection object (``_Connection``: bytes in, requests out, answers in, bytes out) and two
drivers: an ``asyncio.Protocol`` on asyncio (no task switch for a request answered at once, and the
socket stays registered for reading), anyio byte streams anywhere else (trio).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Final, NamedTuple, cast

import anyio
import anyio.abc
import attrs
import h11
import sniffio

from ._wire import JSON_TYPE, Answer, Reply, Responder, answer, dumps, error_body

__all__ = ["MAX_BODY", "MAX_HEAD", "Listening", "serve"]

logger = logging.getLogger("novu_async.testing")

MAX_HEAD: Final = 64 * 1024
MAX_BODY: Final = 32 * 1024 * 1024
_RECEIVE: Final = 256 * 1024
_GONE: Final = (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)


@attrs.frozen
class Listening:
    host: str
    port: int


@contextlib.asynccontextmanager
async def serve(fake: Responder, host: str, port: int) -> AsyncIterator[Listening]:
    """Listen on ``host:port`` until the block ends, then close the listener and every connection."""
    if sniffio.current_async_library() == "asyncio":
        connections: set[_Protocol] = set()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Protocol(fake, connections), host, port)
        try:
            yield Listening(host, server.sockets[0].getsockname()[1])
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
            yield Listening(host, listener.extra(anyio.abc.SocketAttribute.local_port))
        finally:
            group.cancel_scope.cancel()


# --- HTTP/1.1 on h11, without I/O


@functools.cache
def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


class _Request(NamedTuple):
    method: str
    target: str
    authorization: str | None
    idempotency_key: str | None
    body: bytes


class _Refused(Exception):
    """A request the server answers itself (400, 413, 431), then closes the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def reply(self) -> Reply:
        return Reply(
            self.status, dumps(error_body(self.status, "", str(self))), [JSON_TYPE, ("Connection", "close")]
        )


@functools.cache
def _status_line(status: int) -> bytes:
    return b"HTTP/1.1 %d %s\r\n" % (status, _reason(status))


def _encode(reply: Reply, close: bool) -> bytes:
    """An answer's bytes: status line, the reply's headers, ``Content-Length`` (none on a 204), and
    ``Connection: close`` when the connection closes after it."""
    head = "".join(f"{name}: {value}\r\n" for name, value in reply.headers)
    if reply.status != 204:
        head += f"Content-Length: {len(reply.body)}\r\n"
    head += "Connection: close\r\n\r\n" if close else "\r\n"
    return _status_line(reply.status) + head.encode("latin-1") + reply.body


class _Connection:
    """One connection: ``feed`` it bytes, take ``next`` requests, ``encode`` their answers.

    h11 reads each request: framing (``Content-Length``, chunked), keep-alive (``Connection:
    close``, HTTP/1.0), ``Expect: 100-continue``, malformed and oversized heads. The answers are
    written here: their names and values are the fake's own (the echoed idempotency key came in
    through h11), so what h11's send side adds is checking that costs more than the rest of the
    request (measured: about 45 of 60 microseconds). So each request gets a fresh h11 state machine,
    handed what followed the previous request (``trailing_data``), rather than one machine told
    about answers it does not write.
    """

    __slots__ = ("_body", "_fed", "_head", "_size", "close", "h11")

    def __init__(self) -> None:
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self._fed = False  # bytes arrived since the last request: there may be another one
        self._head: h11.Request | None = None
        self._body: list[bytes] = []
        self._size = 0
        self.close = False  # the connection closes after the current answer

    def feed(self, data: bytes) -> None:
        """Bytes from the client (``b""``: it closed its side)."""
        self._fed = True
        self.h11.receive_data(data)

    def next(self) -> _Request | None:
        """The next complete request; None until one has fully arrived (or the client has gone)."""
        if not self._fed:
            return None
        connection = self.h11
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError as exc:
                raise _Refused(exc.error_status_hint, str(exc) or "malformed request") from None
            kind = type(event)
            if kind is h11.Data:
                self._size += len(event.data)  # type: ignore[union-attr]
                if self._size > MAX_BODY:
                    raise _Refused(413, f"request body larger than {MAX_BODY} bytes")
                self._body.append(bytes(event.data))  # type: ignore[union-attr]
            elif kind is h11.Request:
                head = cast(h11.Request, event)
                for name, value in head.headers:
                    if name == b"content-length" and int(value) > MAX_BODY:
                        raise _Refused(413, f"request body larger than {MAX_BODY} bytes")
                self._head = head
            elif kind is h11.EndOfMessage:
                return self._complete()
            else:  # NEED_DATA, or ConnectionClosed
                if kind is h11.ConnectionClosed:
                    self.close = True
                return None

    def _complete(self) -> _Request:
        request, self._head = self._head, None
        assert request is not None
        body = b"".join(self._body)
        self._body.clear()
        self._size = 0
        authorization = key = None
        for name, value in request.headers:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"idempotency-key":
                key = value.decode("latin-1")
        finished = self.h11
        self.close = finished.their_state is not h11.DONE  # MUST_CLOSE: Connection: close, HTTP/1.0
        rest, closed = finished.trailing_data
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self._fed = bool(rest) or closed
        if rest:
            self.h11.receive_data(bytes(rest))
        if closed:
            self.h11.receive_data(b"")
        return _Request(
            request.method.decode("ascii"), request.target.decode("latin-1"), authorization, key, body
        )

    def wants_continue(self) -> bool:
        """Whether to send ``100 Continue`` now (the client waits for it before sending its body)."""
        return self.h11.they_are_waiting_for_100_continue

    def continue_(self) -> bytes:
        return (
            self.h11.send(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")) or b""
        )

    def encode(self, reply: Reply) -> bytes:
        return _encode(reply, self.close)

    def refuse(self, refused: _Refused) -> bytes:
        """The answer to a request h11 or the limits refused (the connection closes after it)."""
        self.close = True
        return _encode(refused.reply(), close=True)

    @property
    def closed(self) -> bool:
        return self.close


# --- driver: anyio byte streams


async def _serve_stream(fake: Responder, stream: anyio.abc.ByteStream) -> None:
    """Serve one connection until the client closes it, asks to, or a fault drops it."""
    fake.connected()
    connection = _Connection()
    async with stream:
        try:
            while True:
                request = connection.next()
                if request is None:
                    if connection.closed:
                        return
                    if connection.wants_continue():
                        await stream.send(connection.continue_())
                    try:
                        data = await stream.receive(_RECEIVE)
                    except anyio.EndOfStream:
                        data = b""
                    connection.feed(data)
                    continue
                reply = await answer(fake, *request)
                if reply.drop:
                    return
                await stream.send(connection.encode(reply))
                if connection.closed:
                    return
        except _Refused as refused:
            with contextlib.suppress(*_GONE):
                await stream.send(connection.refuse(refused))
        except _GONE:
            pass
        except Exception:  # never let one connection take the listener down
            logger.exception("FakeNovu server: connection failed")


# --- driver: asyncio protocol


class _Protocol(asyncio.Protocol):
    """One connection. Requests are answered in order: while one waits (latency, slow fault), the
    ones behind it stay in h11's buffer."""

    def __init__(self, fake: Responder, connections: set[_Protocol]) -> None:
        self._fake = fake
        self._connections = connections
        self._connection = _Connection()
        self._transport: asyncio.Transport | None = None
        self._waiting: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # a stream transport (uvloop's is not a subclass of asyncio.Transport, hence no isinstance)
        self._transport = cast(asyncio.Transport, transport)
        self._connections.add(self)
        self._fake.connected()

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
        self._connection.feed(data)
        if self._waiting is None:
            self._serve()

    def eof_received(self) -> bool | None:
        self._connection.feed(b"")
        if self._waiting is None:
            self._serve()
        return None

    def _serve(self) -> None:
        transport = self._transport
        assert transport is not None
        connection = self._connection
        try:
            while not transport.is_closing():
                request = connection.next()
                if request is None:
                    if connection.closed:
                        transport.close()
                    elif connection.wants_continue():
                        transport.write(connection.continue_())
                    return
                found = self._fake.respond(*request)
                if found.delay > 0:
                    self._waiting = asyncio.get_running_loop().create_task(self._later(found))
                    return
                found.complete()
                self._send(found.reply)
        except _Refused as refused:
            transport.write(connection.refuse(refused))
            transport.close()
        except Exception:  # never let one connection take the server down
            logger.exception("FakeNovu server: connection failed")
            transport.abort()

    async def _later(self, found: Answer) -> None:
        try:
            await asyncio.sleep(found.delay)
        finally:
            found.complete()
            self._waiting = None
        if self._transport is None or self._transport.is_closing():
            self._connections.discard(self)
            return
        self._send(found.reply)
        self._serve()

    def _send(self, reply: Reply) -> None:
        transport = self._transport
        assert transport is not None
        if transport.is_closing():
            return
        if reply.drop:
            transport.close()
            return
        transport.write(self._connection.encode(reply))
        if self._connection.closed:
            transport.close()
