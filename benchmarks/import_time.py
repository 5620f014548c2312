"""Import time of novu_async entry points against importing its five dependencies alone.

Each statement runs in a fresh interpreter, ``--runs`` times; the minimum wall time counts (the least
disturbed run). The interpreter's own start-up (``pass``) is subtracted from every figure, and the
ratio is against the dependencies alone, measured in the same run.

    .venv/bin/python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

CASES = {
    "interpreter start-up (subtracted)": "pass",
    "baseline: import httpx, anyio, attrs, cattrs, tenacity": "import httpx, anyio, attrs, cattrs, tenacity",
    "from novu_async.funcs.trigger import trigger": "from novu_async.funcs.trigger import trigger",
    "from novu_async import Novu": "from novu_async import Novu",
    "Novu + first call's imports (trigger, core, httpx)": (
        "from novu_async import Novu; import novu_async._core; from novu_async.funcs.trigger import trigger"
    ),
}


def best_of(statement: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    times = {label: best_of(statement, runs) for label, statement in CASES.items()}
    start_up = times.pop("interpreter start-up (subtracted)")
    baseline = times["baseline: import httpx, anyio, attrs, cattrs, tenacity"] - start_up
    print(f"import time, best of {runs} fresh interpreters, start-up ({start_up * 1000:.1f} ms) subtracted")
    for label, seconds in times.items():
        net = seconds - start_up
        print(f"  {net * 1000:7.1f} ms  {net / baseline:5.2f}x baseline  {label}")


if __name__ == "__main__":
    main()
