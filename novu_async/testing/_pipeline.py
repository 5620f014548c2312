"""One request through the fake, in the order Novu's server applies the same steps: route (404 for a
path the document does not have, 501 for an operation no group models yet), JSON body (400), API key
(401), rate limit (429), injected fault, idempotency (400 / 409 / 422 / replay), the handler (after
the accepted triggers are delivered, for every operation but the triggers), the envelope, then the
delay (``latency`` and slow faults) and the faults that strike after processing.

It is synchronous up to the answer: between two awaits nothing else runs, so the state and the
idempotency records need no locks on one event loop.
"""

from __future__ import annotations

import functools
import hmac
import logging
import random
from collections import Counter
from collections.abc import Callable
from typing import Any, Final

import attrs

from ._clock import Clock
from ._config import FAULT_KINDS, FaultKind, Faults, Limiter, RateLimit
from ._idempotency import MAX_KEY, Keys
from ._routes import NO_BODY, Call, Route, Router, not_implemented
from ._store import State
from ._wire import JSON_TYPE, Answer, ApiError, Reply, dumps, envelope, error_body, loads, number_text

__all__ = ["DOCS_LINK", "IDEMPOTENT_METHODS", "Pipeline", "Stats"]

logger = logging.getLogger("novu_async.testing")

DOCS_LINK: Final = "https://docs.novu.co/additional-resources/idempotency"
# Novu keeps idempotency records for POST and PATCH only; a DELETE or PUT is simply done again
IDEMPOTENT_METHODS: Final = frozenset({"POST", "PATCH"})
_BEFORE: Final = frozenset({"drop_before", "status_500", "status_503", "status_429"})
# the document declares these error bodies as JSON strings
_RATE_LIMITED: Final = dumps("API rate limit exceeded")
_UNAVAILABLE: Final = dumps("Please wait some time, then try again.")
_NO_FAULTS: Final = Faults()
_GOOD_KEYS: Final = 64  # accepted Authorization headers remembered (any key is good without a secret)
_NO_KEY: Final = "Missing Authorization header: expected 'ApiKey <secret key>'"


@attrs.define
class Stats:
    """Counters since the fake was made or reset (admin endpoints are not counted).

    ``by_status`` counts the answers the fake produced (a dropped connection has none);
    ``conflicts`` the 409s for a key still in flight; ``rate_limited`` the rate limiter's 429s
    (injected 429s count under ``faults``, by kind); ``connections`` those the server accepted;
    ``not_implemented`` the 501s, by operationId.
    """

    requests: int = 0
    by_status: Counter[int] = attrs.Factory(Counter)
    replays: int = 0
    conflicts: int = 0
    rate_limited: int = 0
    faults: Counter[str] = attrs.Factory(Counter)
    connections: int = 0
    not_implemented: Counter[str] = attrs.Factory(Counter)

    def as_dict(self) -> dict[str, Any]:
        values = attrs.asdict(self)
        values["by_status"] = {str(status): n for status, n in sorted(self.by_status.items())}
        values["faults"] = dict(sorted(self.faults.items()))
        values["not_implemented"] = dict(sorted(self.not_implemented.items()))
        return values


def _truncated(body: bytes) -> bytes:
    """A body no JSON parser accepts."""
    return body[: len(body) // 2] if len(body) > 1 else b"{"


def _error(status: int, path: str, message: str, headers: list[tuple[str, str]] | None = None) -> Reply:
    return Reply(status, dumps(error_body(status, path, message)), headers or [JSON_TYPE])


# a scripted fault: (kind, path or operationId or function name or None for any, times left)
_Scripted = tuple[FaultKind, "str | None", int]


class Pipeline:
    """The request path of one fake: ``respond(...)`` -> ``Answer``."""

    def __init__(
        self,
        router: Router,
        state: State,
        clock: Clock,
        *,
        secret_key: str | None,
        rate_limit: RateLimit | None,
        faults: Faults | None,
        seed: int,
        latency: float,
    ) -> None:
        self.router = router
        self.state = state
        self.keys = Keys(clock)
        self.stats = Stats()
        self.latency = latency
        self._secret_key = secret_key
        self._rng = random.Random(seed)
        self._scripted: list[_Scripted] = []
        self._good_keys: set[str] = set()  # Authorization headers accepted before
        self.faults = faults
        self.rate_limit = rate_limit

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

    def fail_next(self, fault: FaultKind, where: str | None, times: int) -> None:
        if fault not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault!r}: expected one of {', '.join(FAULT_KINDS)}")
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times!r}")
        if where is not None and not where.startswith("/"):
            names = {
                name
                for route in self.router.routes
                for name in (route.operation.operation_id, route.operation.name)
            }
            if where not in names:
                raise ValueError(f"fail_next: {where!r} is no path, operationId or function name of the API")
        self._scripted.append((fault, where, times))

    # --- one request

    def respond(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Answer:
        path, _, query = target.partition("?")
        stats = self.stats
        stats.requests += 1
        reply, fault, done = self._process(method, path, query, authorization, idempotency_key or None, body)
        answer = Answer(reply, self.latency, done)
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
    ) -> tuple[Reply, FaultKind | None, Callable[[], None] | None]:
        """The answer, the fault drawn, and what completes the answer's idempotency record."""
        found = self.router.find(method, path)
        if found is None:
            return _error(404, path, f"Cannot {method} {path}"), None, None
        route, params = found
        handling = route.handling
        if handling is None:
            self.stats.not_implemented[route.operation.operation_id] += 1
            return _error(501, path, not_implemented(route.operation).message), None, None
        data: Any = None
        if body and not handling.raw:
            try:
                data = loads(body)
            except ValueError:
                return _error(400, path, "the request body is not valid JSON"), None, None
        if authorization not in self._good_keys and not self._authorized(authorization):
            message = _NO_KEY if authorization is None else "API Key not found"
            return _error(401, path, message), None, None

        if self._limiter is None:
            headers = [JSON_TYPE]
        else:
            allowed, headers, retry_after = self._limiter.take(handling.category, handling.bulk)
            headers.insert(0, JSON_TYPE)
            if not allowed:
                self.stats.rate_limited += 1
                headers.append(("Retry-After", str(retry_after)))
                return Reply(429, _RATE_LIMITED, headers), None, None

        fault = None if self._faults is None and not self._scripted else self._draw(path, route)
        if fault is not None:
            self.stats.faults[fault] += 1
            if fault in _BEFORE:
                return self._fault_reply(fault, path, headers), None, None

        if key is not None and method in IDEMPOTENT_METHODS:
            if len(key) > MAX_KEY:
                message = f'idempotencyKey "{key}" has exceeded the maximum allowed length of 255 characters'
                return _error(400, path, message, headers), fault, None
            headers.append(("Idempotency-Key", key))
            seen, status, stored = self.keys.look(key, body)
            if seen != "new":
                return self._repeat(seen, status, stored, key, path, headers), fault, None

            call = Call(route.operation, path, params, query, data, body, key, self.stats.requests)
            reply = self._call(route, call, headers)
            # the status and body as they are now, before a fault spoils them (a partial: no frame)
            return reply, fault, functools.partial(self.keys.keep, key, body, reply.status, reply.body)

        call = Call(route.operation, path, params, query, data, body, key, self.stats.requests)
        return self._call(route, call, headers), fault, None

    def _call(self, route: Route, call: Call, headers: list[tuple[str, str]]) -> Reply:
        handling = route.handling
        assert handling is not None
        try:
            if handling.settles:
                self.state.settle()
            status, payload = handling.handler(self.state, call)
        except ApiError as exc:
            return Reply(exc.status, dumps(exc.body(call.path)), headers)
        except Exception:  # a bug in the fake: answer like a server would, and say so
            logger.exception("FakeNovu: %s %s failed", route.operation.method, call.path)
            body = error_body(500, call.path, "Internal server error", errorId=f"fake-{call.number}")
            return Reply(500, dumps(body), headers)
        if payload is NO_BODY:  # a 204 keeps Content-Type: the document requires it on some
            return Reply(status, b"", headers)
        return Reply(status, payload if type(payload) is bytes else dumps(envelope(payload)), headers)

    def _repeat(
        self, seen: str, status: int, stored: bytes, key: str, path: str, headers: list[tuple[str, str]]
    ) -> Reply:
        """The answer to a key already seen: 409 in flight, 422 for another body, else the replay."""
        if seen == "in_flight":
            self.stats.conflicts += 1
            headers += [("Retry-After", "1"), ("Link", DOCS_LINK)]
            message = f'Request with key "{key}" is currently being processed. Please retry after 1 second'
            return _error(409, path, message, headers)
        if seen == "other_body":
            headers.append(("Link", DOCS_LINK))
            return _error(
                422, path, f'Request with key "{key}" is being reused for a different body', headers
            )
        self.stats.replays += 1
        headers.append(("Idempotency-Replay", "true"))
        return Reply(status, stored, headers)

    def _authorized(self, authorization: str | None) -> bool:
        """Whether the header carries the key (remembered for the next requests that send it)."""
        if authorization is None:
            return False
        scheme, _, key = authorization.partition(" ")
        key = key.strip()
        if scheme != "ApiKey" or not key:
            return False
        if self._secret_key is None or hmac.compare_digest(key.encode(), self._secret_key.encode()):
            if len(self._good_keys) < _GOOD_KEYS:
                self._good_keys.add(authorization)
            return True
        return False

    def _draw(self, path: str, route: Route) -> FaultKind | None:
        """The fault for this request: the first matching scripted one, else a seeded draw."""
        if self._scripted:
            operation = route.operation
            for index, (kind, where, times) in enumerate(self._scripted):
                if where is None or where in (path, operation.operation_id, operation.name):
                    if times > 1:
                        self._scripted[index] = (kind, where, times - 1)
                    else:
                        del self._scripted[index]
                    return kind
        faults = self._faults
        if faults is None:
            return None
        if faults.paths is not None and not faults.paths.intersection(
            (path, route.operation.operation_id, route.operation.name)
        ):
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
                500, path, "Internal server error (injected)", errorId=f"fake-{self.stats.requests}"
            )
            return Reply(500, dumps(body), headers)
        headers.append(("Retry-After", number_text((self._faults or _NO_FAULTS).retry_after)))
        return (
            Reply(429, _RATE_LIMITED, headers) if fault == "status_429" else Reply(503, _UNAVAILABLE, headers)
        )
