"""The retry policy: what is worth another attempt, how long to wait, when to give up.

One decision, ``RetryConfig.next_wait(attempt, outcome, elapsed)``: the seconds to wait before the
next attempt, or ``None`` for "no more attempts". The core's retry loop (``RetryPolicy``, on
tenacity) and ``trigger_many``'s per-chunk loop both ask it; neither has rules of its own.

For a response that is not a success, in order:

1. ``x-should-retry: true`` / ``false`` from the server wins;
2. a server-requested wait (``retry-after-ms``, else ``Retry-After`` in seconds or as an HTTP date;
   for a 429 without either, ``RateLimit-Reset``) longer than ``RetryConfig.max_retry_after`` means
   "give up now": the caller gets the error (a ``RateLimitError`` with ``retry_after`` set) instead
   of a client that hangs for minutes;
3. otherwise 408, 429 and 5XX are retried, and 409 only when it is Novu's "this idempotency key is
   still being processed" answer (it carries ``Retry-After``, or its message says so); a business
   conflict (the subscriber already exists) is final. Other 4XX are final.

Connection failures, timeouts and malformed answers are retried too. Every attempt of one call
carries the same idempotency key (the core sets it), so a retry after a lost response is replayed by
the server, not done twice.

Waits: the server's when it gave one (within the cap), else exponential backoff (``initial_wait``
times ``multiplier`` per retry, at most ``max_wait``) shortened by a random fraction up to ``jitter``
so that many clients do not retry in step. Bounds: ``max_retries`` retries after the first attempt,
no wait that would end more than ``max_elapsed`` seconds after the first attempt began, and none
that would end at or past a caller's ``deadline``.

``RetryPolicy`` runs the decision on tenacity's ``AsyncRetrying`` with ``sleep`` going through anyio
(asyncio and trio alike). It is built once per client and configuration; tenacity keeps a call's
progress on the retrying object, so each call runs on a cheap copy of it.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import httpx
from tenacity import AsyncRetrying, RetryCallState

__all__ = [
    "Outcome",
    "RetryConfig",
    "RetryPolicy",
    "is_in_flight_conflict",
    "is_retryable_exception",
    "requested_wait",
    "reset_seconds",
    "retry_after_seconds",
    "should_retry",
]

logger = logging.getLogger("novu_async")

SleepFn = Callable[[float], Awaitable[None]]
# what one attempt came to: the response (any status), or the exception that stopped it
Outcome = httpx.Response | BaseException

# words by which a 409 says "the same idempotency key is still being processed"
_IN_FLIGHT_WORDS = ("in progress", "being processed", "in flight", "in-flight", "still processing")


def _non_negative(_: Any, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"RetryConfig.{attribute.name} must not be negative, got {value!r}")


@attrs.frozen
class RetryConfig:
    """How a client retries. ``RetryConfig(max_retries=0)`` (or ``retries=0``) disables retries.

    * ``max_retries``: retries after the first attempt (3: at most 4 attempts);
    * ``initial_wait``, ``multiplier``, ``max_wait``: backoff of 0.5, 1, 2, 4, 8, 8... seconds;
    * ``jitter``: each backoff wait is shortened by a random fraction of at most this (0: exact);
    * ``max_elapsed``: no retry whose wait would end more than this many seconds after the first
      attempt began (``None``: attempts alone bound the call);
    * ``max_retry_after``: the longest server-requested wait honoured; a longer one ends the call.
    """

    max_retries: int = attrs.field(default=3, validator=_non_negative)
    initial_wait: float = attrs.field(default=0.5, validator=_non_negative)
    max_wait: float = attrs.field(default=8.0, validator=_non_negative)
    multiplier: float = attrs.field(default=2.0, validator=_non_negative)
    jitter: float = attrs.field(
        default=0.25, validator=attrs.validators.and_(_non_negative, attrs.validators.le(1))
    )
    max_elapsed: float | None = attrs.field(default=60.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)

    def backoff(self, retry_number: int) -> float:
        """The wait before retry number ``retry_number`` (1 for the first retry), jitter included."""
        base = min(self.initial_wait * self.multiplier ** (retry_number - 1), self.max_wait)
        if self.jitter:
            base *= 1.0 - self.jitter * random.random()
        return base

    def next_wait(
        self, attempt: int, outcome: Outcome, elapsed: float = 0.0, deadline: float | None = None
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or ``None``: no more attempts.

        * ``attempt``: the attempts made so far (1 after the first);
        * ``outcome``: what the last one came to, an ``httpx.Response`` (any status) or the
          exception that ended it (an ``httpx`` transport error...);
        * ``elapsed``: seconds since the first attempt began;
        * ``deadline``: seconds from the first attempt's start the whole call may take, if bounded:
          no wait that would end at or past it.

        Pure but for the jitter: the same arguments give the same answer with ``jitter=0``. The
        module's docstring gives the rules.
        """
        if attempt > self.max_retries:
            return None
        if isinstance(outcome, BaseException):
            if not is_retryable_exception(outcome):
                return None
            wait = self.backoff(attempt)
        else:
            asked = requested_wait(outcome)
            if not _retryable(outcome, asked, self.max_retry_after):
                return None
            wait = asked if asked is not None and asked <= self.max_retry_after else self.backoff(attempt)
        end = elapsed + wait
        if deadline is not None and end >= deadline:
            return None
        if self.max_elapsed is not None and end > self.max_elapsed:
            return None
        return wait


def retry_after_seconds(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """The wait the server asked for, in seconds, or ``None`` when it did not say (or said nonsense).

    ``retry-after-ms`` (milliseconds) is read first, then ``Retry-After``: seconds or an HTTP date.
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis)
        except ValueError:
            pass
        else:
            if value == value and value >= 0:  # not NaN
                return value / 1000.0
    text = headers.get("retry-after")
    if text is None:
        return None
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value if value == value and value >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def reset_seconds(text: str | None, now: float | None = None) -> float | None:
    """``RateLimit-Reset``: seconds until the window resets (or, when it is that large, a Unix
    time), ``None`` when absent or not a number."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    if value > 1e9:  # an epoch timestamp, not a delay
        value = max(0.0, value - (time.time() if now is None else now))
    return value


def requested_wait(response: httpx.Response) -> float | None:
    """The wait the server asked for before the next attempt: ``retry_after_seconds``, and for a
    429 that gives none, the time until its ``RateLimit-Reset``."""
    wait = retry_after_seconds(response.headers)
    if wait is None and response.status_code == 429:
        wait = reset_seconds(response.headers.get("ratelimit-reset"))
    return wait


def is_in_flight_conflict(response: httpx.Response) -> bool:
    """A 409 that means "a request with this idempotency key is still being processed"."""
    if "retry-after" in response.headers or "retry-after-ms" in response.headers:
        return True
    text = response.text.lower()
    return any(word in text for word in _IN_FLIGHT_WORDS)


def should_retry(response: httpx.Response, config: RetryConfig) -> bool:
    """Whether a response is worth another attempt, budget aside (see the module's docstring)."""
    return _retryable(response, requested_wait(response), config.max_retry_after)


def _retryable(response: httpx.Response, asked: float | None, max_retry_after: float) -> bool:
    status = response.status_code
    if status < 400:
        return False
    explicit = response.headers.get("x-should-retry")
    if explicit is not None:
        explicit = explicit.strip().lower()
        if explicit == "true":
            return True
        if explicit == "false":
            return False
    if asked is not None and asked > max_retry_after:
        return False
    if status in (408, 429) or status >= 500:
        return True
    return status == 409 and is_in_flight_conflict(response)


def is_retryable_exception(exc: BaseException) -> bool:
    """Connection failures, timeouts and malformed answers (a garbage status line, a broken header,
    chunked encoding or compressed body, a body cut short): the request may be sent again (with the
    same idempotency key). A URL the client cannot use, a request it cannot send, an answer larger
    than the size limit are final."""
    return isinstance(
        exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.DecodingError)
    )


class RetryPolicy:
    """A ``RetryConfig`` made executable: ``await policy.run(send, label)``.

    ``send`` is awaited until ``RetryConfig.next_wait`` says no more: the last response is returned
    (the caller turns an error status into an exception) and the last exception is re-raised as it
    was.
    """

    def __init__(self, config: RetryConfig, sleep: SleepFn) -> None:
        self.config = config
        self._retrying: AsyncRetrying | None = None
        if config.max_retries > 0:
            # no ``stop``: ``retry`` asks next_wait, which knows every bound; ``wait`` reads the
            # answer it kept (tenacity asks the two separately, and jitter must not differ)
            self._retrying = AsyncRetrying(sleep=sleep, wait=_kept_wait, reraise=True)

    async def run(
        self, send: Callable[[], Awaitable[httpx.Response]], label: str, deadline: float | None = None
    ) -> httpx.Response:
        """``deadline``: seconds from now that the whole call may take; a retry whose wait would end
        past it is not made (the last outcome stands, as when the budget is spent). The caller
        enforces the deadline itself (a cancel scope); this only spares a wait that cannot pay off."""
        if self._retrying is None:
            return await send()
        # The first attempt runs outside tenacity: most calls succeed at once, and tenacity's
        # bookkeeping costs about as much as building the request. Only a first attempt that did
        # not succeed enters the loop, which takes that attempt's outcome as its own attempt 1.
        started = time.monotonic()
        pending: Outcome | None
        try:
            response = await send()
        except Exception as exc:
            pending = exc
        else:
            if response.status_code < 400:
                return response
            pending = response

        async def attempt() -> httpx.Response:
            nonlocal pending
            outcome, pending = pending, None
            if outcome is None:
                return await send()
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

        def backdate(state: RetryCallState) -> None:
            if state.attempt_number == 1:
                state.start_time = started  # the budget counts from the first attempt's start

        retrying = self._retrying.copy(
            before=backdate,
            retry=functools.partial(self._decide, deadline=deadline),
            before_sleep=_sleep_logger(label),
        )
        retried: httpx.Response = await retrying(attempt)
        return retried

    def _decide(self, state: RetryCallState, deadline: float | None = None) -> bool:
        """tenacity's ``retry`` hook: ask ``next_wait`` once per attempt and keep its answer."""
        outcome = state.outcome
        if outcome is None:  # pragma: no cover - tenacity always sets it before asking
            return False
        last: Outcome = outcome.exception() if outcome.failed else outcome.result()  # type: ignore[assignment]
        # time.monotonic() since the start, or the sum of the waits when sleep is not a real sleep
        elapsed = max(time.monotonic() - state.start_time, state.idle_for)
        wait = self.config.next_wait(state.attempt_number, last, elapsed, deadline)
        state._novu_wait = wait  # type: ignore[attr-defined]
        return wait is not None


def _kept_wait(state: RetryCallState) -> float:
    wait: float | None = getattr(state, "_novu_wait", None)
    return 0.0 if wait is None else wait


def _sleep_logger(label: str) -> Callable[[RetryCallState], None]:
    def log_sleep(state: RetryCallState) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        outcome = state.outcome
        assert outcome is not None
        if outcome.failed:
            exc = outcome.exception()
            why = type(exc).__name__
        else:
            why = f"HTTP {outcome.result().status_code}"
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        logger.debug("%s: attempt %d failed (%s), retrying in %.3f s", label, state.attempt_number, why, wait)

    return log_sleep
