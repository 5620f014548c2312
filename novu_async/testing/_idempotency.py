"""Idempotency keys the way Novu's interceptor keeps them, on the fake's clock.

For POST and PATCH with a non-empty ``idempotency-key``: the first request is marked in flight
(for 5 minutes at most), then its answer, success or error, is kept for 24 hours. The same key later
gets: 409 while in flight; 422 when the body is another JSON value; else the stored answer again.
Bodies are compared as JSON: key order and whitespace do not matter. An empty key is no key.
"""

from __future__ import annotations

from typing import Final, Literal

from ._clock import Clock
from ._wire import canonical, loads

__all__ = ["IN_FLIGHT_TTL", "KEPT_TTL", "Keys", "MAX_KEY"]

MAX_KEY: Final = 255
IN_FLIGHT_TTL: Final = 5 * 60.0
KEPT_TTL: Final = 24 * 60 * 60.0
IN_FLIGHT: Final = 0

# (expires at, the request's body, status or IN_FLIGHT, the stored answer's body); plain tuples of
# floats, bytes and ints, which the garbage collector stops tracking however many there are
_Record = tuple[float, bytes, int, bytes]
Seen = Literal["new", "in_flight", "other_body", "replay"]


def _same_json(first: bytes, second: bytes) -> bool:
    if first == second:
        return True
    try:
        return canonical(loads(first)) == canonical(loads(second)) if first and second else False
    except ValueError:
        return False


class Keys:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._sweep_at = 1024

    def __len__(self) -> int:
        return len(self._records)

    def look(self, key: str, body: bytes) -> tuple[Seen, int, bytes]:
        """What to do with a keyed request: ``("new", 0, b"")`` (and it is now in flight), or the
        stored status and body for ``"replay"``."""
        now = self._clock.now()
        record = self._records.get(key)
        if record is None or record[0] <= now:
            self._records[key] = (now + IN_FLIGHT_TTL, body, IN_FLIGHT, b"")
            if len(self._records) >= self._sweep_at:
                self._sweep(now)
            return "new", 0, b""
        _, stored_body, status, answer = record
        if status == IN_FLIGHT:
            return "in_flight", 0, b""
        if not _same_json(stored_body, body):
            return "other_body", 0, b""
        return "replay", status, answer

    def keep(self, key: str, body: bytes, status: int, answer: bytes) -> None:
        """The first request's answer, for 24 hours from now."""
        self._records[key] = (self._clock.now() + KEPT_TTL, body, status, answer)

    def _sweep(self, now: float) -> None:
        """Forget expired keys (when the table has doubled since the last sweep: amortised O(1))."""
        self._records = {key: record for key, record in self._records.items() if record[0] > now}
        self._sweep_at = max(1024, 2 * len(self._records))
