"""The transport: which ``httpx.AsyncClient`` a core sends through, one bounded attempt on it, and what
a failed attempt becomes.

* ``ClientSlot``: the caller's client, or one of the core's own per event loop, made on the loop's
  first request: on asyncio ``httpx-aiohttp``'s transport when that package is installed (several
  times the throughput of httpx's own transport under concurrency), on trio (or with
  ``http2=True``) httpx's own. A client the core made is closed by its event loop's end (when
  ``asyncio.run``, ``trio.run`` or ``anyio.run`` finishes) or by ``aclose()``, so one core may serve
  one event loop after another (a Celery task's ``asyncio.run`` each time) without leaving
  sockets. The core's own clients keep no cookies (Novu sets none; httpx would search every answer
  for them);
* ``send``: one attempt, bounded as a whole (waiting for a connection, connecting, sending, the
  answer's headers and body within the attempt's ``timeout``) and in size (the body, after
  decompression, at most ``max_response_bytes``: not read beyond that), logged at DEBUG (method,
  path, status or error, time; never a header). Whatever the transport raises leaves it as an httpx
  ``RequestError`` of the right kind: aiohttp's errors, which httpx-aiohttp passes on as they are
  (a garbage status line, a header too long) or under a wrong name (a refused connection as
  ``ConnectTimeout``), are named here;
* ``connection_error``: what a call whose last attempt failed raises: ``APIConnectionError``,
  ``APITimeoutError`` or ``ResponseTooLargeError``, saying whether the request was sent.

These are the one place where a transport's exceptions are mapped.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import logging
import time
import zlib
from collections.abc import AsyncGenerator, Callable
from typing import Any, Final

import anyio
import httpx
import sniffio

from ._deadline import within
from ._settings import TransportName
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    ResponseTooLargeError,
)

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_TIMEOUT",
    "POOL_LIMITS",
    "ClientSlot",
    "ResponseTooLarge",
    "check_transport",
    "connection_error",
    "make_client",
    "send",
    "tries",
]

logger = logging.getLogger("novu_async")

# per attempt: 30 s in all, each read, write or wait for a pooled connection included; 10 s to connect
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
# httpx's default pool keeps only 20 connections alive, and closes an idle one whenever more than 20
# are open: with more than 20 calls in flight against a server that takes its time, nearly every call
# opened a new connection (a TLS handshake each). Keep every connection the pool may open, as
# aiohttp's pool does.
POOL_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=100)
# the encodings the SDK decodes itself, within the size limit (so it asks for no others)
ACCEPT_ENCODING: Final = "gzip, deflate"

_aiohttp_transport_class: Any = None  # httpx_aiohttp.AiohttpTransport once imported, False if missing


def _aiohttp_transport() -> Any:
    """``httpx_aiohttp.AiohttpTransport``, or None when the package does not import (cached)."""
    global _aiohttp_transport_class
    if _aiohttp_transport_class is None:
        try:
            module = importlib.import_module("httpx_aiohttp")
            _aiohttp_transport_class = module.AiohttpTransport
        except ImportError:
            _aiohttp_transport_class = False
    return _aiohttp_transport_class or None


def check_transport(transport: Any, http2: bool, http_client: httpx.AsyncClient | None) -> None:
    """``ConfigurationError`` for a transport choice that cannot work, before anything is made."""
    if transport not in ("auto", "httpx", "aiohttp"):
        raise ConfigurationError(f"unknown transport {transport!r}: expected 'auto', 'httpx' or 'aiohttp'")
    if http2:
        if transport == "aiohttp":
            raise ConfigurationError("http2=True needs httpx's transport; aiohttp speaks HTTP/1.1 only")
        if http_client is None and importlib.util.find_spec("h2") is None:
            raise ConfigurationError("http2=True needs the h2 package: pip install 'novu-async[http2]'")
    if transport == "aiohttp" and http_client is None and importlib.util.find_spec("httpx_aiohttp") is None:
        raise ConfigurationError("transport='aiohttp' needs httpx-aiohttp: pip install 'novu-async[aiohttp]'")


def _current_loop() -> tuple[str, object]:
    """The running async library and a token for the running event loop."""
    library = sniffio.current_async_library()
    token: object = None
    if library == "asyncio":
        token = asyncio.get_running_loop()
    elif library == "trio":
        import trio

        token = trio.lowlevel.current_trio_token()
    return library, token


class _NoCookies(httpx.Cookies):
    """The cookies of the core's own clients: none. Novu's API authenticates by key and sets no
    cookie, while httpx looks for ``Set-Cookie`` in every answer by copying all its headers into an
    ``email.message.Message`` (about 30 us an answer, more with each header)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


_NO_COOKIES: Final = _NoCookies()


class _OwnClient(httpx.AsyncClient):
    """The ``httpx.AsyncClient`` a core makes for itself: httpx's, keeping no cookies."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        raise ConfigurationError("the core's own client keeps no cookies; pass http_client= to use your own")


def make_client(
    transport: TransportName, library: str, http2: bool, timeout: httpx.Timeout
) -> httpx.AsyncClient:
    """A new client for an event loop of ``library`` (``"asyncio"``, ``"trio"``)."""
    chosen: httpx.AsyncBaseTransport | None = None
    if transport == "aiohttp" or (transport == "auto" and library == "asyncio" and not http2):
        if library != "asyncio":
            if transport == "aiohttp":
                raise ConfigurationError(f"transport='aiohttp' runs on asyncio only, not on {library}")
        else:
            cls = _aiohttp_transport()
            if cls is not None:
                chosen = cls()
            elif transport == "aiohttp":  # pragma: no cover - checked when the core is made
                raise ConfigurationError("transport='aiohttp' needs httpx-aiohttp")
    if chosen is None:
        chosen = httpx.AsyncHTTPTransport(http2=http2, limits=POOL_LIMITS)
    # the client's default headers, not each request's: an extra header costs httpx a few
    # microseconds per request (a client of yours sends its own Accept-Encoding)
    headers = {"accept-encoding": ACCEPT_ENCODING}
    return _OwnClient(transport=chosen, timeout=timeout, follow_redirects=False, headers=headers)


# ---------------------------------------------------------------------------------------------- clients


class ClientSlot:
    """The client a core sends through: ``given`` as it is (never closed here), else one made for
    each event loop that runs the core, on its first request there.

    Each client made here is tied to its loop's end: an async generator, started when the client is
    made and suspended at once, whose ``finally`` closes the client. Event loops finish the async
    generators left open when they end (``asyncio.run`` and uvloop through ``shutdown_asyncgens``,
    trio at the end of ``trio.run``), so the client's connections are closed by the loop they belong
    to, while it still runs. ``aclose()`` closes the running loop's client; the others are closed by
    their loops.
    """

    __slots__ = ("_client", "_closed", "_given", "_http2", "_loop", "_others", "_timeout", "_transport")

    def __init__(
        self, given: httpx.AsyncClient | None, transport: TransportName, http2: bool, timeout: httpx.Timeout
    ) -> None:
        self._given = given
        self._transport: TransportName = transport
        self._http2 = http2
        self._timeout = timeout
        # the client of the loop that ran the last request, and that loop (the hot path's test)
        self._client: httpx.AsyncClient | None = None
        self._loop: object = None
        # every loop with a client of ours still open: loop -> (client, the generator that closes it)
        self._others: dict[object, tuple[httpx.AsyncClient, AsyncGenerator[None, None]]] = {}
        self._closed = False

    @property
    def made(self) -> httpx.AsyncClient | None:
        """The client this slot made for the loop of the last request, while it is open."""
        return self._client

    def get(self) -> httpx.AsyncClient:
        """The client for the running event loop."""
        if self._closed:
            raise ClientClosedError("this NovuCore is closed")
        if self._given is not None:
            return self._given
        library, loop = _current_loop()
        if self._client is not None and self._loop is loop:
            return self._client
        found = self._others.get(loop)
        if found is None:
            self._forget_closed_loops()
            client = make_client(self._transport, library, self._http2, self._timeout)
            found = self._others[loop] = (client, self._closer(loop, client))
            if len(self._others) > 1:
                logger.debug("novu_async: a new event loop (%s); making a new HTTP client", library)
        self._client, self._loop = found[0], loop
        return self._client

    def _closer(self, loop: object, client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
        """The async generator that closes ``client`` when ``loop`` ends, started (its first step
        runs here, so the loop's async generator hooks see it now, in the loop that made it)."""

        async def close_with_the_loop() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                self._drop(loop, client)
                # trio finishes leftover generators in a cancelled scope: closing must still happen
                with anyio.CancelScope(shield=True):
                    await client.aclose()

        closer = close_with_the_loop()
        step = closer.asend(None)
        with contextlib.suppress(StopIteration):
            step.send(None)
        return closer

    def _drop(self, loop: object, client: httpx.AsyncClient) -> None:
        found = self._others.get(loop)
        if found is not None and found[0] is client:
            del self._others[loop]
        if self._client is client:
            self._client, self._loop = None, None

    def _forget_closed_loops(self) -> None:
        """Drop the clients of asyncio loops closed without finishing their async generators (a loop
        closed by hand, not through ``asyncio.run``): nothing can close them any more."""
        for loop in [
            lp for lp in self._others if isinstance(lp, asyncio.AbstractEventLoop) and lp.is_closed()
        ]:
            del self._others[loop]

    async def aclose(self) -> None:
        """Close the running loop's client; refuse every later ``get``. Clients made on other event
        loops are let go: those loops close them (at once when they still run, else when they end)."""
        self._closed = True
        self._client, self._loop = None, None
        others, self._others = self._others, {}
        if self._given is not None or not others:
            return
        try:
            _, loop = _current_loop()
        except sniffio.AsyncLibraryNotFoundError:  # pragma: no cover - aclose is awaited in a loop
            loop = None
        found = others.pop(loop, None)
        if found is not None:
            await found[1].aclose()  # its ``finally`` closes the client


# ---------------------------------------------------------------------------------------------- one attempt


class ResponseTooLarge(httpx.TransportError):
    """An answer whose body is larger than the limit (after decompression); not read any further."""

    def __init__(self, message: str, *, status_code: int, limit: int, request: httpx.Request) -> None:
        super().__init__(message, request=request)
        self.status_code = status_code
        self.limit = limit


async def send(
    client: httpx.AsyncClient,
    request: httpx.Request,
    label: str,
    attempt: int,
    seconds: float | None,
    max_bytes: int | None,
) -> httpx.Response:
    """One attempt at ``request``, its answer read whole: at most ``seconds`` in all (``None``: no
    bound beyond the client's timeouts) and ``max_bytes`` of body (``None``: no limit). Raises an
    httpx ``RequestError`` (``ResponseTooLarge`` for a body over the limit) when no usable answer
    came. ``label`` (the operation) and ``attempt`` go into the DEBUG log."""
    debug = logger.isEnabledFor(logging.DEBUG)
    started = time.perf_counter() if debug else 0.0
    try:
        if seconds is None:
            response = await _exchange(client, request, max_bytes)
        else:
            response = await within(seconds, request, _exchange(client, request, max_bytes))
    except Exception as exc:
        error = _named(exc, request)
        if debug:
            _log(request, type(error).__name__, label, attempt, started)
        if error is exc:
            raise
        raise error from exc
    if debug:
        _log(request, str(response.status_code), label, attempt, started)
    return response


def _log(request: httpx.Request, outcome: str, label: str, attempt: int, started: float) -> None:
    path = request.url.raw_path.partition(b"?")[0].decode("ascii")  # as sent, without the query
    elapsed = time.perf_counter() - started
    logger.debug(
        "%s %s -> %s (%s, attempt %d, %.3f s)", request.method, path, outcome, label, attempt, elapsed
    )


async def _exchange(
    client: httpx.AsyncClient, request: httpx.Request, max_bytes: int | None
) -> httpx.Response:
    response = await client.send(request, stream=True)
    if response.is_stream_consumed:  # already in memory (httpx.MockTransport, a transport of yours)
        if max_bytes is not None and len(response.content) > max_bytes:
            raise _too_large(response, max_bytes, f"{len(response.content)} bytes")
        return response
    try:
        await _read(response, max_bytes)
    except BaseException:
        await response.aclose()  # the rest is not read: the connection is closed, not reused
        raise
    return response


async def _read(response: httpx.Response, limit: int | None) -> None:
    """Read ``response``'s body into it (``response.content``), decoded, at most ``limit`` bytes."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if limit is not None and encoding in ("", "identity"):
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise _too_large(response, limit, f"Content-Length: {length}")
    decoder = _Decoder(encoding, limit) if encoding in _WBITS else None
    parts: list[bytes] = []
    size = 0
    if decoder is None and encoding not in ("", "identity"):
        # an encoding the SDK did not ask for (it asks for gzip and deflate): httpx's decoders, the
        # limit checked on each decoded piece
        stream = response.aiter_bytes()
    else:
        stream = response.aiter_raw()
    async with contextlib.aclosing(stream):  # type: ignore[type-var]
        async for chunk in stream:
            if decoder is not None:
                for piece in decoder.decode(chunk, size):
                    size += len(piece)
                    parts.append(piece)
            else:
                size += len(chunk)
                parts.append(chunk)
            if limit is not None and size > limit:
                raise _too_large(response, limit, "more")
        if decoder is not None:
            parts.extend(decoder.flush(received=size > 0 or response.num_bytes_downloaded > 0))
    # what httpx's own ``aread`` keeps: ``content``, ``text`` and ``json()`` read it from here on
    response._content = b"".join(parts)


def _too_large(response: httpx.Response, limit: int, got: str) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"HTTP {response.status_code} answer larger than max_response_bytes={limit} ({got})",
        status_code=response.status_code,
        limit=limit,
        request=response.request,
    )


# zlib's window bits: gzip; deflate with the zlib wrapper it should have (or, see _Decoder, without)
_WBITS: Final = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class _Decoder:
    """gzip and deflate, never more than the limit at once: a small body that inflates to gigabytes is
    decoded only up to the limit (``zlib``'s ``max_length``, the rest kept for later calls)."""

    __slots__ = ("_first", "_limit", "_wbits", "_zlib")

    def __init__(self, encoding: str, limit: int | None) -> None:
        self._wbits = _WBITS[encoding]
        self._zlib = zlib.decompressobj(self._wbits)
        self._limit = limit
        self._first = True

    def decode(self, data: bytes, size: int) -> list[bytes]:
        """``data`` decoded, given the ``size`` decoded so far: at most one byte past the limit."""
        pieces: list[bytes] = []
        try:
            while data:
                room = 0 if self._limit is None else self._limit - size + 1
                try:
                    piece = self._zlib.decompress(data, room)
                except zlib.error:
                    if not (self._first and self._wbits == zlib.MAX_WBITS):
                        raise
                    # "deflate" sent as a raw deflate stream, without the zlib wrapper (servers do)
                    self._wbits = -zlib.MAX_WBITS
                    self._zlib = zlib.decompressobj(self._wbits)
                    continue
                self._first = False
                pieces.append(piece)
                size += len(piece)
                if self._limit is not None and size > self._limit:
                    break
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise httpx.DecodingError(f"the answer's compressed body is broken: {exc}") from None
        return pieces

    def flush(self, received: bool) -> list[bytes]:
        """What is left; ``received``: the body was not empty, so its stream must have ended."""
        try:
            rest = self._zlib.flush()
        except zlib.error as exc:  # pragma: no cover - flush raises only for a corrupt stream
            raise httpx.DecodingError(f"the answer's compressed body is broken: {exc}") from None
        if received and not self._zlib.eof:
            raise httpx.DecodingError("the answer's compressed body is broken: it ends before its end")
        return [rest]


# ---------------------------------------------------------------------------------------------- errors


# aiohttp's errors (by class name, most specific first along each one's MRO) as httpx names them, so
# that the retry policy and ``connection_error`` read one vocabulary; httpx-aiohttp passes some on
# unmapped (a garbage status line, a header too long or with a bad character: ClientResponseError)
# and maps every connection error, a reset or a server that hung up included, to ConnectTimeout
_AIOHTTP_ERRORS: Final[dict[str, type[httpx.RequestError]]] = {
    "ConnectionTimeoutError": httpx.ConnectTimeout,  # no connection in time: nothing sent
    "ClientConnectorError": httpx.ConnectError,  # refused, DNS, TLS, proxy: nothing sent
    "ServerFingerprintMismatch": httpx.ConnectError,
    "InvalidURL": httpx.UnsupportedProtocol,
    "NonHttpUrlClientError": httpx.UnsupportedProtocol,
    "SocketTimeoutError": httpx.ReadTimeout,
    "ServerTimeoutError": httpx.ReadTimeout,
    "ServerDisconnectedError": httpx.RemoteProtocolError,  # hung up before (all of) the answer
    "ClientPayloadError": httpx.RemoteProtocolError,  # a body cut short, broken chunked encoding
    "ClientResponseError": httpx.RemoteProtocolError,  # a malformed status line or header
    "ClientOSError": httpx.ReadError,  # a reset, a broken pipe
    "ClientConnectionError": httpx.ReadError,
    "ClientError": httpx.RemoteProtocolError,
}
# httpx's errors that mean the request never left the client
_NOT_SENT: Final = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.ProxyError,
)


def _named(exc: Exception, request: httpx.Request) -> Exception:
    """``exc`` (anything a transport raised) as the httpx ``RequestError`` that names it."""
    if isinstance(exc, httpx.RequestError):
        cause = _from_aiohttp(exc)
        if not isinstance(cause, Exception):
            return exc
        exc = cause  # httpx-aiohttp's name for it may be wrong: name it from aiohttp's error
    cls: type[httpx.RequestError] | None = None
    if type(exc).__module__.partition(".")[0] == "aiohttp":
        cls = next(
            (_AIOHTTP_ERRORS[c.__name__] for c in type(exc).__mro__ if c.__name__ in _AIOHTTP_ERRORS), None
        )
    if cls is None:
        if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
            cls = httpx.ReadTimeout
        elif isinstance(exc, OSError):
            cls = httpx.ReadError
        else:  # a transport's bug or an unexpected state: an error, not retried
            cls = httpx.TransportError
    error = cls(_describe(exc), request=request)
    error.__cause__ = exc
    return error


def _describe(exc: BaseException) -> str:
    """``Type: message`` of an exception."""
    try:
        text = str(exc)
    except Exception:  # a str() that fails (aiohttp's ClientResponseError without its request)
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _from_aiohttp(exc: BaseException) -> BaseException | None:
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.partition(".")[0] == "aiohttp":
        return cause
    return None


def connection_error(
    exc: httpx.RequestError,
    label: str,
    where: str,
    attempts: int,
    idempotency_key: str | None,
    redact: Callable[[str], str],
) -> APIConnectionError:
    """What a call whose last attempt ended in ``exc`` (as ``send`` raises it) raises; ``where`` is
    ``"METHOD /path"``."""
    sent = not isinstance(exc, _NOT_SENT)
    common: dict[str, Any] = {
        "operation": label,
        "idempotency_key": idempotency_key,
        "attempts": attempts,
        "request_sent": sent,
    }
    if isinstance(exc, ResponseTooLarge):
        message = f"{label}: {where}: {exc} ({tries(attempts)})"
        return ResponseTooLargeError(redact(message), status_code=exc.status_code, limit=exc.limit, **common)
    if isinstance(exc, httpx.TimeoutException):
        message = f"{label}: {where} timed out ({_describe(exc)}, {tries(attempts)})"
        return APITimeoutError(redact(message), **common)
    message = f"{label}: {where} failed ({_describe(exc)}, {tries(attempts)})"
    if not sent:
        message += "; the request was not sent"
    return APIConnectionError(redact(message), **common)


def tries(attempts: int) -> str:
    return "1 attempt" if attempts == 1 else f"{attempts} attempts"
