"""``novu-async bulk``: a JSONL file through the bulk endpoint, end to end against FakeNovu's server."""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

import pytest

from novu_async.cli import main
from novu_async.cli._bulk import MAX_BAD_LINES
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
    assert [summary[k] for k in ("input", "read", "sent", "acknowledged", "left")] == [130, 130, 130, 130, 0]
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


def test_every_bad_line_is_reported_at_once_before_anything_is_sent(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    bad = [
        '{"name": "welcome", "to": 42}',  # line 101
        "not json",  # 102
        '{"to": "ada"}',  # 103
        "[1, 2]",  # 104
        '{"name": "welcome", "to": "ada", "payload": [1], "overrides": 3}',  # 105: two problems
    ]
    events = write_events(tmp_path / "e.jsonl", 100, bad)
    with events.open("a") as f:
        f.write(json.dumps(event(100)) + "\n")
    done = run_cli("--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "bad")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == f"novu-async: error: {events}: 5 bad lines (of 106); nothing was sent:"
    assert lines[1].startswith('  line 101: field "to": ')
    assert lines[2].startswith("  line 102: invalid JSON: ")
    assert lines[3] == '  line 103: missing field "name"'
    assert lines[4] == "  line 104: expected a JSON object (an event), got an array"
    assert lines[5].startswith('  line 105: field "payload": ')
    assert '; field "overrides": ' in lines[5]
    assert len(lines) == 6
    assert fresh.stats()["requests"] == 0
    assert not (tmp_path / "e.bad.report.jsonl").exists()  # no report: the run never started


def test_the_bad_lines_shown_are_capped_and_the_rest_counted(fresh: FakeNovuProcess, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.jsonl", 3, ["{}"] * (MAX_BAD_LINES + 7))
    done = run_cli("--server-url", fresh.url, "bulk", str(events), "--idempotency-prefix", "cap")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].endswith(f": {MAX_BAD_LINES + 7} bad lines (of {MAX_BAD_LINES + 10}); nothing was sent:")
    assert [line.split(":")[0] for line in lines[1 : MAX_BAD_LINES + 1]] == [
        f"  line {n}" for n in range(4, MAX_BAD_LINES + 4)
    ]
    assert lines[MAX_BAD_LINES + 1] == "  ... and 7 more bad lines"
    assert len(lines) == MAX_BAD_LINES + 2
    assert fresh.stats()["requests"] == 0


def test_standard_input_is_checked_whole_before_anything_is_sent(
    fresh: FakeNovuProcess, tmp_path: Path
) -> None:
    lines = [json.dumps(event(n)) for n in range(250)] + ['{"name": "x", "to": "ada", "payload": [1]}']
    lines += [json.dumps(event(n)) for n in range(250, 300)] + ["{"]
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
    assert "<stdin>: 2 bad lines (of 302); nothing was sent:" in done.stderr
    assert '  line 251: field "payload"' in done.stderr
    assert "  line 302: invalid JSON" in done.stderr
    assert fresh.stats()["requests"] == 0  # not even the chunks before the first bad line
    assert not report_path.exists()


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
    # the run stopped at the 401 before reading it all: the summary says how far it got
    stopped = re.fullmatch(
        r"stopped: (\d+) of the input's 1000 events read, (\d+) sent, 0 acknowledged; 1000 left to send "
        r"\(run the same command again\)",
        done.stdout.splitlines()[-1],
    )
    assert stopped is not None, done.stdout
    assert 0 < int(stopped[2]) <= int(stopped[1]) < 1000
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
