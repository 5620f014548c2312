"""``NovuCore``: configuration, the HTTP client's lifecycle and the request pipeline.

Generated functions describe an operation (``Operation``) and hand the call's values, keyed by wire
name, to ``NovuCore.request``; everything else happens here, once for every operation:

1. serialise: path values percent-encoded, query and header values as text (enums by value, booleans
   ``true``/``false``, date-times ISO 8601, arrays as repeated keys), a body checked against its
   schema and converted to JSON (or multipart form data) before anything is sent;
2. add ``Authorization: ApiKey ...``, ``User-Agent``, ``Accept`` and, for writes, one
   ``idempotency-key`` per call that every retry attempt reuses;
3. send through one ``httpx.AsyncClient`` under the retry policy (``_retry``);
4. unwrap the ``{"data": ...}`` envelope and structure the body into the documented type, or raise
   the typed error for the status.

The client is made lazily, on the first request, for the event loop that runs it: on asyncio it uses
``httpx-aiohttp``'s transport when that package is installed (several times the throughput of httpx's
own transport under concurrency), on trio httpx's own transport.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import enum
import importlib
import importlib.util
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final, Literal
from urllib.parse import quote

import anyio
import attrs
import httpx
import sniffio

from . import _serde
from ._operation import Operation, Param, ResponseSpec
from ._retry import RetryConfig, RetryPolicy, retry_after_seconds
from ._types import UNSET, File, RequestOptions, Response, Unset
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    DataValidationError,
    RateLimitError,
    ResponseValidationError,
    error_class_for_status,
)

__all__ = ["DEFAULT_TIMEOUT", "SERVERS", "NovuCore"]

logger = logging.getLogger("novu_async")

SERVERS: Final[Mapping[str, str]] = {"us": "https://api.novu.co", "eu": "https://eu.api.novu.co"}
# per attempt: 30 s for each read, write or wait for a pooled connection; 10 s to connect
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
# httpx's default pool keeps only 20 connections alive, and closes an idle one whenever more than 20
# are open: with more than 20 calls in flight against a server that takes its time, nearly every call
# opened a new connection (a TLS handshake each). Keep every connection the pool may open, as
# aiohttp's pool does.
_POOL_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=100)
USER_AGENT: Final = f"novu-async/{__version__} python/{sys.version_info.major}.{sys.version_info.minor}"

IDEMPOTENCY_HEADER: Final = "idempotency-key"
_WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_REQUEST_ID_HEADERS: Final = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_EMPTY: Final[Mapping[str, Any]] = {}
_MAX_MESSAGE = 500
_MAX_IDEMPOTENCY_KEY = 255  # Novu refuses longer keys

_QueryValue = str | int | float | bool | None
TransportName = Literal["auto", "httpx", "aiohttp"]

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


# ---------------------------------------------------------------------------------------------- values


class _BadValue(ValueError):
    """A parameter value that has no text form."""


def _text(value: Any) -> str:
    """One path, query or header value as text."""
    if isinstance(value, enum.Enum):  # before str: a str-based enum's str() is its name
        return _text(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _BadValue(f"expected a finite number, got {value!r}")
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return _serde.format_datetime(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise _BadValue(f"expected a string, number, boolean, enum or date-time, got {type(value).__name__}")


# the values a parameter of each documented kind accepts (``Param.kind``); bool is not a number here
_KIND_CHECKS: Final[Mapping[str, Any]] = {
    "str": lambda v: isinstance(v, (str, enum.Enum, uuid.UUID)),
    "enum": lambda v: isinstance(v, (str, enum.Enum)),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "datetime": lambda v: isinstance(v, (str, _dt.date)),
}
_KIND_NAMES: Final[Mapping[str, str]] = {
    "str": "a string",
    "enum": "a string or enum member",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "datetime": "a datetime, date or ISO 8601 string",
}


def _json_default(value: Any) -> Any:
    """Values a caller may put into free-form JSON (``payload``...) that ``json`` does not know."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.datetime):
        return _serde.format_datetime(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(data: Any) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
    ).encode()


def _is_file(value: Any) -> bool:
    """A multipart file: bytes, ``(filename, content[, content_type[, headers]])`` or a binary file."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, tuple):
        return 2 <= len(value) <= 4 and (value[0] is None or isinstance(value[0], str))
    return hasattr(value, "read")


def _file(value: Any) -> Any:
    """A multipart file as httpx takes it."""
    if isinstance(value, File):
        name = value.filename or "upload"
        content = bytes(value)
        return (name, content) if value.content_type is None else (name, content, value.content_type)
    return bytes(value) if isinstance(value, (bytearray, memoryview)) else value


def _is_file_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_file(v) for v in value)


# ---------------------------------------------------------------------------------------------- responses


def _spec_for(specs: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    """The documented response for ``status``: exact code, else ``2XX``-style range, else default."""
    spec = specs.get(str(status))
    if spec is None:
        spec = specs.get(f"{status // 100}XX") or specs.get(f"{status // 100}xx") or specs.get("default")
    return spec


def _success_spec(specs: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    spec = _spec_for(specs, status)
    if spec is None:
        # a 2XX the document does not list: use whatever success it does list
        spec = next((s for code, s in specs.items() if code.startswith("2")), None)
    return spec


def _unwrap(spec: ResponseSpec, body: Any) -> Any:
    if spec.unwrap and type(body) is dict and len(body) == 1 and "data" in body:
        return body["data"]
    return body


def _decode(response: httpx.Response) -> tuple[bool, Any]:
    """``(True, JSON value)``, ``(True, None)`` for an empty body, ``(False, text)`` when not JSON
    (or nested too deeply for the parser: ``json`` raises ``RecursionError`` then)."""
    content = response.content
    if not content.strip():
        return True, None
    try:
        return True, json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, response.text


def _server_message(body: Any) -> str | None:
    """What the server said went wrong, from an ``ErrorDto``-like body or a legacy string body."""
    if isinstance(body, str):
        return body.strip() or None
    if not isinstance(body, dict):
        return None
    message = body.get("message", body.get("error"))
    if isinstance(message, list):
        text = "; ".join(m if isinstance(m, str) else json.dumps(m, default=str) for m in message)
    elif isinstance(message, str):
        text = message
    elif message is not None:
        text = json.dumps(message, default=str)
    else:
        text = ""
    errors = body.get("errors")
    if isinstance(errors, dict):  # ValidationErrorDto: field -> {"messages": [...]}
        details = []
        for field, detail in list(errors.items())[:10]:
            messages = detail.get("messages") if isinstance(detail, dict) else None
            if isinstance(messages, list) and messages:
                details.append(f"{field}: {', '.join(str(m) for m in messages)}")
            else:
                details.append(str(field))
        if details:
            text = f"{text} ({'; '.join(details)})" if text else "; ".join(details)
    return text or None


def _request_id(headers: httpx.Headers) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


# ---------------------------------------------------------------------------------------------- core


@attrs.frozen
class _Encoded:
    """A request body ready for ``httpx.AsyncClient.build_request``.

    ``request`` also takes one as ``body``: it is then sent as it is, unchecked. Only the SDK's own
    code passes one (``bulk.trigger_many`` checks and encodes its chunks itself, on its hot path).
    """

    content: bytes | None = None
    data: dict[str, Any] | None = None
    files: list[tuple[str, Any]] | None = None


class NovuCore:
    """Authentication, retries and idempotency for every operation of the Novu API.

    ``NovuCore(secret_key, server="us" | "eu", server_url=..., timeout=..., retries=...)``; the secret
    key defaults to ``$NOVU_SECRET_KEY``. ``server_url`` (any base URL, a mock server's for instance)
    takes precedence over ``server``.

    * ``timeout``: seconds or an ``httpx.Timeout`` per attempt, ``None`` for none; left out: 30 s
      (10 s to connect), or the timeout of the ``http_client`` you pass;
    * ``retries``: a ``RetryConfig``, a number of retries (``0`` disables), or ``None`` for the default
      (3 retries, backoff 0.5 s doubling to 8 s, 60 s in all);
    * ``deadline``: seconds each call may take in all (every attempt and retry wait), ``None`` (the
      default) for no bound besides ``timeout`` and ``retries``. Past it the call is cancelled and
      raises ``APITimeoutError``; a retry whose wait would end past it is not made (the last
      attempt's error is raised at once). ``RequestOptions(deadline=...)`` overrides it per call;
    * ``http_client``: an ``httpx.AsyncClient`` to send through; it stays yours, ``aclose()`` leaves it
      open. Requests use absolute URLs, so its ``base_url`` does not matter;
    * ``http2``: HTTP/2 over httpx's transport (needs the ``h2`` package: ``novu-async[http2]``);
    * ``transport``: ``"auto"`` (aiohttp on asyncio when ``httpx-aiohttp`` is installed, else httpx),
      ``"httpx"`` or ``"aiohttp"`` (asyncio only).

    Use ``async with NovuCore(...) as core:`` or ``await core.aclose()`` to close the client it made.
    """

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        server: Literal["us", "eu"] = "us",
        server_url: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        retries: RetryConfig | int | None = None,
        deadline: float | None = None,
        http_client: httpx.AsyncClient | None = None,
        http2: bool = False,
        transport: TransportName = "auto",
    ) -> None:
        key = secret_key if secret_key is not None else os.environ.get("NOVU_SECRET_KEY")
        if key is None:
            raise ConfigurationError(
                "no Novu secret key: pass secret_key=... or set the NOVU_SECRET_KEY environment variable"
            )
        key = key.strip()
        if not key:
            raise ConfigurationError("the Novu secret key is empty")
        if any(ord(c) < 0x21 or ord(c) > 0x7E for c in key):
            raise ConfigurationError("the Novu secret key holds spaces, control or non-ASCII characters")
        self._secret_key = key

        if server_url is not None:
            try:
                url = httpx.URL(server_url)
            except (httpx.InvalidURL, TypeError):
                url = httpx.URL()
            if url.scheme not in ("http", "https") or not url.host:
                raise ConfigurationError(f"server_url must be an http(s) URL, got {server_url!r}")
            self._server_url = server_url.rstrip("/")
        elif server in SERVERS:
            self._server_url = SERVERS[server]
        else:
            raise ConfigurationError(f"unknown Novu server {server!r}: expected one of {', '.join(SERVERS)}")

        if transport not in ("auto", "httpx", "aiohttp"):
            raise ConfigurationError(
                f"unknown transport {transport!r}: expected 'auto', 'httpx' or 'aiohttp'"
            )
        if http2:
            if transport == "aiohttp":
                raise ConfigurationError("http2=True needs httpx's transport; aiohttp speaks HTTP/1.1 only")
            if http_client is None and importlib.util.find_spec("h2") is None:
                raise ConfigurationError("http2=True needs the h2 package: pip install 'novu-async[http2]'")
        if (
            transport == "aiohttp"
            and http_client is None
            and importlib.util.find_spec("httpx_aiohttp") is None
        ):
            raise ConfigurationError(
                "transport='aiohttp' needs httpx-aiohttp: pip install 'novu-async[aiohttp]'"
            )
        self._http2 = http2
        self._transport: TransportName = transport

        self._timeout: httpx.Timeout = (
            DEFAULT_TIMEOUT if isinstance(timeout, Unset) else httpx.Timeout(timeout)
        )
        # what each request passes to httpx: the client's own default unless told otherwise
        self._request_timeout: Any = httpx.USE_CLIENT_DEFAULT
        if http_client is not None and not isinstance(timeout, Unset):
            self._request_timeout = self._timeout

        if retries is None:
            self._retry_config = RetryConfig()
        elif isinstance(retries, RetryConfig):
            self._retry_config = retries
        else:
            self._retry_config = self._int_retries(retries)
        self._policies: dict[RetryConfig, RetryPolicy] = {}
        self._deadline = _checked_deadline(deadline)
        self._sleep: Any = anyio.sleep  # tests replace it to record waits instead of sleeping

        self._given_client = http_client
        self._client: httpx.AsyncClient | None = None
        self._client_loop: object = None
        self._closed = False

        self._base_headers: dict[str, str] = {
            "authorization": f"ApiKey {key}",
            "user-agent": USER_AGENT,
            "accept": "application/json",
        }

    # --- configuration

    @property
    def server_url(self) -> str:
        return self._server_url

    @property
    def retry_config(self) -> RetryConfig:
        return self._retry_config

    @property
    def timeout(self) -> httpx.Timeout:
        return self._timeout

    @property
    def deadline(self) -> float | None:
        """Seconds each call may take in all, retries included (``None``: no deadline)."""
        return self._deadline

    def __repr__(self) -> str:
        return (
            f"NovuCore(server_url={self._server_url!r}, secret_key='<redacted>', "
            f"transport={self._transport!r}, retries={self._retry_config.max_retries}, "
            f"deadline={self._deadline!r})"
        )

    @staticmethod
    def _int_retries(retries: int) -> RetryConfig:
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ConfigurationError(f"retries must be a RetryConfig or a number >= 0, got {retries!r}")
        return RetryConfig(max_retries=retries)

    def _policy(self, config: RetryConfig) -> RetryPolicy:
        policy = self._policies.get(config)
        if policy is None:
            policy = self._policies[config] = RetryPolicy(config, self._do_sleep)
        return policy

    async def _do_sleep(self, seconds: float) -> None:
        await self._sleep(seconds)

    # --- lifecycle

    async def __aenter__(self) -> NovuCore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client this core made; one passed in as ``http_client`` stays open."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _http(self) -> httpx.AsyncClient:
        """The client for the running event loop, made on first use."""
        if self._closed:
            raise ClientClosedError("this NovuCore is closed")
        if self._given_client is not None:
            return self._given_client
        library, loop = _current_loop()
        if self._client is not None and self._client_loop is loop:
            return self._client
        if self._client is not None:
            # made on another event loop (closed by now, or tests switching backends): its connections
            # belong to that loop, so it cannot be used or closed from here
            logger.debug("novu_async: a new event loop (%s); making a new HTTP client", library)
        self._client = self._make_client(library)
        self._client_loop = loop
        return self._client

    def _make_client(self, library: str) -> httpx.AsyncClient:
        transport: httpx.AsyncBaseTransport | None = None
        use_aiohttp = self._transport == "aiohttp" or (
            self._transport == "auto" and library == "asyncio" and not self._http2
        )
        if use_aiohttp:
            if library != "asyncio":
                if self._transport == "aiohttp":
                    raise ConfigurationError(f"transport='aiohttp' runs on asyncio only, not on {library}")
            else:
                cls = _aiohttp_transport()
                if cls is not None:
                    transport = cls()
                elif self._transport == "aiohttp":  # pragma: no cover - checked in __init__
                    raise ConfigurationError("transport='aiohttp' needs httpx-aiohttp")
        if transport is None:
            transport = httpx.AsyncHTTPTransport(http2=self._http2, limits=_POOL_LIMITS)
        return httpx.AsyncClient(transport=transport, timeout=self._timeout, follow_redirects=False)

    # --- the pipeline

    async def request(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] = _EMPTY,
        query: Mapping[str, Any] = _EMPTY,
        headers: Mapping[str, Any] = _EMPTY,
        body: Any = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[Any]:
        """Send one operation and return its response, body structured into the documented type.

        ``path``, ``query`` and ``headers`` are keyed by wire name; ``UNSET`` (and ``None``) values
        are left out. Raises ``DataValidationError`` before sending when a value does not fit,
        ``APIError`` subclasses for error statuses, ``APIConnectionError`` / ``APITimeoutError`` when no
        response came, ``ResponseValidationError`` when a success body does not fit its type.
        """
        method = op.method.upper()
        url = self._server_url + self._path(op, path)
        params = self._query(op, query)
        encoded = self._body(op, body)

        # keyed by lower-cased name: a plain dict costs a fraction of httpx.Headers' case-insensitive
        # operations (about 15 us a request), and httpx merges it with the client's headers all the same
        request_headers = dict(self._base_headers)
        if encoded.content is not None:
            request_headers["content-type"] = "application/json"
        _check_required(op, "header", op.header_params, headers)
        for wire, value in headers.items():
            if value is UNSET or value is None:
                continue
            request_headers[wire.lower()] = self._param_text(op, "header", wire, value)

        timeout = self._request_timeout
        config = self._retry_config
        deadline = self._deadline
        if options is not None:
            if not isinstance(options.timeout, Unset):
                timeout = options.timeout
            if not isinstance(options.deadline, Unset):
                deadline = _checked_deadline(options.deadline)
            if isinstance(options.retries, RetryConfig):
                config = options.retries
            elif not isinstance(options.retries, Unset):
                config = self._int_retries(options.retries)
            if not isinstance(options.headers, Unset):
                for name, value in options.headers.items():
                    request_headers[name.lower()] = value
        if method in _WRITE_METHODS and IDEMPOTENCY_HEADER not in request_headers:
            request_headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())
        idempotency_key: str | None = request_headers.get(IDEMPOTENCY_HEADER)
        if idempotency_key is not None and not 0 < len(idempotency_key) <= _MAX_IDEMPOTENCY_KEY:
            raise DataValidationError(
                f"{op.name} header parameter {IDEMPOTENCY_HEADER!r}",
                [("$", f"must be 1 to {_MAX_IDEMPOTENCY_KEY} characters, got {len(idempotency_key)}")],
            )

        client = self._http()
        request = client.build_request(
            method,
            url,
            params=params or None,  # an empty list would still make httpx parse the URL again
            headers=request_headers,
            content=encoded.content,
            data=encoded.data,
            files=encoded.files,
            timeout=timeout,
        )
        attempts = 0
        log_path = request.url.raw_path.partition(b"?")[0].decode("ascii")  # as sent, without the query

        async def send() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            started = time.perf_counter()
            try:
                response = await client.send(request)
            except httpx.RequestError as exc:
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug(
                        "%s %s -> %s (%s, attempt %d, %.3f s)",
                        method,
                        log_path,
                        type(exc).__name__,
                        op.name,
                        attempts,
                        time.perf_counter() - started,
                    )
                raise
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s -> %d (%s, attempt %d, %.3f s)",
                    method,
                    log_path,
                    response.status_code,
                    op.name,
                    attempts,
                    time.perf_counter() - started,
                )
            return response

        try:
            if deadline is None:
                response = await self._policy(config).run(send, op.name)
            else:
                # a cancel scope of our own: only its expiry becomes APITimeoutError; cancellation
                # from outside (the caller's scope, task group...) passes through untouched
                with anyio.move_on_after(deadline) as scope:
                    response = await self._policy(config).run(send, op.name, deadline)
                if scope.cancelled_caught:
                    raise APITimeoutError(
                        self._redact(
                            f"{op.name}: {method} {log_path} did not complete within its deadline of "
                            f"{deadline:g} s ({_tries(attempts)})"
                        ),
                        operation=op.name,
                        idempotency_key=idempotency_key,
                        attempts=attempts,
                    )
        except httpx.TimeoutException as exc:
            if not _is_timeout(exc):
                raise APIConnectionError(
                    self._redact(
                        f"{op.name}: {method} {log_path} failed ({_cause(exc)}, {_tries(attempts)})"
                    ),
                    operation=op.name,
                    idempotency_key=idempotency_key,
                    attempts=attempts,
                ) from exc
            raise APITimeoutError(
                self._redact(
                    f"{op.name}: {method} {log_path} timed out ({type(exc).__name__}, {_tries(attempts)})"
                ),
                operation=op.name,
                idempotency_key=idempotency_key,
                attempts=attempts,
            ) from exc
        except httpx.RequestError as exc:
            raise APIConnectionError(
                self._redact(f"{op.name}: {method} {log_path} failed ({_cause(exc)}, {_tries(attempts)})"),
                operation=op.name,
                idempotency_key=idempotency_key,
                attempts=attempts,
            ) from exc

        if not response.is_success:
            raise self._error(op, response, idempotency_key)
        return self._result(op, response)

    # --- serialisation

    @staticmethod
    def _param_text(op: Operation, where: str, wire: str, value: Any) -> str:
        param = op.params_by_wire.get((where, wire))
        kind = param.kind if param is not None else ""
        try:
            if kind and not _KIND_CHECKS[kind](value):
                raise _BadValue(f"expected {_KIND_NAMES[kind]}, got {type(value).__name__}")
            return _text(value)
        except _BadValue as exc:
            raise DataValidationError(f"{op.name} {where} parameter {wire!r}", [("$", str(exc))]) from None

    def _path(self, op: Operation, values: Mapping[str, Any]) -> str:
        def substitute(match: re.Match[str]) -> str:
            wire = match.group(1)
            value = values.get(wire, UNSET)
            if value is UNSET or value is None:
                raise DataValidationError(
                    f"{op.name} path parameter {wire!r}", [("$", "required, but not given")]
                )
            text = self._param_text(op, "path", wire, value)
            if text in ("", ".", ".."):
                # "" would drop a path segment, "." and ".." would be resolved away by URL normalisation:
                # either way the request would reach another endpoint
                raise DataValidationError(
                    f"{op.name} path parameter {wire!r}",
                    [("$", f"must not be empty, '.' or '..', got {text!r}")],
                )
            return quote(text, safe="")

        return _PLACEHOLDER.sub(substitute, op.path)

    def _query(self, op: Operation, values: Mapping[str, Any]) -> list[tuple[str, _QueryValue]]:
        params: list[tuple[str, _QueryValue]] = []
        _check_required(op, "query", op.query_params, values)
        for wire, value in values.items():
            if value is UNSET or value is None:
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                texts = [
                    self._param_text(op, "query", wire, v) for v in value if v is not None and v is not UNSET
                ]
                param = op.params_by_wire.get(("query", wire))
                if param is None or param.explode:
                    params.extend((wire, text) for text in texts)
                elif texts:
                    params.append((wire, ",".join(texts)))
            else:
                params.append((wire, self._param_text(op, "query", wire, value)))
        return params

    def _body(self, op: Operation, body: Any) -> _Encoded:
        if type(body) is _Encoded:  # checked and encoded by the SDK itself (bulk.trigger_many)
            return body
        what = f"{op.name} request body"
        if body is UNSET or body is None:
            if op.body_required:
                raise DataValidationError(what, [("$", "required, but not given")])
            return _Encoded()
        if op.body_kind is None:
            raise DataValidationError(what, [("$", f"{op.name} takes no request body")])
        if op.body_kind == "multipart":
            return self._multipart(op, body, what)
        data = self._checked(op, body, what)
        if op.body_max_items:
            _check_max_items(what, data, op.body_max_items)
        try:
            return _Encoded(content=_dumps(data))
        except (TypeError, ValueError) as exc:
            raise DataValidationError(what, [("$", f"not JSON serialisable: {exc}")]) from None

    @staticmethod
    def _checked(op: Operation, body: Any, what: str) -> Any:
        """The body as JSON-shaped data: a model as it is, anything else checked against the schema."""
        if attrs.has(type(body)) or op.body_type is None:
            return _serde.unstructure(body)
        try:
            structured = _serde.structure(body, op.body_type, what=what)
        except DataValidationError:
            # models inside plain containers (a list of TriggerEventRequestDto...): check their JSON
            plain = _serde.unstructure(body)
            if plain == body:
                raise
            structured = _serde.structure(plain, op.body_type, what=what)
        return _serde.unstructure(structured)

    def _multipart(self, op: Operation, body: Any, what: str) -> _Encoded:
        originals: dict[str, Any] = {}
        if isinstance(body, Mapping):
            # check the form against its schema with placeholders for the files (which may be
            # (filename, content) tuples or open files), then put the files back
            probe: dict[str, Any] = {}
            for key, value in body.items():
                if _is_file(value):
                    probe[key], originals[key] = b"", value
                elif _is_file_list(value):
                    probe[key], originals[key] = [b"" for _ in value], value
                else:
                    probe[key] = value
            fields = self._checked(op, probe, what)
        else:
            fields = self._checked(op, body, what)
        if not isinstance(fields, dict):
            raise DataValidationError(what, [("$", "a multipart body must be an object")])
        fields.update(originals)
        data: dict[str, Any] = {}
        files: list[tuple[str, Any]] = []
        for key, value in fields.items():
            if value is None or value is UNSET:
                continue
            if _is_file(value):
                files.append((key, _file(value)))
            elif _is_file_list(value):
                files.extend((key, _file(v)) for v in value)
            elif isinstance(value, list):
                data[key] = [self._form_text(op, key, v) for v in value]
            else:
                data[key] = self._form_text(op, key, value)
        return _Encoded(data=data or None, files=files or None)

    def _form_text(self, op: Operation, key: str, value: Any) -> str:
        if isinstance(value, (dict, list)):
            return _dumps(value).decode()
        return self._param_text(op, "form", key, value)

    # --- responses

    def _result(self, op: Operation, response: httpx.Response) -> Response[Any]:
        spec = _success_spec(op.responses, response.status_code)
        data: Any = None
        if spec is None or spec.type is not None:
            is_json, body = _decode(response)
            if spec is not None and is_json and body is None and not response.content.strip():
                is_json, body = False, response.text  # a body is declared: empty is not one
            if not is_json:
                empty = not body.strip()
                raise ResponseValidationError(
                    f"{op.name}: HTTP {response.status_code} response body "
                    + ("is empty" if empty else "is not JSON (or is nested too deeply to parse)"),
                    status_code=response.status_code,
                    body=body,
                    problems=[("$", "empty, but a JSON body is declared" if empty else "not JSON")],
                    operation=op.name,
                    headers=response.headers,
                    response=response,
                )
            if spec is None:
                data = body
            else:
                payload = _unwrap(spec, body)
                try:
                    data = _serde.structure(
                        payload, spec.type, what=f"{op.name} response body (HTTP {response.status_code})"
                    )
                except DataValidationError as exc:
                    raise ResponseValidationError(
                        f"{exc} (the server accepted the request: sending it again would repeat it)",
                        status_code=response.status_code,
                        body=body,
                        problems=exc.problems,
                        operation=op.name,
                        headers=response.headers,
                        response=response,
                    ) from exc
        return Response(status_code=response.status_code, headers=response.headers, data=data, raw=response)

    def _error(self, op: Operation, response: httpx.Response, idempotency_key: str | None) -> APIError:
        status = response.status_code
        _, body = _decode(response)
        parsed: Any = None
        spec = _spec_for(op.errors, status)
        if spec is not None and spec.type is not None and body is not None:
            try:
                parsed = _serde.structure(_unwrap(spec, body), spec.type, what=f"{op.name} error body")
            except DataValidationError:
                parsed = None
        request_id = _request_id(response.headers)
        message = f"{op.name}: HTTP {status}"
        if response.reason_phrase:
            message += f" {response.reason_phrase}"
        server_message = _server_message(body)
        if server_message:
            # redacted before it is cut: a key across the cut would leave its first characters
            server_message = self._redact(server_message)
            if len(server_message) > _MAX_MESSAGE:
                server_message = server_message[:_MAX_MESSAGE] + "..."
            message += f": {server_message}"
        if request_id:
            message += f" (request id {request_id})"
        cls = error_class_for_status(status)
        kwargs: dict[str, Any] = {
            "status_code": status,
            "headers": response.headers,
            "body": body,
            "parsed": parsed,
            "operation": op.name,
            "idempotency_key": idempotency_key,
            "request_id": request_id,
            "response": response,
        }
        if issubclass(cls, RateLimitError):
            retry_after = retry_after_seconds(response.headers)
            if retry_after is not None:
                message += f" (retry after {retry_after:g} s)"
            return cls(self._redact(message), retry_after=retry_after, **kwargs)
        return cls(self._redact(message), **kwargs)

    def _redact(self, text: str) -> str:
        return text.replace(self._secret_key, "<redacted>")


def _check_required(op: Operation, where: str, params: tuple[Param, ...], values: Mapping[str, Any]) -> None:
    for param in params:
        if not param.required:
            continue
        value = values.get(param.wire, UNSET)
        if value is UNSET or value is None:
            raise DataValidationError(
                f"{op.name} {where} parameter {param.wire!r}", [("$", "required, but not given")]
            )


def _check_max_items(what: str, data: Any, limits: Mapping[str, int]) -> None:
    """The document's ``maxItems`` on the body's arrays (the models do not check it)."""
    problems = [
        (f"$.{key}", f"at most {limit} items per request, got {len(items)}")
        for key, limit in limits.items()
        if isinstance(data, dict) and isinstance(items := data.get(key), list) and len(items) > limit
    ]
    if problems:
        raise DataValidationError(what, problems)


def _checked_deadline(deadline: Any) -> float | None:
    if deadline is None:
        return None
    if (
        isinstance(deadline, bool)
        or not isinstance(deadline, (int, float))
        or not 0 < deadline < float("inf")
    ):
        raise ConfigurationError(f"deadline must be a number of seconds > 0 or None, got {deadline!r}")
    return float(deadline)


def _is_timeout(exc: httpx.TimeoutException) -> bool:
    """Whether a timeout is one: httpx-aiohttp reports every aiohttp connection failure (refused,
    reset, disconnected) as ``ConnectTimeout``, so ask the aiohttp error it came from."""
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.partition(".")[0] == "aiohttp":
        return isinstance(cause, (TimeoutError, asyncio.TimeoutError))
    return True


def _cause(exc: BaseException) -> str:
    """``Type: message`` of a transport error, with the aiohttp error behind it when there is one."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.partition(".")[0] == "aiohttp":
        text = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return text


def _tries(attempts: int) -> str:
    return "1 attempt" if attempts == 1 else f"{attempts} attempts"
