"""Bulk sending: any number of events (``trigger_many``) or subscribers (``create_subscribers_many``)
through Novu's bulk endpoints, in chunks, concurrently, one idempotency key per chunk, with a
``BulkReport`` of every item. ``docs/bulk.md`` tells how a run goes and how to resume one.
"""

# The modules: ``_report`` (what a run reports), ``_check`` (the lean item checks and encoding),
# ``_pacing`` (the rate-limit gate), ``_answers`` (reading the server's per-item results), ``_settings``
# (the settings, listed once, and their checks), ``_run`` (jobs, workers, the run).

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import TYPE_CHECKING, TypeAlias

from ..models.create_subscriber_request_dto import CreateSubscriberRequestDto
from ..models.trigger_event_request_dto import TriggerEventRequestDto
from ._check import event_problems
from ._report import BulkReport, BulkTriggerError, ChunkOutcome, ChunkReport, EventResult, PacingError
from ._run import MAX_CHUNK_SIZE, MAX_SUBSCRIBERS_CHUNK_SIZE, SUBSCRIBERS_JOB, TRIGGER_JOB, run
from ._settings import (
    MAX_PREFIX_LENGTH,
    BulkSettings,
    InvalidItems,
    ProgressCallback,
    TriggerManySettings,
    check_prefix,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._core import NovuCore
    from ..dicts.create_subscriber_request_dto import CreateSubscriberRequestDtoDict
    from ..dicts.trigger_event_request_dto import TriggerEventRequestDtoDict

__all__ = [
    "MAX_CHUNK_SIZE",
    "MAX_PREFIX_LENGTH",
    "MAX_SUBSCRIBERS_CHUNK_SIZE",
    "BulkEvent",
    "BulkReport",
    "BulkSettings",
    "BulkSubscriber",
    "BulkTriggerError",
    "ChunkOutcome",
    "ChunkReport",
    "EventResult",
    "InvalidEvents",
    "InvalidItems",
    "PacingError",
    "ProgressCallback",
    "TriggerManySettings",
    "check_prefix",
    "create_subscribers_many",
    "event_problems",
    "trigger_many",
]

# the model or its TypedDict (type checkers only: the TypedDicts are never imported at run time); at
# run time any mapping with the wire names is taken
BulkEvent: TypeAlias = "TriggerEventRequestDto | TriggerEventRequestDtoDict"
"""One event for ``trigger_many``: the model, or a dict with the API's field names."""
BulkSubscriber: TypeAlias = "CreateSubscriberRequestDto | CreateSubscriberRequestDtoDict"
"""One subscriber for ``create_subscribers_many``: the model, or a dict with the API's field names."""
InvalidEvents: TypeAlias = InvalidItems  # its name before both functions took ``invalid``


async def trigger_many(
    core: NovuCore,
    events: Iterable[BulkEvent] | AsyncIterable[BulkEvent],
    **settings: Unpack[TriggerManySettings],
) -> BulkReport:
    """Trigger every event of ``events`` through ``POST /v1/events/trigger/bulk``; see ``docs/bulk.md``.

    * ``events``: an iterable or async iterable of ``TriggerEventRequestDto`` or dicts (wire names,
      ``{"name": ..., "to": ...}``), read lazily, in order;
    * ``concurrency``: requests in flight at most (8); ``chunk_size``: events per request, 1 to 100
      (100);
    * ``idempotency_prefix``: chunk ``i`` is sent with the key ``f"{prefix}-{i}"``; the same prefix on
      the same input resumes a run without sending anything twice. Default: a random one
      (``report.idempotency_prefix``);
    * ``on_progress(done, total)``: called in the event loop after each chunk's final answer, with the
      events done so far and the input's length (``None`` when it has none). Keep it cheap;
    * ``report``: a fresh ``BulkReport`` to fill while the run goes (returned too); pass one to know
      where a cancelled run stood;
    * ``invalid``: ``"raise"`` (the default: a bad event raises ``DataValidationError`` once the chunks
      already sent have finished) or ``"fail_chunk"`` (its chunk is reported failed, the run goes on).
      ``invalid_events``, its old name, still works and warns (``DeprecationWarning``);
    * ``options``: ``RequestOptions`` for every chunk: ``timeout`` per request, ``retries`` per chunk
      (a ``RetryConfig`` or a number; default: the core's), extra ``headers`` (not the idempotency key:
      the run makes those);
    * ``sleep``, ``clock``: the wait and the time the run uses (default: the core's ``sleep`` and
      ``anyio.current_time``): tests and simulations pass their own;
    * ``skip_chunks``: indices of chunks an earlier run (same input, prefix and ``chunk_size``) had
      acknowledged: read and numbered (later chunks keep their keys), not checked, not sent; reported
      ``ChunkOutcome.SKIPPED`` and counted in ``report.skipped``;
    * ``deadline``: seconds the whole run may take (``None``, the default: no bound besides the retry
      policy's). No wait (a retry's, a rate-limit pause, pacing) that would end past it is made, every
      request is cut at it, and no chunk is started after it; the run then stops, ``stopped_by`` an
      ``APITimeoutError`` (chunks cut in flight are ``UNKNOWN``; chunks not sent, ``NOT_SENT``).

    Every wait is bounded: one longer than the retry policy's ``max_retry_after`` (a 429's
    ``Retry-After``, or pacing from ``RateLimit-Remaining`` / ``RateLimit-Reset``) is not made, and
    the run stops (``stopped_by``: the ``RateLimitError``, or a ``PacingError``).

    Returns the report. Raises ``ConfigurationError`` for bad settings before anything is sent.
    """
    return await run(TRIGGER_JOB, core, events, settings)


async def create_subscribers_many(
    core: NovuCore,
    subscribers: Iterable[BulkSubscriber] | AsyncIterable[BulkSubscriber],
    **settings: Unpack[BulkSettings],
) -> BulkReport:
    """Create (or update: the endpoint upserts) every subscriber of ``subscribers`` through
    ``POST /v1/subscribers/bulk``, in chunks of up to 500; see ``docs/bulk.md``.

    ``subscribers``: an iterable or async iterable of ``CreateSubscriberRequestDto`` or dicts (wire
    names, ``{"subscriberId": ..., "email": ...}``), read lazily, in order; ``chunk_size``: subscribers
    per request, 1 to 500 (500); ``invalid``: what a subscriber without a usable ``subscriberId``
    does, ``"raise"`` or ``"fail_chunk"``. The other settings are ``trigger_many``'s, and so is the
    run: one idempotency key per chunk, the same retries, rate-limit gate, cancellation and report.

    Per subscriber (``report.results()``): ``subscriber_id``; ``status`` ``"created"``, ``"updated"``
    (both accepted) or ``"failed"`` (not accepted; the server's message in ``messages``); no
    ``transaction_id``. Totals count subscribers (``report.events`` is how many were read).
    """
    return await run(SUBSCRIBERS_JOB, core, subscribers, settings)
