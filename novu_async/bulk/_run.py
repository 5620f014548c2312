"""A bulk run: the jobs (what a kind of run sends), the workers that read, check, send and retry
chunks, and ``run``, which checks the settings and starts the workers.

Items are read lazily, ``chunk_size`` at a time, in input order; ``concurrency`` workers each take a
chunk, check and encode it, send it and only then take the next, so at most
``concurrency * chunk_size`` items are held. Chunk ``i`` is sent under the key ``f"{prefix}-{i}"``.
Each attempt is one ``NovuCore.request`` (the core retries nothing itself); after a failed one the
retry policy (``RetryConfig.next_wait``) says how long to wait, and the gate (``_pacing``) whether
every worker waits.

A chunk whose retries ran out gets the outcome its attempts support (``_final``): ``FAILED`` when
the server cannot have done it, ``UNKNOWN`` when it may have. 401, 403, a rate limit whose wait the
policy does not accept (a 429's ``Retry-After``, or pacing), and the run's ``deadline`` stop the run:
chunks already sent finish, nothing more is read or sent.
"""

from __future__ import annotations

import itertools
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from typing import TYPE_CHECKING, Any, Final

import anyio
import anyio.lowlevel
import attrs
import httpx

from .._decode import payload
from .._encode import IDEMPOTENCY_HEADER, EncodedBody
from .._operation import Operation, ResponseSpec
from .._retry import is_in_flight_conflict, requested_wait
from .._types import RequestOptions, Unset
from ..errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    DataValidationError,
    PermissionDeniedError,
    RateLimitError,
)
from ..funcs.subscribers_create_bulk import OPERATION as SUBSCRIBERS_BULK
from ..funcs.trigger_bulk import OPERATION as TRIGGER_BULK
from ..models.create_subscriber_request_dto import CreateSubscriberRequestDto
from ..models.trigger_event_request_dto import TriggerEventRequestDto
from ._answers import read_events, read_subscribers
from ._check import encode_events, encode_subscribers
from ._pacing import Gate, scan, shared_wait
from ._report import BulkReport, ChunkOutcome, ChunkReport, Names, PacingError, begin
from ._settings import RunSettings, resolve

if TYPE_CHECKING:
    from .._core import NovuCore

__all__ = ["MAX_CHUNK_SIZE", "MAX_SUBSCRIBERS_CHUNK_SIZE", "SUBSCRIBERS_JOB", "TRIGGER_JOB", "Job", "run"]

# items per bulk request: Novu's limits, from the document (our overlay gives the arrays maxItems)
MAX_CHUNK_SIZE: Final[int] = TRIGGER_BULK.body_max_items["events"]
MAX_SUBSCRIBERS_CHUNK_SIZE: Final[int] = SUBSCRIBERS_BULK.body_max_items["subscribers"]
_FATAL: Final = (AuthenticationError, PermissionDeniedError)
# refusals that come before the server looks at the idempotency key: after an attempt that may have
# been done, they do not say that it was not
_BEFORE_THE_KEY: Final = frozenset({401, 403})


def _in_flight(error: APIError) -> bool:
    """A 409 saying that the same key is still being processed (not a business conflict)."""
    return error.status_code == 409 and error.response is not None and is_in_flight_conflict(error.response)


def _may_be_done(error: APIError | APIConnectionError) -> bool:
    """Whether the server may have done an attempt that ended in ``error`` without the run learning
    so: it was sent and lost (or timed out) on the way back, or the answer was a 5XX, a 408 or a 409
    "still being processed". A 429 is turned down before any work, a connection never made sends
    nothing, another 4XX is the server's refusal."""
    if isinstance(error, APIConnectionError):
        return error.request_sent
    status = error.status_code
    return status >= 500 or status == 408 or _in_flight(error)


def _final(error: APIError | APIConnectionError, maybe_done: bool) -> ChunkOutcome:
    """The outcome of a chunk whose last attempt ended in ``error``; ``maybe_done``: one of its
    attempts may have been done (``_may_be_done``)."""
    if isinstance(error, APIError) and 400 <= error.status_code < 500 and not _may_be_done(error):
        # the server refused the chunk (a replay of an earlier attempt would have come first), or the
        # rate limit turned it down (429)
        refused = error.status_code != 429
        if refused and not (maybe_done and error.status_code in _BEFORE_THE_KEY):
            return ChunkOutcome.FAILED
    return ChunkOutcome.UNKNOWN if maybe_done else ChunkOutcome.FAILED


def _answered_raw(op: Operation) -> Operation:
    """``op`` with its successes left unstructured: a run reads the few keys it keeps straight from
    the JSON (``_decode.payload``, envelope rules as documented); errors still come typed."""
    raw = {code: ResponseSpec(None, unwrap=spec.unwrap) for code, spec in op.responses.items()}
    return attrs.evolve(op, responses=raw)


@attrs.frozen
class Job:
    """What one kind of bulk run sends: the operation, the body's array and its limit, how a chunk is
    checked and encoded, and how an acknowledged chunk's answer is read into its ``ChunkReport``."""

    names: Names  # in messages: "trigger_many", "event", "events"
    operation: Operation  # its 201 answered raw (the reader takes the JSON)
    max_chunk_size: int
    model: type  # the item model: one given where an iterable is expected is refused
    # check and encode a chunk's items (the run's own list); DataValidationError for a bad one
    encode: Callable[[ChunkReport, list[Any]], EncodedBody]
    # keep an acknowledged chunk's per-item results (body: the JSON, without its envelope); returns
    # how many items the server accepted
    read: Callable[[ChunkReport, Any, httpx.Response], int]


TRIGGER_JOB: Final = Job(
    names=Names("trigger_many", "event", "events"),
    operation=_answered_raw(TRIGGER_BULK),
    max_chunk_size=MAX_CHUNK_SIZE,
    model=TriggerEventRequestDto,
    encode=encode_events,
    read=read_events,
)
SUBSCRIBERS_JOB: Final = Job(
    names=Names("create_subscribers_many", "subscriber", "subscribers"),
    operation=_answered_raw(SUBSCRIBERS_BULK),
    max_chunk_size=MAX_SUBSCRIBERS_CHUNK_SIZE,
    model=CreateSubscriberRequestDto,
    encode=encode_subscribers,
    read=read_subscribers,
)


class _Run:
    """The state shared by the workers of one ``trigger_many`` (or ``create_subscribers_many``) call:
    ``job`` says what it sends."""

    def __init__(self, job: Job, core: NovuCore, settings: RunSettings, clock: Callable[[], float]) -> None:
        self.core = core
        self.names = job.names
        self.report = settings.report
        self.operation = job.operation
        self.encode = job.encode
        self.read = job.read
        self.chunk_size = settings.chunk_size
        self.skip = settings.skip
        self.config = settings.config
        self.options = settings.options
        self.on_progress = settings.on_progress
        self.invalid = settings.invalid
        self.sleep = settings.sleep
        self.clock = clock
        self.gate = Gate(clock, settings.sleep, settings.concurrency, settings.config.max_retry_after)
        self.deadline = settings.deadline
        self.deadline_at = None if settings.deadline is None else clock() + settings.deadline
        self._deadline_error: APITimeoutError | None = None
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
                if self.deadline_at is not None and self._past_deadline():
                    return
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
                if self.deadline_at is not None and self._past_deadline():
                    return
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
        maybe_done = False  # an attempt may have been done by the server (``_may_be_done``)
        error: APIError | APIConnectionError | None = None
        while True:
            refused = await self.gate.wait(self.deadline_at)
            options: RequestOptions | None = self.options
            if refused is None and self.deadline_at is not None:
                options = self._until_deadline()
            if refused is not None or options is None:
                # the next turn is further away than the policy or the deadline allows
                if error is not None:
                    self._settle(chunk, error, maybe_done)
                self.stop(self._refusal(refused), raise_it=False)
                return
            if first_attempt is None:
                first_attempt = self.clock()
            chunk.attempts += 1
            chunk.outcome = ChunkOutcome.IN_FLIGHT
            self.in_flight += 1
            try:
                response = await self.core.request(
                    self.operation, headers=headers, body=body, options=options
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
            maybe_done = maybe_done or _may_be_done(error)
            wait = self._retry_wait(chunk, error, first_attempt)
            if wait is None:
                self._settle(chunk, error, maybe_done)
                if isinstance(error, _FATAL) or self._refused_rate_limit(error):
                    self.stop(error, raise_it=False)
                elif self.deadline_at is not None:
                    self._past_deadline()  # cut by the run's deadline: that stops the run
                return
            seconds, shared = wait
            if self.deadline_at is not None and self.clock() + seconds >= self.deadline_at:
                self._settle(chunk, error, maybe_done)
                self.stop(self._refusal(None), raise_it=False)
                return
            self.report.retries += 1
            if shared:
                self.gate.pause(seconds)
            else:
                await self.sleep(seconds)

    def _retry_wait(
        self, chunk: ChunkReport, error: APIError | APIConnectionError, first_attempt: float
    ) -> tuple[float, bool] | None:
        """``(seconds, shared)`` before the next attempt, or ``None`` when the chunk's retries are
        over: the retry policy's decision. ``shared``: every worker waits (a rate limit), not only
        this chunk's."""
        outcome: httpx.Response | BaseException | None
        if isinstance(error, APIError):
            outcome = error.response
            if outcome is None:  # pragma: no cover - the core always attaches it
                return None
            _, remaining, reset = scan(outcome.headers)
            self.gate.observe(remaining, reset, self.in_flight)
        else:
            outcome = error.__cause__  # the transport's error behind it (none: the call's deadline)
            if outcome is None:
                return None
        wait = self.config.next_wait(chunk.attempts, outcome, self.clock() - first_attempt)
        if wait is None:
            return None
        return wait, isinstance(outcome, httpx.Response) and shared_wait(outcome)

    def _refused_rate_limit(self, error: APIError | APIConnectionError) -> bool:
        """A 429 whose wait the policy does not accept: every later chunk would get the same. (A 429
        whose retries ran out within the policy is its chunk's outcome; the run goes on.)"""
        if not isinstance(error, RateLimitError) or error.response is None:
            return False
        asked = requested_wait(error.response)
        return asked is not None and asked > self.config.max_retry_after

    def _until_deadline(self) -> RequestOptions | None:
        """The request options of an attempt that must end by the run's deadline (``None``: it has
        passed)."""
        assert self.deadline_at is not None
        left = self.deadline_at - self.clock()
        if left <= 0:
            return None
        given = self.options.deadline
        bound = self.core.deadline if isinstance(given, Unset) else given
        return attrs.evolve(self.options, deadline=left if bound is None else min(left, bound))

    def _past_deadline(self) -> bool:
        assert self.deadline_at is not None
        if self.clock() < self.deadline_at:
            return False
        self.stop(self._refusal(None), raise_it=False)
        return True

    def _refusal(self, wait: float | None) -> BaseException:
        """Why the run stops when a wait is refused: ``wait`` seconds of pacing past the policy's
        bound, else (or when the wait would pass it) the run's deadline."""
        now = self.clock()
        if wait is not None and (self.deadline_at is None or now + wait < self.deadline_at):
            limit = self.config.max_retry_after
            return PacingError(
                f"{self.names.function}: the server's rate limit asks to wait {wait:.3g} s before the next "
                f"request, longer than the retry policy accepts (max_retry_after={limit:g} s)",
                wait=wait,
                limit=limit,
            )
        if self._deadline_error is None:
            self._deadline_error = APITimeoutError(
                f"{self.names.function}: the run's deadline of {self.deadline:g} s passed: nothing more is "
                "sent (run again with the same idempotency prefix to go on)",
                operation=self.names.function,
                request_sent=False,
            )
        return self._deadline_error

    def _acknowledge(self, chunk: ChunkReport, raw: httpx.Response) -> None:
        report = self.report
        size = chunk.size
        replayed, remaining, reset = scan(raw.headers)
        self.gate.observe(remaining, reset, self.in_flight)
        if replayed:
            chunk.replayed = True
            report.replays += 1
        accepted = self.read(chunk, payload(self.operation, raw), raw)
        chunk.outcome = ChunkOutcome.ACKNOWLEDGED
        report.accepted += accepted
        report.failed += size - accepted
        report.done += size
        if self.on_progress is not None:
            self.on_progress(report.done, report.total)

    def _settle(self, chunk: ChunkReport, error: APIError | APIConnectionError, maybe_done: bool) -> None:
        """A chunk whose attempts are over without an acknowledgement: ``FAILED`` or ``UNKNOWN``."""
        if _final(error, maybe_done) is ChunkOutcome.FAILED:
            self._fail(chunk, error)
            return
        chunk.outcome = ChunkOutcome.UNKNOWN
        chunk.error = error
        report = self.report
        report.unknown += chunk.size
        report.done += chunk.size
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


async def run(
    job: Job, core: NovuCore, items: Iterable[Any] | AsyncIterable[Any], settings: Mapping[str, Any]
) -> BulkReport:
    """One run of ``job`` over ``items``: the settings checked, then the workers."""
    names = job.names
    if isinstance(items, (str, bytes, Mapping, job.model)) or not isinstance(
        items, (Iterable, AsyncIterable)
    ):
        got = type(items).__name__
        raise TypeError(f"{names.nouns} must be an iterable or async iterable of {names.nouns}, got {got}")
    checked = resolve(core, settings, function=names.function, max_chunk_size=job.max_chunk_size)
    total: int | None = None
    if isinstance(items, Sized):
        try:
            total = len(items)
        except TypeError:
            total = None
    report = checked.report
    begin(report, checked.prefix, checked.chunk_size, total, names)

    runner = _Run(job, core, checked, checked.clock if checked.clock is not None else anyio.current_time)
    report.running = True
    try:
        async with anyio.create_task_group() as tg:
            if isinstance(items, AsyncIterable):
                aiterator = items.__aiter__()
                for _ in range(checked.concurrency):
                    tg.start_soon(runner.async_worker, aiterator)
            else:
                iterator = iter(items)
                for _ in range(checked.concurrency):
                    tg.start_soon(runner.sync_worker, iterator)
        report.finished = True
    finally:
        report.running = False
    if runner.raise_after is not None:
        raise runner.raise_after
    return report
