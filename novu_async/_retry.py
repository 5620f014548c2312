"""The retry policy: what is worth another attempt, how long to wait, when to give up.

Decisions, in order, for a response that is not a success:

1. ``x-should-retry: true`` / ``false`` from the server wins;
2. a server-requested wait (``retry-after-ms``, else ``Retry-After`` in seconds or as an HTTP date)
   longer than ``RetryConfig.max_retry_after`` means "give up now": the caller gets the error (a
   ``RateLimitError`` with ``retry_after`` set) instead of a client that hangs for minutes;
3. otherwise 408, 429 and 5XX are retried, and 409 only when it is Novu's "this idempotency key is
   still being processed" answer (it carries ``Retry-After``, or its message says so); a business
   conflict (the subscriber already exists) is final. Other 4XX are final.

Connection failures and timeouts are retried too. Every attempt of one call carries the same
idempotency key (the core sets it), so a retry after a lost response is replayed by the server, not
done twice.

Waits: the server's when it gave one (within the cap), else exponential backoff (``initial_wait``
times ``multiplier`` per retry, at most ``max_wait``) shortened by a random fraction up to ``jitter``
so that many clients do not retry in step. Bounds: ``max_retries`` retries after the first attempt,
and no wait that would end more than ``max_elapsed`` seconds after the first attempt began.

Built on tenacity's ``AsyncRetrying`` with ``sleep`` going through anyio (asyncio and trio alike).
A ``RetryPolicy`` is built once per client and configuration; tenacity keeps a call's progress on
the retrying object, so each call runs on a cheap copy of it.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import httpx
from tenacity import AsyncRetrying, RetryCallState

__all__ = ["RetryConfig", "RetryPolicy", "is_retryable_exception", "retry_after_seconds", "should_retry"]

logger = logging.getLogger("novu_async")

SleepFn = Callable[[float], Awaitable[None]]

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


def is_in_flight_conflict(response: httpx.Response) -> bool:
    """A 409 that means "a request with this idempotency key is still being processed"."""
    if "retry-after" in response.headers or "retry-after-ms" in response.headers:
        return True
    text = response.text.lower()
    return any(word in text for word in _IN_FLIGHT_WORDS)


def should_retry(response: httpx.Response, config: RetryConfig) -> bool:
    """Whether a response is worth another attempt (see the module's docstring for the order)."""
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
    delay = retry_after_seconds(response.headers)
    if delay is not None and delay > config.max_retry_after:
        return False
    if status in (408, 429) or status >= 500:
        return True
    return status == 409 and is_in_flight_conflict(response)


def is_retryable_exception(exc: BaseException) -> bool:
    """Connection failures and timeouts: the request may be sent again (with the same idempotency
    key). A URL the client cannot use, a redirect loop or a body it cannot decode are final."""
    return isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


class _Plan:
    """The wait chosen after one failed attempt, computed once: tenacity asks ``stop`` and ``wait``
    separately (in an order that changed between versions), and jitter must not differ between them."""

    __slots__ = ("attempt", "wait")

    def __init__(self, attempt: int, wait: float) -> None:
        self.attempt = attempt
        self.wait = wait


class RetryPolicy:
    """A ``RetryConfig`` made executable: ``await policy.run(send, label)``.

    ``send`` is awaited until it returns a response the policy does not retry, raises an exception
    it does not retry, or the budget is spent; the last response is returned (the caller turns an
    error status into an exception) and the last exception is re-raised as it was.
    """

    def __init__(self, config: RetryConfig, sleep: SleepFn) -> None:
        self.config = config
        self._retrying: AsyncRetrying | None = None
        if config.max_retries > 0:
            self._retrying = AsyncRetrying(
                sleep=sleep,
                stop=self._stop,
                wait=self._wait,
                retry=self._retry,
                retry_error_callback=_last_outcome,
                reraise=True,
            )

    async def run(
        self, send: Callable[[], Awaitable[httpx.Response]], label: str, deadline: float | None = None
    ) -> httpx.Response:
        """``deadline``: seconds from now that the whole call may take; a retry whose wait would end
        past it is not made (the last outcome stands, as when the budget is spent). The caller
        enforces the deadline itself (a cancel scope); this only spares a wait that cannot pay off."""
        if self._retrying is None:
            return await send()
        # The first attempt runs outside tenacity: most calls succeed at once, and tenacity's
        # bookkeeping costs about as much as building the request. Only a first attempt worth
        # retrying enters the loop, which takes that attempt's outcome as its own attempt 1.
        started = time.monotonic()
        pending: httpx.Response | BaseException | None
        try:
            response = await send()
        except Exception as exc:
            if not is_retryable_exception(exc):
                raise
            pending = exc
        else:
            if not should_retry(response, self.config):
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

        stop = {} if deadline is None else {"stop": functools.partial(self._stop, deadline=deadline)}
        retrying = self._retrying.copy(before=backdate, before_sleep=_sleep_logger(label), **stop)
        retried: httpx.Response = await retrying(attempt)
        return retried

    # --- tenacity hooks

    def _retry(self, state: RetryCallState) -> bool:
        outcome = state.outcome
        if outcome is None:  # pragma: no cover - tenacity always sets it before asking
            return False
        if outcome.failed:
            exc = outcome.exception()
            return exc is not None and is_retryable_exception(exc)
        return should_retry(outcome.result(), self.config)

    def _plan(self, state: RetryCallState) -> _Plan:
        plan: _Plan | None = getattr(state, "_novu_plan", None)
        if plan is not None and plan.attempt == state.attempt_number:
            return plan
        wait: float | None = None
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            response: httpx.Response = outcome.result()
            delay = retry_after_seconds(response.headers)
            if delay is not None and delay <= self.config.max_retry_after:
                wait = delay
        if wait is None:
            wait = self.config.backoff(state.attempt_number)
        plan = _Plan(state.attempt_number, wait)
        state._novu_plan = plan  # type: ignore[attr-defined]
        return plan

    def _wait(self, state: RetryCallState) -> float:
        return self._plan(state).wait

    def _stop(self, state: RetryCallState, deadline: float | None = None) -> bool:
        if state.attempt_number > self.config.max_retries:
            return True
        max_elapsed = self.config.max_elapsed
        if max_elapsed is None and deadline is None:
            return False
        # time.monotonic() since the start, or the sum of the waits when sleep is not a real sleep
        elapsed = max(time.monotonic() - state.start_time, state.idle_for)
        end = elapsed + self._plan(state).wait
        if deadline is not None and end >= deadline:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "attempt %d failed; no retry: its wait would end past the %g s deadline",
                    state.attempt_number,
                    deadline,
                )
            return True
        return max_elapsed is not None and end > max_elapsed


def _last_outcome(state: RetryCallState) -> Any:
    """Budget spent: the last response as it is, or the last exception raised again."""
    assert state.outcome is not None
    return state.outcome.result()


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
