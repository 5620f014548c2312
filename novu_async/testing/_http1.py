"""HTTP/1.1 for the fake's server, without I/O: bytes in (``feed``), complete requests out
(``next``), answers in, bytes out (``encode``).

Two readers with one behaviour: ``H11Connection`` on h11 (installed with httpx: always there), and
``LlhttpConnection`` on httptools (llhttp, the parser of Node.js, in C), used when httptools is
installed: h11 alone costs more per request than the whole request path of the fake's old
hand-written server (benchmarks/fake_server.py). Both read framing (``Content-Length`` and chunked
bodies), keep-alive and ``Connection: close``, HTTP/1.0 (closed after its answer), pipelined
requests (answered in order, nothing read after one that closes), ``Expect: 100-continue``, and
refuse what they cannot read (400), a head still incomplete past ``MAX_HEAD`` (431) and a body over
``MAX_BODY`` (413); after a refusal the connection closes.

The answers are written here, always with ``Content-Length`` (none on a 204): their names and
values are the fake's own (the echoed idempotency key came in through the reader).
"""

from __future__ import annotations

import functools
import importlib
from collections import deque
from http import HTTPStatus
from typing import Any, Final, NamedTuple, Protocol, cast

import h11

from ._wire import JSON_TYPE, Reply, dumps, error_body

__all__ = [
    "MAX_BODY",
    "MAX_HEAD",
    "PARSERS",
    "Connection",
    "H11Connection",
    "LlhttpConnection",
    "Refused",
    "Request",
    "connection_type",
]

MAX_HEAD: Final = 64 * 1024
MAX_BODY: Final = 32 * 1024 * 1024
PARSERS: Final = ("h11", "httptools")

try:
    _httptools: Any = importlib.import_module("httptools")
except ImportError:
    _httptools = None


class Request(NamedTuple):
    method: str
    target: str
    authorization: str | None
    idempotency_key: str | None
    body: bytes


class Refused(Exception):
    """A request the server answers itself (400, 413, 431), then closes the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def reply(self) -> Reply:
        return Reply(self.status, dumps(error_body(self.status, "", str(self))), [JSON_TYPE])


_TOO_LARGE: Final = f"request body larger than {MAX_BODY} bytes"


@functools.cache
def _status_line(status: int) -> bytes:
    try:
        reason = HTTPStatus(status).phrase.encode()
    except ValueError:
        reason = b""
    return b"HTTP/1.1 %d %s\r\n" % (status, reason)


def _encode(reply: Reply, close: bool) -> bytes:
    """An answer's bytes: status line, the reply's headers, ``Content-Length`` (none on a 204), and
    ``Connection: close`` when the connection closes after it."""
    # two joins in C (no comprehension's frame, no string built per header in Python)
    head = "\r\n".join(map(": ".join, reply.headers)) + "\r\n" if reply.headers else ""
    if reply.status != 204:
        head += f"Content-Length: {len(reply.body)}\r\n"
    head += "Connection: close\r\n\r\n" if close else "\r\n"
    return _status_line(reply.status) + head.encode("latin-1") + reply.body


_CONTINUE: Final = b"HTTP/1.1 100 Continue\r\n\r\n"
# the request headers the llhttp reader looks at (lower case)
_READ: Final = frozenset({b"authorization", b"idempotency-key", b"host", b"content-length", b"expect"})


class _Stop(Exception):
    """Raised in a callback to stop llhttp: what follows a closing request is not read."""


class Connection(Protocol):
    """What the server's drivers use of a reader."""

    close: bool  # the connection closes after the current answer

    def feed(self, data: bytes) -> None:
        """Bytes from the client (``b""``: it closed its side)."""

    def next(self) -> Request | None:
        """The next complete request; None until one has fully arrived (or the client has gone).
        Raises ``Refused`` for a request it cannot read."""

    def wants_continue(self) -> bool:
        """Whether to send ``100 Continue`` now (the client waits for it before sending its body)."""

    def continue_(self) -> bytes:
        """``100 Continue``'s bytes (once per request)."""

    def encode(self, reply: Reply) -> bytes:
        """The answer to the request ``next`` returned last."""

    def refuse(self, refused: Refused) -> bytes:
        """The answer to a request the reader refused (the connection closes after it)."""


class _Writer:
    """What both readers share: the answers."""

    __slots__ = ("close",)

    def __init__(self) -> None:
        self.close = False  # the connection closes after the current answer

    def encode(self, reply: Reply) -> bytes:
        return _encode(reply, self.close)

    def refuse(self, refused: Refused) -> bytes:
        self.close = True
        return _encode(refused.reply(), close=True)


class H11Connection(_Writer):
    """The reader on h11. Only h11's receive side is used: its send side checks the fake's own
    answers at a cost above the rest of the request (measured: about 45 of 60 microseconds). So each
    request gets a fresh h11 state machine, handed what followed the previous request
    (``trailing_data``), rather than one machine told about answers it does not write."""

    __slots__ = ("_body", "_fed", "_head", "_size", "h11")

    def __init__(self) -> None:
        super().__init__()
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self._fed = False  # bytes arrived since the last request: there may be another one
        self._head: tuple[h11.Request, str | None, str | None] | None = None
        self._body: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        self._fed = True
        self.h11.receive_data(data)

    def next(self) -> Request | None:
        if not self._fed:
            return None
        connection = self.h11
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError as exc:
                raise Refused(exc.error_status_hint, str(exc) or "malformed request") from None
            kind = type(event)
            if kind is h11.Data:
                data = cast(h11.Data, event).data
                self._size += len(data)
                if self._size > MAX_BODY:
                    raise Refused(413, _TOO_LARGE)
                self._body.append(bytes(data))
            elif kind is h11.Request:
                self._head = self._read_head(cast(h11.Request, event))
            elif kind is h11.EndOfMessage:
                return self._complete()
            else:  # NEED_DATA, or ConnectionClosed
                if kind is h11.ConnectionClosed:
                    self.close = True
                return None

    @staticmethod
    def _read_head(head: h11.Request) -> tuple[h11.Request, str | None, str | None]:
        """The head, its ``Authorization`` and ``Idempotency-Key`` (one pass over the headers)."""
        authorization = key = None
        for name, value in head.headers:
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"idempotency-key":
                key = value.decode("latin-1")
            elif name == b"content-length" and int(value) > MAX_BODY:
                raise Refused(413, _TOO_LARGE)
        return head, authorization, key

    def _complete(self) -> Request:
        assert self._head is not None
        (head, authorization, key), self._head = self._head, None
        body = b"".join(self._body)
        self._body.clear()
        self._size = 0
        finished = self.h11
        self.close = finished.their_state is not h11.DONE  # MUST_CLOSE: Connection: close, HTTP/1.0
        rest, closed = finished.trailing_data
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self._fed = bool(rest) or closed
        if rest:
            self.h11.receive_data(bytes(rest))
        if closed:
            self.h11.receive_data(b"")
        return Request(head.method.decode("ascii"), head.target.decode("latin-1"), authorization, key, body)

    def wants_continue(self) -> bool:
        return self.h11.they_are_waiting_for_100_continue

    def continue_(self) -> bytes:
        return (
            self.h11.send(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")) or b""
        )


class LlhttpConnection(_Writer):
    """The reader on httptools: llhttp calls back for each part of a request (``on_*``); complete
    requests wait in ``_ready`` with whether the connection closes after their answer. h11's rules
    that llhttp leaves to its user are kept here: ``Host`` required in HTTP/1.1, HTTP/1.0 closed
    after its answer, ``Expect: 100-continue`` honoured on HTTP/1.1 only, and the head limit:
    llhttp keeps no head, so the bytes fed while a head is incomplete are counted (less those
    its callbacks accounted to the requests before it in the same read)."""

    __slots__ = (
        "_authorization",
        "_body",
        "_closing",
        "_continue",
        "_eof",
        "_head",
        "_host",
        "_in_head",
        "_in_message",
        "_key",
        "_mark",
        "_parser",
        "_ready",
        "_refused",
        "_seen",
        "_size",
        "_url",
    )

    def __init__(self) -> None:
        if _httptools is None:
            raise RuntimeError("httptools is not installed")
        super().__init__()
        self._parser = _httptools.HttpRequestParser(self)
        lenient = getattr(self._parser, "set_dangerous_leniencies", None)
        if lenient is not None:  # as h11 (and RFC 9112): Transfer-Encoding overrides Content-Length
            lenient(lenient_chunked_length=True)
        self._ready: deque[tuple[Request, bool]] = deque()
        self._refused: Refused | None = None
        self._closing = False  # a request after which the connection closes has been read
        self._eof = False
        self._in_message = self._in_head = False
        self._head = self._seen = self._mark = 0
        self._start()

    def _start(self) -> None:
        self._url = b""
        self._authorization: str | None = None
        self._key: str | None = None
        self._host = self._continue = False
        self._body: list[bytes] = []
        self._size = 0

    # --- llhttp's callbacks

    def on_message_begin(self) -> None:
        if self._closing:
            raise _Stop
        self._in_message = self._in_head = True
        self._head = 0
        self._mark = self._seen  # bytes of this read that belong to the requests before

    def on_url(self, url: bytes) -> None:
        self._url += url
        self._seen += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._seen += len(name) + len(value)
        name = name.lower()
        if name not in _READ:  # most headers: one set lookup, not five comparisons
            return
        if name == b"authorization":
            self._authorization = value.decode("latin-1")
        elif name == b"idempotency-key":
            self._key = value.decode("latin-1")
        elif name == b"host":
            self._host = True
        elif name == b"content-length":
            if int(value) > MAX_BODY:
                raise Refused(413, _TOO_LARGE)
        elif name == b"expect":
            self._continue = value.lower() == b"100-continue"

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._parser.get_http_version() == "1.1":
            if not self._host:
                raise Refused(400, "Missing mandatory Host: header")
        else:
            self._continue = False

    def on_body(self, body: bytes) -> None:
        self._continue = False
        self._seen += len(body)
        self._size += len(body)
        if self._size > MAX_BODY:
            raise Refused(413, _TOO_LARGE)
        self._body.append(body)

    def on_message_complete(self) -> None:
        parser = self._parser
        close = parser.get_http_version() != "1.1" or not parser.should_keep_alive()
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        method = parser.get_method().decode("ascii")
        request = Request(method, self._url.decode("latin-1"), self._authorization, self._key, body)
        self._ready.append((request, close))
        self._in_message = False
        self._closing = close
        # _start(), inline: this runs for every request
        self._url = b""
        self._authorization = self._key = None
        self._host = self._continue = False
        self._body = []
        self._size = 0

    # --- the reader

    def feed(self, data: bytes) -> None:
        if self._closing or self._refused is not None:
            return  # nothing is read after the request that closes the connection
        if not data:
            self._eof = True
            if self._in_message:
                self._refused = Refused(400, "the client closed the connection within a request")
            return
        self._seen = self._mark = 0
        try:
            self._parser.feed_data(data)
        except _httptools.HttpParserUpgrade:
            self._closing = True  # as h11: answered, then closed (the fake switches to no protocol)
            if self._ready:
                last, _ = self._ready.pop()
                self._ready.append((last, True))
            return
        except _httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, _Stop):
                return
            if not isinstance(exc.__context__, Refused):
                raise
            self._refused = exc.__context__
            return
        except _httptools.HttpParserError as exc:
            if not self._closing:  # what follows a closing request is not read at all
                self._refused = Refused(400, str(exc) or "malformed request")
            return
        if self._in_head:
            self._head += len(data) - self._mark
            if self._head > MAX_HEAD:
                self._refused = Refused(431, "request head too large")

    def next(self) -> Request | None:
        if self._ready:
            request, self.close = self._ready.popleft()
            return request
        if self._refused is not None:
            raise self._refused
        if self._eof:
            self.close = True
        return None

    def wants_continue(self) -> bool:
        return self._continue

    def continue_(self) -> bytes:
        self._continue = False
        return _CONTINUE


def connection_type(parser: str | None = None) -> type[H11Connection] | type[LlhttpConnection]:
    """The reader for ``parser`` ("h11" or "httptools"; None: httptools when installed, else h11)."""
    if parser is None:
        return H11Connection if _httptools is None else LlhttpConnection
    if parser not in PARSERS:
        raise ValueError(f"unknown HTTP parser {parser!r}: expected one of {', '.join(PARSERS)}")
    if parser == "httptools" and _httptools is None:
        raise ValueError("the httptools parser needs httptools installed (pip install httptools)")
    return H11Connection if parser == "h11" else LlhttpConnection
