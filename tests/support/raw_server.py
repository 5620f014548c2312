"""A tiny HTTP/1.1 server on 127.0.0.1 that answers with whatever bytes a test scripts: garbage status
lines, broken headers, bodies cut short, connections reset, answers trickled a byte at a time or
streamed without end. It reads requests properly (head, then ``Content-Length`` bytes of body) and
counts them; each answer is an ``Answer``, an async function that writes to the connection.

The server runs in a thread with its own asyncio event loop, so the client under test (asyncio,
uvloop or trio, in this process or another one) has a real socket on the other side and the server's
work does not count as the client's. ``RawServer.serving(answer)`` starts it (it is ready when the
call returns: the port is bound and listening) and stops it (every connection closed, the thread
joined) on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

__all__ = [
    "Answer",
    "RawServer",
    "closed_port",
    "endless_chunks",
    "gzip_bomb",
    "head",
    "raw",
    "repeated",
    "reset_after",
    "stream",
    "trickle_forever",
]

# the longest any one answer may keep writing: a client that never hangs up does not keep a thread
# busy after its test
_MAX_ANSWER_SECONDS = 60.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(eq=False)
class Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    def reset(self) -> None:
        """Close with a TCP reset (RST), not an orderly FIN."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


# what the server does with one request: writes its answer; returns True to read another request on
# the same connection, False to close it
Answer = Callable[[Request, Connection], Awaitable[bool]]


@dataclass
class RawServer:
    answer: Answer
    port: int = 0
    requests: int = 0
    open: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _connections: set[Connection] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    @contextlib.contextmanager
    def serving(cls, answer: Answer) -> Iterator[RawServer]:
        server = cls(answer)
        thread = threading.Thread(target=lambda: asyncio.run(server._main()), daemon=True)
        thread.start()
        assert server._ready.wait(10), "the raw server did not start"
        try:
            yield server
        finally:
            if server._loop is not None and server._stop is not None:
                server._loop.call_soon_threadsafe(server._stop.set)
            thread.join(10)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        listener = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = listener.sockets[0].getsockname()[1]
        self._ready.set()
        async with listener:
            await self._stop.wait()
            for connection in list(self._connections):
                connection.writer.transport.abort()  # their handlers end on the broken connection
            for _ in range(500):
                if not self._connections:
                    break
                await asyncio.sleep(0.01)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        connection = Connection(reader, writer)
        self._connections.add(connection)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                self.requests += 1
                if not await asyncio.wait_for(self.answer(request, connection), _MAX_ANSWER_SECONDS):
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            self.open -= 1
            self._connections.discard(connection)
            if not writer.transport.is_closing():
                writer.close()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # the client hung up between requests
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return Request(method, path, headers, body)


# ---------------------------------------------------------------------------------------------- answers


def head(status: int = 200, *headers: str, length: int | None = None) -> bytes:
    """A status line and headers (``"Name: value"`` each), ended by the blank line."""
    lines = [f"HTTP/1.1 {status} X", *headers]
    if length is not None:
        lines.append(f"content-length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def raw(data: bytes, *, keep_alive: bool = False) -> Answer:
    """Write ``data`` as it is, then close the connection (or keep it for the next request)."""

    async def answer(request: Request, connection: Connection) -> bool:
        await connection.write(data)
        return keep_alive

    return answer


def reset_after(data: bytes) -> Answer:
    """Write ``data``, then reset the connection."""

    async def answer(request: Request, connection: Connection) -> bool:
        await connection.write(data)
        await asyncio.sleep(0.05)  # let the bytes leave before the reset
        connection.reset()
        return False

    return answer


def trickle_forever(data: bytes, every: float = 0.1) -> Answer:
    """A slowloris: ``data`` one byte every ``every`` seconds, then more of the same header forever
    (the answer's head never ends)."""

    async def answer(request: Request, connection: Connection) -> bool:
        for byte in data:
            await connection.write(bytes([byte]))
            await asyncio.sleep(every)
        while True:
            for byte in b"x-more: 1\r\n":
                await connection.write(bytes([byte]))
                await asyncio.sleep(every)

    return answer


def endless_chunks(every: float = 0.1) -> Answer:
    """A 200 whose chunked body never ends: a small chunk every ``every`` seconds."""

    async def answer(request: Request, connection: Connection) -> bool:
        await connection.write(head(200, "content-type: application/json", "transfer-encoding: chunked"))
        while True:
            await connection.write(b"1\r\n \r\n")
            await asyncio.sleep(every)

    return answer


def stream(first: bytes, parts: Callable[[], Iterator[bytes]], *, chunked: bool = False) -> Answer:
    """``first`` (a head), then each of ``parts()`` (as chunks of a chunked body when ``chunked``),
    then close: a big body that never exists in memory."""

    async def answer(request: Request, connection: Connection) -> bool:
        await connection.write(first)
        for part in parts():
            await connection.write(f"{len(part):x}\r\n".encode() + part + b"\r\n" if chunked else part)
        if chunked:
            await connection.write(b"0\r\n\r\n")
        return False

    return answer


def repeated(block: bytes, total: int) -> Callable[[], Iterator[bytes]]:
    """``block`` again and again, ``total`` bytes in all (a multiple of its size)."""
    return lambda: itertools.repeat(block, total // len(block))


_MIB = 1 << 20


@cache
def _bomb_blocks() -> tuple[bytes, bytes]:
    """The gzip stream of 1 MiB of zeros, fully flushed (the header and first block), and that of
    every following MiB: after a full flush the compressor starts afresh, so each is the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(_MIB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, block


@cache
def _zeros_crc(mebibytes: int) -> int:
    crc, zeros = 0, bytes(_MIB)
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    return crc


def gzip_bomb(mebibytes: int = 1024) -> Callable[[], Iterator[bytes]]:
    """A gzip stream of ``mebibytes`` MiB of zeros (1 GiB: about 1 MiB compressed), made piece by
    piece as it is sent: the first MiB's block, the same block for each following MiB, then the end
    of the stream (an empty final block) and gzip's trailer (the CRC-32 and size of the zeros)."""
    first, block = _bomb_blocks()
    trailer = b"\x03\x00" + struct.pack("<II", _zeros_crc(mebibytes), (mebibytes * _MIB) & 0xFFFFFFFF)

    def parts() -> Iterator[bytes]:
        yield first
        yield from itertools.repeat(block, mebibytes - 1)
        yield trailer

    return parts


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound for a moment, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
