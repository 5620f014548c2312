"""``FakeNovu``: configuration, the ways in (httpx transport, ASGI, HTTP/1.1 server, SDK client), the
admin endpoints; the request path is ``_pipeline``'s, the state ``_store``'s, the endpoints
``_groups``'."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Final

import attrs
import httpx

from ._asgi import Receive, Scope, Send, serve_asgi
from ._clock import Clock
from ._config import GENEROUS, FaultKind, Faults, RateLimit
from ._groups import GROUPS
from ._holdings import Holdings
from ._pipeline import Pipeline, Stats
from ._routes import OperationInfo, Router, legacy_operations
from ._store import State
from ._transport import FakeTransport
from ._wire import JSON_TYPE, Answer, Reply, answer, dumps, error_body

if TYPE_CHECKING:
    from .._client import Novu

__all__ = ["ADMIN_PREFIX", "TRANSPORT_URL", "FakeNovu", "FakeServer"]

TRANSPORT_URL: Final = "http://fake-novu.test"
ADMIN_PREFIX: Final = "/__fake/"


@functools.cache
def router() -> Router:
    """The route table of every fake (made once: it imports the generated operations)."""
    return Router(GROUPS)


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


class FakeNovu(Holdings):
    """An in-process Novu API: see the ``novu_async.testing`` package docstring and docs/fakenovu.md."""

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        rate_limit: RateLimit | None = GENEROUS,
        faults: Faults | None = None,
        seed: int = 0,
        latency: float = 0.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if secret_key is not None and not secret_key.strip():
            raise ValueError("secret_key must not be empty (None accepts any key)")
        if latency < 0:
            raise ValueError(f"latency must be >= 0, got {latency!r}")
        self._secret_key = secret_key
        self._seed = seed
        self._clock = Clock() if clock is None else Clock(clock)
        self._transport = FakeTransport(self)
        self._pipeline = Pipeline(
            router(),
            State(seed, self._clock),
            self._clock,
            secret_key=secret_key,
            rate_limit=rate_limit,
            faults=faults,
            seed=seed,
            latency=latency,
        )
        self._state = self._pipeline.state

    def __repr__(self) -> str:
        key = "None" if self._secret_key is None else "'<redacted>'"
        return (
            f"FakeNovu(secret_key={key}, rate_limit={self.rate_limit!r}, faults={self.faults!r}, "
            f"seed={self._seed}, events={self._state.events.count}, requests={self.stats.requests})"
        )

    def reset(self) -> None:
        """Forget everything: state, idempotency keys, stats, buckets, scripted faults; the random
        generator starts again from the seed. The clock keeps its time."""
        old = self._pipeline
        self._pipeline = Pipeline(
            old.router,
            State(self._seed, self._clock),
            self._clock,
            secret_key=self._secret_key,
            rate_limit=old.rate_limit,
            faults=old.faults,
            seed=self._seed,
            latency=old.latency,
        )
        self._state = self._pipeline.state

    # --- configuration

    @property
    def faults(self) -> Faults | None:
        return self._pipeline.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self._pipeline.faults = faults

    @property
    def rate_limit(self) -> RateLimit | None:
        return self._pipeline.rate_limit

    @rate_limit.setter
    def rate_limit(self, rate_limit: RateLimit | None) -> None:
        """A new configuration starts with full buckets; None: no limits and no ``RateLimit-*`` headers."""
        self._pipeline.rate_limit = rate_limit

    @property
    def latency(self) -> float:
        return self._pipeline.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"latency must be >= 0, got {seconds!r}")
        self._pipeline.latency = seconds

    def fail_next(
        self, fault: FaultKind, *, path: str | None = None, operation: str | None = None, times: int = 1
    ) -> None:
        """Give the next ``times`` requests this fault: any request, or only those to ``path`` (a
        request path), or to ``operation`` (an operationId such as ``"TopicsController_getTopic"`` or
        an SDK function name such as ``"topics_retrieve"``). Scripted faults come before
        probabilistic ones, in the order they were scripted."""
        if path is not None and operation is not None:
            raise ValueError("give path or operation, not both")
        self._pipeline.fail_next(fault, path if operation is None else operation, times)

    # --- what happened

    @property
    def stats(self) -> Stats:
        return self._pipeline.stats

    @property
    def operations(self) -> tuple[tuple[OperationInfo, bool], ...]:
        """Every operation of the document and whether the fake models it (False: it answers 501)."""
        routes = self._pipeline.router.routes
        return tuple(
            (route.operation, route.handling is not None) for route in routes if not route.operation.legacy
        )

    @property
    def legacy_operations(self) -> tuple[tuple[OperationInfo, str], ...]:
        """Every operation of the legacy (v1) document, named ``legacy.<operationId>``, and how the fake
        answers it: ``"served"`` (modelled), ``"shared"`` (a current operation has its method and path
        and answers it) or ``"501"``."""
        routes = self._pipeline.router.routes
        current = {
            (route.operation.method, route.operation.path) for route in routes if not route.operation.legacy
        }
        handled = {route.operation.operation_id: route.handling is not None for route in routes}
        found = []
        for operation in legacy_operations():
            if (operation.method, operation.path) in current:
                found.append((operation, "shared"))
            else:
                found.append((operation, "served" if handled[operation.operation_id] else "501"))
        return tuple(found)

    def summary(self) -> dict[str, Any]:
        """``stats.as_dict()`` plus counts of what it holds: accepted ``events``, ``ignored`` events
        (a repeated transactionId), ``subscribers``, ``topics``, ``messages``. Cheap: it does not
        deliver pending triggers first (``pending``: requests whose triggers are still to deliver)."""
        state = self._state
        return {
            **self.stats.as_dict(),
            "events": state.events.count,
            "ignored": state.events.ignored,
            "pending": state.events.waiting,
            "subscribers": len(state.subscribers),
            "topics": len(state.topics.records),
            "messages": len(state.inbox.messages),
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
    async def serve(
        self, host: str = "127.0.0.1", port: int = 0, *, parser: str | None = None
    ) -> AsyncIterator[FakeServer]:
        """Serve this fake over HTTP/1.1 on ``host:port`` (0: a free port) in the running event loop
        (asyncio or trio) until the block ends; yields the ``FakeServer`` (``.url``). ``parser``:
        what reads the requests, "h11" or "httptools" (default: httptools when installed, else h11;
        the same behaviour, httptools at a fraction of the cost)."""
        from ._server import serve

        async with serve(self, host, port, parser) as listening:
            yield FakeServer(self, listening.host, listening.port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The fake as an ASGI application: ``httpx.ASGITransport(app=fake)``."""
        await serve_asgi(self, scope, receive, send)

    # --- the request path

    async def handle(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Reply:
        """Answer one request (``target``: path and query as sent); a ``Reply`` with ``drop`` set
        means "close the connection, answer nothing". ``respond`` and the wait, in one call."""
        return await answer(self, method, target, authorization, idempotency_key, body)

    def respond(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Answer:
        """The synchronous part of ``handle``: the work is done, the answer is ready to go out after
        ``answer.delay`` seconds, and ``answer.complete()`` must be called then (even if cancelled)."""
        if target.startswith(ADMIN_PREFIX):
            return Answer(self._admin(method, target.partition("?")[0]))
        return self._pipeline.respond(method, target, authorization, idempotency_key, body)

    def connected(self) -> None:
        self._pipeline.stats.connections += 1

    def _admin(self, method: str, path: str) -> Reply:
        """``GET /__fake/stats``, ``GET /__fake/ledger``, ``POST /__fake/reset``: for other processes
        (benchmarks, the CLI) to see what the fake saw. No auth, not counted, never faulted."""
        payload: Any
        if (method, path) == ("GET", ADMIN_PREFIX + "stats"):
            payload = self.summary()
        elif (method, path) == ("GET", ADMIN_PREFIX + "ledger"):  # materialises the ledger
            payload = [entry._asdict() for entry in self.ledger]
        elif (method, path) == ("POST", ADMIN_PREFIX + "reset"):
            self.reset()
            payload = {"reset": True}
        else:
            message = f"Cannot {method} {path}"
            return Reply(404, dumps(error_body(404, path, message)), [JSON_TYPE])
        return Reply(200, dumps(payload), [JSON_TYPE])
