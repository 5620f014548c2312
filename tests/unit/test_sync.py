"""``novu_async.sync.Novu``: the blocking facade over the async client, against FakeNovu in a child
process (``FakeNovuProcess``), with the portal's event loop on asyncio and on trio.

Plain synchronous tests: the facade runs its own event loop in a background thread.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import trio

from novu_async.bulk import BulkReport
from novu_async.errors import ClientClosedError, ConfigurationError, NotFoundError
from novu_async.models.subscriber_response_dto import SubscriberResponseDto
from novu_async.sync import AsyncContextError, Novu, SyncIterator
from novu_async.testing import FakeNovuProcess

KEY = "sk-sync-facade-0123456789"
LATENCY = 0.5  # seconds before every answer of the slow server


@pytest.fixture(scope="module")
def server() -> Iterator[FakeNovuProcess]:
    with FakeNovuProcess(secret_key=KEY) as process:
        yield process


@pytest.fixture(scope="module")
def slow_server() -> Iterator[FakeNovuProcess]:
    with FakeNovuProcess(secret_key=KEY, latency=LATENCY) as process:
        yield process


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def novu(server: FakeNovuProcess, backend: str) -> Iterator[Novu]:
    with Novu(KEY, server_url=server.url, backend=backend) as client:  # type: ignore[arg-type]
        yield client


def portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("novu-sync-")]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------------------------------------- calls


def test_subscribers_create_and_retrieve(novu: Novu) -> None:
    subscriber_id = unique("sub")
    created = novu.subscribers.create({"subscriberId": subscriber_id, "firstName": "Ada", "lastName": "L"})
    assert isinstance(created, SubscriberResponseDto)
    assert created.subscriber_id == subscriber_id

    fetched = novu.subscribers.retrieve(subscriber_id)
    assert isinstance(fetched, SubscriberResponseDto)
    assert (fetched.subscriber_id, fetched.first_name, fetched.last_name) == (subscriber_id, "Ada", "L")
    assert fetched.id == created.id

    response = novu.subscribers.retrieve_response(subscriber_id)  # the *_response twin
    assert response.status_code == 200
    assert response.data.subscriber_id == subscriber_id


def test_trigger_returns_a_transaction_id(novu: Novu, server: FakeNovuProcess) -> None:
    subscriber_id = unique("sub")
    result = novu.trigger({"name": "welcome", "to": subscriber_id, "payload": {"n": 1}})
    assert result.acknowledged is True
    assert isinstance(result.transaction_id, str)
    assert result.transaction_id
    recorded = [e for e in server.ledger() if e["transaction_id"] == result.transaction_id]
    assert [e["event"]["to"] for e in recorded] == [subscriber_id]


def test_an_error_status_raises_the_async_clients_error_class(novu: Novu) -> None:
    with pytest.raises(NotFoundError) as caught:
        novu.subscribers.retrieve(unique("missing"))
    assert caught.value.status_code == 404
    # the client stays usable after an error
    assert novu.subscribers.create({"subscriberId": unique("sub")}).subscriber_id


def test_iter_returns_a_plain_iterator_that_fetches_pages_lazily(novu: Novu, server: FakeNovuProcess) -> None:
    token = unique("page").replace("-", "")
    ids = [f"{token}-{i}" for i in range(7)]
    for i, subscriber_id in enumerate(ids):
        novu.subscribers.create({"subscriberId": subscriber_id, "firstName": token, "lastName": str(i)})

    before = server.stats()["requests"]
    iterator = novu.subscribers.search_iter(name=token, limit=2)
    assert isinstance(iterator, SyncIterator)
    assert not hasattr(iterator, "__anext__")
    assert server.stats()["requests"] == before  # nothing requested before the first next()

    seen = [next(iterator).subscriber_id]
    assert server.stats()["requests"] == before + 1  # one page of two
    seen.append(next(iterator).subscriber_id)
    assert server.stats()["requests"] == before + 1  # still that page
    seen.append(next(iterator).subscriber_id)
    assert server.stats()["requests"] == before + 2  # the next one, only now
    seen += [s.subscriber_id for s in iterator]
    assert sorted(seen) == sorted(ids)
    assert server.stats()["requests"] - before >= 4  # 7 items, 2 a page

    all_ids = [s.subscriber_id for s in novu.subscribers.search_iter(name=token, limit=2)]
    assert sorted(all_ids) == sorted(ids)
    assert [
        s.subscriber_id for s in novu.subscribers.search_iter(name=token, limit=2, max_items=3)
    ] == all_ids[:3]


def test_iter_makes_one_trip_through_the_loop_per_page(novu: Novu) -> None:
    token = unique("trips").replace("-", "")
    for i in range(10):
        novu.subscribers.create({"subscriberId": f"{token}-{i}", "firstName": token})
    runtime = novu._runtime
    trips: list[str] = []
    call = runtime.call

    def counting(func: Any, what: str) -> Any:
        trips.append(what)
        return call(func, what)

    runtime.call = counting  # type: ignore[method-assign]
    try:
        items = list(novu.subscribers.search_iter(name=token, limit=4))
        assert len(items) == 10
        # one trip to make the iterator, one per page (4 + 4 + 2 items), one to learn it is over
        assert trips == ["Subscribers.search_iter()"] + ["next() of an iterator"] * 4

        trips.clear()
        assert len(list(novu.subscribers.search_iter(name=token, limit=4, max_items=6))) == 6
        assert trips.count("next() of an iterator") == 3  # 4 items, 2 of the next page, the end
    finally:
        runtime.call = call  # type: ignore[method-assign]


def test_iterator_close_stops_it(novu: Novu) -> None:
    token = unique("close").replace("-", "")
    for i in range(3):
        novu.subscribers.create({"subscriberId": f"{token}-{i}", "firstName": token})
    with novu.subscribers.search_iter(name=token, limit=1) as iterator:
        assert next(iterator).first_name == token
    assert list(iterator) == []


def test_trigger_many_of_1000_events_reports_each(novu: Novu, server: FakeNovuProcess) -> None:
    events_before = server.stats()["events"]
    events = [{"name": "digest", "to": f"bulk-{i}", "payload": {"i": i}} for i in range(1000)]
    progress: list[tuple[int, int | None]] = []
    callback_threads: set[str] = set()

    def on_progress(done: int, total: int | None) -> None:
        progress.append((done, total))
        callback_threads.add(threading.current_thread().name)

    report = novu.trigger_many(
        iter(events), concurrency=4, idempotency_prefix=unique("import"), on_progress=on_progress
    )
    assert isinstance(report, BulkReport)
    assert report.ok
    assert report.finished
    assert (report.events, report.accepted, report.failed) == (1000, 1000, 0)
    transaction_ids = [r.transaction_id for r in report.results()]
    assert len(set(transaction_ids)) == 1000
    assert all(transaction_ids)
    assert server.stats()["events"] - events_before == 1000
    # called in the portal's thread, after every chunk
    assert len(progress) == 10
    assert progress[-1][0] == 1000
    assert callback_threads == {portal_threads()[0].name}


def test_trigger_many_fills_a_report_of_the_callers(novu: Novu) -> None:
    report = BulkReport()
    returned = novu.trigger_many(
        ({"name": "n", "to": f"r-{i}"} for i in range(150)), report=report, chunk_size=50
    )
    assert returned is report
    assert report.accepted == 150
    assert len(report.chunks) == 3


def test_legacy_resources(novu: Novu) -> None:
    subscriber_id = unique("legacy")
    assert novu.legacy.subscribers.create_bulk({"subscribers": [{"subscriberId": subscriber_id}]}) is None
    assert novu.subscribers.retrieve(subscriber_id).subscriber_id == subscriber_id
    result = novu.legacy.trigger({"name": "welcome", "to": [subscriber_id]})
    assert result.transaction_id


# ---------------------------------------------------------------------------------------------- lifecycle


def test_use_after_close_raises_client_closed(server: FakeNovuProcess, backend: Any) -> None:
    novu = Novu(KEY, server_url=server.url, backend=backend)
    subscribers = novu.subscribers
    token = unique("after").replace("-", "")
    for i in range(2):
        subscribers.create({"subscriberId": f"{token}-{i}", "firstName": token})
    iterator = subscribers.search_iter(name=token, limit=1)
    next(iterator)
    novu.close()
    assert novu.closed

    with pytest.raises(ClientClosedError, match="closed"):
        _ = novu.subscribers
    with pytest.raises(ClientClosedError, match="closed"):
        subscribers.retrieve(f"{token}-0")  # a resource taken before close
    with pytest.raises(ClientClosedError):
        next(iterator)
    with pytest.raises(ClientClosedError), novu:
        pass
    novu.close()  # closing again does nothing
    assert "closed" in repr(novu)


def test_close_leaves_no_thread_running(server: FakeNovuProcess, backend: Any) -> None:
    before = set(threading.enumerate())
    with Novu(KEY, server_url=server.url, backend=backend) as novu:
        novu.trigger({"name": "welcome", "to": unique("t")})
        list(novu.subscribers.search_iter(limit=5, max_items=5))
        assert len(portal_threads()) == 1
    assert set(threading.enumerate()) == before
    assert portal_threads() == []


def test_a_failed_construction_leaves_no_thread_running(server: FakeNovuProcess, backend: Any) -> None:
    before = set(threading.enumerate())
    with pytest.raises(ConfigurationError, match="server_url"):
        Novu(KEY, server_url="ftp://nowhere", backend=backend)
    with pytest.raises(ConfigurationError, match="backend"):
        Novu(KEY, server_url=server.url, backend="curio")  # type: ignore[arg-type]
    assert set(threading.enumerate()) == before


def test_an_unclosed_client_stops_its_thread_when_collected(server: FakeNovuProcess, backend: Any) -> None:
    novu = Novu(KEY, server_url=server.url, backend=backend)
    novu.trigger({"name": "welcome", "to": unique("t")})
    assert len(portal_threads()) == 1
    del novu
    gc.collect()
    assert portal_threads() == []


def test_close_waits_for_the_calls_in_flight(slow_server: FakeNovuProcess, backend: Any) -> None:
    novu = Novu(KEY, server_url=slow_server.url, backend=backend)
    results: list[Any] = []
    caller = threading.Thread(target=lambda: results.append(novu.trigger({"name": "w", "to": "x"})))
    caller.start()
    time.sleep(LATENCY / 5)  # the request is on its way
    novu.close()
    caller.join()
    assert results
    assert results[0].transaction_id
    assert portal_threads() == []


def test_an_unclosed_client_collected_inside_an_event_loop_still_stops_its_thread(
    server: FakeNovuProcess, backend: Any
) -> None:
    novu = Novu(KEY, server_url=server.url, backend=backend)
    novu.trigger({"name": "welcome", "to": unique("t")})

    async def drop() -> None:
        nonlocal novu
        del novu
        gc.collect()  # the finalizer runs here, in a running loop: it must not block it

    asyncio.run(drop())
    deadline = time.monotonic() + 10
    while portal_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert portal_threads() == []


def test_an_interrupt_while_waiting_cancels_the_call(slow_server: FakeNovuProcess, backend: Any) -> None:
    with Novu(KEY, server_url=slow_server.url, backend=backend) as novu:
        main = threading.main_thread().ident
        assert main is not None
        timer = threading.Timer(LATENCY / 5, signal.pthread_kill, (main, signal.SIGINT))  # Ctrl-C
        start = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            novu.subscribers.retrieve("anyone")
        assert time.monotonic() - start < LATENCY  # raised at once, not when the answer came
        timer.join()
        # the call was cancelled in the loop too: closing does not wait for its answer
        start = time.monotonic()
        novu.close()
        assert time.monotonic() - start < LATENCY / 2
    assert portal_threads() == []


def test_an_own_http_client_is_not_taken() -> None:
    with pytest.raises(TypeError, match="http_client"):
        Novu(KEY, http_client=object())  # type: ignore[call-arg]


@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_a_client_made_before_a_fork_refuses_in_the_child(server: FakeNovuProcess, backend: Any) -> None:
    with Novu(KEY, server_url=server.url, backend=backend) as novu:
        novu.trigger({"name": "welcome", "to": "x"})
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report what happened, never return into pytest
            outcome = b"no error"
            try:
                novu.trigger({"name": "welcome", "to": "x"})
            except ClientClosedError as exc:
                outcome = b"refused" if b"fork" in str(exc).encode() else b"other message"
            except BaseException:
                outcome = b"other error"
            novu.close()  # must not wait for the parent's thread
            os.write(write_end, outcome)
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            outcome = pipe.read()
        _, status = os.waitpid(pid, 0)
        assert outcome == b"refused"
        assert os.waitstatus_to_exitcode(status) == 0
        # the parent's client is untouched
        assert novu.trigger({"name": "welcome", "to": "x"}).transaction_id


# ---------------------------------------------------------------------------------------------- threads


def test_eight_threads_share_the_one_portal(server: FakeNovuProcess, backend: Any) -> None:
    with Novu(KEY, server_url=server.url, backend=backend) as novu:
        barrier = threading.Barrier(8)
        results: dict[int, list[str]] = {}
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                barrier.wait()
                subscriber_id = unique(f"thread{n}")
                mine = [novu.subscribers.create({"subscriberId": subscriber_id}).subscriber_id]
                for i in range(10):
                    mine.append(
                        novu.trigger({"name": "t", "to": subscriber_id, "payload": {"i": i}}).transaction_id
                    )
                assert novu.subscribers.retrieve(subscriber_id).subscriber_id == subscriber_id
                results[n] = mine
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(results) == 8
        transaction_ids = [tid for mine in results.values() for tid in mine[1:]]
        assert len(set(transaction_ids)) == 80
        assert len(portal_threads()) == 1  # every thread's calls went to the one loop
    assert portal_threads() == []


def test_calls_from_several_threads_run_concurrently(slow_server: FakeNovuProcess, backend: Any) -> None:
    with Novu(KEY, server_url=slow_server.url, backend=backend) as novu:
        novu.trigger({"name": "warm-up", "to": "x"})  # connect once
        barrier = threading.Barrier(8)
        ids: list[str] = []

        def work() -> None:
            barrier.wait()
            ids.append(novu.trigger({"name": "t", "to": "x"}).transaction_id)

        threads = [threading.Thread(target=work) for _ in range(8)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
    assert len(set(ids)) == 8
    assert elapsed < 8 * LATENCY / 2  # one after another would take 8 * LATENCY


# ---------------------------------------------------------------------------------------------- event loops


def test_inside_a_running_event_loop_it_refuses(server: FakeNovuProcess, backend: Any) -> None:
    with Novu(KEY, server_url=server.url, backend=backend) as novu:

        async def use() -> None:
            novu.trigger({"name": "welcome", "to": "x"})

        async def iterate() -> None:
            next(novu.subscribers.search_iter(limit=1))

        async def make() -> None:
            Novu(KEY, server_url=server.url)

        for coroutine in (use, iterate, make):
            with pytest.raises(AsyncContextError, match="use the async client"):
                asyncio.run(coroutine())
            with pytest.raises(AsyncContextError, match="trio event loop"):
                trio.run(coroutine)
        # still fine from here
        assert novu.trigger({"name": "welcome", "to": "x"}).transaction_id


def test_a_callback_in_the_portal_thread_cannot_call_back_in(novu: Novu) -> None:
    def on_progress(done: int, total: int | None) -> None:
        novu.subscribers.retrieve("anyone")  # would wait for the loop it runs in

    with pytest.raises(AsyncContextError):
        novu.trigger_many([{"name": "n", "to": "x"}], on_progress=on_progress)
    assert novu.trigger({"name": "welcome", "to": "x"}).transaction_id


# ---------------------------------------------------------------------------------------------- surface


def test_repr_never_shows_the_secret_key(novu: Novu, backend: str) -> None:
    for text in (repr(novu), str(novu), repr(novu.core), repr(novu.subscribers), repr(novu.legacy)):
        assert KEY not in text
    assert backend in repr(novu)
    assert "redacted" in repr(novu)


def test_attributes_are_forwarded(novu: Novu, server: FakeNovuProcess, backend: str) -> None:
    assert novu.backend == backend
    assert novu.core.server_url == server.url
    assert novu.subscribers is novu.subscribers
    assert novu.subscribers.credentials.update.__name__ == "update"
    assert "Retrieve a subscriber" in (novu.subscribers.retrieve.__doc__ or "")
    assert {"subscribers", "legacy", "trigger_many", "close"} <= set(dir(novu))
    with pytest.raises(AttributeError, match="close"):
        _ = novu.aclose
    with pytest.raises(AttributeError):
        _ = novu.no_such_resource
    with pytest.raises(AttributeError):
        _ = novu._core
