"""``novu-async bulk``: a JSONL file through the bulk endpoint, end to end against FakeNovu's server."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import pytest

from novu_async.cli import main
from novu_async.testing import FakeNovuProcess
from tests.cli.conftest import KEY, event, read_report, run_cli, write_events


def test_2500_events_are_all_accepted_once_and_reported_in_order(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    events = write_events(tmp_path / "orders.jsonl", 2500)
    done = run_cli(
        "--server-url",
        fresh.url,
        "bulk",
        str(events),
        "--concurrency",
        "4",
        "--idempotency-prefix",
        "orders-1",
    )
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("2500 events: 2500 accepted, 0 failed, 0 unknown, 0 skipped in ")
    assert "events/s" in summary

    report = read_report(tmp_path / "orders.orders-1.report.jsonl")  # the default report path
    assert [line["index"] for line in report] == list(range(2500))
    assert all(line["accepted"] and line["outcome"] == "acknowledged" for line in report)
    assert [line["transactionId"] for line in report] == [f"order-{n}" for n in range(2500)]
    assert report[150]["chunk"] == 1
    assert report[150]["key"] == "orders-1-1"
    assert report[150]["status"] == "processed"

    ledger = fresh.ledger()
    assert sorted(e["transaction_id"] for e in ledger) == sorted(f"order-{n}" for n in range(2500))
    assert {e["transaction_id"]: e["event"] for e in ledger}["order-42"] == event(42)
    stats = fresh.stats()
    assert (stats["requests"], stats["events"], stats["replays"]) == (25, 2500, 0)
    assert KEY not in done.stdout + done.stderr


def test_stdin_json_summary_and_explicit_report(fresh: FakeNovuProcess, tmp_path: Path) -> None:
    text = "".join(json.dumps(event(n)) + "\n\n" for n in range(130))  # blank lines are skipped
    report_path = tmp_path / "out" / "r.jsonl"
    done = run_cli(
        "--server-url",
        fresh.url,
        "bulk",
        "-",
        "--idempotency-prefix",
        "stdin-run",
        "--chunk-size",
        "50",
        "--report",
        str(report_path),
        "--json",
        input=text,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["events"] == summary["accepted"] == 130
    assert (summary["failed"], summary["skipped"], summary["exitCode"]) == (0, 0, 0)
    assert summary["eventsPerSecond"] > 0
    report = read_report(report_path)
    assert [line["chunk"] for line in report] == [0] * 50 + [1] * 50 + [2] * 30
    assert fresh.stats()["requests"] == 3


def test_a_bad_line_in_a_file_exits_2_naming_line_and_field_before_sending(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    events = write_events(tmp_path / "e.jsonl", 300, ['{"name": "welcome", "to": 42}'])
    done = run_cli("--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "bad")
    assert done.returncode == 2
    assert "line 301" in done.stderr
    assert 'field "to"' in done.stderr
    assert fresh.stats()["requests"] == 0

    broken = write_events(tmp_path / "f.jsonl", 2, ['{"name": "welcome", "to": "ada"'])
    done = run_cli("--server-url", fresh.url, "bulk", str(broken), "--idempotency-prefix", "bad")
    assert done.returncode == 2
    assert "line 3: invalid JSON" in done.stderr

    missing = write_events(tmp_path / "g.jsonl", 1, ['{"to": "ada"}'])
    done = run_cli("--server-url", fresh.url, "bulk", str(missing), "--idempotency-prefix", "bad")
    assert done.returncode == 2
    assert 'line 2: missing field "name"' in done.stderr
    assert fresh.stats()["requests"] == 0


def test_a_bad_line_on_stdin_exits_2_after_the_chunks_before_it(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    lines = [json.dumps(event(n)) for n in range(250)] + ['{"name": "x", "to": "ada", "payload": [1]}']
    report_path = tmp_path / "r.jsonl"
    done = run_cli(
        "--server-url",
        fresh.url,
        "bulk",
        "-",
        "--idempotency-prefix",
        "pipe",
        "--concurrency",
        "1",
        "--report",
        str(report_path),
        input="\n".join(lines) + "\n",
    )
    assert done.returncode == 2
    assert "<stdin> line 251" in done.stderr
    assert 'field "payload"' in done.stderr
    report = read_report(report_path)
    acknowledged = {line["chunk"] for line in report if line["accepted"]}
    assert acknowledged == {0, 1}  # the chunks before the bad line were sent and reported
    assert fresh.stats()["events"] == 200


def test_a_wrong_key_stops_the_run_exit_1_and_the_key_is_nowhere(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    wrong = "sk-wrong-0a9b8c7d6e"
    events = write_events(tmp_path / "e.jsonl", 1000)
    report_path = tmp_path / "r.jsonl"
    done = run_cli(
        "--server-url",
        fresh.url,
        "bulk",
        str(events),
        "--idempotency-prefix",
        "auth",
        "--report",
        str(report_path),
        key=wrong,
    )
    assert done.returncode == 1
    assert "AuthenticationError" in done.stderr
    assert "0 accepted" in done.stdout
    text = report_path.read_text()
    report = read_report(report_path)
    assert report
    assert not any(line["accepted"] for line in report)
    assert {line["outcome"] for line in report} <= {"failed", "not_sent"}
    assert "AuthenticationError" in next(line["error"] for line in report if line["outcome"] == "failed")
    assert wrong not in done.stdout + done.stderr + text
    assert fresh.stats()["events"] == 0
    assert fresh.stats()["requests"] <= 8  # stopped at the first 401: only the chunks already sent


def test_progress_bar_on_request(fresh: FakeNovuProcess, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.jsonl", 200)
    shown = run_cli(
        "--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "bar", "--progress"
    )
    assert shown.returncode == 0, shown.stderr
    assert "200/200" in shown.stderr
    hidden = run_cli("--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "bar2")
    assert hidden.returncode == 0
    assert "200/200" not in hidden.stderr  # stderr is not a terminal


def test_progress_without_rich_says_how_to_get_it(
    fresh: FakeNovuProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)  # import rich fails
    monkeypatch.setitem(sys.modules, "rich.console", None)
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    monkeypatch.setenv("NOVU_SECRET_KEY", KEY)
    events = write_events(tmp_path / "e.jsonl", 10)
    code = main(["--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "x", "--progress"])
    assert code == 2
    assert "pip install 'novu-async[cli]'" in capsys.readouterr().err
    assert fresh.stats()["requests"] == 0


def test_in_process_main_runs_a_bulk(
    fresh: FakeNovuProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", KEY)
    events = write_events(tmp_path / "e.jsonl", 120)
    code = main(
        ["--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "inproc", "--no-progress"]
    )
    assert code == 0
    counts = collections.Counter(e["transaction_id"] for e in fresh.ledger())
    assert len(counts) == 120
    assert set(counts.values()) == {1}
