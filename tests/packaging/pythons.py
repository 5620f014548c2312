"""The CPython interpreters of the supported versions (pyproject.toml's classifiers) on this machine.

Looked for as ``python3.X`` on PATH, then in pyenv's versions (``$PYENV_ROOT``, else ~/.pyenv); each
candidate must run and report that version (a pyenv shim of a version that is not selected does not).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def project() -> dict[str, object]:
    table: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def supported_versions() -> list[str]:
    """``["3.10", ...]`` from the ``Programming Language :: Python :: 3.X`` classifiers."""
    classifiers = project().get("classifiers", [])
    assert isinstance(classifiers, list)
    found = (re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c) for c in classifiers)
    return [m.group(1) for m in found if m]


def candidates(version: str) -> list[str]:
    found = [shutil.which(f"python{version}")]
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        found.insert(0, sys.executable)
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found += [str(p) for p in sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True)]
    return [c for c in found if c]


def reports(executable: str, version: str) -> bool:
    check = "import platform, sys; print(platform.python_implementation(), *sys.version_info[:2])"
    try:
        result = subprocess.run([executable, "-c", check], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.split() == ["CPython", *version.split(".")]


def find(version: str) -> str | None:
    """A working CPython ``version`` interpreter, or None."""
    return next((c for c in candidates(version) if reports(c, version)), None)


def where_looked(version: str) -> str:
    return f"python{version} on PATH, {Path(os.environ.get('PYENV_ROOT') or '~/.pyenv')}/versions/{version}.*"
