"""``_deadline.within``: each attempt ends by its own deadline, however many share the event loop's
watchdog, a cancellation from outside passes through, and nothing of an attempt outlives it (no
timer left in the loop per call, no loop kept alive by its watchdog). Both backends; the watchdog
itself is asyncio's path, trio's is a cancel scope."""

from __future__ import annotations

import asyncio
import gc
import sys
import weakref

import anyio
import httpx
import pytest

from novu_async._deadline import within

pytestmark = pytest.mark.anyio

REQUEST = httpx.Request("GET", "http://novu.test/v2/subscribers/s")


async def _answer_after(seconds: float) -> httpx.Response:
    await anyio.sleep(seconds)
    return httpx.Response(200)


async def test_each_attempt_ends_by_its_own_deadline() -> None:
    """Attempts of staggered timeouts in flight together: the short ones time out, in order, and
    the ones whose answer comes first are answered."""
    outcomes: dict[int, str] = {}
    ended: list[int] = []

    async def attempt(index: int, bound: float, answer_after: float) -> None:
        try:
            await within(bound, REQUEST, _answer_after(answer_after))
            outcomes[index] = "answered"
        except httpx.TimeoutException:
            outcomes[index] = "timed out"
        ended.append(index)

    async with anyio.create_task_group() as group:
        group.start_soon(attempt, 0, 0.30, 60)
        group.start_soon(attempt, 1, 0.10, 60)
        group.start_soon(attempt, 2, 60, 0.01)
        group.start_soon(attempt, 3, 0.20, 60)
        group.start_soon(attempt, 4, 60, 0.02)
    assert outcomes == {0: "timed out", 1: "timed out", 2: "answered", 3: "timed out", 4: "answered"}
    assert [i for i in ended if outcomes[i] == "timed out"] == [1, 3, 0]


async def test_a_cancellation_from_outside_passes_through() -> None:
    with anyio.move_on_after(0.05) as scope:
        await within(60, REQUEST, _answer_after(60))
        raise AssertionError("not cancelled")  # pragma: no cover
    assert scope.cancelled_caught
    # and the watchdog took nothing back that was not its own: a later attempt still times out
    with pytest.raises(httpx.TimeoutException):
        await within(0.05, REQUEST, _answer_after(60))


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="Python 3.10 bounds an attempt with anyio's cancel scope (a timer each)",
)
async def test_attempts_that_never_wait_leave_no_timers_behind() -> None:
    """A per-attempt timer, cancelled, stays in the loop until the loop next runs its timers: calls
    that never wait (a mock transport) piled one up per call."""

    async def at_once() -> httpx.Response:
        return httpx.Response(200)

    def timers() -> int:
        gc.collect()
        return sum(1 for obj in gc.get_objects() if isinstance(obj, asyncio.TimerHandle))

    await within(30, REQUEST, at_once())  # the watchdog's first timer
    before = timers()
    for _ in range(500):
        await within(30, REQUEST, at_once())
    assert timers() <= before


def test_a_finished_loop_is_freed_with_its_watchdog() -> None:
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def one_attempt() -> None:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        await within(30, REQUEST, _answer_after(0))

    for _ in range(3):
        asyncio.run(one_attempt())
    gc.collect()
    assert [ref() for ref in loops] == [None, None, None]
