"""What a bulk run reports: each chunk's key, item range and outcome, each item's result, totals.

The per-item results are kept per chunk, compactly (a chunk's transaction ids joined into one
string, one status string when every item has it), and unpacked only when read; ``pack_ids``,
``pack_statuses`` and ``keep_answers`` are how the rest of the package stores them.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Final, NamedTuple

import attrs

from ..errors import ConfigurationError, NovuError

__all__ = [
    "SEP",
    "BulkReport",
    "BulkTriggerError",
    "ChunkOutcome",
    "PacingError",
    "ChunkReport",
    "EventResult",
    "Names",
    "begin",
    "keep_answers",
    "keep_subscriber_ids",
    "pack_ids",
    "pack_statuses",
]

SEP: Final = "\x00"  # joins a chunk's ids into one string (ids holding it stay a tuple)


class Names(NamedTuple):
    """How messages name a kind of run: its function, one item, several."""

    function: str
    noun: str
    nouns: str


_TRIGGER_NAMES: Final = Names("trigger_many", "event", "events")


class ChunkOutcome(str, enum.Enum):
    """Where a chunk stands, and what to do with it.

    Only ``ACKNOWLEDGED`` and ``SKIPPED`` chunks are done for sure, and only ``FAILED`` ones are
    not done for sure. For every other one, run the same input again with the same prefix (and, if
    you like, ``skip_chunks`` of the done ones): it is sent under its own key, and the server
    replays what it did or does it once.
    """

    NOT_SENT = "not_sent"
    """Read and numbered, never sent (the run stopped first): sending it (again, with the same
    prefix) is safe."""
    IN_FLIGHT = "in_flight"
    """Sent, no final answer yet (or the run was cancelled meanwhile): the server may or may not have
    done it. Sending it again under the same key is safe: a done chunk is replayed, not repeated."""
    ACKNOWLEDGED = "acknowledged"
    """The server accepted the chunk (201); each event's own result is in the report."""
    FAILED = "failed"
    """Not done: the server refused it for good (a 4XX other than 408, 409 and 429, e.g. 400, 422),
    no attempt reached the server (the connection was refused...), its attempts were all turned down
    by the rate limit (429), or an item in it is invalid (never sent). ``ChunkReport.error`` says why.
    Fix what the error names and send it again; it cannot be there twice."""
    UNKNOWN = "unknown"
    """May have been delivered: an attempt reached the server, but no definitive answer came before
    the retries ran out (a 409 "still being processed", a connection lost or an attempt timed out
    after sending, a 5XX, a 408). ``ChunkReport.error`` is the last attempt's. Resume with the same
    prefix to settle it: the server replays it if it did it, or does it once. Never send its items
    again under new keys: they would be delivered twice."""
    SKIPPED = "skipped"
    """Acknowledged by an earlier run (``skip_chunks``): read and numbered, not sent again."""


class ChunkReport:
    """One chunk of the run: its number, idempotency key, item range and outcome.

    * ``index``: the chunk's number (0, 1, ...); ``key``: its idempotency key;
    * ``start``, ``stop``: the input indices of its items (events or subscribers),
      ``range(start, stop)``;
    * ``outcome``: a ``ChunkOutcome``; ``error``: why it failed or is unknown (the last attempt's
      ``APIError``, ``APIConnectionError``..., or a ``DataValidationError``), or, for an acknowledged
      chunk whose body did not give one result per item, the ``ResponseValidationError`` saying so;
    * ``attempts``: requests sent for it (0: never sent); ``replayed``: the server answered with the
      stored result of an earlier request under the same key.

    Per-event results are stored per chunk, compactly; read them through ``BulkReport``.
    """

    __slots__ = (
        "_ids",
        "_messages",
        "_refused",
        "_statuses",
        "_subscribers",
        "attempts",
        "error",
        "index",
        "key",
        "outcome",
        "replayed",
        "start",
        "stop",
    )

    def __init__(self, index: int, key: str, start: int, stop: int) -> None:
        self.index = index
        self.key = key
        self.start = start
        self.stop = stop
        self.outcome = ChunkOutcome.NOT_SENT
        self.error: BaseException | None = None
        self.attempts = 0
        self.replayed = False
        # per event, set when acknowledged: transaction ids joined by SEP (or a tuple), the status
        # (one string when every event has it, else a tuple), offsets the server did not acknowledge,
        # and the server's error messages by offset
        self._ids: str | tuple[str | None, ...] | None = None
        self._statuses: str | tuple[str | None, ...] | None = None
        self._refused: frozenset[int] = frozenset()
        self._messages: Mapping[int, tuple[str, ...]] | None = None
        # subscriber runs: the subscriber ids, set when the chunk is encoded (joined like _ids)
        self._subscribers: str | tuple[str | None, ...] | None = None

    @property
    def size(self) -> int:
        return self.stop - self.start

    def transaction_ids(self) -> tuple[str | None, ...]:
        """The transaction id of each event, in order (``None`` where unknown)."""
        ids = self._ids
        if ids is None:
            return (None,) * self.size
        if isinstance(ids, str):
            return tuple(ids.split(SEP))
        return ids

    def subscriber_ids(self) -> tuple[str | None, ...]:
        """The subscriber id of each subscriber, in order (``None`` where unknown, and for events)."""
        ids = self._subscribers
        if ids is None:
            return (None,) * self.size
        if isinstance(ids, str):
            return tuple(ids.split(SEP))
        return ids

    def statuses(self) -> tuple[str | None, ...]:
        """The server's status of each item (``"processed"``...; ``"created"``, ``"updated"`` or
        ``"failed"`` for subscribers), ``None`` where unknown."""
        statuses = self._statuses
        if statuses is None or isinstance(statuses, str):
            return (statuses,) * self.size
        return statuses

    def __repr__(self) -> str:
        error = f", error={type(self.error).__name__}" if self.error is not None else ""
        return (
            f"ChunkReport(index={self.index}, key={self.key!r}, events={self.start}..{self.stop - 1}, "
            f"outcome={self.outcome.value}, attempts={self.attempts}{error})"
        )


@attrs.frozen
class EventResult:
    """What became of one item (an event, or a subscriber).

    * ``index``: its position in the input; ``chunk``: the number of its chunk; ``outcome``: its
      chunk's outcome;
    * ``accepted``: the server acknowledged this item in this run (``False`` in a skipped chunk: see
      ``outcome``);
    * ``transaction_id``, ``status``: from the server's answer (``None`` when there is none); a
      subscriber has no transaction id, and its status is ``"created"``, ``"updated"`` or ``"failed"``;
    * ``messages``: the server's error messages for this item, if it gave any;
    * ``error``: why its chunk failed (``FAILED``) or is not known to be done (``UNKNOWN``), ``None``
      otherwise;
    * ``subscriber_id``: a subscriber's id (``None`` for events, and where its chunk was not encoded).
    """

    index: int
    chunk: int
    outcome: ChunkOutcome
    accepted: bool
    transaction_id: str | None
    status: str | None
    messages: tuple[str, ...] = ()
    error: BaseException | None = None
    subscriber_id: str | None = None


class BulkTriggerError(NovuError):
    """``BulkReport.raise_for_failures()``: some items (events, subscribers) were not accepted, or may
    not have been. ``report`` has the details (``report.failed``, ``report.unknown``); the first chunk
    error is the ``__cause__``."""

    def __init__(self, message: str, report: BulkReport) -> None:
        super().__init__(message)
        self.report = report


class PacingError(NovuError):
    """``BulkReport.stopped_by`` of a run whose server's rate limit (``RateLimit-Remaining`` /
    ``RateLimit-Reset``) asked for a wait before the next request longer than the retry policy's
    ``max_retry_after``: the run stops rather than wait. ``wait``: the seconds asked for; ``limit``:
    the policy's bound."""

    def __init__(self, message: str, *, wait: float, limit: float) -> None:
        super().__init__(message)
        self.wait = wait
        self.limit = limit


class BulkReport:
    """The result of a ``trigger_many`` (or ``create_subscribers_many``) run, filled while it goes.

    Totals, counting items (events, or subscribers): ``events`` (read and put into chunks),
    ``accepted`` (acknowledged by the server, item by item), ``failed`` (in failed chunks, or not
    acknowledged by the server: not done), ``unknown`` (in unknown chunks: may have been delivered,
    resume with the same prefix to settle them), ``skipped`` (in chunks ``skip_chunks`` named:
    acknowledged by an earlier run, not sent), ``done`` (items whose chunk has a final outcome, or was
    skipped),
    ``retries`` (requests sent again), ``replays`` (chunks the server answered from an earlier request
    with the same key); ``total``: the input's length when it has one.

    ``chunks``: one ``ChunkReport`` per chunk, by index (see ``acknowledged_chunks``,
    ``skipped_chunks``, ``failed_chunks``, ``unknown_chunks``, ``unacknowledged_chunks``). Per item,
    in input order: ``result(i)``, ``results()`` (also ``iter(report)``), ``failures()``.

    ``finished``: the run came to its own end (not cancelled). ``stopped_by``: the error that made it
    stop before the input's end, if one did (chunks read but not sent are then ``NOT_SENT``). ``ok``:
    finished, not stopped, every item accepted or skipped: nothing failed and nothing unknown.

    Memory: about 40 bytes per event (the transaction ids, joined per chunk; for subscribers, their
    ids) plus one small object per chunk: a million events take some tens of MB, not hundreds.
    """

    def __init__(self) -> None:
        self.idempotency_prefix = ""
        self.chunk_size = 0
        self.total: int | None = None
        self.chunks: list[ChunkReport] = []
        self.events = 0
        self.accepted = 0
        self.failed = 0
        self.unknown = 0
        self.skipped = 0
        self.done = 0
        self.retries = 0
        self.replays = 0
        self.running = False
        self.finished = False
        self.stopped_by: BaseException | None = None
        self._started = False
        self._names = _TRIGGER_NAMES  # what the run sends, for messages

    # --- summary

    @property
    def ok(self) -> bool:
        """The run finished, read its whole input, and the server accepted every item (in this run,
        or in an earlier one for skipped chunks)."""
        return (
            self.finished
            and self.stopped_by is None
            and self.failed == 0
            and self.unknown == 0
            and self.accepted + self.skipped == self.events
        )

    @property
    def interrupted(self) -> bool:
        """The run was cancelled (or interrupted) before its end: see the chunks' outcomes."""
        return self._started and not self.running and not self.finished

    @property
    def acknowledged_chunks(self) -> list[ChunkReport]:
        return [c for c in self.chunks if c.outcome is ChunkOutcome.ACKNOWLEDGED]

    @property
    def skipped_chunks(self) -> list[ChunkReport]:
        """Chunks ``skip_chunks`` named: acknowledged by an earlier run, not sent by this one."""
        return [c for c in self.chunks if c.outcome is ChunkOutcome.SKIPPED]

    @property
    def failed_chunks(self) -> list[ChunkReport]:
        """Chunks not done: refused for good, or never reached the server (``ChunkOutcome.FAILED``)."""
        return [c for c in self.chunks if c.outcome is ChunkOutcome.FAILED]

    @property
    def unknown_chunks(self) -> list[ChunkReport]:
        """Chunks that may have been delivered (``ChunkOutcome.UNKNOWN``): resume with the same prefix
        to settle them, never send their items under new keys."""
        return [c for c in self.chunks if c.outcome is ChunkOutcome.UNKNOWN]

    @property
    def unacknowledged_chunks(self) -> list[ChunkReport]:
        """Chunks not acknowledged, by this run or (skipped ones) an earlier one: failed, unknown, in
        flight or not sent. Sending them again under their keys (the same input, the same prefix) is
        safe: what a resumed run does."""
        return [
            c
            for c in self.chunks
            if c.outcome is not ChunkOutcome.ACKNOWLEDGED and c.outcome is not ChunkOutcome.SKIPPED
        ]

    def raise_for_failures(self) -> None:
        """Raise ``BulkTriggerError`` unless ``ok``; its message says what failed, what may have
        been delivered (resume with the same prefix to settle it) and why the run stopped."""
        if self.ok:
            return
        failed, unknown = self.failed_chunks, self.unknown_chunks
        parts = [f"{self.failed} of {self.events} {self._names.nouns} failed"]
        if failed:
            parts.append(f"failed chunks: {_chunk_list(failed)}")
        if unknown:
            parts.append(
                f"{self.unknown} {self._names.nouns} may have been delivered (chunks "
                f"{_chunk_list(unknown)}): run again with the same idempotency prefix to settle them, "
                "never under new keys"
            )
        if self.stopped_by is not None:
            parts.append(f"the run stopped early: {self.stopped_by}")
        elif not self.finished:
            pending = len(self.unacknowledged_chunks) - len(failed) - len(unknown)
            parts.append(f"the run did not finish ({pending} chunks not acknowledged)")
        first: BaseException | None = self.stopped_by
        if first is None:
            first = next((c.error for c in failed + unknown if c.error is not None), None)
        raise BulkTriggerError(f"{self._names.function}: " + "; ".join(parts), self) from first

    # --- per event

    def __len__(self) -> int:
        return self.events

    def __iter__(self) -> Iterator[EventResult]:
        return self.results()

    def result(self, index: int) -> EventResult:
        """What became of item ``index`` (its position in the input; negative counts from the end)."""
        if index < 0:
            index += self.events
        if not 0 <= index < self.events:
            raise IndexError(
                f"{self._names.noun} index {index} out of range: {self.events} {self._names.nouns}"
            )
        chunk = self.chunks[index // self.chunk_size]
        return _result(chunk, index - chunk.start, _Columns(chunk))

    def results(self) -> Iterator[EventResult]:
        """Every item's result, in input order."""
        for chunk in self.chunks:
            columns = _Columns(chunk)
            for offset in range(chunk.size):
                yield _result(chunk, offset, columns)

    def failures(self) -> Iterator[EventResult]:
        """The results of items that are not done for sure, in input order: refused by the server
        (in a ``FAILED`` chunk, or not accepted in an acknowledged one) or never sent (``NOT_SENT``).
        Items that may have been delivered (``UNKNOWN``, ``IN_FLIGHT``) are not failures: resume
        them with the same prefix instead."""
        for chunk in self.chunks:
            outcome = chunk.outcome
            if outcome in _NOT_FAILURES or (outcome is ChunkOutcome.ACKNOWLEDGED and not chunk._refused):
                continue
            columns = _Columns(chunk)
            for offset in range(chunk.size):
                if outcome is not ChunkOutcome.ACKNOWLEDGED or offset in chunk._refused:
                    yield _result(chunk, offset, columns)

    def __repr__(self) -> str:
        state = "running" if self.running else "finished" if self.finished else "interrupted"
        if not self._started:
            state = "not started"
        return (
            f"BulkReport(prefix={self.idempotency_prefix!r}, events={self.events}, accepted={self.accepted}, "
            f"failed={self.failed}, unknown={self.unknown}, skipped={self.skipped}, "
            f"chunks={len(self.chunks)}, "
            f"retries={self.retries}, replays={self.replays}, {state})"
        )


_NOT_FAILURES: Final = frozenset({ChunkOutcome.SKIPPED, ChunkOutcome.UNKNOWN, ChunkOutcome.IN_FLIGHT})
_WITH_ERROR: Final = frozenset({ChunkOutcome.FAILED, ChunkOutcome.UNKNOWN})


class _Columns:
    """A chunk's per-item results, unpacked once for reading item by item."""

    __slots__ = ("ids", "statuses", "subscribers")

    def __init__(self, chunk: ChunkReport) -> None:
        self.ids = chunk.transaction_ids()
        self.statuses = chunk.statuses()
        self.subscribers = chunk.subscriber_ids()


def _result(chunk: ChunkReport, offset: int, columns: _Columns) -> EventResult:
    acknowledged = chunk.outcome is ChunkOutcome.ACKNOWLEDGED
    messages = chunk._messages.get(offset, ()) if chunk._messages else ()
    return EventResult(
        index=chunk.start + offset,
        chunk=chunk.index,
        outcome=chunk.outcome,
        accepted=acknowledged and offset not in chunk._refused,
        transaction_id=columns.ids[offset],
        status=columns.statuses[offset],
        messages=messages,
        error=chunk.error if chunk.outcome in _WITH_ERROR else None,
        subscriber_id=columns.subscribers[offset],
    )


def _chunk_list(chunks: list[ChunkReport]) -> str:
    shown = ", ".join(
        f"{c.index} ({type(c.error).__name__ if c.error is not None else 'no error'})" for c in chunks[:5]
    )
    return shown + (f" and {len(chunks) - 5} more" if len(chunks) > 5 else "")


def begin(report: BulkReport, prefix: str, chunk_size: int, total: int | None, names: Names) -> None:
    """Make ``report`` the report of a run starting now; a report fills one run only."""
    if report._started:
        raise ConfigurationError("this BulkReport belongs to another run: pass a new one")
    report.idempotency_prefix = prefix
    report.chunk_size = chunk_size
    report.total = total
    report._names = names
    report._started = True


def pack_ids(ids: list[Any]) -> str | tuple[str | None, ...]:
    """A chunk's ids, one per item, as stored: joined by ``SEP`` into one string, or a tuple (with
    ``None`` for what is not a string) when one is not a string or holds ``SEP`` itself."""
    try:
        joined = SEP.join(ids)
    except TypeError:
        return tuple(i if type(i) is str else None for i in ids)
    return joined if joined.count(SEP) == len(ids) - 1 else tuple(ids)


def pack_statuses(statuses: list[Any]) -> str | tuple[str | None, ...]:
    """A chunk's statuses, one per item, as stored: one interned string when every item has the
    same, else a tuple (``None`` for what is not a string)."""
    first = statuses[0]
    if type(first) is str and statuses.count(first) == len(statuses):
        return sys.intern(first)
    return tuple(sys.intern(s) if type(s) is str else None for s in statuses)


def keep_answers(
    chunk: ChunkReport,
    *,
    ids: str | tuple[str | None, ...] | None = None,
    statuses: str | tuple[str | None, ...] | None = None,
    refused: frozenset[int] = frozenset(),
    messages: Mapping[int, tuple[str, ...]] | None = None,
    error: BaseException | None = None,
) -> None:
    """Keep what the server said about an acknowledged chunk's items (``ids`` and ``statuses`` as
    ``pack_ids`` / ``pack_statuses`` make them; ``refused``: offsets it did not accept; ``error``: why
    it gave no per-item results)."""
    chunk._ids = ids
    chunk._statuses = statuses
    chunk._refused = refused
    chunk._messages = messages
    if error is not None:
        chunk.error = error


def keep_subscriber_ids(chunk: ChunkReport, ids: list[str]) -> None:
    """Keep a subscriber chunk's subscriber ids, once it is encoded."""
    chunk._subscribers = pack_ids(ids)
