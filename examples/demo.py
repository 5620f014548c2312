"""make demo: novu_async end to end against FakeNovu, on loopback only.

Starts FakeNovu's HTTP server in a child process, creates a few subscribers and lists them page by
page, triggers a few events one by one, then sends --events events (100,000 by default) with
trigger_many behind a progress bar, and prints the throughput, the report and what the server
recorded. Nothing leaves 127.0.0.1.

    .venv/bin/python examples/demo.py [--events 100000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import anyio

from novu_async import Novu
from novu_async.dicts import TriggerEventRequestDtoDict
from novu_async.testing import FakeNovuProcess

SECRET = "demo-secret-key"
PEOPLE = [("ada", "Ada", "Lovelace"), ("grace", "Grace", "Hopper"), ("alan", "Alan", "Turing")]


def orders(count: int) -> Iterator[TriggerEventRequestDtoDict]:
    """The events of the bulk run, made one at a time as trigger_many reads them."""
    for number in range(count):
        subscriber = PEOPLE[number % len(PEOPLE)][0]
        yield {
            "name": "order-shipped",
            "to": {"subscriberId": subscriber},
            "payload": {"order": number, "items": number % 5 + 1},
            "transactionId": f"order-{number}",
        }


def progress_bar(total: int) -> tuple[AbstractContextManager[Any], Callable[[int, int | None], None]]:
    """A rich progress bar when rich is installed (the ``cli`` extra), else a line rewritten in place."""
    try:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    except ImportError:
        shown = [-1]

        def show(done: int, _total: int | None) -> None:
            percent = done * 100 // total
            if percent != shown[0]:
                shown[0] = percent
                print(
                    f"\r  sent {done:,} / {total:,} events ({percent}%)", end="", file=sys.stderr, flush=True
                )

        return nullcontext(), show

    bar = Progress(TextColumn("  trigger_many"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    task = bar.add_task("events", total=total)
    return bar, lambda done, _total: bar.update(task, completed=done)


async def demo(url: str, events: int, concurrency: int) -> None:
    async with Novu(SECRET, server_url=url) as novu:
        print("1. subscribers")
        for subscriber_id, first, last in PEOPLE:
            await novu.subscribers.create(
                {
                    "subscriberId": subscriber_id,
                    "firstName": first,
                    "lastName": last,
                    "email": f"{subscriber_id}@example.com",
                }
            )
        async for subscriber in novu.subscribers.search_iter(limit=2):  # two per page: two pages
            name = f"{subscriber.first_name} {subscriber.last_name}"
            print(f"   {subscriber.subscriber_id:6} {name} <{subscriber.email}>")

        print("2. single triggers")
        for subscriber_id, first, _ in PEOPLE:
            result = await novu.trigger(
                {
                    "name": "welcome",
                    "to": {"subscriberId": subscriber_id},
                    "payload": {"greeting": f"Hi {first}"},
                }
            )
            status = getattr(
                result.status, "value", result.status
            )  # an enum, or a value this SDK does not know
            print(f"   welcome -> {subscriber_id:6} transaction {result.transaction_id} ({status})")

        print(f"3. trigger_many: {events:,} events, chunks of 100, {concurrency} requests in flight")
        bar, on_progress = progress_bar(events)
        started = time.perf_counter()
        with bar:
            report = await novu.trigger_many(
                orders(events),
                concurrency=concurrency,
                idempotency_prefix="demo-orders",
                on_progress=on_progress,
            )
        seconds = time.perf_counter() - started
        print(file=sys.stderr)
        rate = report.accepted / seconds
        print(f"   {report.accepted:,} events accepted in {seconds:.2f} s: {rate:,.0f} events/s")
        print(f"   {report!r}")
        report.raise_for_failures()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--events", type=int, default=100_000, help="events sent with trigger_many (default: 100000)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default: 8)")
    args = parser.parse_args()
    with FakeNovuProcess(SECRET) as server:
        print(f"FakeNovu listening on {server.url} (pid {server.pid})")
        anyio.run(demo, server.url, args.events, args.concurrency)
        stats = server.stats()
    print(f"4. the server recorded {stats['events']:,} events from {stats['requests']:,} requests")
    expected = args.events + len(PEOPLE)
    if stats["events"] != expected:
        raise SystemExit(f"expected {expected:,} events on the server, found {stats['events']:,}")


if __name__ == "__main__":
    main()
