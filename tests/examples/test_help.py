"""Every command line of the project prints its ``--help`` as plain text: no reST markup
(````code````, ``::`` before a block, ``:role:``) from the docstrings it is made of."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# the scripts that parse a command line (found, so that a new one is checked too)
SCRIPTS = sorted(
    path.relative_to(ROOT).as_posix()
    for folder in ("examples", "benchmarks")
    for path in (ROOT / folder).glob("*.py")
    if "ArgumentParser(" in path.read_text(encoding="utf-8")
)
MODULES = [
    ["-m", "novu_async.cli"],
    ["-m", "novu_async.cli", "bulk"],
    ["-m", "novu_async.cli", "trigger"],
    ["-m", "novu_async.testing"],
    ["-m", "codegen"],
]
REST = re.compile(r"``|::$|:[a-z]+:`", re.MULTILINE)


def test_the_scripts_are_found() -> None:
    assert {"examples/csv_bulk.py", "examples/demo.py", "benchmarks/throughput.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("command", [[script] for script in SCRIPTS] + MODULES, ids=" ".join)
def test_help_is_plain_text(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, *command, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: ")
    assert REST.findall(done.stdout) == [], done.stdout
