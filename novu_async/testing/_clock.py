"""The fake's time: what its timestamps, idempotency keys and delayed work go by."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable

__all__ = ["Clock", "iso"]


class Clock:
    """Seconds since the epoch: ``source()`` (the real time by default) plus what ``advance`` added.

    Tests move time by hand with ``advance`` (idempotency keys expire, delays fall due) or give a
    ``source`` of their own.
    """

    __slots__ = ("_offset", "_source")

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's time forward (never back: ``seconds`` must be >= 0)."""
        if not seconds >= 0:
            raise ValueError(f"seconds must be >= 0, got {seconds!r}")
        self._offset += seconds

    def iso(self) -> str:
        return iso(self.now())

    def __repr__(self) -> str:
        return f"Clock(offset={self._offset:g})"


def iso(timestamp: float) -> str:
    """A time as Novu writes it: ``2025-01-01T12:00:00.000Z``."""
    moment = _dt.datetime.fromtimestamp(timestamp, _dt.timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
