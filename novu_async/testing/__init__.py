"""``FakeNovu``: an in-process fake of the Novu API, for your tests and ours.

It serves the endpoints an application's notification code uses, with Novu's envelopes, errors,
idempotency and rate-limit semantics, and it can misbehave on purpose (dropped connections, 5XX,
429, slow and malformed answers), deterministically. It records every event it accepts, exactly
once, so a test can check that retries never doubled a notification::

    from novu_async.testing import FakeNovu, Faults

    async def test_welcome_is_sent_once():
        fake = FakeNovu(faults=Faults(drop_after=0.2), seed=1)
        async with fake.client() as novu:                 # a Novu sending through fake.transport
            await novu.trigger({"name": "welcome", "to": "subscriber-1"})
        assert [e.event["name"] for e in fake.ledger] == ["welcome"]

Ways in (all share one state):

* ``fake.transport``: an ``httpx.AsyncBaseTransport``; mount it on any ``httpx.AsyncClient``
  (``base_url=fake.url``). It honours the request's read timeout (``httpx.ReadTimeout``) and raises
  ``httpx.RemoteProtocolError`` where a server would drop the connection. A slow answer whose client
  gave up is stored at once here; over a socket its key stays in flight for the whole delay.
* ``fake.client(**novu_kwargs) -> Novu``: the SDK client over that transport (its httpx client holds
  no connections: nothing to close besides the ``Novu`` itself).
* ``async with fake.serve(host="127.0.0.1", port=0) as server``: a real HTTP/1.1 server in the running
  event loop (asyncio or trio); ``server.url``, ``server.client(**novu_kwargs)``. Keep-alive,
  pipelining, ``Content-Length`` bodies (a chunked request body gets 411).
* ``python -m novu_async.testing [--port 0] [--secret-key K] [--rate-limit SPEC] [--faults SPEC]
  [--seed N] [--latency S] [--stats]``: a server process. It prints its URL on one line once it
  listens and serves until SIGTERM/SIGINT (uvloop when installed). ``GET /__fake/stats``,
  ``GET /__fake/ledger`` and ``POST /__fake/reset`` let another process see and clear its state.
* ``with FakeNovuProcess(secret_key, faults=SPEC, rate_limit=SPEC) as server``: that process, from
  synchronous code: started at a free port and waited for, stopped by signal; ``server.url``,
  ``server.stats()``, ``server.ledger()``, ``server.reset()``.

``FakeNovu(secret_key=None, *, rate_limit=None, faults=None, seed=0, latency=0.0)``:

* ``secret_key``: the only key accepted (``Authorization: ApiKey <key>``); ``None`` accepts any.
  A missing or wrong key gets 401. The key never appears in a repr, log or answer.
* ``rate_limit``: a ``RateLimit`` (token bucket per category: ``trigger`` for ``/v1/events``,
  ``configuration`` for subscribers; a bulk request costs ``bulk_cost`` tokens, 100 by default like
  Novu's ``cost="bulk"``, whatever the number of events, at most a full bucket), or None.
  Limited answers carry ``RateLimit-Limit``, ``-Remaining``, ``-Reset`` (seconds) and ``-Policy``;
  an empty bucket gives 429 with ``Retry-After``. Its ``clock`` is injectable.
* ``faults``: a ``Faults`` (probabilities per request, drawn from a generator seeded with ``seed``),
  or None. ``fake.fail_next(kind, path=None, times=1)`` scripts faults for the next requests, before
  any random ones. Kinds: ``drop_before`` (nothing done), ``status_500``, ``status_503`` and
  ``status_429`` (answered before processing), ``drop_after`` (processed, then the connection
  closes unanswered), ``slow`` (processed, answered ``slow_seconds`` later), ``malformed``
  (processed, truncated JSON).
* ``latency``: seconds before every answer.

What it records: ``fake.ledger`` (``LedgerEntry(event, transaction_id, idempotency_key, request,
kind)`` per accepted event, in order; the event dict is the one received, decoded when the ledger is
first read, so that millions of recorded events cost the request path nothing),
``fake.subscribers`` (subscriberId -> subscriber), ``fake.cancelled``, ``fake.stats`` (``Stats``:
requests, by_status, replays, conflicts, rate_limited, faults by kind, connections),
``fake.summary()`` (stats plus event and subscriber counts); ``fake.reset()`` forgets it all.

Endpoints: ``POST /v1/events/trigger``, ``/v1/events/trigger/bulk`` (1 to 100 events, all or none),
``/v1/events/trigger/broadcast``, ``DELETE /v1/events/trigger/{transactionId}``;
``POST /v2/subscribers`` (``?failIfExists=true`` -> 409 when it exists, else an upsert),
``GET|PATCH|DELETE /v2/subscribers/{subscriberId}``, ``GET /v2/subscribers`` (filters ``email``,
``phone``, ``subscriberId`` exact, ``name`` part of "first last"; cursor pagination with ``after``,
``before``, ``includeCursor``, ``limit`` 1-100, ``orderBy``, ``orderDirection``),
``POST /v1/subscribers/bulk`` (up to 500, upsert). Anything else: 404. Bodies follow the document's
schemas; validation failures are 422 ``ValidationErrorDto``, other errors ``ErrorDto``, 429 and 503
bodies JSON strings, as the document declares them. Success bodies get Novu's ``{"data": ...}``
envelope exactly as its response interceptor adds it (v1 and v2 alike), except objects that already
have a truthy ``data`` (subscriber lists, a subscriber with custom data).

Idempotency, as Novu does it for POST and PATCH with an ``idempotency-key`` header: the first
request's answer (success or error) is stored; the same key and body later gets it again with
``Idempotency-Replay: true`` (nothing is done twice); another body gets 422; the same key while the
first request is still being answered (``latency``, ``slow``) gets 409 with ``Retry-After: 1``;
a key longer than 255 characters gets 400. Bodies are compared byte for byte. Keys never expire.
Answers to keyed requests echo ``Idempotency-Key``. Faults answered before processing (429, 5XX,
``drop_before``) store nothing, so the retry is processed; a ``drop_after`` or ``slow`` request is
stored, so the retry is replayed: with an SDK that reuses its key, every event is recorded once.

For a server of your own: ``await fake.handle(method, target, authorization, idempotency_key, body)``
gives the ``Reply``; ``fake.respond(...)`` is its synchronous part (call ``answer.complete()`` after
``answer.delay`` seconds). One fake belongs to one event loop at a time (no locks: its pipeline runs
between awaits).
"""

from ._api import LedgerEntry
from ._config import FaultKind, Faults, RateLimit
from ._fake import Answer, FakeNovu, FakeTransport, Stats
from ._process import FakeNovuProcess
from ._server import FakeServer
from ._wire import Reply

__all__ = [
    "Answer",
    "FakeNovu",
    "FakeNovuProcess",
    "FakeServer",
    "FakeTransport",
    "FaultKind",
    "Faults",
    "LedgerEntry",
    "RateLimit",
    "Reply",
    "Stats",
]
