"""Counting a command's CPU instructions under valgrind's callgrind, for the benchmarks whose figures
should not move with the machine's load. Imported by parse.py and per_call.py (run as scripts from
this folder, which is then on sys.path)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence

CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def collected(command: Sequence[str]) -> int:
    """The instructions callgrind counted while ``command`` ran (its ``Collected`` line)."""
    out = subprocess.run([*CALLGRIND, *command], check=True, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    assert found is not None, out.stderr[-500:]
    return int(found.group(1))
