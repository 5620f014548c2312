"""``python -m novu_async.testing``: a server process, ready when it prints its URL, stopped by signal."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from novu_async.testing.__main__ import main
from tests.testing.support import AUTH, KEY, event


def start(*options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NOVU_FAKE_SECRET_KEY": KEY}
    command = [sys.executable, "-m", "novu_async.testing", "--port", "0", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def ready_url(process: subprocess.Popen[str], timeout: float = 20.0) -> str:
    """The URL the server prints once it listens (the readiness signal)."""
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], timeout)
    if not readable:
        raise AssertionError(f"no URL within {timeout} s")
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    return url


@contextlib.contextmanager
def running(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The process and its URL; killed by PID at the end if still running (pipes closed, reaped)."""
    with start(*options) as process:
        try:
            yield process, ready_url(process)
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)


@pytest.fixture
def server_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    with running(
        "--faults", "drop_after=0.0,slow_seconds=1", "--rate-limit", "trigger=1000", "--stats"
    ) as found:
        yield found


def test_the_server_process_serves_until_sigterm(server_process: tuple[subprocess.Popen[str], str]) -> None:
    process, url = server_process
    with httpx.Client(base_url=url, headers=AUTH, timeout=10) as http:
        assert http.get("/__fake/stats").json()["requests"] == 0  # ready at once
        accepted = http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
        replayed = http.post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k"})
        refused = http.post("/v1/events/trigger", json=event(2), headers={"Authorization": "ApiKey other"})
        ledger = http.get("/__fake/ledger").json()
    assert (accepted.status_code, replayed.status_code, refused.status_code) == (201, 201, 401)
    assert accepted.headers["ratelimit-policy"].startswith("1000;w=1;")
    assert replayed.headers["idempotency-replay"] == "true"
    assert [entry["event"] for entry in ledger] == [event(1)]

    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert process.stderr is not None
    stderr = process.stderr.read()
    stats = json.loads(stderr.strip().splitlines()[-1])
    assert stats["events"] == 1
    assert stats["requests"] == 3
    assert stats["replays"] == 1
    assert KEY not in stderr


@pytest.mark.parametrize("parser", ["h11", "httptools"])
def test_each_parser_option_starts_a_server_that_answers(parser: str) -> None:
    if parser == "httptools":
        pytest.importorskip("httptools", reason="the httptools parser is used only when it is installed")
    with (
        running("--parser", parser) as (_, url),
        httpx.Client(base_url=url, headers=AUTH, timeout=10) as http,
    ):
        assert http.post("/v1/events/trigger", json=event(1)).status_code == 201


def test_sigint_stops_it_too() -> None:
    with running() as (process, _):
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--faults", "drop_after=2"], "probability"),
        (["--faults", "teleport=0.1"], "unknown name"),
        (["--rate-limit", "trigger=fast"], "expected a number"),
        (["--rate-limit", "everything=1"], "unknown name"),
        (["--parser", "picohttp"], "invalid choice: 'picohttp'"),
    ],
)
def test_invalid_options_exit_with_2(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(options)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
