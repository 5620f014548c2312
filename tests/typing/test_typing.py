"""What users type against, checked by the type checkers they use: mypy --strict and pyright.

``good_*.py`` must pass both without a single error (their ``assert_type`` calls pin the types of
results, pages and iterators); in ``bad_*.py`` every line marked ``# E`` must get an error from
each checker, and no other line may. The async client and the blocking one (``novu_async.sync``)
each have a good and a bad file.

Each checker runs once over all four files (about a minute cold on this machine, seconds when its
cache is warm): mypy with its cache in ``.venv/`` (``--follow-imports=silent``: the package's own
code is checked by ``make lint``), pyright from the npm lock file (``node_modules/``, installed by
``make setup`` next to Prism) with ``--outputjson``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FILES = sorted(HERE.glob("good_*.py")) + sorted(HERE.glob("bad_*.py"))
PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"
MARK = re.compile(r"#\s*E\s*$")
MYPY_LINE = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*)$")
TIMEOUT = 600  # seconds: a cold run over the whole generated package, on a loaded 2-core machine

Findings = Mapping[str, dict[int, list[str]]]  # file name -> line -> messages


def marked_lines(path: Path) -> set[int]:
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if MARK.search(line)}


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:  # pragma: no cover - a hung checker
        pytest.fail(f"{command[0]} did not finish within {TIMEOUT} s: {exc}")


@pytest.fixture(scope="module")
def mypy_findings() -> Findings:
    cache = ROOT / ".venv" / "mypy-cache-typing"
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--strict",
        "--follow-imports=silent",
        "--no-error-summary",
        "--show-error-codes",
        "--no-pretty",
        "--cache-dir",
        str(cache),
        *(str(path.relative_to(ROOT)) for path in FILES),
    ]
    result = _run(command)
    findings: dict[str, dict[int, list[str]]] = {path.name: {} for path in FILES}
    for line in result.stdout.splitlines():
        match = MYPY_LINE.match(line)
        if match is None or match["severity"] != "error":
            continue
        name = Path(match["file"]).name
        findings.setdefault(name, {}).setdefault(int(match["line"]), []).append(match["message"])
    if result.returncode not in (0, 1) or (result.returncode == 1 and not any(findings.values())):
        pytest.fail(f"mypy failed to run ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return findings


@pytest.fixture(scope="module")
def pyright_findings() -> Findings:
    if not os.access(PYRIGHT, os.X_OK):
        pytest.fail(f"{PYRIGHT} is missing: run `make setup` (npm ci installs it from package-lock.json)")
    command = [
        str(PYRIGHT),
        "--outputjson",
        "--pythonpath",
        sys.executable,
        "--pythonversion",
        "3.10",
        *(str(path) for path in FILES),
    ]
    result = _run(command)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"pyright failed to run ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    findings: dict[str, dict[int, list[str]]] = {path.name: {} for path in FILES}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] not in ("error", "warning"):
            continue
        name = Path(diagnostic["file"]).name
        line = diagnostic["range"]["start"]["line"] + 1
        message = f"{diagnostic['severity']}: {diagnostic['message']} ({diagnostic.get('rule', '')})"
        findings.setdefault(name, {}).setdefault(line, []).append(message)
    assert report["summary"]["filesAnalyzed"] >= len(FILES), report["summary"]
    return findings


def check(findings: Findings, path: Path, checker: str) -> None:
    found = findings.get(path.name, {})
    expected = marked_lines(path)
    if path.name.startswith("good_"):
        assert not expected, f"{path.name}: a good file has no marked lines"
    else:
        assert expected, f"{path.name}: a bad file needs lines marked '# E'"
    missed = sorted(expected - set(found))
    unexpected = {line: messages for line, messages in sorted(found.items()) if line not in expected}
    lines = path.read_text().splitlines()
    report = [f"{checker} accepted {path.name}:{n}: {lines[n - 1].strip()}" for n in missed]
    report += [f"{checker} on {path.name}:{n}: {'; '.join(m)}" for n, m in unexpected.items()]
    assert not report, "\n".join(report)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_mypy_strict(mypy_findings: Findings, path: Path) -> None:
    check(mypy_findings, path, "mypy")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_pyright(pyright_findings: Findings, path: Path) -> None:
    check(pyright_findings, path, "pyright")
