"""``NovuCore``: configuration, the HTTP client's lifecycle and the request pipeline.

Generated functions describe an operation (``Operation``) and hand the call's values, keyed by wire
name, to ``NovuCore.request``, which takes the same steps for every operation, each in a module of
its own:

1. encode (``_encode``): path, query, headers and body checked against the operation and turned into
   the request, before anything is sent; ``Authorization``, ``User-Agent``, ``Accept`` and, for
   writes, one ``idempotency-key`` per call that every retry attempt reuses;
2. send (``_transport``) through the core's ``httpx.AsyncClient`` under the retry policy
   (``_retry``) and the call's deadline;
3. decode (``_decode``): the body structured into the documented type, or the typed error for the
   status.

The settings (``_settings``) are listed once, for this class and every client built on it.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

import anyio
import httpx

from ._decode import api_error, result
from ._encode import IDEMPOTENCY_HEADER, EncodedBody, encode_body, encode_headers, encode_path, encode_query
from ._operation import Operation
from ._request import build_request
from ._retry import RetryConfig, RetryPolicy
from ._settings import (
    DEFAULT_MAX_RESPONSE_BYTES,
    SERVERS,
    CoreSettings,
    TransportName,
    attempt_seconds,
    check_names,
    checked_deadline,
    checked_max_response_bytes,
    checked_retries,
    checked_timeout,
    redactor,
    resolve_secret_key,
    resolve_server_url,
)
from ._transport import (
    DEFAULT_TIMEOUT,
    ClientSlot,
    check_transport,
    connection_error,
    send,
    tries,
)
from ._types import UNSET, RequestOptions, Response, Unset
from ._version import __version__
from .errors import APITimeoutError

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "SERVERS",
    "USER_AGENT",
    "EncodedBody",
    "NovuCore",
    "TransportName",
]

USER_AGENT: Final = f"novu-async/{__version__} python/{sys.version_info.major}.{sys.version_info.minor}"

_EMPTY: Final[Mapping[str, Any]] = {}
_SETTINGS: Final = frozenset(CoreSettings.__optional_keys__)


class NovuCore:
    """Authentication, retries and idempotency for every operation of the Novu API.

    ``NovuCore(secret_key=None, *, server=..., server_url=..., timeout=..., retries=..., deadline=...,
    max_response_bytes=..., http_client=..., http2=..., transport=...)``; every setting is optional
    (``CoreSettings``):

    * ``secret_key``: defaults to ``$NOVU_SECRET_KEY``. Novu's keys are 32 characters; a shorter
      one (a test key for a mock) is taken, and taken out of error messages only where it stands as
      a word of its own (``redactor`` in ``_settings``);
    * ``server``: ``"us"`` (the default) or ``"eu"``; ``server_url``: any base URL (a self-hosted
      Novu, a mock server), taking precedence over ``server``. With neither, ``$NOVU_SERVER_URL``
      when it is set, else Novu's US server;
    * ``timeout``: seconds or an ``httpx.Timeout`` per attempt, ``None`` for none; left out: 30 s
      (10 s to connect), or the timeout of the ``http_client`` you pass. It bounds each attempt as a
      whole (waiting for a pooled connection, connecting, sending, the answer's headers and body;
      for an ``httpx.Timeout`` its largest value), and each phase on its own as httpx does
      (``connect`` for connecting...): a server trickling its answer byte by byte is cut off too;
    * ``max_response_bytes``: the largest answer body read, after decompression (32 MiB); a larger
      one raises ``ResponseTooLargeError`` without the rest being read. ``None``: no limit;
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

    ``sleep`` is the wait between attempts (``anyio.sleep``): assign an async function of your own
    to record or shorten the waits (tests, simulations); ``trigger_many`` waits with it too.

    Use ``async with NovuCore(...) as core:`` or ``await core.aclose()`` to close the client it made.
    """

    def __init__(self, secret_key: str | None = None, **settings: Unpack[CoreSettings]) -> None:
        check_names(settings, _SETTINGS, "NovuCore")
        key = resolve_secret_key(secret_key)
        self._secret_key = key
        self._server_url = resolve_server_url(settings.get("server"), settings.get("server_url"))

        transport: TransportName = settings.get("transport", "auto")
        http2 = settings.get("http2", False)
        http_client = settings.get("http_client")
        check_transport(transport, http2, http_client)
        self._transport = transport

        timeout = settings.get("timeout", UNSET)
        self._timeout: httpx.Timeout = (
            DEFAULT_TIMEOUT if isinstance(timeout, Unset) else checked_timeout(timeout)
        )
        # what each request passes to httpx: the client's own default unless told otherwise
        self._request_timeout: Any = httpx.USE_CLIENT_DEFAULT
        attempt_timeout = self._timeout
        if http_client is not None:
            if isinstance(timeout, Unset):
                attempt_timeout = http_client.timeout
            else:
                self._request_timeout = self._timeout
        self._attempt_seconds = attempt_seconds(attempt_timeout)
        self._max_bytes = checked_max_response_bytes(
            settings.get("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES)
        )

        retries = settings.get("retries")
        self._retry_config = RetryConfig() if retries is None else checked_retries(retries)
        self._policies: dict[RetryConfig, RetryPolicy] = {}
        self._deadline = checked_deadline(settings.get("deadline"))
        self.sleep: Callable[[float], Awaitable[None]] = anyio.sleep
        self._clients = ClientSlot(http_client, transport, http2, self._timeout)
        self._base_headers: dict[str, str] = {
            "authorization": f"ApiKey {key}",
            "user-agent": USER_AGENT,
            "accept": "application/json",
        }
        self._redact = redactor(key, "<redacted>")

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
    def max_response_bytes(self) -> int | None:
        """The largest answer body read, after decompression (``None``: no limit)."""
        return self._max_bytes

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

    def _policy(self, config: RetryConfig) -> RetryPolicy:
        policy = self._policies.get(config)
        if policy is None:
            policy = self._policies[config] = RetryPolicy(config, self._sleep)
        return policy

    async def _sleep(self, seconds: float) -> None:
        await self.sleep(seconds)  # looked up at each wait: ``sleep`` may be replaced at any time

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
        await self._clients.aclose()

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
        are left out. ``body`` is checked against the operation's schema and encoded, unless it is
        an ``EncodedBody`` (sent as it is). Raises ``DataValidationError`` before sending when a
        value does not fit, ``APIError`` subclasses for error statuses, ``APIConnectionError`` /
        ``APITimeoutError`` when no response came, ``ResponseValidationError`` when a success body
        does not fit its type.
        """
        encoded = encode_body(op, body)
        request_headers = encode_headers(op, self._base_headers, headers, encoded, options)
        key = request_headers.get(IDEMPOTENCY_HEADER)
        timeout, seconds, config, deadline = self._per_call(options)
        params = encode_query(op, query)
        client = self._clients.get()
        url = self._server_url + encode_path(op, path)
        if encoded.data is None and encoded.files is None:
            request = build_request(client, op.method, url, params, request_headers, encoded.content, timeout)
        else:  # multipart: httpx encodes the form
            request = client.build_request(
                op.method,
                url,
                params=params or None,  # an empty list would still make httpx parse the URL again
                headers=request_headers,
                data=encoded.data,
                files=encoded.files,
                timeout=timeout,
            )
        response = await self._send(op, client, request, key, seconds, config, deadline)
        if not response.is_success:
            raise api_error(op, response, key, self._redact)
        return result(op, response)

    def _per_call(
        self, options: RequestOptions | None
    ) -> tuple[Any, float | None, RetryConfig, float | None]:
        """The timeout (as httpx takes it, and in seconds for a whole attempt), retry policy and
        deadline of one call: the core's, unless ``options`` say (checked: ``ConfigurationError``)."""
        timeout, seconds = self._request_timeout, self._attempt_seconds
        config, deadline = self._retry_config, self._deadline
        if options is not None:
            if not isinstance(options.timeout, Unset):
                timeout = checked_timeout(options.timeout, "RequestOptions.timeout")
                seconds = attempt_seconds(timeout)
            if not isinstance(options.deadline, Unset):
                deadline = checked_deadline(options.deadline)
            if not isinstance(options.retries, Unset):
                config = checked_retries(options.retries)
        return timeout, seconds, config, deadline

    async def _send(
        self,
        op: Operation,
        client: httpx.AsyncClient,
        request: httpx.Request,
        key: str | None,
        seconds: float | None,
        config: RetryConfig,
        deadline: float | None,
    ) -> httpx.Response:
        """Every attempt the retry policy allows, each within ``seconds``; the last response,
        whatever its status."""
        attempts = 0
        max_bytes = self._max_bytes

        async def attempt() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            return await send(client, request, op.name, attempts, seconds, max_bytes)

        policy = self._policy(config)
        try:
            if deadline is None:
                return await policy.run(attempt, op.name)
            # a cancel scope of our own: only its expiry becomes APITimeoutError; cancellation from
            # outside (the caller's scope, task group...) passes through untouched
            with anyio.move_on_after(deadline):
                return await policy.run(attempt, op.name, deadline)
            message = f"did not complete within its deadline of {deadline:g} s ({tries(attempts)})"
            raise APITimeoutError(
                self._redact(f"{op.name}: {request.method} {_path(request)} {message}"),
                operation=op.name,
                idempotency_key=key,
                attempts=attempts,
            )
        except httpx.RequestError as exc:
            where = f"{request.method} {_path(request)}"
            raise connection_error(exc, op.name, where, attempts, key, self._redact) from exc


def _path(request: httpx.Request) -> str:
    """The path as sent, without the query (which may carry values the caller would not log)."""
    return request.url.raw_path.partition(b"?")[0].decode("ascii")
