"""A bulk report never calls a delivered event failed.

The scenario of issue 13, on an idempotent bulk endpoint of the test's own (Novu's rules: a key
done is replayed with its stored answer; a key still being processed gets 409 with
``Retry-After``), with three faults:

* every 13th chunk's key stays in flight past the retry budget: its first attempt is done by the
  server but times out on the client, every retry gets 409 "still being processed";
* every 11th chunk is done and then its connection drops, on every attempt (the replays too);
* every 7th answer is cut short: a 201 whose body breaks off (the connection closes mid-body).

After the first run no chunk the server did is reported ``FAILED``, ``failures()`` is empty (there
was no refusal), and the chunks it could not settle are ``UNKNOWN``. The faults then stop (the
chunks in flight complete), and one resumed run with the same prefix settles them: the server's
ledger holds every event exactly once. The same with FakeNovu (its public fault API), over its
transport.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from novu_async import BulkReport, ChunkOutcome, RetryConfig, trigger_many
from novu_async._core import NovuCore
from novu_async.bulk import BulkTriggerError
from novu_async.testing import FakeNovu
from tests.support.bulk import FakeTime

pytestmark = pytest.mark.anyio

SECRET = "unknown-outcome-secret"
BULK_PATH = "/v1/events/trigger/bulk"
RETRIES = RetryConfig(max_retries=4, jitter=0, initial_wait=0.01, max_wait=0.05, max_elapsed=None)
COUNT = 20_000  # 200 chunks


def events(count: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        yield {"name": "order-shipped", "to": f"s{n % 97}", "payload": {"n": n}}


class CutShort(httpx.AsyncByteStream):
    """A body that breaks off halfway, as when the connection closes mid-body."""

    def __init__(self, content: bytes, request: httpx.Request) -> None:
        self.content = content
        self.request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.content[: len(self.content) // 2]
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=self.request
        )


class IdempotentBulk(httpx.AsyncBaseTransport):
    """The bulk endpoint with Novu's idempotency rules, a ledger of every event it did, and the faults
    of the module docstring while ``faulty``."""

    def __init__(self) -> None:
        self.faulty = True
        self.ledger: list[int] = []  # payload.n of every event done, in order
        self.done_chunks: set[int] = set()
        self.stored: dict[str, tuple[bytes, bytes]] = {}
        self.in_flight: dict[str, bytes] = {}  # key -> body, done but not yet completed
        self.answers = 0
        self.replays = 0

    def release(self) -> None:
        """The faults stop; what was in flight completes (its answer stored)."""
        self.faulty = False
        for key, body in self.in_flight.items():
            self.stored[key] = (body, self._answer(body))
        self.in_flight.clear()

    def _do(self, key: str, body: bytes) -> None:
        sent = json.loads(body)["events"]
        self.ledger.extend(e["payload"]["n"] for e in sent)
        self.done_chunks.add(int(key.rpartition("-")[2]))

    @staticmethod
    def _answer(body: bytes) -> bytes:
        sent = json.loads(body)["events"]
        results = [
            {"acknowledged": True, "status": "processed", "transactionId": f"tx-{e['payload']['n']}"}
            for e in sent
        ]
        return json.dumps({"data": results}).encode()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == BULK_PATH
        key = request.headers["idempotency-key"]
        body = await request.aread()
        chunk = int(key.rpartition("-")[2])
        headers = {"content-type": "application/json", "idempotency-key": key}
        if key in self.in_flight:
            conflict = json.dumps({"statusCode": 409, "message": "Request with this key is being processed"})
            return httpx.Response(409, content=conflict.encode(), headers={**headers, "retry-after": "1"})
        stored = self.stored.get(key)
        if stored is None:
            self._do(key, body)
            if self.faulty and chunk % 13 == 0:
                self.in_flight[key] = body  # the work takes long: the client's read times out
                raise httpx.ReadTimeout("timed out", request=request)
            stored = self.stored[key] = (body, self._answer(body))
        else:
            assert stored[0] == body, "the same key with another body"
            headers["idempotency-replay"] = "true"
            self.replays += 1
        if self.faulty and chunk % 11 == 0:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        self.answers += 1
        if self.faulty and self.answers % 7 == 0:
            return httpx.Response(201, headers=headers, stream=CutShort(stored[1], request))
        return httpx.Response(201, headers=headers, content=stored[1])


def _check_first_run(report: BulkReport, done: set[int]) -> None:
    """Nothing the server did is called failed; what is not known to be done is unknown."""
    assert report.finished
    assert report.stopped_by is None
    for chunk in report.chunks:
        if chunk.index in done:
            assert chunk.outcome in (ChunkOutcome.ACKNOWLEDGED, ChunkOutcome.UNKNOWN), chunk
        assert chunk.outcome is not ChunkOutcome.FAILED, chunk
    assert list(report.failures()) == []
    assert report.failed == 0
    assert report.unknown == 100 * len(report.unknown_chunks) > 0
    assert report.accepted + report.unknown == COUNT
    with pytest.raises(BulkTriggerError, match="may have been delivered"):
        report.raise_for_failures()


async def test_no_delivered_chunk_is_reported_failed_and_one_resume_settles_them() -> None:
    server = IdempotentBulk()
    fake = FakeTime()
    client = httpx.AsyncClient(transport=server)
    async with NovuCore(SECRET, server_url="http://novu.test", http_client=client, retries=RETRIES) as core:
        first = await trigger_many(
            core, events(COUNT), concurrency=8, idempotency_prefix="run", sleep=fake.sleep, clock=fake.clock
        )
        _check_first_run(first, server.done_chunks)
        unknown = {c.index for c in first.unknown_chunks}
        # the chunks kept in flight and the chunks dropped on every attempt are among them
        assert {i for i in range(200) if i % 13 == 0 or i % 11 == 0} <= unknown
        assert unknown <= server.done_chunks  # here every unknown chunk had in fact been done

        server.release()
        skip = [c.index for c in first.acknowledged_chunks]
        second = await trigger_many(
            core,
            events(COUNT),
            concurrency=8,
            idempotency_prefix="run",
            skip_chunks=skip,
            sleep=fake.sleep,
            clock=fake.clock,
        )
    assert second.ok, second
    assert {c.index for c in second.acknowledged_chunks} == unknown
    assert {c.index for c in second.chunks if c.replayed} == unknown  # replayed, not done again
    counts = Counter(server.ledger)
    assert sorted(counts) == list(range(COUNT))
    assert set(counts.values()) == {1}
    for index in unknown:  # the resumed run's ids are those of the request that did the work
        chunk = second.chunks[index]
        assert chunk.transaction_ids() == tuple(f"tx-{n}" for n in range(chunk.start, chunk.stop))


async def test_the_same_with_fakenovu() -> None:
    """FakeNovu through its public API (``fail_next``, ``client()``, ``ledger``), one chunk at a time
    so that the scripted faults land in order: chunk 0 is done and then dropped on every attempt
    (``drop_after``: the retries are replays, dropped too), chunk 1 gets a 500 on every attempt
    (before any work). The client cannot tell them apart: both unknown, neither failed. One resume
    replays chunk 0 and does chunk 1: every event once."""
    novu = FakeNovu(SECRET)
    retries = RetryConfig(max_retries=2, jitter=0, initial_wait=0.01, max_elapsed=None)
    novu.fail_next("drop_after", path=BULK_PATH, times=3)
    novu.fail_next("status_500", path=BULK_PATH, times=3)
    fake = FakeTime()
    common: dict[str, Any] = {
        "concurrency": 1,
        "idempotency_prefix": "fake",
        "sleep": fake.sleep,
        "clock": fake.clock,
    }
    async with novu.client(retries=retries) as client:
        first = await client.trigger_many(events(500), **common)
        assert [c.outcome.value for c in first.chunks] == ["unknown", "unknown"] + ["acknowledged"] * 3
        assert [c.attempts for c in first.chunks[:2]] == [3, 3]
        assert list(first.failures()) == []
        delivered = Counter(entry.event["payload"]["n"] for entry in novu.ledger)
        assert set(delivered) == set(range(100)) | set(range(200, 500))  # chunk 0 was, chunk 1 not
        again = await client.trigger_many(
            events(500), skip_chunks=[c.index for c in first.acknowledged_chunks], **common
        )
    assert again.ok, again
    assert [c.outcome.value for c in again.chunks] == ["acknowledged"] * 2 + ["skipped"] * 3
    assert again.chunks[0].replayed
    assert not again.chunks[1].replayed
    delivered = Counter(entry.event["payload"]["n"] for entry in novu.ledger)
    assert sorted(delivered) == list(range(500))
    assert set(delivered.values()) == {1}
