"""The transport: which ``httpx.AsyncClient`` a core sends through, one attempt on it, and what a
failed attempt becomes.

* ``ClientSlot``: the caller's client, or one of the core's own, made on the first request for the
  event loop that runs it: on asyncio ``httpx-aiohttp``'s transport when that package is installed
  (several times the throughput of httpx's own transport under concurrency), on trio (or with
  ``http2=True``) httpx's own; a new event loop gets a new client;
* ``build_request``: the ``httpx.Request`` of one call, assembled directly (what
  ``AsyncClient.build_request`` would make, at a fraction of its cost);
* ``send``: one attempt, logged at DEBUG (method, path, status or error, time; never a header);
* ``connection_error``: the one place where a transport's exception (httpx's, or aiohttp's behind
  httpx-aiohttp) becomes ``APIConnectionError`` or ``APITimeoutError``.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import time
from collections.abc import Callable
from typing import Any, Final

import httpx
import sniffio

from ._settings import TransportName
from .errors import APIConnectionError, APITimeoutError, ClientClosedError, ConfigurationError

__all__ = [
    "DEFAULT_TIMEOUT",
    "POOL_LIMITS",
    "ClientSlot",
    "build_request",
    "check_transport",
    "connection_error",
    "make_client",
    "send",
    "tries",
]

logger = logging.getLogger("novu_async")

# per attempt: 30 s for each read, write or wait for a pooled connection; 10 s to connect
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
# httpx's default pool keeps only 20 connections alive, and closes an idle one whenever more than 20
# are open: with more than 20 calls in flight against a server that takes its time, nearly every call
# opened a new connection (a TLS handshake each). Keep every connection the pool may open, as
# aiohttp's pool does.
POOL_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=100)

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
    return httpx.AsyncClient(transport=chosen, timeout=timeout, follow_redirects=False)


class ClientSlot:
    """The client a core sends through: ``given`` as it is (never closed here), else one made for
    the running event loop on first use, and made anew when another loop runs the core."""

    __slots__ = ("_client", "_closed", "_given", "_http2", "_loop", "_timeout", "_transport")

    def __init__(
        self, given: httpx.AsyncClient | None, transport: TransportName, http2: bool, timeout: httpx.Timeout
    ) -> None:
        self._given = given
        self._transport: TransportName = transport
        self._http2 = http2
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._loop: object = None
        self._closed = False

    @property
    def made(self) -> httpx.AsyncClient | None:
        """The client this slot made and still holds, if any."""
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
        if self._client is not None:
            # made on another event loop (closed by now, or tests switching backends): its connections
            # belong to that loop, so it cannot be used or closed from here
            logger.debug("novu_async: a new event loop (%s); making a new HTTP client", library)
        self._client = make_client(self._transport, library, self._http2, self._timeout)
        self._loop = loop
        return self._client

    async def aclose(self) -> None:
        """Close the client this slot made; refuse every later ``get``."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})


def build_request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    params: list[tuple[str, Any]],
    headers: dict[str, str],
    content: bytes | None,
    timeout: Any,
) -> httpx.Request:
    """The request ``client.build_request`` makes for an absolute ``url``, a JSON (or no) body and
    ``headers`` keyed by lower-cased name, built in one step.

    ``AsyncClient.build_request`` merges the client's headers into a new ``httpx.Headers`` one
    header at a time, then builds the headers twice more (the request's, then with ``Host`` and
    ``Content-Length``) and parses the URL again: about 50 us a call, a quarter of a whole call over
    a mock transport. Here the client's headers are merged into a list once, and the request is
    given its body as a stream with the two headers httpx would add. A client with cookies or
    default query parameters, and a header value that is not ASCII, take ``build_request`` itself.
    """

    def general() -> httpx.Request:
        return client.build_request(
            method, url, params=params or None, headers=headers, content=content, timeout=timeout
        )

    if client.cookies or client.params:
        return general()
    target = httpx.URL(url, params=params) if params else httpx.URL(url)
    if not target.is_absolute_url:
        return general()
    merged: list[tuple[Any, Any]] = [(b"Host", target.netloc)]
    if content is not None:
        merged.append((b"Content-Length", str(len(content)).encode()))
    elif method in _BODY_METHODS:
        merged.append((b"Content-Length", b"0"))
    merged.extend(item for item in client.headers.multi_items() if item[0] not in headers)
    merged.extend(headers.items())
    chosen = client.timeout if timeout is httpx.USE_CLIENT_DEFAULT else httpx.Timeout(timeout)
    try:
        request = httpx.Request(
            method,
            target,
            headers=merged,
            stream=httpx.ByteStream(content or b""),
            extensions={"timeout": chosen.as_dict()},
        )
    except UnicodeEncodeError:  # httpx.Headers encodes a list as ASCII; build_request as UTF-8
        return general()
    request.read()  # as httpx does for a body given as bytes: ``request.content`` is there to read
    return request


async def send(client: httpx.AsyncClient, request: httpx.Request, label: str, attempt: int) -> httpx.Response:
    """One attempt at ``request``; ``label`` (the operation) and ``attempt`` go into the DEBUG log."""
    if not logger.isEnabledFor(logging.DEBUG):
        return await client.send(request)
    started = time.perf_counter()
    path = request.url.raw_path.partition(b"?")[0].decode("ascii")  # as sent, without the query
    try:
        response = await client.send(request)
    except httpx.RequestError as exc:
        logger.debug(
            "%s %s -> %s (%s, attempt %d, %.3f s)",
            request.method,
            path,
            type(exc).__name__,
            label,
            attempt,
            time.perf_counter() - started,
        )
        raise
    logger.debug(
        "%s %s -> %d (%s, attempt %d, %.3f s)",
        request.method,
        path,
        response.status_code,
        label,
        attempt,
        time.perf_counter() - started,
    )
    return response


def connection_error(
    exc: httpx.RequestError,
    label: str,
    where: str,
    attempts: int,
    idempotency_key: str | None,
    redact: Callable[[str], str],
) -> APIConnectionError:
    """What a call whose last attempt ended in ``exc`` raises; ``where`` is ``"METHOD /path"``."""
    if isinstance(exc, httpx.TimeoutException) and _is_timeout(exc):
        cls: type[APIConnectionError] = APITimeoutError
        message = f"{label}: {where} timed out ({type(exc).__name__}, {tries(attempts)})"
    else:
        cls = APIConnectionError
        message = f"{label}: {where} failed ({_cause(exc)}, {tries(attempts)})"
    return cls(redact(message), operation=label, idempotency_key=idempotency_key, attempts=attempts)


def _from_aiohttp(exc: BaseException) -> BaseException | None:
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.partition(".")[0] == "aiohttp":
        return cause
    return None


def _is_timeout(exc: httpx.TimeoutException) -> bool:
    """Whether a timeout is one: httpx-aiohttp reports every aiohttp connection failure (refused,
    reset, disconnected) as ``ConnectTimeout``, so ask the aiohttp error it came from."""
    cause = _from_aiohttp(exc)
    return cause is None or isinstance(cause, (TimeoutError, asyncio.TimeoutError))


def _cause(exc: BaseException) -> str:
    """``Type: message`` of a transport error, with the aiohttp error behind it when there is one."""
    shown = _from_aiohttp(exc) or exc
    return f"{type(shown).__name__}: {shown}" if str(shown) else type(shown).__name__


def tries(attempts: int) -> str:
    return "1 attempt" if attempts == 1 else f"{attempts} attempts"
