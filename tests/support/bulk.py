"""Helpers of the bulk tests: clocks for simulated time, an async iterable, the chunks' outcomes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.lowlevel

from novu_async.bulk import BulkReport


class FakeTime:
    """A clock that moves only when someone sleeps; every wait is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await anyio.lowlevel.checkpoint()


class Dilated:
    """Virtual seconds that pass ``SCALE`` times faster than real ones: waits really wait (so tasks
    interleave as they would), only shorter. Server and client read the same clock."""

    SCALE = 20.0

    def __init__(self) -> None:
        self.start = anyio.current_time()

    def clock(self) -> float:
        return (anyio.current_time() - self.start) * self.SCALE

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds / self.SCALE)


async def agen(items: list[Any]) -> AsyncIterator[Any]:
    """``items`` as an async iterable, with a checkpoint before each."""
    for item in items:
        await anyio.lowlevel.checkpoint()
        yield item


def outcomes(report: BulkReport) -> list[str]:
    """Each chunk's outcome, by index."""
    return [c.outcome.value for c in report.chunks]
