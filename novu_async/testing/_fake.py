"""``FakeNovu``: the request pipeline around the endpoints, and its httpx transport.

One request, in the order Novu's server applies the same steps: route (404), JSON body (400), API
key (401), rate limit (429), injected fault, idempotency (400 / 409 / 422 / replay), the endpoint,
then the delay (``latency`` and slow faults) and the faults that strike after processing.
The pipeline up to the endpoint is synchronous: between two awaits nothing else runs, so the
ledger and the idempotency records need no locks on one event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import anyio
import attrs
import httpx

from ._api import Api, Call, LedgerEntry, find_route
from ._config import FAULT_KINDS, FaultKind, Faults, Limiter, RateLimit
from ._wire import JSON_TYPE, ApiError, Reply, dumps, error_body, loads, number_text

if TYPE_CHECKING:
    from .._client import Novu
    from ._server import FakeServer

__all__ = ["ADMIN_PREFIX", "TRANSPORT_URL", "Answer", "FakeNovu", "FakeTransport", "Stats"]

logger = logging.getLogger("novu_async.testing")

TRANSPORT_URL: Final = "http://fake-novu.test"
ADMIN_PREFIX: Final = "/__fake/"
DOCS_LINK: Final = "https://docs.novu.co/additional-resources/idempotency"
MAX_IDEMPOTENCY_KEY: Final = 255
# Novu keeps idempotency records for POST and PATCH only; a DELETE or PUT is simply done again
IDEMPOTENT_METHODS: Final = frozenset({"POST", "PATCH"})
_BEFORE: Final = frozenset({"drop_before", "status_500", "status_503", "status_429"})
# the document declares these error bodies as JSON strings
_RATE_LIMITED: Final = dumps("API rate limit exceeded")
_UNAVAILABLE: Final = dumps("Please wait some time, then try again.")
_NO_FAULTS: Final = Faults()
_NO_KEY: Final = "Missing Authorization header: expected 'ApiKey <secret key>'"


@attrs.define
class Stats:
    """Counters since the fake was made or reset (admin endpoints are not counted).

    ``by_status`` counts the answers the fake produced (a dropped connection has none);
    ``conflicts`` the 409s for a key still in flight; ``rate_limited`` the rate limiter's 429s
    (injected 429s count under ``faults``, by kind); ``connections`` those the server accepted.
    """

    requests: int = 0
    by_status: Counter[int] = attrs.Factory(Counter)
    replays: int = 0
    conflicts: int = 0
    rate_limited: int = 0
    faults: Counter[str] = attrs.Factory(Counter)
    connections: int = 0

    def as_dict(self) -> dict[str, Any]:
        values = attrs.asdict(self)
        values["by_status"] = {str(status): n for status, n in sorted(self.by_status.items())}
        values["faults"] = dict(sorted(self.faults.items()))
        return values


# an idempotency key's request: (body digest, status, body); status IN_FLIGHT until it is answered.
# Plain tuples of bytes and ints: the garbage collector stops tracking them, however many there are.
_Record = tuple[bytes, int, bytes]
IN_FLIGHT: Final = 0


def _truncated(body: bytes) -> bytes:
    """A body no JSON parser accepts."""
    return body[: len(body) // 2] if len(body) > 1 else b"{"


class Answer:
    """A reply to send ``delay`` seconds from now; ``complete()`` then stores it for its idempotency key."""

    __slots__ = ("_pending", "_records", "_stored", "delay", "reply")

    def __init__(
        self,
        reply: Reply,
        delay: float = 0.0,
        records: dict[str, _Record] | None = None,
        pending: tuple[str, bytes] | None = None,
    ) -> None:
        self.reply = reply
        self.delay = delay
        self._records = records
        self._pending = pending
        self._stored = (reply.status, reply.body)  # before a fault spoils it

    def complete(self) -> None:
        if self._pending is not None and self._records is not None:
            key, digest = self._pending
            self._records[key] = (digest, *self._stored)
            self._pending = None


class FakeNovu:
    """An in-process Novu API: see the ``novu_async.testing`` package docstring."""

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        rate_limit: RateLimit | None = None,
        faults: Faults | None = None,
        seed: int = 0,
        latency: float = 0.0,
    ) -> None:
        if secret_key is not None and not secret_key.strip():
            raise ValueError("secret_key must not be empty (None accepts any key)")
        if latency < 0:
            raise ValueError(f"latency must be >= 0, got {latency!r}")
        self._secret_key = secret_key
        self._seed = seed
        self.latency = latency
        self._rate_limit = rate_limit
        self.faults = faults
        self._transport = FakeTransport(self)
        self.reset()

    def __repr__(self) -> str:
        key = "None" if self._secret_key is None else "'<redacted>'"
        return (
            f"FakeNovu(secret_key={key}, rate_limit={self._rate_limit!r}, faults={self._faults!r}, "
            f"seed={self._seed}, events={self._api.events}, requests={self._stats.requests})"
        )

    def reset(self) -> None:
        """Forget everything: ledger, subscribers, idempotency keys, stats, buckets, scripted faults;
        the random generator starts again from the seed."""
        self._api = Api(self._seed)
        self._records: dict[str, _Record] = {}
        self._stats = Stats()
        self._rng = random.Random(self._seed)
        self._scripted: list[tuple[FaultKind, str | None, int]] = []
        self._limiter = None if self._rate_limit is None else Limiter(self._rate_limit)

    # --- configuration

    @property
    def faults(self) -> Faults | None:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self._faults = faults
        self._thresholds = () if faults is None else faults.thresholds()

    @property
    def rate_limit(self) -> RateLimit | None:
        return self._rate_limit

    @rate_limit.setter
    def rate_limit(self, rate_limit: RateLimit | None) -> None:
        """A new configuration starts with full buckets."""
        self._rate_limit = rate_limit
        self._limiter = None if rate_limit is None else Limiter(rate_limit)

    def fail_next(self, fault: FaultKind, *, path: str | None = None, times: int = 1) -> None:
        """Give the next ``times`` requests (to ``path`` only, when given) this fault. Scripted faults
        come before probabilistic ones, in the order they were scripted."""
        if fault not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault!r}: expected one of {', '.join(FAULT_KINDS)}")
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times!r}")
        self._scripted.append((fault, path, times))

    # --- what happened

    @property
    def ledger(self) -> Sequence[LedgerEntry]:
        """Every accepted event once, in acceptance order (live: do not modify)."""
        return self._api.ledger

    @property
    def subscribers(self) -> Mapping[str, Mapping[str, Any]]:
        """subscriberId -> the subscriber as the API returns it (a live, read-only view)."""
        return MappingProxyType(self._api.subscribers)

    @property
    def cancelled(self) -> frozenset[str]:
        """The transaction ids cancelled through ``DELETE /v1/events/trigger/{transactionId}``."""
        return frozenset(self._api.cancelled)

    @property
    def stats(self) -> Stats:
        return self._stats

    def summary(self) -> dict[str, Any]:
        """``stats.as_dict()`` plus the number of accepted ``events`` and current ``subscribers``."""
        return {
            **self._stats.as_dict(),
            "events": self._api.events,
            "subscribers": len(self._api.subscribers),
        }

    # --- ways in

    @property
    def url(self) -> str:
        """The base URL that ``transport`` answers (any host does; this one is what ``client`` uses)."""
        return TRANSPORT_URL

    @property
    def transport(self) -> FakeTransport:
        return self._transport

    def client(self, **kwargs: Any) -> Novu:
        """A ``Novu`` sending through ``transport``; takes ``Novu``'s keywords except ``server_url``
        and ``http_client`` (the secret key defaults to the fake's, or ``"test-secret"``)."""
        from .._client import Novu

        kwargs.setdefault("secret_key", self.client_secret_key)
        http_client = httpx.AsyncClient(transport=self._transport, base_url=TRANSPORT_URL)
        return Novu(server_url=TRANSPORT_URL, http_client=http_client, **kwargs)

    @property
    def client_secret_key(self) -> str:
        """A key this fake accepts."""
        return self._secret_key if self._secret_key is not None else "test-secret"

    @contextlib.asynccontextmanager
    async def serve(self, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[FakeServer]:
        """Serve this fake over HTTP/1.1 on ``host:port`` (0: a free port) in the running event loop
        (asyncio or trio) until the block ends; yields the ``FakeServer`` (``.url``)."""
        from ._server import serve

        async with serve(self, host, port) as server:
            yield server

    # --- the pipeline

    async def handle(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Reply:
        """Answer one request (``target``: path and query as sent); a ``Reply`` with ``drop`` set
        means "close the connection, answer nothing". ``respond`` and the wait, in one call."""
        answer = self.respond(method, target, authorization, idempotency_key, body)
        try:
            if answer.delay > 0:  # the key stays in flight meanwhile: a retry now gets 409
                await anyio.sleep(answer.delay)
        finally:  # also when the client gave up waiting: the work is done
            answer.complete()
        return answer.reply

    def respond(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Answer:
        """The synchronous part of ``handle``: the work is done, the answer is ready to go out after
        ``answer.delay`` seconds, and ``answer.complete()`` must be called then (even if cancelled)."""
        path, _, query = target.partition("?")
        if path.startswith(ADMIN_PREFIX):
            return Answer(self._admin(method, path))
        stats = self._stats
        stats.requests += 1
        reply, fault, pending = self._process(method, path, query, authorization, idempotency_key, body)
        answer = Answer(reply, self.latency, self._records, pending)
        if fault == "drop_after":
            reply.drop = True
        elif fault == "malformed":
            reply.body = _truncated(reply.body)
        elif fault == "slow":
            answer.delay += (self._faults or _NO_FAULTS).slow_seconds
        if not reply.drop:
            stats.by_status[reply.status] += 1
        return answer

    def _process(
        self, method: str, path: str, query: str, authorization: str | None, key: str | None, body: bytes
    ) -> tuple[Reply, FaultKind | None, tuple[str, bytes] | None]:
        """The answer, the fault drawn, and ``(key, digest)`` of an idempotency record left in flight."""
        found = find_route(method, path)
        if found is None:
            return self._error(404, path, f"Cannot {method} {path}"), None, None
        route, param = found
        data: Any = None
        if body:
            try:
                data = loads(body)
            except ValueError:
                return self._error(400, path, "the request body is not valid JSON"), None, None
        if authorization is None or not self._authorized(authorization):
            message = _NO_KEY if authorization is None else "API Key not found"
            return self._error(401, path, message), None, None

        headers = [JSON_TYPE]
        if self._limiter is not None:
            allowed, limit_headers, retry_after = self._limiter.take(route.category, route.bulk)
            headers += limit_headers
            if not allowed:
                self._stats.rate_limited += 1
                headers.append(("Retry-After", str(retry_after)))
                return Reply(429, _RATE_LIMITED, headers), None, None

        fault = self._draw(path)
        if fault is not None:
            self._stats.faults[fault] += 1
            if fault in _BEFORE:
                return self._fault_reply(fault, path, headers), None, None

        pending = None
        if key is not None and method in IDEMPOTENT_METHODS:
            if len(key) > MAX_IDEMPOTENCY_KEY:
                message = f'idempotencyKey "{key}" has exceeded the maximum allowed length of 255 characters'
                return self._error(400, path, message, headers), fault, None
            headers.append(("Idempotency-Key", key))
            digest = hashlib.blake2b(body, digest_size=16).digest()
            record = self._records.get(key)
            if record is not None:
                return self._repeat(record, key, digest, path, headers), fault, None
            self._records[key] = (digest, IN_FLIGHT, b"")
            pending = key, digest

        call = Call(path, param, query, data, body, key, self._stats.requests)
        try:
            status, payload = route.handler(self._api, call)
        except ApiError as exc:
            status, payload = exc.status, exc.body(path)
        except Exception:  # a bug in the fake: answer like a server would, and say so
            logger.exception("FakeNovu: %s %s failed", method, path)
            status, payload = (
                500,
                error_body(500, path, "Internal server error", errorId=f"fake-{call.number}"),
            )
        return Reply(status, payload if type(payload) is bytes else dumps(payload), headers), fault, pending

    def _repeat(
        self, record: _Record, key: str, digest: bytes, path: str, headers: list[tuple[str, str]]
    ) -> Reply:
        """The answer to a key already seen: 409 in flight, 422 for another body, else the replay."""
        stored_digest, status, body = record
        if status == IN_FLIGHT:
            self._stats.conflicts += 1
            headers += [("Retry-After", "1"), ("Link", DOCS_LINK)]
            message = f'Request with key "{key}" is currently being processed. Please retry after 1 second'
            return self._error(409, path, message, headers)
        if stored_digest != digest:
            headers.append(("Link", DOCS_LINK))
            return self._error(
                422, path, f'Request with key "{key}" is being reused for a different body', headers
            )
        self._stats.replays += 1
        headers.append(("Idempotency-Replay", "true"))
        return Reply(status, body, headers)

    def _authorized(self, authorization: str) -> bool:
        scheme, _, key = authorization.partition(" ")
        key = key.strip()
        if scheme != "ApiKey" or not key:
            return False
        return self._secret_key is None or hmac.compare_digest(key.encode(), self._secret_key.encode())

    def _draw(self, path: str) -> FaultKind | None:
        """The fault for this request: the first matching scripted one, else a seeded draw."""
        for index, (kind, where, times) in enumerate(self._scripted):
            if where is None or where == path:
                if times > 1:
                    self._scripted[index] = (kind, where, times - 1)
                else:
                    del self._scripted[index]
                return kind
        faults = self._faults
        if faults is None or (faults.paths is not None and path not in faults.paths):
            return None
        draw = self._rng.random()
        for threshold, kind in self._thresholds:
            if draw < threshold:
                return kind
        return None

    def _fault_reply(self, fault: FaultKind, path: str, headers: list[tuple[str, str]]) -> Reply:
        if fault == "drop_before":
            return Reply(0, b"", [], drop=True)
        if fault == "status_500":
            body = error_body(
                500, path, "Internal server error (injected)", errorId=f"fake-{self._stats.requests}"
            )
            return Reply(500, dumps(body), headers)
        headers.append(("Retry-After", number_text((self._faults or _NO_FAULTS).retry_after)))
        return (
            Reply(429, _RATE_LIMITED, headers) if fault == "status_429" else Reply(503, _UNAVAILABLE, headers)
        )

    @staticmethod
    def _error(status: int, path: str, message: str, headers: list[tuple[str, str]] | None = None) -> Reply:
        return Reply(status, dumps(error_body(status, path, message)), headers or [JSON_TYPE])

    def _admin(self, method: str, path: str) -> Reply:
        """``GET /__fake/stats``, ``GET /__fake/ledger``, ``POST /__fake/reset``: for other processes
        (benchmarks, the CLI) to see what the fake saw. No auth, not counted, never faulted."""
        payload: Any
        if (method, path) == ("GET", ADMIN_PREFIX + "stats"):
            payload = self.summary()
        elif (method, path) == ("GET", ADMIN_PREFIX + "ledger"):  # materialises the ledger
            payload = [entry._asdict() for entry in self._api.ledger]
        elif (method, path) == ("POST", ADMIN_PREFIX + "reset"):
            self.reset()
            payload = {"reset": True}
        else:
            return self._error(404, path, f"Cannot {method} {path}")
        return Reply(200, dumps(payload), [JSON_TYPE])


class FakeTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` answering from a ``FakeNovu``: mount it on any
    ``httpx.AsyncClient``. It honours the request's read timeout (``httpx.ReadTimeout`` when the
    answer takes longer) and raises ``httpx.RemoteProtocolError`` for dropped connections."""

    def __init__(self, fake: FakeNovu) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = request.headers
        timeout = request.extensions.get("timeout") or {}
        try:
            with anyio.fail_after(timeout.get("read")):
                reply = await self._fake.handle(
                    request.method,
                    request.url.raw_path.decode("ascii"),
                    headers.get("authorization"),
                    headers.get("idempotency-key"),
                    body,
                )
        except TimeoutError:
            raise httpx.ReadTimeout(
                "FakeNovu: the answer took longer than the read timeout", request=request
            ) from None
        if reply.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
