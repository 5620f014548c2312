"""``create_subscribers_many``: subscribers through ``POST /v1/subscribers/bulk`` in chunks of up to 500,
concurrently and idempotently, against FakeNovu (an upsert that answers ``{created, updated, failed}``
with Novu's idempotency layer), and against ``httpx.MockTransport`` for answers FakeNovu never gives.

Every request goes through ``Recorder``, which logs its idempotency key and subscriber ids before
FakeNovu sees it, so a test can tell what reached the server and what the run kept to itself.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

import novu_async
from novu_async import (
    BulkReport,
    BulkTriggerError,
    ChunkOutcome,
    ConfigurationError,
    DataValidationError,
    Novu,
    NovuCore,
    RequestOptions,
    RetryConfig,
    create_subscribers_many,
)
from novu_async.errors import ResponseValidationError, UnprocessableEntityError
from novu_async.legacy import NovuLegacy
from novu_async.models import CreateSubscriberRequestDto
from novu_async.testing import FakeNovu, Faults
from tests.support.bulk import agen, outcomes
from tests.support.core import SECRET, envelope, reply

pytestmark = pytest.mark.anyio

BULK_PATH = "/v1/subscribers/bulk"
FAST_RETRIES = RetryConfig(max_retries=20, initial_wait=0.001, max_wait=0.005, jitter=0, max_elapsed=None)


def subscriber(n: int, **extra: Any) -> dict[str, Any]:
    return {"subscriberId": f"user-{n}", "email": f"user-{n}@example.com", "firstName": f"U{n}", **extra}


def subscribers(count: int, start: int = 0, **extra: Any) -> list[dict[str, Any]]:
    return [subscriber(n, **extra) for n in range(start, start + count)]


class Recorder(httpx.AsyncBaseTransport):
    """Logs each bulk request (key, subscriber ids), then hands it to FakeNovu. ``hook(key, attempt)``
    may return an awaitable to run after the fake answered (to hang, for instance)."""

    def __init__(self, fake: FakeNovu) -> None:
        self.fake = fake
        self.log: list[tuple[str, list[str]]] = []
        self.hook: Callable[[str, int], Awaitable[None] | None] | None = None

    def keys(self) -> list[str]:
        return [key for key, _ in self.log]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == BULK_PATH
        key = request.headers["idempotency-key"]
        self.log.append((key, [s["subscriberId"] for s in json.loads(request.content)["subscribers"]]))
        response = await self.fake.transport.handle_async_request(request)
        if self.hook is not None:
            after = self.hook(key, self.keys().count(key))
            if after is not None:
                await after
        return response


def make_core(transport: httpx.AsyncBaseTransport, **kwargs: Any) -> NovuCore:
    kwargs.setdefault("retries", FAST_RETRIES)
    http_client = httpx.AsyncClient(transport=transport, base_url="https://fake.novu.test")
    return NovuCore(SECRET, server_url="https://fake.novu.test", http_client=http_client, **kwargs)


def fake_and_core(**fake_kwargs: Any) -> tuple[FakeNovu, Recorder, NovuCore]:
    fake = FakeNovu(SECRET, **fake_kwargs)
    recorder = Recorder(fake)
    return fake, recorder, make_core(recorder)


# ---------------------------------------------------------------------------------------------- runs


async def test_1234_subscribers_go_in_chunks_of_500_500_234_and_are_all_created() -> None:
    fake, recorder, core = fake_and_core()
    progress: list[tuple[int, int | None]] = []
    report = await create_subscribers_many(
        core,
        subscribers(1234),
        idempotency_prefix="users",
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert sorted(recorder.keys()) == ["users-0", "users-1", "users-2"]
    sent = dict(recorder.log)
    assert sent["users-1"] == [f"user-{n}" for n in range(500, 1000)]
    assert [len(sent[f"users-{i}"]) for i in range(3)] == [500, 500, 234]

    assert report.ok
    assert (report.events, report.accepted, report.failed, report.skipped, report.done) == (
        1234,
        1234,
        0,
        0,
        1234,
    )
    assert (report.chunk_size, report.total, report.retries, report.replays) == (500, 1234, 0, 0)
    assert [(c.key, c.start, c.stop) for c in report.chunks] == [
        ("users-0", 0, 500),
        ("users-1", 500, 1000),
        ("users-2", 1000, 1234),
    ]
    assert outcomes(report) == ["acknowledged"] * 3
    results = list(report)
    assert [r.subscriber_id for r in results] == [f"user-{n}" for n in range(1234)]
    assert {r.status for r in results} == {"created"}
    assert all(r.accepted and r.transaction_id is None and r.messages == () for r in results)
    assert sorted(done for done, _ in progress) == [500, 1000, 1234]
    assert {total for _, total in progress} == {1234}

    assert len(fake.subscribers) == 1234
    stored = fake.subscribers["user-1233"]
    assert (stored["email"], stored["firstName"]) == ("user-1233@example.com", "U1233")


async def test_a_rerun_with_the_same_prefix_is_replayed_and_creates_nothing_twice() -> None:
    fake, recorder, core = fake_and_core()
    first = await create_subscribers_many(core, subscribers(1234), idempotency_prefix="again")
    ids = {sid: s["_id"] for sid, s in fake.subscribers.items()}
    updated_at = {sid: s["updatedAt"] for sid, s in fake.subscribers.items()}

    second = await create_subscribers_many(core, agen(subscribers(1234)), idempotency_prefix="again")
    assert first.ok
    assert second.ok
    assert second.replays == 3
    assert fake.stats.replays == 3
    assert [c.replayed for c in second.chunks] == [True] * 3
    # the server's first answer, replayed: created (not "updated", which a second upsert would say)
    assert {r.status for r in second} == {"created"}
    assert [r.subscriber_id for r in second] == [r.subscriber_id for r in first]
    # nothing was done again: the same subscribers, neither re-created nor touched
    assert len(fake.subscribers) == 1234
    assert {sid: s["_id"] for sid, s in fake.subscribers.items()} == ids
    assert {sid: s["updatedAt"] for sid, s in fake.subscribers.items()} == updated_at
    assert sorted(recorder.keys()) == sorted(["again-0", "again-1", "again-2"] * 2)


async def test_existing_subscribers_are_updated_and_reported_updated() -> None:
    fake, _, core = fake_and_core()
    await create_subscribers_many(core, subscribers(1000), idempotency_prefix="v1")
    # 500-999 exist, 1000-1499 are new; chunk 1 (800-1099) mixes both
    changed = subscribers(1000, start=500, locale="fr_FR")
    report = await create_subscribers_many(
        core, changed, idempotency_prefix="v2", chunk_size=300, concurrency=2
    )
    assert report.ok
    assert report.accepted == 1000
    statuses = [r.status for r in report]
    assert statuses == ["updated"] * 500 + ["created"] * 500
    assert report.chunks[0].statuses() == ("updated",) * 300
    assert report.chunks[1].statuses() == ("updated",) * 200 + ("created",) * 100
    assert len(fake.subscribers) == 1500
    assert fake.subscribers["user-700"]["locale"] == "fr_FR"
    assert "locale" not in fake.subscribers["user-100"]


async def test_the_same_subscriber_twice_in_a_chunk_is_created_then_updated() -> None:
    fake, _, core = fake_and_core()
    report = await create_subscribers_many(core, [subscriber(1), subscriber(2), subscriber(1, lastName="L")])
    assert [(r.subscriber_id, r.status) for r in report] == [
        ("user-1", "created"),
        ("user-2", "created"),
        ("user-1", "updated"),
    ]
    assert report.ok
    assert fake.subscribers["user-1"]["lastName"] == "L"


@pytest.mark.parametrize("kind", ["list", "generator", "async generator"])
async def test_models_and_dicts_from_any_iterable_go_out_with_wire_names(kind: str) -> None:
    items: list[Any] = []
    for n in range(40):
        if n % 2:
            items.append(subscriber(n))
        else:
            items.append(
                CreateSubscriberRequestDto(subscriber_id=f"user-{n}", first_name="Ann", data={"plan": "pro"})
            )
    source: Any = items if kind == "list" else iter(items) if kind == "generator" else agen(items)
    fake, _, core = fake_and_core()
    report = await create_subscribers_many(core, source, chunk_size=15, concurrency=2)
    assert report.ok
    assert report.total == (40 if kind == "list" else None)
    assert [c.size for c in report.chunks] == [15, 15, 10]
    assert [r.subscriber_id for r in report] == [f"user-{n}" for n in range(40)]
    stored = fake.subscribers["user-0"]
    assert (stored["firstName"], stored["data"]) == ("Ann", {"plan": "pro"})
    assert "email" not in stored  # UNSET fields are left out
    assert fake.subscribers["user-1"]["email"] == "user-1@example.com"


# ---------------------------------------------------------------------------------------------- answers


async def test_a_failed_subscriber_is_not_accepted_and_keeps_the_servers_message() -> None:
    """FakeNovu never fails a single subscriber (it refuses the whole request), so this answer comes
    from a MockTransport: user-2 failed, user-4 is not named at all, and one failure names nobody."""

    async def answer(request: httpx.Request) -> httpx.Response:
        ids = [s["subscriberId"] for s in json.loads(request.content)["subscribers"]]
        return reply(
            201,
            envelope(
                {
                    "created": [{"subscriberId": i} for i in ids if i in ("user-0", "user-3")],
                    "updated": [{"subscriberId": "user-1"}],
                    "failed": [
                        {"subscriberId": "user-2", "message": "email must be an email"},
                        {"message": "something went wrong"},
                    ],
                }
            ),
        )

    report = await create_subscribers_many(make_core(httpx.MockTransport(answer)), subscribers(5))
    assert (report.accepted, report.failed, report.done) == (3, 2, 5)
    assert report.finished
    assert not report.ok
    assert report.chunks[0].outcome is ChunkOutcome.ACKNOWLEDGED
    assert report.chunks[0].error is None
    assert [(r.status, r.accepted) for r in report] == [
        ("created", True),
        ("updated", True),
        ("failed", False),
        ("created", True),
        (None, False),
    ]
    failed = report.result(2)
    assert (failed.subscriber_id, failed.messages, failed.outcome) == (
        "user-2",
        ("email must be an email",),
        ChunkOutcome.ACKNOWLEDGED,
    )
    assert report.result(4).messages == ("something went wrong",)
    assert [f.index for f in report.failures()] == [2, 4]
    with pytest.raises(BulkTriggerError, match=r"^create_subscribers_many: 2 of 5 subscribers failed"):
        report.raise_for_failures()


@pytest.mark.parametrize(
    ("body", "got"),
    [
        ([], "got array"),
        ({"created": "all of them"}, "got created: string"),
        (
            {"created": [], "updated": [], "failed": ["x"]},
            "got failed: an array of other things than objects",
        ),
    ],
)
async def test_an_answer_without_per_subscriber_results_counts_the_chunk_accepted(
    body: Any, got: str
) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return reply(201, envelope(body))

    report = await create_subscribers_many(make_core(httpx.MockTransport(answer)), subscribers(3))
    chunk = report.chunks[0]
    assert chunk.outcome is ChunkOutcome.ACKNOWLEDGED
    assert isinstance(chunk.error, ResponseValidationError)
    assert got in str(chunk.error)
    assert "subscribers_create_bulk: HTTP 201 for chunk 0 (3 subscribers)" in str(chunk.error)
    assert report.accepted == 3
    assert [(r.subscriber_id, r.status) for r in report] == [(f"user-{n}", None) for n in range(3)]


async def test_a_chunk_the_server_refuses_fails_and_the_run_goes_on() -> None:
    fake, recorder, core = fake_and_core()
    items = subscribers(30)
    items[12]["email"] = 12  # FakeNovu validates the body: the whole chunk gets a 422
    report = await create_subscribers_many(core, items, chunk_size=10, idempotency_prefix="r")
    assert outcomes(report) == ["acknowledged", "failed", "acknowledged"]
    assert isinstance(report.chunks[1].error, UnprocessableEntityError)
    assert report.chunks[1].attempts == 1  # a 422 is final
    assert sorted(recorder.keys()) == ["r-0", "r-1", "r-2"]
    assert (report.accepted, report.failed) == (20, 10)
    assert sorted(fake.subscribers) == sorted(f"user-{n}" for n in [*range(10), *range(20, 30)])
    # the failed chunk's subscriber ids are known: it was encoded before it was sent
    assert [f.subscriber_id for f in report.failures()] == [f"user-{n}" for n in range(10, 20)]


# ---------------------------------------------------------------------------------------------- checks


async def test_settings_are_checked_before_anything_is_sent() -> None:
    _, recorder, core = fake_and_core()
    for bad in (0, 501, 1000, True):
        with pytest.raises(ConfigurationError, match="chunk_size must be an integer 1 to 500"):
            await create_subscribers_many(core, subscribers(5), chunk_size=bad)
    with pytest.raises(ConfigurationError, match="invalid must be 'raise' or 'fail_chunk'"):
        await create_subscribers_many(core, subscribers(5), invalid="skip")  # type: ignore[typeddict-item]
    with pytest.raises(TypeError, match="unexpected keyword argument 'invalid_events'"):
        await create_subscribers_many(core, subscribers(5), invalid_events="raise")  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match="create_subscribers_many gives each chunk its own"):
        await create_subscribers_many(
            core, subscribers(5), options=RequestOptions(headers={"Idempotency-Key": "x"})
        )
    with pytest.raises(ConfigurationError, match="skip_chunks"):
        await create_subscribers_many(core, subscribers(5), skip_chunks=[-1])
    for one in (subscriber(1), CreateSubscriberRequestDto(subscriber_id="a"), "user-1"):
        with pytest.raises(TypeError, match="subscribers must be an iterable"):
            await create_subscribers_many(core, one)  # type: ignore[arg-type]
    assert recorder.log == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"email": "a@b.c"}, "$.subscriberId: required, but not given"),
        ({"subscriberId": 7}, "$.subscriberId: expected a string, got integer"),
        ({"subscriberId": None}, "$.subscriberId: expected a string, got null"),
        ({"subscriberId": ""}, "$.subscriberId: must not be empty or blank"),
        ({"subscriberId": "  "}, "$.subscriberId: must not be empty or blank"),
        (CreateSubscriberRequestDto(subscriber_id=""), "$.subscriberId: must not be empty or blank"),
        ("user-700", "$: expected a CreateSubscriberRequestDto or a dict, got str"),
        (
            {"subscriberId": "x", "data": {"when": object()}},
            "$: not JSON serialisable: object is not JSON serialisable",
        ),
    ],
)
async def test_a_bad_subscriber_raises_naming_its_index_field_and_operation(bad: Any, message: str) -> None:
    fake, recorder, core = fake_and_core()
    items: list[Any] = subscribers(1234)
    items[700] = bad
    report = BulkReport()
    with pytest.raises(DataValidationError) as info:
        await create_subscribers_many(core, items, idempotency_prefix="bad", concurrency=1, report=report)
    text = str(info.value)
    assert text.startswith(
        "subscribers_create_bulk subscriber 700 (chunk 1, key 'bad-1'; not sent) is invalid: "
    )
    assert message in text
    assert recorder.keys() == ["bad-0"]  # the chunk before was sent; the bad one was not, nor any after
    assert outcomes(report) == ["acknowledged", "failed"]
    assert report.chunks[1].error is info.value
    assert report.stopped_by is info.value
    assert len(fake.subscribers) == 500


async def test_with_fail_chunk_a_bad_subscriber_fails_its_chunk_and_the_run_goes_on() -> None:
    fake, recorder, core = fake_and_core()
    items = subscribers(1234)
    del items[600]["subscriberId"]
    report = await create_subscribers_many(core, agen(items), idempotency_prefix="fc", invalid="fail_chunk")
    assert sorted(recorder.keys()) == ["fc-0", "fc-2"]
    assert outcomes(report) == ["acknowledged", "failed", "acknowledged"]
    assert "subscriber 600" in str(report.chunks[1].error)
    assert (report.accepted, report.failed, report.stopped_by) == (734, 500, None)
    assert len(fake.subscribers) == 734


# ---------------------------------------------------------------------------------------------- faults


async def test_faults_and_retries_still_create_every_subscriber_exactly_once() -> None:
    """Dropped connections after the work (the retry is replayed), 503 and 500 before it, scripted for
    the first requests and then drawn at random: every subscriber created once, each reported
    "created" (a retry that did the work again would have said "updated")."""
    faults = Faults(drop_after=0.15, status_503=0.1, status_500=0.1, retry_after=0.001, paths={BULK_PATH})
    fake, _, core = fake_and_core(faults=faults, seed=3)
    for kind in ("drop_after", "status_503", "status_500", "drop_before"):
        fake.fail_next(kind, path=BULK_PATH)
    report = await create_subscribers_many(
        core, subscribers(5000), chunk_size=100, concurrency=4, idempotency_prefix="ft"
    )
    assert report.ok, report
    assert report.accepted == 5000
    assert {r.status for r in report} == {"created"}
    assert [r.subscriber_id for r in report] == [f"user-{n}" for n in range(5000)]
    assert len(fake.subscribers) == 5000
    injected = fake.stats.faults
    assert min(injected[kind] for kind in ("drop_after", "status_503", "status_500", "drop_before")) >= 1
    assert report.retries >= sum(injected.values())
    assert report.replays >= 1  # a dropped answer's chunk came back from the idempotency store


async def test_a_cancelled_run_leaves_a_correct_report_and_resumes_without_resending() -> None:
    """Chunks 0-1 acknowledged; chunk 2 done by the server, its answer never arrives; cancelled.
    Resumed with skip_chunks=[0, 1]: only chunks 2 (replayed) and 3 reach the server."""
    fake, recorder, core = fake_and_core()
    stuck = anyio.Event()

    async def hang() -> None:
        stuck.set()
        await anyio.sleep_forever()

    recorder.hook = lambda key, attempt: hang() if (key, attempt) == ("c-2", 1) else None
    report = BulkReport()
    progress: list[int] = []

    async def run() -> None:
        await create_subscribers_many(
            core,
            subscribers(400),
            chunk_size=100,
            concurrency=1,
            idempotency_prefix="c",
            report=report,
            on_progress=lambda done, total: progress.append(done),
        )

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        await stuck.wait()
        tg.cancel_scope.cancel()
    assert outcomes(report) == ["acknowledged", "acknowledged", "in_flight"]
    assert report.interrupted
    assert not report.ok
    assert (report.events, report.accepted, report.done) == (300, 200, 200)
    assert progress == [100, 200]
    assert [c.key for c in report.unacknowledged_chunks] == ["c-2"]
    assert list(report.failures()) == []  # in flight: may have been done, so not a failure
    assert report.result(250).subscriber_id == "user-250"  # encoded before it was sent
    assert len(fake.subscribers) == 300  # the server did chunk 2
    with pytest.raises(BulkTriggerError, match="did not finish"):
        report.raise_for_failures()

    recorder.hook = None
    sent = len(recorder.log)
    skip = [c.index for c in report.acknowledged_chunks]
    again = await create_subscribers_many(
        core, subscribers(400), chunk_size=100, idempotency_prefix="c", skip_chunks=skip
    )
    assert sorted(recorder.keys()[sent:]) == ["c-2", "c-3"]  # 0 and 1 never again
    assert again.ok
    assert outcomes(again) == ["skipped", "skipped", "acknowledged", "acknowledged"]
    assert (again.skipped, again.accepted, again.replays) == (200, 200, 1)
    assert again.chunks[2].replayed
    assert {r.status for r in again if r.outcome is ChunkOutcome.ACKNOWLEDGED} == {"created"}
    assert len(fake.subscribers) == 400


# ---------------------------------------------------------------------------------------------- clients


async def test_novu_and_novu_legacy_delegate_to_the_function() -> None:
    fake = FakeNovu(SECRET)
    async with fake.client() as novu:
        report = await novu.create_subscribers_many(subscribers(700), idempotency_prefix="novu")
        legacy = await novu.legacy.create_subscribers_many(
            subscribers(10, start=700), idempotency_prefix="leg"
        )
    assert report.ok
    assert [c.key for c in report.chunks] == ["novu-0", "novu-1"]
    assert legacy.ok
    assert len(fake.subscribers) == 710
    assert novu_async.create_subscribers_many is create_subscribers_many

    function = [
        (p.name, p.kind, p.default, p.annotation)
        for p in list(inspect.signature(create_subscribers_many).parameters.values())[1:]
    ]
    for method in (Novu.create_subscribers_many, NovuLegacy.create_subscribers_many):
        assert [
            (p.name, p.kind, p.default, p.annotation)
            for p in list(inspect.signature(method).parameters.values())[1:]
        ] == function
