"""Trigger a workflow for every row of a CSV file, with trigger_many.

    python examples/csv_bulk.py examples/data/subscribers.csv --workflow digest --prefix digest-01

The first line names the columns. subscriberId is required; email, firstName,
lastName and phone describe the subscriber; every other column goes into the payload.

* The file is read row by row while the events are sent, so its size does not matter.
* Events go out in chunks of 100, chunk i under the idempotency key PREFIX-i. When a run
  fails or is interrupted, run the same command again, same file, same --prefix: Novu answers
  the chunks it already accepted from its records instead of sending them twice. Use a new prefix
  for a new mailing.
* It prints a summary and exits with status 1 if any row was not accepted.

The secret key comes from NOVU_SECRET_KEY; NOVU_SERVER_URL, when set, names another server
(python -m novu_async.testing for a try without Novu).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from typing import Any

import anyio

from novu_async import Novu
from novu_async.bulk import BulkReport
from novu_async.dicts import SubscriberPayloadDtoDict, TriggerEventRequestDtoDict

SUBSCRIBER_COLUMNS = ("subscriberId", "email", "firstName", "lastName", "phone")


def subscriber(row: dict[str, str]) -> SubscriberPayloadDtoDict:
    """The recipient of a row: typed by its TypedDict, so a misspelt key is a type error."""
    to: SubscriberPayloadDtoDict = {"subscriberId": row["subscriberId"]}
    if row.get("email"):
        to["email"] = row["email"]
    if row.get("firstName"):
        to["firstName"] = row["firstName"]
    if row.get("lastName"):
        to["lastName"] = row["lastName"]
    if row.get("phone"):
        to["phone"] = row["phone"]
    return to


def read_events(path: str, workflow: str) -> Iterator[TriggerEventRequestDtoDict]:
    """One event per row, made only when ``trigger_many`` asks for it."""
    # utf-8-sig: also reads the files spreadsheets save, which start with a byte order mark
    with open(path, newline="", encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            payload: dict[str, Any] = {c: v for c, v in row.items() if c not in SUBSCRIBER_COLUMNS}
            yield {"name": workflow, "to": subscriber(row), "payload": payload}


async def send(args: argparse.Namespace, report: BulkReport) -> None:
    async with Novu() as novu:
        await novu.trigger_many(
            read_events(args.file, args.workflow),
            concurrency=args.concurrency,
            idempotency_prefix=args.prefix,
            report=report,  # ours, so that it says how far the run got even if it is interrupted
            invalid="fail_chunk",  # a bad row fails its chunk; the other rows still go out
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", help="the CSV file")
    parser.add_argument("--workflow", required=True, help="the workflow to trigger for each row")
    parser.add_argument("--prefix", required=True, help="idempotency key prefix: the same one resumes a run")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    args = parser.parse_args()

    with open(args.file, newline="", encoding="utf-8-sig") as file:
        header = next(csv.reader(file), [])
    if "subscriberId" not in header:
        parser.error(f"{args.file}: the first line must name the columns, subscriberId among them")

    report = BulkReport()
    try:
        anyio.run(send, args, report)
    except KeyboardInterrupt:
        print("interrupted: run the same command again to send the rest", file=sys.stderr)

    print(
        f"{report.events:,} rows read: {report.accepted:,} accepted, {report.failed:,} failed "
        f"({len(report.chunks)} chunks, {report.replays} of them already sent by an earlier run)"
    )
    for chunk in report.failed_chunks[:10]:
        # rows are counted from 1, the header line left out
        print(f"  rows {chunk.start + 1}-{chunk.stop} failed: {chunk.error}", file=sys.stderr)
    if report.stopped_by is not None:
        print(f"  stopped early: {report.stopped_by}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
