"""A fake over real sockets: HTTP/1.1 (``_http1``: h11, or httptools when installed), for asyncio
and trio.

Each connection gets a reader (``_http1.Connection``: bytes in, requests out, answers in, bytes out)
that hands each complete request to a ``Responder`` and writes its answer; a dropped-connection
fault closes the socket without writing a byte for that request. Two drivers: an
``asyncio.Protocol`` on asyncio (no task switch for a request answered at once, and the socket stays
registered for reading), anyio byte streams anywhere else (trio).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable
from typing import Final, cast

import anyio
import anyio.abc
import attrs
import sniffio

from ._http1 import Connection, Refused, connection_type
from ._wire import Answer, Reply, Responder, answer

__all__ = ["Listening", "serve"]

logger = logging.getLogger("novu_async.testing")

_RECEIVE: Final = 256 * 1024
_GONE: Final = (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)


@attrs.frozen
class Listening:
    host: str
    port: int


@contextlib.asynccontextmanager
async def serve(fake: Responder, host: str, port: int, parser: str | None = None) -> AsyncIterator[Listening]:
    """Listen on ``host:port`` until the block ends, then close the listener and every connection
    (``parser``: see ``_http1.connection_type``)."""
    reader = connection_type(parser)
    if sniffio.current_async_library() == "asyncio":
        connections: set[_Protocol] = set()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Protocol(fake, connections, reader), host, port)
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
        group.start_soon(listener.serve, functools.partial(_serve_stream, fake, reader))
        try:
            yield Listening(host, listener.extra(anyio.abc.SocketAttribute.local_port))
        finally:
            group.cancel_scope.cancel()


# --- driver: anyio byte streams


async def _serve_stream(
    fake: Responder, reader: Callable[[], Connection], stream: anyio.abc.ByteStream
) -> None:
    """Serve one connection until the client closes it, asks to, or a fault drops it."""
    fake.connected()
    connection = reader()
    async with stream:
        try:
            while True:
                request = connection.next()
                if request is None:
                    if connection.close:
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
                if connection.close:
                    return
        except Refused as refused:
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

    def __init__(
        self, fake: Responder, connections: set[_Protocol], reader: Callable[[], Connection]
    ) -> None:
        self._fake = fake
        self._connections = connections
        self._connection = reader()
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
                    if connection.close:
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
        except Refused as refused:
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
        if self._connection.close:
            transport.close()
