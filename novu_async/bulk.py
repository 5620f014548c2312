"""``trigger_many`` and ``create_subscribers_many``: any number of events (subscribers) through the
bulk endpoint, in chunks, concurrently, idempotently.

::

    from novu_async import BulkReport, NovuCore, create_subscribers_many, trigger_many

    async with NovuCore() as core:
        report = await trigger_many(core, events(), concurrency=8, idempotency_prefix="import-42")
        report.raise_for_failures()
        report = await create_subscribers_many(core, users(), idempotency_prefix="users-42")

Both are one machinery over two jobs: ``trigger_many`` sends ``events`` (an iterable or an async
iterable of ``TriggerEventRequestDto`` or dicts with the wire names, ``{"name": ..., "to": ...}``) as
``POST /v1/events/trigger/bulk``, at most 100 a request; ``create_subscribers_many`` sends
subscribers (``CreateSubscriberRequestDto`` or dicts with the wire names, ``{"subscriberId": ...}``)
as ``POST /v1/subscribers/bulk``, at most 500 a request (an upsert: each one is created or updated).
Below, "items" are either. What a run does with them:

* reads them lazily, ``chunk_size`` (at most the endpoint's limit) at a time, in input order;
  ``concurrency`` workers each take a chunk, check and encode it, send it and only then take the next,
  so at most ``concurrency * chunk_size`` items are held, however many there are in all;
* sends chunk ``i`` with the idempotency key ``f"{idempotency_prefix}-{i}"``. Chunking is
  deterministic, so running the same input again with the same prefix (after a crash, a cancellation,
  a failed run) sends the same chunks under the same keys: the server replays what it already did
  instead of doing it twice. Keep the input, its order and ``chunk_size`` the same when you resume; a
  chunk whose body differs from the one first sent under its key is refused with 422. Without a
  prefix, a random one is made and kept in ``report.idempotency_prefix``;
* ``skip_chunks``: the indices of chunks an earlier run (same input, prefix and ``chunk_size``) had
  acknowledged. They are still read and numbered, so every later chunk keeps its key and its item
  range, but neither checked nor sent: their outcome is ``ChunkOutcome.SKIPPED``, their items count in
  ``report.skipped`` (and in ``done`` and ``on_progress``), not in ``accepted`` or ``failed``, and
  ``report.ok`` takes them as done. With the earlier run's ``acknowledged_chunks`` (and its own
  ``skipped_chunks``) a resumed run sends nothing the server acknowledged before;
* retries a chunk, always under its own key, on connection failures, timeouts, 408, 409 "still being
  processed", 429 and 5XX, within the core's ``retry_config`` (or ``options.retries``), honouring
  ``Retry-After``. A 429 (or a 503 with ``Retry-After``) pauses every worker until the time the server
  named, not only the one that got it. ``RateLimit-Remaining`` / ``RateLimit-Reset`` on every response
  slow the run down before the limit is hit: when fewer requests are left than twice the concurrency,
  the requests still allowed are spread over the time left in the window; none left: everyone waits for
  the reset;
* a chunk that fails for good (a 422, retries spent...) is reported with its error and the run goes
  on. 401 and 403 (every later chunk would fail the same way) and a rate limit longer than the retry
  policy accepts stop the run: chunks already sent finish, nothing more is read, ``report.stopped_by``
  says why.

Items are checked before their chunk is sent, with a lean check fit for a hot path rather than a full
schema round trip, and the whole item must encode as JSON. An event is a ``TriggerEventRequestDto``
(turned into JSON data once) or a mapping; ``name`` is a string; ``to`` is a string, a subscriber
object (``subscriberId`` a string), a topic object (``topicKey`` and ``type`` strings) or a list of
those; when present, ``payload``, ``overrides`` and ``context`` are objects, ``transactionId`` and
``bridgeUrl`` strings, ``actor`` and ``tenant`` a string or an object. A subscriber is a
``CreateSubscriberRequestDto`` or a mapping whose ``subscriberId`` is a string that is not blank.
Anything else is sent as given and left to the server. A bad item raises ``DataValidationError``
naming the operation, the item's index and the field; chunks already sent finish first. With
``invalid_events="fail_chunk"`` (``invalid="fail_chunk"`` for subscribers) its chunk is reported
failed (not sent) and the run goes on instead.

Both return a ``BulkReport``: per item, in input order, its result (``EventResult``: for an event its
transaction id and status, ``"processed"``...; for a subscriber its ``subscriber_id`` and status,
``"created"``, ``"updated"`` or ``"failed"`` with the server's message) or the error of its chunk;
totals; and each chunk's key, item range and outcome. A cancelled call cannot return anything, so pass
a ``BulkReport`` of your own: it is filled while the run goes, and says, whatever stops the run, which
chunks the server acknowledged::

    report = BulkReport()
    with anyio.move_on_after(60):
        await trigger_many(core, events(), idempotency_prefix="import-42", report=report)
    if not report.finished:
        # acknowledged chunks are done; IN_FLIGHT ones may or may not be: run the same input again
        # with the same prefix, and the server replays the former and does the latter once; or skip
        # the former without sending them at all
        done = [c.index for c in report.acknowledged_chunks + report.skipped_chunks]
        await trigger_many(core, events(), idempotency_prefix="import-42", skip_chunks=done)

Runs on asyncio and trio (anyio only). A plain iterable is read in the event loop: a slow one (a
blocking database cursor) blocks it, so prefer an async iterable there.
"""

from __future__ import annotations

import enum
import itertools
import json
import math
import sys
import time
import uuid
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import anyio
import anyio.lowlevel
import attrs
import httpx

from . import _serde
from ._encode import IDEMPOTENCY_HEADER, JSON_ENCODER, MAX_IDEMPOTENCY_KEY, EncodedBody
from ._operation import Operation, ResponseSpec
from ._retry import RetryConfig, is_retryable_exception, retry_after_seconds, should_retry
from ._types import RequestOptions, Unset
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigurationError,
    DataValidationError,
    NovuError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
)
from .funcs.subscribers_create_bulk import OPERATION as _SUBSCRIBERS_BULK
from .funcs.trigger_bulk import OPERATION as _TRIGGER_BULK
from .models.create_subscriber_request_dto import CreateSubscriberRequestDto
from .models.trigger_event_request_dto import TriggerEventRequestDto

if TYPE_CHECKING:
    from ._core import NovuCore

__all__ = [
    "MAX_CHUNK_SIZE",
    "MAX_PREFIX_LENGTH",
    "MAX_SUBSCRIBERS_CHUNK_SIZE",
    "BulkEvent",
    "BulkReport",
    "BulkSubscriber",
    "BulkTriggerError",
    "ChunkOutcome",
    "ChunkReport",
    "EventResult",
    "create_subscribers_many",
    "event_problems",
    "trigger_many",
]

BulkEvent: TypeAlias = TriggerEventRequestDto | Mapping[str, Any]
BulkSubscriber: TypeAlias = CreateSubscriberRequestDto | Mapping[str, Any]
ProgressCallback = Callable[[int, "int | None"], object]
InvalidEvents = Literal["raise", "fail_chunk"]

# items per bulk request: Novu's limits, from the document (our overlay gives the arrays maxItems)
MAX_CHUNK_SIZE: Final[int] = _TRIGGER_BULK.body_max_items["events"]
MAX_SUBSCRIBERS_CHUNK_SIZE: Final[int] = _SUBSCRIBERS_BULK.body_max_items["subscribers"]
_INDEX_ROOM: Final = 11  # "-" and a chunk index of up to 10 digits
MAX_PREFIX_LENGTH: Final = MAX_IDEMPOTENCY_KEY - _INDEX_ROOM

# the bulk operations, answered without structuring a model per item: the run reads the few keys it
# keeps straight from the JSON (errors still come typed, from the operation's error specs)
_OPERATION: Final = attrs.evolve(_TRIGGER_BULK, responses={"201": ResponseSpec(None)})
_OP_NAME: Final = _OPERATION.name
_SUBSCRIBERS_OPERATION: Final = attrs.evolve(_SUBSCRIBERS_BULK, responses={"201": ResponseSpec(None)})
_NO_RETRIES: Final = RetryConfig(max_retries=0)
_ENCODER: Final = JSON_ENCODER
_SEP: Final = "\x00"  # joins a chunk's transaction ids into one string (ids holding it stay a tuple)
_FATAL: Final = (AuthenticationError, PermissionDeniedError, RateLimitError)


class ChunkOutcome(str, enum.Enum):
    """Where a chunk stands."""

    NOT_SENT = "not_sent"
    """Read and numbered, never sent: sending it (again, with the same prefix) is safe."""
    IN_FLIGHT = "in_flight"
    """Sent, no final answer yet (or the run was cancelled meanwhile): the server may or may not have
    done it. Sending it again under the same key is safe: a done chunk is replayed, not repeated."""
    ACKNOWLEDGED = "acknowledged"
    """The server accepted the chunk (201); each event's own result is in the report."""
    FAILED = "failed"
    """Refused for good, or never sent because an item in it is invalid; ``ChunkReport.error`` says
    why."""
    SKIPPED = "skipped"
    """Acknowledged by an earlier run (``skip_chunks``): read and numbered, not sent again."""


class ChunkReport:
    """One chunk of the run: its number, idempotency key, item range and outcome.

    * ``index``: the chunk's number (0, 1, ...); ``key``: its idempotency key;
    * ``start``, ``stop``: the input indices of its items (events or subscribers),
      ``range(start, stop)``;
    * ``outcome``: a ``ChunkOutcome``; ``error``: why it failed (``APIError``, ``APIConnectionError``,
      ``DataValidationError``...), or, for an acknowledged chunk whose body did not give one result per
      item, the ``ResponseValidationError`` saying so;
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
        # per event, set when acknowledged: transaction ids joined by _SEP (or a tuple), the status
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
            return tuple(ids.split(_SEP))
        return ids

    def subscriber_ids(self) -> tuple[str | None, ...]:
        """The subscriber id of each subscriber, in order (``None`` where unknown, and for events)."""
        ids = self._subscribers
        if ids is None:
            return (None,) * self.size
        if isinstance(ids, str):
            return tuple(ids.split(_SEP))
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
    * ``error``: why its chunk failed, ``None`` unless ``outcome`` is ``FAILED``;
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
    """``BulkReport.raise_for_failures()``: some items (events, subscribers) were not accepted.
    ``report`` has the details; the first chunk error is the ``__cause__``."""

    def __init__(self, message: str, report: BulkReport) -> None:
        super().__init__(message)
        self.report = report


class BulkReport:
    """The result of a ``trigger_many`` (or ``create_subscribers_many``) run, filled while it goes.

    Totals, counting items (events, or subscribers): ``events`` (read and put into chunks),
    ``accepted`` (acknowledged by the server, item by item), ``failed`` (in failed chunks, or not
    acknowledged by the server), ``skipped`` (in chunks ``skip_chunks`` named: acknowledged by an
    earlier run, not sent), ``done`` (items whose chunk has a final answer, or was skipped),
    ``retries`` (requests sent again), ``replays`` (chunks the server answered from an earlier request
    with the same key); ``total``: the input's length when it has one.

    ``chunks``: one ``ChunkReport`` per chunk, by index (see ``acknowledged_chunks``,
    ``skipped_chunks``, ``failed_chunks``, ``unacknowledged_chunks``). Per item, in input order:
    ``result(i)``, ``results()`` (also ``iter(report)``), ``failures()``.

    ``finished``: the run came to its own end (not cancelled): every chunk read has a final outcome.
    ``stopped_by``: the error that made it stop reading before the input's end, if one did. ``ok``:
    finished, not stopped, every item accepted or skipped.

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
        self.skipped = 0
        self.done = 0
        self.retries = 0
        self.replays = 0
        self.running = False
        self.finished = False
        self.stopped_by: BaseException | None = None
        self._started = False
        self._job: _Job = _TRIGGER_JOB  # what the run sends: names for messages

    # --- summary

    @property
    def ok(self) -> bool:
        """The run finished, read its whole input, and the server accepted every item (in this run,
        or in an earlier one for skipped chunks)."""
        return (
            self.finished
            and self.stopped_by is None
            and self.failed == 0
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
        return [c for c in self.chunks if c.outcome is ChunkOutcome.FAILED]

    @property
    def unacknowledged_chunks(self) -> list[ChunkReport]:
        """Chunks not acknowledged, by this run or (skipped ones) an earlier one: failed, in flight or
        not sent. Sending them again under their keys (the same input, the same prefix) is safe."""
        return [
            c
            for c in self.chunks
            if c.outcome is not ChunkOutcome.ACKNOWLEDGED and c.outcome is not ChunkOutcome.SKIPPED
        ]

    def raise_for_failures(self) -> None:
        """Raise ``BulkTriggerError`` unless ``ok``."""
        if self.ok:
            return
        failed = self.failed_chunks
        parts = [f"{self.failed} of {self.events} {self._job.nouns} failed"]
        if failed:
            parts.append(f"failed chunks: {_chunk_list(failed)}")
        if self.stopped_by is not None:
            parts.append(f"the run stopped early: {self.stopped_by}")
        elif not self.finished:
            pending = len(self.unacknowledged_chunks) - len(failed)
            parts.append(f"the run did not finish ({pending} chunks not acknowledged)")
        first: BaseException | None = self.stopped_by
        if first is None:
            first = next((c.error for c in failed if c.error is not None), None)
        raise BulkTriggerError(f"{self._job.function}: " + "; ".join(parts), self) from first

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
            raise IndexError(f"{self._job.noun} index {index} out of range: {self.events} {self._job.nouns}")
        chunk = self.chunks[index // self.chunk_size]
        return _result(chunk, index - chunk.start, _Columns(chunk))

    def results(self) -> Iterator[EventResult]:
        """Every item's result, in input order."""
        for chunk in self.chunks:
            columns = _Columns(chunk)
            for offset in range(chunk.size):
                yield _result(chunk, offset, columns)

    def failures(self) -> Iterator[EventResult]:
        """The results of items that were not accepted (failed, not sent, in flight), in input order;
        skipped chunks are not failures."""
        for chunk in self.chunks:
            outcome = chunk.outcome
            if outcome is ChunkOutcome.SKIPPED or (
                outcome is ChunkOutcome.ACKNOWLEDGED and not chunk._refused
            ):
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
            f"failed={self.failed}, skipped={self.skipped}, chunks={len(self.chunks)}, "
            f"retries={self.retries}, replays={self.replays}, {state})"
        )


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
        error=chunk.error if chunk.outcome is ChunkOutcome.FAILED else None,
        subscriber_id=columns.subscribers[offset],
    )


def _chunk_list(chunks: list[ChunkReport]) -> str:
    shown = ", ".join(
        f"{c.index} ({type(c.error).__name__ if c.error is not None else 'no error'})" for c in chunks[:5]
    )
    return shown + (f" and {len(chunks) - 5} more" if len(chunks) > 5 else "")


# ---------------------------------------------------------------------------------------------- checks

_OPTIONAL_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "payload": (dict,),
    "overrides": (dict,),
    "context": (dict,),
    "transactionId": (str,),
    "bridgeUrl": (str,),
    "actor": (str, dict),
    "tenant": (str, dict),
}
_LABELS: Final[Mapping[tuple[type, ...], str]] = {
    (dict,): "an object",
    (str,): "a string",
    (str, dict): "a string or an object",
}


def _recipient_ok(value: Any) -> bool:
    """A subscriber id, a subscriber object or a topic object."""
    if type(value) is str:
        return True
    if type(value) is not dict:
        return False
    return type(value.get("subscriberId")) is str or (
        type(value.get("topicKey")) is str and type(value.get("type")) is str
    )


def _to_ok(value: Any) -> bool:
    if type(value) is list:
        return all(_recipient_ok(v) for v in value)
    return _recipient_ok(value)


def _optional_ok(event: dict[str, Any]) -> bool:
    for key, value in event.items():
        types = _OPTIONAL_TYPES.get(key)
        if types is not None and not isinstance(value, types):
            return False
    return True


def _recipient_problem(value: Any, path: str) -> tuple[str, str] | None:
    if type(value) is str:
        return None
    if type(value) is not dict:
        return path, f"expected a subscriber id, a subscriber or a topic object, got {_serde._kind(value)}"
    if "subscriberId" in value:
        if type(value["subscriberId"]) is not str:
            return f"{path}.subscriberId", f"expected a string, got {_serde._kind(value['subscriberId'])}"
        return None
    if "topicKey" in value or "type" in value:
        for key in ("topicKey", "type"):
            if key not in value:
                return f"{path}.{key}", "required, but not given"
            if type(value[key]) is not str:
                return f"{path}.{key}", f"expected a string, got {_serde._kind(value[key])}"
        return None
    return path, "a recipient object needs subscriberId (a subscriber) or topicKey and type (a topic)"


def event_problems(event: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything the lean check finds wrong with one event (a dict with the wire names), as
    ``(JSON path, message)`` pairs: ``[]`` when ``trigger_many`` would send it. The CLI checks its
    input lines with it too."""
    problems: list[tuple[str, str]] = []
    if "name" not in event:
        problems.append(("$.name", "required, but not given"))
    elif type(event["name"]) is not str:
        problems.append(("$.name", f"expected a string, got {_serde._kind(event['name'])}"))
    if "to" not in event:
        problems.append(("$.to", "required, but not given"))
    else:
        to = event["to"]
        if type(to) is list:
            for i, recipient in enumerate(to):
                problem = _recipient_problem(recipient, f"$.to[{i}]")
                if problem is not None:
                    problems.append(problem)
        else:
            problem = _recipient_problem(to, "$.to")
            if problem is not None:
                problems.append(problem)
    for key, types in _OPTIONAL_TYPES.items():
        if key in event and not isinstance(event[key], types):
            problems.append((f"$.{key}", f"expected {_LABELS[types]}, got {_serde._kind(event[key])}"))
    return problems


def _item_error(
    operation: str, noun: str, chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]
) -> DataValidationError:
    return DataValidationError(
        f"{operation} {noun} {chunk.start + offset} (chunk {chunk.index}, key {chunk.key!r}; not sent)",
        problems,
    )


def _event_error(chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]) -> DataValidationError:
    return _item_error(_OP_NAME, "event", chunk, offset, problems)


def _dump(
    field: str,
    chunk: ChunkReport,
    items: list[Any],
    error: Callable[[ChunkReport, int, list[tuple[str, str]]], DataValidationError],
) -> EncodedBody:
    """The request body ``{field: items}``, or ``error`` for the first item that does not encode."""
    try:
        return EncodedBody(content=_ENCODER.encode({field: items}).encode())
    except (TypeError, ValueError):
        pass
    for offset, item in enumerate(items):  # find the item that does not encode
        try:
            _ENCODER.encode(item)
        except (TypeError, ValueError) as exc:
            raise error(chunk, offset, [("$", f"not JSON serialisable: {exc}")]) from None
    raise AssertionError("a chunk that does not encode has an item that does not")  # pragma: no cover


def _as_data(chunk: ChunkReport, offset: int, event: Any) -> dict[str, Any]:
    """A model or mapping event as a JSON-shaped dict (the slow path: dicts do not come here)."""
    if isinstance(event, TriggerEventRequestDto):
        data: Any = _serde.unstructure(event)
        return dict(data)
    if isinstance(event, Mapping):
        return dict(event)
    raise _event_error(
        chunk, offset, [("$", f"expected a TriggerEventRequestDto or a dict, got {type(event).__name__}")]
    )


_STR: Final = frozenset({str})
_DICT: Final = frozenset({dict})
_NONE: Final = type(None)


def _common_shapes(events: list[Any]) -> bool:
    """True when every event is a dict of the common shapes, checked with C-level loops (``map``):
    ``name`` a string; ``to`` a string, or a subscriber object with a string ``subscriberId``; besides
    those at most a ``payload`` object and a ``transactionId`` string. False: look event by event
    (that says which event is wrong, or accepts the rarer shapes)."""
    count = len(events)
    try:
        if set(map(type, map(dict.get, events, itertools.repeat("name")))) != _STR:
            return False
    except TypeError:  # not all dicts
        return False
    to: list[Any] = list(map(dict.get, events, itertools.repeat("to")))
    kinds = set(map(type, to))
    if kinds != _STR and (
        kinds != _DICT or set(map(type, map(dict.get, to, itertools.repeat("subscriberId")))) != _STR
    ):
        return False
    extra = sum(map(len, events)) - 2 * count  # keys besides name and to
    for key, kind in (("payload", dict), ("transactionId", str)):
        if not extra:
            return True
        values = list(map(dict.get, events, itertools.repeat(key)))
        present = count - values.count(None)
        if present:
            kinds = set(map(type, values))
            kinds.discard(_NONE)
            if kinds != {kind}:
                return False
            extra -= present
    return not extra


def _encode(chunk: ChunkReport, events: list[Any]) -> EncodedBody:
    """Check a chunk's events and encode the request body; ``events`` is the run's own list, reused.

    Raises ``DataValidationError`` for the first bad event.
    """
    if not _common_shapes(events):
        _check_each(chunk, events)
    return _dump("events", chunk, events, _event_error)


def _check_each(chunk: ChunkReport, events: list[Any]) -> None:
    """The lean check, event by event; models and other mappings become dicts in place."""
    for offset, event in enumerate(events):
        if type(event) is not dict:
            event = events[offset] = _as_data(chunk, offset, event)
        to = event.get("to")
        if (
            type(event.get("name")) is not str
            or (
                type(to) is not str
                # a subscriber object inline, the other shapes in a call
                and not (type(to) is dict and type(to.get("subscriberId")) is str)
                and not _to_ok(to)
            )
            or (
                len(event) > 2
                # the common {name, to, payload} shape without a loop; anything else key by key
                and not (len(event) == 3 and type(event.get("payload")) is dict)
                and not _optional_ok(event)
            )
        ):
            raise _event_error(chunk, offset, event_problems(event) or [("$", "not a trigger event")])


def _subscriber_error(
    chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]
) -> DataValidationError:
    return _item_error(_SUBSCRIBERS_OPERATION.name, "subscriber", chunk, offset, problems)


def _subscriber_problem(subscriber: dict[str, Any]) -> tuple[str, str] | None:
    """What the lean check finds wrong with one subscriber (its ``subscriberId``), or ``None``."""
    if "subscriberId" not in subscriber:
        return "$.subscriberId", "required, but not given"
    value = subscriber["subscriberId"]
    if type(value) is not str:
        return "$.subscriberId", f"expected a string, got {_serde._kind(value)}"
    if not value.strip():
        return "$.subscriberId", "must not be empty or blank"
    return None


def _encode_subscribers(chunk: ChunkReport, subscribers: list[Any]) -> EncodedBody:
    """Check a chunk's subscribers, keep their ids in the chunk and encode the request body;
    ``subscribers`` is the run's own list, reused (models and other mappings become dicts in place).

    Raises ``DataValidationError`` for the first bad subscriber.
    """
    ids: list[Any] | None
    try:
        ids = list(map(dict.get, subscribers, itertools.repeat("subscriberId")))
    except TypeError:  # not all dicts
        ids = None
    if ids is None or set(map(type, ids)) != _STR or not all(map(str.strip, ids)):
        ids = []
        for offset, subscriber in enumerate(subscribers):
            if type(subscriber) is not dict:
                subscriber = subscribers[offset] = _subscriber_data(chunk, offset, subscriber)
            problem = _subscriber_problem(subscriber)
            if problem is not None:
                raise _subscriber_error(chunk, offset, [problem])
            ids.append(subscriber["subscriberId"])
    body = _dump("subscribers", chunk, subscribers, _subscriber_error)
    joined = _SEP.join(ids)
    chunk._subscribers = joined if joined.count(_SEP) == len(ids) - 1 else tuple(ids)
    return body


def _subscriber_data(chunk: ChunkReport, offset: int, subscriber: Any) -> dict[str, Any]:
    if isinstance(subscriber, CreateSubscriberRequestDto):
        data: Any = _serde.unstructure(subscriber)
        return dict(data)
    if isinstance(subscriber, Mapping):
        return dict(subscriber)
    raise _subscriber_error(
        chunk,
        offset,
        [("$", f"expected a CreateSubscriberRequestDto or a dict, got {type(subscriber).__name__}")],
    )


# ---------------------------------------------------------------------------------------------- pacing


def _reset_seconds(text: str | None, now: float) -> float | None:
    """``RateLimit-Reset``: seconds until the window resets (or, when it is that large, a Unix time)."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    if value > 1e9:  # an epoch timestamp, not a delay
        value = max(0.0, value - now)
    return value


def _scan(headers: httpx.Headers) -> tuple[bool, str | None, str | None]:
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


class _Gate:
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

    async def wait(self) -> None:
        """Wait for this worker's turn to send."""
        if self.calm:
            return
        now = self.clock()
        start = max(now, self.resume_at)
        if self.interval > 0.0 and now < self.paced_until:
            start = max(start, self.next_slot)
            self.next_slot = start + self.interval
        elif start <= now:
            if now >= self.paced_until:
                self.calm = True
            return
        if start <= now:
            return
        await self.sleep(start - now)
        while self.resume_at > start:  # paused further while this worker slept
            start = self.resume_at
            await self.sleep(max(0.0, start - self.clock()))

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
        reset = _reset_seconds(reset_text, time.time())
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
            if reset <= self.max_pause:
                self.pause(reset)
            self.interval = 0.0
        elif left < self.low_water:
            self.interval = reset / left
            self.paced_until = self.clock() + reset
            self.calm = False
        else:
            self.interval = 0.0
            self.paced_until = -math.inf


# ---------------------------------------------------------------------------------------------- answers


def _unlisted(
    chunk: ChunkReport, raw: httpx.Response, body: Any, operation: str, what: str, got: str, expected: str
) -> ResponseValidationError:
    """The error kept by an acknowledged chunk whose answer did not give per-item results."""
    return ResponseValidationError(
        f"{operation}: HTTP {raw.status_code} for chunk {chunk.index} {what} (got {got}); the server "
        "accepted the chunk: per-item results unknown",
        status_code=raw.status_code,
        body=body,
        problems=[("$", f"expected {expected}, got {got}")],
        operation=operation,
        headers=raw.headers,
        response=raw,
    )


def _read_events(chunk: ChunkReport, body: Any, raw: httpx.Response) -> int:
    """Keep a trigger chunk's per-event results (one object per event, in order); returns how many
    events the server acknowledged."""
    size = chunk.size
    accepted = size
    ids: list[Any] | None = None
    if type(body) is list and len(body) == size:
        try:
            ids = list(map(dict.get, body, itertools.repeat("transactionId")))
        except TypeError:  # not a list of objects
            ids = None
    if ids is None:
        got = f"{len(body)} results" if type(body) is list else _serde._kind(body)
        if type(body) is list and len(body) == size:
            got = "an array of other things than objects"
        chunk.error = _unlisted(
            chunk,
            raw,
            body,
            _OP_NAME,
            f"({size} events) did not list one result per event",
            got,
            f"an array of {size} results",
        )
        return accepted
    try:
        joined = _SEP.join(ids)
    except TypeError:
        chunk._ids = tuple(i if type(i) is str else None for i in ids)
    else:
        chunk._ids = joined if joined.count(_SEP) == size - 1 else tuple(ids)
    statuses = list(map(dict.get, body, itertools.repeat("status")))
    first = statuses[0]
    if type(first) is str and statuses.count(first) == size:
        chunk._statuses = sys.intern(first)
    else:
        chunk._statuses = tuple(sys.intern(s) if type(s) is str else None for s in statuses)
    acks = list(map(dict.get, body, itertools.repeat("acknowledged")))
    if acks.count(True) != size:
        chunk._refused = frozenset(i for i, ack in enumerate(acks) if ack is not True)
        accepted = size - len(chunk._refused)
    errors = list(map(dict.get, body, itertools.repeat("error")))
    if errors.count(None) != size:
        chunk._messages = {
            i: tuple(str(m) for m in r["error"]) if isinstance(r["error"], list) else (str(r["error"]),)
            for i, r in enumerate(body)
            if r.get("error")
        }
    return accepted


_SUBSCRIBER_LISTS: Final = ("created", "updated", "failed")


def _failure_messages(entry: dict[str, Any]) -> tuple[str, ...]:
    message = entry.get("message")
    if message is None:
        return ()
    if type(message) is list:
        return tuple(map(str, message))
    return (str(message),)


_ACCEPTED_SUBSCRIBER: Final = frozenset({"created", "updated"})


def _read_subscribers(chunk: ChunkReport, body: Any, raw: httpx.Response) -> int:
    """Keep a subscriber chunk's per-subscriber results from ``{created, updated, failed}`` (lists of
    ``{subscriberId}``, ``failed`` ones with a ``message``), matched by subscriber id; returns how many
    the server created or updated. A subscriber the answer does not name is not accepted; the
    messages of failures that name no subscriber go to every such one."""
    size = chunk.size
    answers: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    unattributed: list[str] = []
    got: str | None = None
    if type(body) is not dict:
        got = _serde._kind(body)
    else:
        for kind in _SUBSCRIBER_LISTS:
            entries = body.get(kind)
            if entries is None:
                continue
            if type(entries) is not list:
                got = f"{kind}: {_serde._kind(entries)}"
                break
            if any(type(e) is not dict for e in entries):
                got = f"{kind}: an array of other things than objects"
                break
            for entry in entries:
                said = _failure_messages(entry) if kind == "failed" else ()
                subscriber_id = entry.get("subscriberId")
                if type(subscriber_id) is str:
                    answers.setdefault(subscriber_id, []).append((kind, said))
                else:
                    unattributed.extend(said)
    if got is not None:
        chunk.error = _unlisted(
            chunk,
            raw,
            body,
            _SUBSCRIBERS_OPERATION.name,
            f"({size} subscribers) did not give created, updated and failed arrays of objects",
            got,
            "an object of created, updated and failed arrays of objects",
        )
        return size
    statuses: list[str | None] = []
    refused: list[int] = []
    messages: dict[int, tuple[str, ...]] = {}
    nobody = tuple(unattributed)
    for offset, subscriber_id in enumerate(chunk.subscriber_ids()):
        found = answers.get(subscriber_id) if subscriber_id is not None else None
        status: str | None
        if found:
            # the same id twice in a chunk: its answers in order, the last one for any extra
            status, said = found.pop(0) if len(found) > 1 else found[0]
        else:
            status, said = None, nobody
        statuses.append(status)
        if status not in _ACCEPTED_SUBSCRIBER:
            refused.append(offset)
        if said:
            messages[offset] = said
    first = statuses[0]
    if first is not None and statuses.count(first) == size:
        chunk._statuses = sys.intern(first)
    else:
        chunk._statuses = tuple(None if s is None else sys.intern(s) for s in statuses)
    if refused:
        chunk._refused = frozenset(refused)
    if messages:
        chunk._messages = messages
    return size - len(refused)


@attrs.frozen
class _Job:
    """What one kind of bulk run sends: the operation, the body's array and its limit, how a chunk is
    checked and encoded, and how an acknowledged chunk's answer is read into its ``ChunkReport``."""

    function: str  # the public function, in messages: "trigger_many"
    operation: Operation  # its 201 answered raw (the reader takes the JSON)
    noun: str  # one item, in messages: "event"
    nouns: str
    max_chunk_size: int
    model: type  # the item model: one given where an iterable is expected is refused
    invalid_name: str  # the name of the argument saying what a bad item does
    # check and encode a chunk's items (the run's own list); DataValidationError for a bad one
    encode: Callable[[ChunkReport, list[Any]], EncodedBody]
    # keep an acknowledged chunk's per-item results (body: the JSON, without its envelope); returns
    # how many items the server accepted
    read: Callable[[ChunkReport, Any, httpx.Response], int]


_TRIGGER_JOB: Final = _Job(
    function="trigger_many",
    operation=_OPERATION,
    noun="event",
    nouns="events",
    max_chunk_size=MAX_CHUNK_SIZE,
    model=TriggerEventRequestDto,
    invalid_name="invalid_events",
    encode=_encode,
    read=_read_events,
)
_SUBSCRIBERS_JOB: Final = _Job(
    function="create_subscribers_many",
    operation=_SUBSCRIBERS_OPERATION,
    noun="subscriber",
    nouns="subscribers",
    max_chunk_size=MAX_SUBSCRIBERS_CHUNK_SIZE,
    model=CreateSubscriberRequestDto,
    invalid_name="invalid",
    encode=_encode_subscribers,
    read=_read_subscribers,
)


# ---------------------------------------------------------------------------------------------- the run


class _Run:
    """The state shared by the workers of one ``trigger_many`` (or ``create_subscribers_many``) call:
    ``job`` says what it sends."""

    def __init__(
        self,
        job: _Job,
        core: NovuCore,
        report: BulkReport,
        *,
        chunk_size: int,
        skip: frozenset[int],
        concurrency: int,
        config: RetryConfig,
        options: RequestOptions,
        on_progress: ProgressCallback | None,
        invalid: InvalidEvents,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
    ) -> None:
        self.core = core
        self.report = report
        self.operation = job.operation
        self.encode = job.encode
        self.read = job.read
        self.chunk_size = chunk_size
        self.skip = skip
        self.config = config
        self.options = options
        self.on_progress = on_progress
        self.invalid = invalid
        self.sleep = sleep
        self.clock = clock
        self.gate = _Gate(clock, sleep, concurrency, config.max_retry_after)
        self.in_flight = 0
        self.exhausted = False
        self.stopping = False
        self.raise_after: BaseException | None = None
        self.lock = anyio.Lock()

    def stop(self, reason: BaseException, *, raise_it: bool) -> None:
        """Read no more items; chunks already taken finish. ``raise_it``: the run raises ``reason``
        once they have."""
        self.stopping = True
        if self.report.stopped_by is None:
            self.report.stopped_by = reason
        if raise_it and self.raise_after is None:
            self.raise_after = reason

    def _chunk(self, count: int) -> ChunkReport:
        report = self.report
        index = len(report.chunks)
        chunk = ChunkReport(
            index, f"{report.idempotency_prefix}-{index}", report.events, report.events + count
        )
        report.chunks.append(chunk)
        report.events += count
        return chunk

    # --- workers

    async def sync_worker(self, iterator: Iterator[Any]) -> None:
        size = self.chunk_size
        try:
            # once a chunk came out short the input is done (an iterator that yields again after
            # StopIteration would put a short chunk in the middle, and chunk i must hold events
            # i * chunk_size onwards)
            while not self.stopping and not self.exhausted:
                events = list(itertools.islice(iterator, size))
                if len(events) < size:
                    self.exhausted = True
                if not events:
                    return
                await self._handle(self._chunk(len(events)), events)
                # a transport that answers without blocking (an in-process fake, a cache) never
                # reaches a checkpoint: without this, a cancellation would wait for the end
                await anyio.lowlevel.checkpoint_if_cancelled()
        except Exception as exc:  # the input or the progress callback failed: finish, then raise it
            self.stop(exc, raise_it=True)

    async def async_worker(self, iterator: AsyncIterator[Any]) -> None:
        size = self.chunk_size
        try:
            while not self.stopping:
                async with self.lock:  # one reader at a time, so chunks are numbered in input order
                    if self.exhausted or self.stopping:
                        return
                    events: list[Any] = []
                    try:
                        while len(events) < size:
                            events.append(await iterator.__anext__())
                    except StopAsyncIteration:
                        self.exhausted = True
                    if not events:
                        return
                    chunk = self._chunk(len(events))
                await self._handle(chunk, events)
                await anyio.lowlevel.checkpoint_if_cancelled()  # see sync_worker
        except Exception as exc:
            self.stop(exc, raise_it=True)

    async def _handle(self, chunk: ChunkReport, items: list[Any]) -> None:
        if chunk.index in self.skip:
            self._skip(chunk)
            return
        try:
            body = self.encode(chunk, items)
        except DataValidationError as exc:
            self._fail(chunk, exc)
            if self.invalid == "raise":
                self.stop(exc, raise_it=True)
            return
        items.clear()  # only the encoded body is needed from here on
        await self._deliver(chunk, body)

    # --- one chunk

    async def _deliver(self, chunk: ChunkReport, body: EncodedBody) -> None:
        headers = {IDEMPOTENCY_HEADER: chunk.key}
        first_attempt: float | None = None
        while True:
            await self.gate.wait()
            if first_attempt is None:
                first_attempt = self.clock()
            chunk.attempts += 1
            chunk.outcome = ChunkOutcome.IN_FLIGHT
            self.in_flight += 1
            try:
                response = await self.core.request(
                    self.operation, headers=headers, body=body, options=self.options
                )
            except (APIError, APIConnectionError) as exc:
                error = exc
            except BaseException:  # cancelled (the chunk stays IN_FLIGHT: outcome unknown)
                self.in_flight -= 1
                raise
            else:
                self.in_flight -= 1
                self._acknowledge(chunk, response.raw)
                return
            self.in_flight -= 1
            wait = self._retry_wait(chunk, error, first_attempt)
            if wait is None:
                self._fail(chunk, error)
                if isinstance(error, _FATAL):
                    self.stop(error, raise_it=False)
                return
            self.report.retries += 1
            seconds, shared = wait
            if shared:
                self.gate.pause(seconds)
            else:
                await self.sleep(seconds)

    def _retry_wait(
        self, chunk: ChunkReport, error: APIError | APIConnectionError, first_attempt: float
    ) -> tuple[float, bool] | None:
        """``(seconds, shared)`` before the next attempt, or ``None`` when the chunk has failed for
        good. ``shared``: every worker waits (a rate limit), not only this chunk's."""
        config = self.config
        wait: float | None = None
        shared = False
        if isinstance(error, APIError):
            response = error.response
            if response is None:  # pragma: no cover - the core always attaches it
                return None
            _, remaining, reset = _scan(response.headers)
            self.gate.observe(remaining, reset, self.in_flight)
            if not should_retry(response, config):
                return None
            wait = retry_after_seconds(response.headers)
            status = response.status_code
            if status == 429 and wait is None:
                wait = _reset_seconds(response.headers.get("ratelimit-reset"), time.time())
            shared = status == 429 or (status == 503 and wait is not None)
        else:
            cause = error.__cause__
            if cause is None or not is_retryable_exception(cause):
                return None
        if chunk.attempts > config.max_retries:
            return None
        if wait is None:
            wait = config.backoff(chunk.attempts)
        elif wait > config.max_retry_after:
            return None
        if config.max_elapsed is not None and self.clock() - first_attempt + wait > config.max_elapsed:
            return None
        return wait, shared

    def _acknowledge(self, chunk: ChunkReport, raw: httpx.Response) -> None:
        report = self.report
        size = chunk.size
        replayed, remaining, reset = _scan(raw.headers)
        self.gate.observe(remaining, reset, self.in_flight)
        if replayed:
            chunk.replayed = True
            report.replays += 1
        try:
            body: Any = json.loads(raw.content)
        except ValueError:
            body = None
        if type(body) is dict and len(body) == 1 and "data" in body:
            body = body["data"]
        accepted = self.read(chunk, body, raw)
        chunk.outcome = ChunkOutcome.ACKNOWLEDGED
        report.accepted += accepted
        report.failed += size - accepted
        report.done += size
        if self.on_progress is not None:
            self.on_progress(report.done, report.total)

    def _fail(self, chunk: ChunkReport, error: BaseException) -> None:
        chunk.outcome = ChunkOutcome.FAILED
        chunk.error = error
        report = self.report
        report.failed += chunk.size
        report.done += chunk.size
        if self.on_progress is not None:
            self.on_progress(report.done, report.total)

    def _skip(self, chunk: ChunkReport) -> None:
        chunk.outcome = ChunkOutcome.SKIPPED
        report = self.report
        report.skipped += chunk.size
        report.done += chunk.size
        if self.on_progress is not None:
            self.on_progress(report.done, report.total)


# ---------------------------------------------------------------------------------------------- API


def _check_prefix(prefix: str) -> str:
    if not isinstance(prefix, str):
        raise ConfigurationError(f"idempotency_prefix must be a string, got {type(prefix).__name__}")
    if not 0 < len(prefix) <= MAX_PREFIX_LENGTH:
        raise ConfigurationError(
            f"idempotency_prefix must be 1 to {MAX_PREFIX_LENGTH} characters (the key "
            f"'<prefix>-<chunk index>' must fit Novu's {MAX_IDEMPOTENCY_KEY}), got {len(prefix)}"
        )
    if any(not 0x21 <= ord(c) <= 0x7E for c in prefix):
        raise ConfigurationError(
            "idempotency_prefix must be printable ASCII without spaces (it goes into a header)"
        )
    return prefix


def _check_int(name: str, value: Any, low: int, high: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        bounds = f"{low} to {high}" if high is not None else f">= {low}"
        raise ConfigurationError(f"{name} must be an integer {bounds}, got {value!r}")
    return value


def _check_skip(skip_chunks: Any) -> frozenset[int]:
    if isinstance(skip_chunks, (str, bytes, Mapping)) or not isinstance(skip_chunks, Collection):
        raise ConfigurationError(
            f"skip_chunks must be a collection of chunk indices, got {type(skip_chunks).__name__}"
        )
    for index in skip_chunks:
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ConfigurationError(f"skip_chunks must hold chunk indices (integers >= 0), got {index!r}")
    return frozenset(skip_chunks)


async def trigger_many(
    core: NovuCore,
    events: Iterable[BulkEvent] | AsyncIterable[BulkEvent],
    *,
    concurrency: int = 8,
    chunk_size: int = MAX_CHUNK_SIZE,
    idempotency_prefix: str | None = None,
    on_progress: ProgressCallback | None = None,
    report: BulkReport | None = None,
    invalid_events: InvalidEvents = "raise",
    options: RequestOptions | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    clock: Callable[[], float] | None = None,
    skip_chunks: Collection[int] = (),
) -> BulkReport:
    """Trigger every event of ``events`` through the bulk endpoint; see the module's docstring.

    * ``events``: an iterable or async iterable of ``TriggerEventRequestDto`` or dicts (wire names),
      read lazily, in order;
    * ``concurrency``: requests in flight at most; ``chunk_size``: events per request, 1 to 100;
    * ``idempotency_prefix``: chunk ``i`` is sent with the key ``f"{prefix}-{i}"``; the same prefix on
      the same input resumes a run without sending anything twice. Default: a random one
      (``report.idempotency_prefix``);
    * ``on_progress(done, total)``: called in the event loop after each chunk's final answer, with the
      events done so far and the input's length (``None`` when it has none). Keep it cheap;
    * ``report``: a fresh ``BulkReport`` to fill while the run goes (returned too); pass one to know
      where a cancelled run stood;
    * ``invalid_events``: ``"raise"`` (a bad event raises ``DataValidationError`` once the chunks
      already sent have finished) or ``"fail_chunk"`` (its chunk is reported failed, the run goes on);
    * ``options``: ``RequestOptions`` for every chunk: ``timeout`` per request, ``retries`` per chunk
      (a ``RetryConfig`` or a number; default: the core's), extra ``headers`` (not the idempotency key:
      the run makes those);
    * ``sleep``, ``clock``: the wait and the time the run uses (default: the core's sleep and
      ``anyio.current_time``): tests and simulations pass their own;
    * ``skip_chunks``: indices of chunks an earlier run (same input, prefix and ``chunk_size``) had
      acknowledged: read and numbered (later chunks keep their keys), not checked, not sent; reported
      ``ChunkOutcome.SKIPPED`` and counted in ``report.skipped``.

    Returns the report. Raises ``ConfigurationError`` for bad settings before anything is sent.
    """
    return await _bulk(
        _TRIGGER_JOB,
        core,
        events,
        concurrency=concurrency,
        chunk_size=chunk_size,
        idempotency_prefix=idempotency_prefix,
        on_progress=on_progress,
        report=report,
        invalid=invalid_events,
        options=options,
        sleep=sleep,
        clock=clock,
        skip_chunks=skip_chunks,
    )


async def create_subscribers_many(
    core: NovuCore,
    subscribers: Iterable[BulkSubscriber] | AsyncIterable[BulkSubscriber],
    *,
    concurrency: int = 8,
    chunk_size: int = MAX_SUBSCRIBERS_CHUNK_SIZE,
    idempotency_prefix: str | None = None,
    on_progress: ProgressCallback | None = None,
    report: BulkReport | None = None,
    invalid: InvalidEvents = "raise",
    options: RequestOptions | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    clock: Callable[[], float] | None = None,
    skip_chunks: Collection[int] = (),
) -> BulkReport:
    """Create (or update: the endpoint upserts) every subscriber of ``subscribers`` through
    ``POST /v1/subscribers/bulk``, in chunks of up to 500; see the module's docstring.

    ``subscribers``: an iterable or async iterable of ``CreateSubscriberRequestDto`` or dicts (wire
    names, ``{"subscriberId": ..., "email": ...}``), read lazily, in order; ``chunk_size``: subscribers
    per request, 1 to 500; ``invalid``: what a subscriber without a usable ``subscriberId`` does,
    ``"raise"`` or ``"fail_chunk"``. The other arguments are ``trigger_many``'s, and so is the run:
    one idempotency key per chunk, the same retries, rate-limit gate, cancellation and report.

    Per subscriber (``report.results()``): ``subscriber_id``; ``status`` ``"created"``, ``"updated"``
    (both accepted) or ``"failed"`` (not accepted; the server's message in ``messages``); no
    ``transaction_id``. Totals count subscribers (``report.events`` is how many were read).
    """
    return await _bulk(
        _SUBSCRIBERS_JOB,
        core,
        subscribers,
        concurrency=concurrency,
        chunk_size=chunk_size,
        idempotency_prefix=idempotency_prefix,
        on_progress=on_progress,
        report=report,
        invalid=invalid,
        options=options,
        sleep=sleep,
        clock=clock,
        skip_chunks=skip_chunks,
    )


async def _bulk(
    job: _Job,
    core: NovuCore,
    items: Iterable[Any] | AsyncIterable[Any],
    *,
    concurrency: int,
    chunk_size: int,
    idempotency_prefix: str | None,
    on_progress: ProgressCallback | None,
    report: BulkReport | None,
    invalid: InvalidEvents,
    options: RequestOptions | None,
    sleep: Callable[[float], Awaitable[None]] | None,
    clock: Callable[[], float] | None,
    skip_chunks: Collection[int],
) -> BulkReport:
    """One run of ``job``: the settings checked, then the workers."""
    if isinstance(items, (str, bytes, Mapping, job.model)) or not isinstance(
        items, (Iterable, AsyncIterable)
    ):
        raise TypeError(
            f"{job.nouns} must be an iterable or async iterable of {job.nouns}, got {type(items).__name__}"
        )
    concurrency = _check_int("concurrency", concurrency, 1)
    chunk_size = _check_int("chunk_size", chunk_size, 1, job.max_chunk_size)
    prefix = (
        _check_prefix(idempotency_prefix) if idempotency_prefix is not None else f"bulk-{uuid.uuid4().hex}"
    )
    if invalid not in ("raise", "fail_chunk"):
        raise ConfigurationError(f"{job.invalid_name} must be 'raise' or 'fail_chunk', got {invalid!r}")
    skip = _check_skip(skip_chunks)
    config = core.retry_config
    request_options = RequestOptions(retries=_NO_RETRIES)
    if options is not None:
        if isinstance(options.retries, RetryConfig):
            config = options.retries
        elif not isinstance(options.retries, Unset):
            config = RetryConfig(max_retries=_check_int("options.retries", options.retries, 0))
        if not isinstance(options.headers, Unset) and any(
            name.lower() == IDEMPOTENCY_HEADER for name in options.headers
        ):
            raise ConfigurationError(
                f"options.headers must not set idempotency-key: {job.function} gives each chunk its own "
                "(use idempotency_prefix)"
            )
        request_options = RequestOptions(
            retries=_NO_RETRIES, timeout=options.timeout, headers=options.headers
        )
    if report is None:
        report = BulkReport()
    elif report._started:
        raise ConfigurationError("this BulkReport belongs to another run: pass a new one")

    total: int | None = None
    if isinstance(items, Sized):
        try:
            total = len(items)
        except TypeError:
            total = None
    report.idempotency_prefix = prefix
    report.chunk_size = chunk_size
    report.total = total
    report._job = job
    report._started = True

    run = _Run(
        job,
        core,
        report,
        chunk_size=chunk_size,
        skip=skip,
        concurrency=concurrency,
        config=config,
        options=request_options,
        on_progress=on_progress,
        invalid=invalid,
        sleep=sleep if sleep is not None else core.sleep,
        clock=clock if clock is not None else anyio.current_time,
    )
    report.running = True
    try:
        async with anyio.create_task_group() as tg:
            if isinstance(items, AsyncIterable):
                aiterator = items.__aiter__()
                for _ in range(concurrency):
                    tg.start_soon(run.async_worker, aiterator)
            else:
                iterator = iter(items)
                for _ in range(concurrency):
                    tg.start_soon(run.sync_worker, iterator)
        report.finished = True
    finally:
        report.running = False
    if run.raise_after is not None:
        raise run.raise_after
    return report
