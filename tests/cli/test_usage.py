"""Usage and configuration errors exit with 2 and send nothing; ``--version``; resume refusals."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from novu_async import NovuCore, RetryConfig, __version__
from novu_async.bulk import MAX_CHUNK_SIZE
from novu_async.cli import main, parser
from novu_async.cli._bulk import default_report_path
from novu_async.testing import FakeNovuProcess
from tests.cli.conftest import KEY, read_report, run_cli, write_events


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", KEY)


def test_version_and_module_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"novu-async {__version__}"
    done = run_cli("--help")
    assert done.returncode == 0
    assert "bulk" in done.stdout
    assert "trigger" in done.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bulk", "x.jsonl"], "--idempotency-prefix"),
        (["bulk", "x.jsonl", "--idempotency-prefix", "p", "--chunk-size", "101"], "from 1 to 100"),
        (["bulk", "x.jsonl", "--idempotency-prefix", "p", "--concurrency", "0"], "from 1 to 1000"),
        (["--server", "mars", "trigger", "w", "--to", "a"], "invalid choice"),
        (["trigger", "w"], "--to"),
        (["--timeout", "-1", "trigger", "w", "--to", "a"], "positive number"),
    ],
)
def test_bad_command_lines_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_configuration_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    events = write_events(tmp_path / "e.jsonl", 3)
    assert main(["bulk", str(events), "--idempotency-prefix", "has space"]) == 2
    assert "printable ASCII" in capsys.readouterr().err
    assert main(["--server-url", "ftp://x", "bulk", str(events), "--idempotency-prefix", "p"]) == 2
    assert "server_url must be an http(s) URL" in capsys.readouterr().err
    assert main(["bulk", str(tmp_path / "missing.jsonl"), "--idempotency-prefix", "p"]) == 2
    assert "cannot read" in capsys.readouterr().err
    monkeypatch.delenv("NOVU_SECRET_KEY")
    monkeypatch.setenv("OTHER_KEY", KEY)
    assert main(["bulk", str(events), "--idempotency-prefix", "p"]) == 2
    assert "NOVU_SECRET_KEY" in capsys.readouterr().err
    # --secret-key-env names the variable (the key itself is never an argument)
    assert (
        main(["--secret-key-env", "OTHER_KEY", "--server-url", "ftp://x", "trigger", "w", "--to", "a"]) == 2
    )
    assert KEY not in capsys.readouterr().err


def _actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {max(a.option_strings, key=len) if a.option_strings else a.dest: a for a in parser._actions}


def _commands() -> dict[str, argparse.ArgumentParser]:
    root = parser()
    [commands] = [a for a in root._actions if isinstance(a, argparse._SubParsersAction)]
    return {"": root, **commands.choices}


def test_help_names_the_default_report_as_the_run_names_it() -> None:
    text = " ".join(str(_actions(_commands()["bulk"])["--report"].help).split())
    example = re.search(r"(\S+) with prefix (\S+) gives (\S+);", text)
    assert example is not None, text
    assert default_report_path(example[1], example[2]) == Path(example[3])
    assert example[3] == "events.import-42.report.jsonl"
    assert "./PREFIX.report.jsonl for stdin" in text
    assert default_report_path("-", "import-42") == Path("import-42.report.jsonl")
    for suffix in (".jsonl", ".ndjson", ".json"):  # the suffixes the help says are dropped
        assert suffix in text
        assert default_report_path(f"d/events{suffix}", "p") == Path("d/events.p.report.jsonl")


def test_the_defaults_help_states_are_the_ones_used() -> None:
    stated = 0
    for name, command in _commands().items():
        for action in command._actions:
            for default in re.findall(r"\(default: (\d+)\)", action.help or ""):
                if action.default is not None and action.default is not argparse.SUPPRESS:
                    assert int(default) == action.default, (name, action.dest)
                    stated += 1
    assert stated >= 2  # --concurrency, --chunk-size
    bulk = _actions(_commands()["bulk"])
    assert "1 to 100 (default: 100)" in str(bulk["--chunk-size"].help)
    assert bulk["--chunk-size"].default == MAX_CHUNK_SIZE == 100
    with pytest.raises(argparse.ArgumentTypeError):
        bulk["--chunk-size"].type("101")  # type: ignore[misc]
    # the connection options leave the core's defaults alone, and say what those are
    root = _actions(_commands()[""])
    assert "(default: 30 s, 10 s to connect)" in str(root["--timeout"].help)
    timeout = NovuCore("sk-test").timeout
    assert (timeout.read, timeout.connect) == (30.0, 10.0)
    assert "(default: 3)" in str(root["--retries"].help)
    assert RetryConfig().max_retries == 3
    assert root["--timeout"].default is None
    assert root["--retries"].default is None


def test_default_report_path() -> None:
    assert default_report_path("data/orders.jsonl", "import/42") == Path("data/orders.import_42.report.jsonl")
    assert default_report_path("-", "p") == Path("p.report.jsonl")


def test_resume_refuses_another_chunk_size_prefix_or_changed_input(
    fresh: FakeNovuProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(tmp_path / "e.jsonl", 130)
    report = tmp_path / "r.jsonl"
    common = ["--server-url", fresh.url, "bulk", str(events), "--report", str(report)]
    assert main([*common, "--idempotency-prefix", "p", "--chunk-size", "50"]) == 0
    requests = fresh.stats()["requests"]
    capsys.readouterr()

    assert main([*common, "--idempotency-prefix", "p", "--chunk-size", "100"]) == 2
    assert "--chunk-size 50" in capsys.readouterr().err
    assert main([*common, "--idempotency-prefix", "q", "--chunk-size", "50"]) == 2
    assert "belongs to the idempotency prefix 'p'" in capsys.readouterr().err
    write_events(events, 120)
    assert main([*common, "--idempotency-prefix", "p", "--chunk-size", "50"]) == 2
    assert "the input changed" in capsys.readouterr().err
    assert fresh.stats()["requests"] == requests
    assert len(read_report(report)) == 130  # the refused runs left the report alone

    # grown: the last chunk (30 events, acknowledged) now holds 40: sent again under its key, the
    # server refuses the other body (422) instead of triggering its first 30 events twice
    write_events(events, 140)
    assert main([*common, "--idempotency-prefix", "p", "--chunk-size", "50"]) == 1
    assert fresh.stats()["requests"] == requests + 1
    assert fresh.stats()["events"] == 130
    lines = read_report(report)
    assert [line["outcome"] for line in lines] == ["skipped"] * 100 + ["failed"] * 40
    assert "UnprocessableEntityError" in lines[-1]["error"]


def test_a_damaged_report_is_refused_but_a_cut_last_line_is_redone(
    fresh: FakeNovuProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(tmp_path / "e.jsonl", 200)
    report = tmp_path / "r.jsonl"
    common = [
        "--server-url",
        fresh.url,
        "bulk",
        str(events),
        "--report",
        str(report),
        "--idempotency-prefix",
        "d",
    ]
    assert main(common) == 0
    lines = report.read_text().splitlines()
    report.write_text("\n".join(lines[:150]) + "\n" + lines[150][:20])  # killed while writing chunk 1
    requests = fresh.stats()["requests"]
    assert main(common) == 0
    assert fresh.stats()["requests"] == requests + 1  # chunk 1 again (a replay), not chunk 0
    assert fresh.stats()["replays"] == 1
    assert [line["outcome"] for line in read_report(report)] == ["skipped"] * 100 + ["acknowledged"] * 100

    report.write_text("not json\n" + "\n".join(lines) + "\n")
    assert main(common) == 2
    assert "damaged" in capsys.readouterr().err
    report.write_text(json.dumps({"something": "else"}) + "\n")
    assert main(common) == 2
    assert "not a line of a novu-async bulk report" in capsys.readouterr().err
