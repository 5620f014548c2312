"""Resuming ``novu-async bulk``: a re-run with the same prefix and report sends nothing the server
acknowledged before, and every event ends up in the server's ledger exactly once."""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_async.testing import FakeNovuProcess
from tests.cli.conftest import KEY, read_report, run_cli, start_cli, write_events

EVENTS = 2500
CHUNKS = 25


@pytest.fixture(scope="module")
def slow_server() -> Iterator[FakeNovuProcess]:
    """Every answer 50 ms late: a run of 25 chunks two at a time takes about 0.7 s, time to stop it."""
    with FakeNovuProcess(KEY, latency=0.05) as process:
        yield process


def complete_lines(path: Path) -> list[dict[str, Any]]:
    """The report's whole lines (a kill may cut the last one short)."""
    text = path.read_text() if path.exists() else ""
    return [json.loads(line) for line in text.split("\n")[:-1] if line.strip()]


def wait_for_lines(path: Path, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while len(complete_lines(path)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {count} report lines after {timeout} s")
        time.sleep(0.02)


def acknowledged_chunks(report: list[dict[str, Any]]) -> set[int]:
    by_chunk: dict[int, list[bool]] = collections.defaultdict(list)
    for line in report:
        by_chunk[line["chunk"]].append(line["accepted"])
    return {chunk for chunk, accepted in by_chunk.items() if len(accepted) == 100 and all(accepted)}


def check_ledger_once(server: FakeNovuProcess, count: int) -> None:
    counts = collections.Counter(entry["transaction_id"] for entry in server.ledger())
    assert set(counts) == {f"order-{n}" for n in range(count)}
    assert set(counts.values()) == {1}


def check_resumed_report(report_path: Path, skipped: set[int], first: list[dict[str, Any]]) -> None:
    report = read_report(report_path)
    assert [line["index"] for line in report] == list(range(EVENTS))
    assert all(line["accepted"] for line in report)
    assert {line["chunk"] for line in report if line["outcome"] == "skipped"} == skipped
    assert {line["chunk"] for line in report if line["outcome"] == "acknowledged"} == set(
        range(CHUNKS)
    ) - skipped
    earlier = {line["index"]: line["transactionId"] for line in first}
    assert all(
        line["transactionId"] == earlier[line["index"]] for line in report if line["outcome"] == "skipped"
    )


@pytest.mark.parametrize("how", ["sigkill", "sigint"])
def test_an_interrupted_run_resumes_without_resending_acknowledged_chunks(
    slow_server: FakeNovuProcess, tmp_path: Path, how: str
) -> None:
    slow_server.reset()
    events = write_events(tmp_path / "orders.jsonl", EVENTS)
    report_path = tmp_path / "report.jsonl"
    command = [
        "--server-url",
        slow_server.url,
        "bulk",
        str(events),
        "--idempotency-prefix",
        "resume-1",
        "--concurrency",
        "2",
        "--report",
        str(report_path),
    ]
    process = start_cli(*command)
    try:
        wait_for_lines(report_path, 500)
        os.kill(process.pid, signal.SIGKILL if how == "sigkill" else signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    if how == "sigint":
        assert process.returncode == 1
        assert "interrupted" in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    time.sleep(0.2)  # requests the killed run had in flight get their (late) answers
    first = complete_lines(report_path)
    done_before = acknowledged_chunks(first)
    assert 5 <= len(done_before) < CHUNKS
    if how == "sigint":  # graceful: the chunks in flight finished, the report is in input order
        assert [line["index"] for line in first] == list(range(len(done_before) * 100))
        assert all(line["outcome"] == "acknowledged" for line in first)
        # the summary does not read as if the input held only what was sent
        head, how_far = stdout.strip().splitlines()[-2:]
        acknowledged = len(done_before) * 100
        summary = f"{acknowledged} events: {acknowledged} accepted, 0 failed, 0 unknown, 0 skipped in "
        assert head.startswith(summary)
        counts = re.fullmatch(
            rf"interrupted: (\d+) of the input's {EVENTS} events read, (\d+) sent, (\d+) acknowledged; "
            rf"(\d+) left to send \(run the same command again\)",
            how_far,
        )
        assert counts is not None, how_far
        read, sent, acked, left = map(int, counts.groups())
        assert (sent, acked, left) == (acknowledged, acknowledged, EVENTS - acknowledged)
        assert read % 100 == 0  # it stops reading at a chunk boundary
        assert sent <= read < EVENTS
    before = slow_server.stats()
    assert before["events"] >= len(done_before) * 100

    done = run_cli(*command)
    assert done.returncode == 0, done.stderr
    assert f"resuming from {report_path}" in done.stderr
    after = slow_server.stats()
    # one request per chunk not acknowledged before; none for the acknowledged ones
    assert after["requests"] - before["requests"] == CHUNKS - len(done_before)
    if how == "sigint":
        assert after["replays"] == before["replays"] == 0  # nothing in flight was left behind
    check_ledger_once(slow_server, EVENTS)
    check_resumed_report(report_path, done_before, first)
    assert f"{EVENTS} events: " in done.stdout
    assert f"{len(done_before) * 100} skipped" in done.stdout

    again = run_cli(*command)  # all acknowledged now: nothing at all is sent
    assert again.returncode == 0, again.stderr
    assert slow_server.stats()["requests"] == after["requests"]
    assert all(line["outcome"] == "skipped" for line in read_report(report_path))


def test_unknown_chunks_are_sent_again_and_only_they(tmp_path: Path) -> None:
    """A 500 may come after the server did the work: with no retries, those chunks are ``unknown``
    (exit code 1, "may have been delivered"), and the same command again sends them, and only them,
    under their own keys."""
    events = write_events(tmp_path / "orders.jsonl", 1000)
    report_path = tmp_path / "report.jsonl"
    with FakeNovuProcess(KEY, faults="status_500=0.3", seed=7) as server:
        common = ["--server-url", server.url, "bulk", str(events), "--idempotency-prefix", "faulty"]
        common += ["--chunk-size", "50", "--report", str(report_path)]
        first_run = run_cli("--retries", "0", *common, "--json")
        assert first_run.returncode == 1
        assert "may have been delivered" in first_run.stderr
        summary = json.loads(first_run.stdout)
        first = read_report(report_path)
        failed = {line["chunk"] for line in first if line["outcome"] == "unknown"}
        assert failed
        assert (summary["failed"], summary["unknown"]) == (0, 50 * len(failed))
        assert all("InternalServerError" in line["error"] for line in first if line["outcome"] == "unknown")
        assert {line["outcome"] for line in first} == {"acknowledged", "unknown"}
        before = server.stats()

        second = run_cli("--retries", "10", *common)
        assert second.returncode == 0, second.stderr
        after = server.stats()
        # a resent acknowledged chunk would be a replay (a 500 stores nothing, so failed chunks are not)
        assert after["replays"] == before["replays"] == 0
        assert after["requests"] - before["requests"] >= len(failed)
        assert after["by_status"]["201"] - before["by_status"]["201"] == len(failed)
        report = read_report(report_path)
        assert {line["chunk"] for line in report if line["outcome"] == "acknowledged"} == failed
        assert all(line["accepted"] for line in report)
        counts = collections.Counter(entry["transaction_id"] for entry in server.ledger())
        assert len(counts) == 1000
        assert set(counts.values()) == {1}
