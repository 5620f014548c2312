"""One attempt cut off after its timeout: ``within(seconds, request, work)``.

On asyncio (Python 3.11+) one watchdog per event loop keeps the attempts in flight with their
deadlines and a single timer at the earliest of them. When it fires it cancels the tasks whose
deadline has passed and takes that cancellation back where the attempt ends (as
``asyncio.timeout`` does), so a cancellation from outside still passes through as it is. Beside a
timer per attempt (``loop.call_later``) this makes nothing per attempt that outlives it: a
cancelled timer stays in the loop's heap until the loop next looks at its timers, so calls that
never wait (a mock transport, an answer already buffered) piled them up, and an attempt's own
cost is two set operations. Elsewhere (trio, Python 3.10) an anyio cancel scope.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Coroutine
from typing import Any, Final

import anyio
import httpx

__all__ = ["within"]

_NEVER: Final = float("inf")
_TASKS_COUNT_CANCELS: Final = hasattr(asyncio.Task, "cancelling")  # Python 3.11+


class _Attempt:
    __slots__ = ("deadline", "fired", "task")

    def __init__(self, task: asyncio.Task[Any], deadline: float) -> None:
        self.task = task
        self.deadline = deadline
        self.fired = False


class _Watchdog:
    """The attempts in flight on one event loop. It holds no reference to its loop (the loop's
    timer holds it), so a loop that ends is freed with its watchdog."""

    __slots__ = ("__weakref__", "armed_at", "attempts")

    def __init__(self) -> None:
        self.attempts: set[_Attempt] = set()
        self.armed_at = _NEVER  # the earliest timer pending (later ones may be pending too)

    def watch(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any], seconds: float) -> _Attempt:
        attempt = _Attempt(task, loop.time() + seconds)
        self.attempts.add(attempt)
        if attempt.deadline < self.armed_at:
            self.armed_at = attempt.deadline
            loop.call_at(attempt.deadline, self._fire, loop)
        return attempt

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        now, earliest = loop.time(), _NEVER
        for attempt in list(self.attempts):
            if attempt.deadline <= now:
                if not attempt.fired:
                    attempt.fired = True
                    attempt.task.cancel()
            elif attempt.deadline < earliest:
                earliest = attempt.deadline
        self.armed_at = earliest
        if earliest is not _NEVER:
            loop.call_at(earliest, self._fire, loop)


_watchdogs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Watchdog] = weakref.WeakKeyDictionary()
_last: tuple[Any, _Watchdog | None] = (lambda: None, None)  # (weak reference to a loop, its watchdog)


def _watchdog(loop: asyncio.AbstractEventLoop) -> _Watchdog:
    global _last
    ref, dog = _last
    if ref() is loop and dog is not None:
        return dog
    dog = _watchdogs.get(loop)
    if dog is None:
        dog = _watchdogs[loop] = _Watchdog()
    _last = (weakref.ref(loop), dog)
    return dog


async def within(
    seconds: float, request: httpx.Request, work: Coroutine[Any, Any, httpx.Response]
) -> httpx.Response:
    """``await work``, cut off after ``seconds`` (``httpx.TimeoutException``). Cancellation from
    outside passes through as it is."""
    task = _asyncio_task()
    if task is None:  # trio (or Python 3.10): an anyio cancel scope
        with anyio.move_on_after(seconds):
            return await work
        raise _timed_out(seconds, request)
    loop = task.get_loop()
    dog = _watchdog(loop)
    cancelling = task.cancelling()
    attempt = dog.watch(loop, task, seconds)
    try:
        return await work
    except asyncio.CancelledError:
        if attempt.fired:
            attempt.fired = False
            if task.uncancel() <= cancelling:  # no cancellation but ours: the attempt timed out
                raise _timed_out(seconds, request) from None
        raise
    finally:
        dog.attempts.discard(attempt)
        if attempt.fired:  # it fired, but the work ended some other way: take the cancellation back
            task.uncancel()


def _asyncio_task() -> Any:
    """The running asyncio task, when the watchdog works with it (Python 3.11+), else ``None``
    (trio, or 3.10)."""
    if not _TASKS_COUNT_CANCELS:
        return None
    try:
        return asyncio.current_task()
    except RuntimeError:  # no asyncio loop running: trio
        return None


def _timed_out(seconds: float, request: httpx.Request) -> httpx.TimeoutException:
    return httpx.TimeoutException(
        f"the attempt took longer than its timeout of {seconds:g} s", request=request
    )
