"""Rate-limit pacing of a bulk run: one gate shared by its workers.

A 429 (or a 503 with ``Retry-After``) pauses every worker until the time the server named, not only
the one that got it. ``RateLimit-Remaining`` / ``RateLimit-Reset`` on every response slow the run
down before the limit is hit: when fewer requests are left than twice the concurrency, the requests
still allowed are spread over the time left in the window; none left, everyone waits for the reset.
How long to wait after a failed attempt is the retry policy's decision (``RetryConfig.next_wait``);
the gate only decides who waits.

Every wait is bounded: a worker's turn further away than the policy's ``max_retry_after``, or at or
past the run's deadline, is not waited for; ``Gate.wait`` says so and the run stops (a server asking
for one request in an hour is not paced, it is reported).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

import httpx

from .._retry import requested_wait, reset_seconds

__all__ = ["Gate", "scan", "shared_wait"]


def scan(headers: httpx.Headers) -> tuple[bool, str | None, str | None]:
    """``(Idempotency-Replay is true, RateLimit-Remaining, RateLimit-Reset)`` in one pass over the
    headers (three ``headers.get`` cost three passes)."""
    replayed = False
    remaining = reset = None
    for name, value in headers.raw:
        if len(name) < 15:
            continue
        name = name.lower()
        if name == b"ratelimit-remaining":
            remaining = value.decode("latin-1")
        elif name == b"ratelimit-reset":
            reset = value.decode("latin-1")
        elif name == b"idempotency-replay":
            replayed = value.strip().lower() == b"true"
    return replayed, remaining, reset


class Gate:
    """When workers may send: a pause shared by all (a 429, or no requests left in the window) and,
    while few requests are left, a spacing between request starts."""

    __slots__ = (
        "calm",
        "clock",
        "cost",
        "interval",
        "last_remaining",
        "low_water",
        "max_pause",
        "next_slot",
        "paced_until",
        "resume_at",
        "sleep",
    )

    def __init__(
        self,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        concurrency: int,
        max_pause: float,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.low_water = 2 * concurrency
        self.max_pause = max_pause
        self.calm = True  # no pause and no pacing in force: the hot path's only test
        self.resume_at = -math.inf
        self.interval = 0.0
        self.next_slot = -math.inf
        self.paced_until = -math.inf
        self.cost = math.inf  # tokens per request, learnt from RateLimit-Remaining (inf: not yet)
        self.last_remaining: float | None = None

    async def wait(self, until: float | None = None) -> float | None:
        """Wait for this worker's turn to send, and return ``None``; or, when the turn is more than
        ``max_pause`` seconds away or at or past ``until`` (on the gate's clock), wait for nothing
        and return how far away it is."""
        if self.calm:
            return None
        now = self.clock()
        start = max(now, self.resume_at)
        if self.interval > 0.0 and now < self.paced_until:
            start = max(start, self.next_slot)
            if self._too_far(start, now, until):
                return start - now
            self.next_slot = start + self.interval
        elif start <= now:
            if now >= self.paced_until:
                self.calm = True
            return None
        if start <= now:
            return None
        if self._too_far(start, now, until):
            return start - now
        await self.sleep(start - now)
        while self.resume_at > start:  # paused further while this worker slept
            start, now = self.resume_at, self.clock()
            if self._too_far(start, now, until):
                return start - now
            await self.sleep(max(0.0, start - now))
        return None

    def _too_far(self, start: float, now: float, until: float | None) -> bool:
        return start - now > self.max_pause or (until is not None and start >= until)

    def pause(self, seconds: float) -> None:
        """No worker sends for ``seconds`` from now."""
        self.resume_at = max(self.resume_at, self.clock() + seconds)
        self.calm = False

    def observe(self, remaining_text: str | None, reset_text: str | None, in_flight: int) -> None:
        """Slow down (or speed up again) from ``RateLimit-Remaining`` and ``RateLimit-Reset``."""
        if remaining_text is None:
            return
        try:
            remaining = float(remaining_text)
        except ValueError:
            return
        reset = reset_seconds(reset_text, time.time())
        if reset is None or not math.isfinite(remaining):
            return
        last, self.last_remaining = self.last_remaining, remaining
        if last is not None and 0 < last - remaining < self.cost:
            # the smallest drop between two answers: what one request costs (a bulk request costs
            # more than one token in Novu's trigger category)
            self.cost = last - remaining
        cost = self.cost if math.isfinite(self.cost) else 1.0
        left = remaining / cost - in_flight  # the requests in flight will spend some too
        if left < 1.0:
            self.pause(reset)  # longer than the policy accepts: the next turn says so (``wait``)
            self.interval = 0.0
        elif left < self.low_water:
            self.interval = reset / left
            self.paced_until = self.clock() + reset
            self.calm = False
        else:
            self.interval = 0.0
            self.paced_until = -math.inf


def shared_wait(response: httpx.Response) -> bool:
    """Whether the wait before retrying after ``response`` is every worker's, not only its chunk's:
    a rate limit (429), or a 503 that says how long the server needs."""
    status = response.status_code
    return status == 429 or (status == 503 and requested_wait(response) is not None)
