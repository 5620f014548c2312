"""Fixtures of the CLI tests: FakeNovu's server process on loopback, and the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from novu_async.testing import FakeNovuProcess

KEY = "cli-test-secret-4f1c9e"  # the key the fake accepts and the CLI sends


def cli_env(key: str | None = KEY, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NOVU_SECRET_KEY", "NOVU_SERVER_URL")}
    if key is not None:
        env["NOVU_SECRET_KEY"] = key
    env.update(extra)
    return env


def run_cli(
    *args: str,
    key: str | None = KEY,
    input: str | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m novu_async.cli ARGS`` to the end; ``env``: variables besides the secret key."""
    return subprocess.run(
        [sys.executable, "-m", "novu_async.cli", *args],
        capture_output=True,
        text=True,
        env=cli_env(key, **(env or {})),
        input=input,
        timeout=timeout,
    )


def start_cli(*args: str, key: str | None = KEY) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "novu_async.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(key),
    )


def event(number: int, **extra: Any) -> dict[str, Any]:
    return {
        "name": "order-shipped",
        "to": {"subscriberId": f"subscriber-{number % 7}"},
        "payload": {"order": number},
        "transactionId": f"order-{number}",
        **extra,
    }


def write_events(path: Path, count: int, lines: Sequence[str] = ()) -> Path:
    """``count`` events, one a line, then ``lines`` as given."""
    with path.open("w") as f:
        for number in range(count):
            f.write(json.dumps(event(number)) + "\n")
        for line in lines:
            f.write(line + "\n")
    return path


def read_report(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeNovuProcess]:
    """One fake server per module, reset before each test that asks for ``fresh``."""
    with FakeNovuProcess(KEY) as process:
        yield process


@pytest.fixture
def fresh(server: FakeNovuProcess) -> FakeNovuProcess:
    server.reset()
    return server
