"""``python -m refdocs``: write the pages of the hand-written surfaces into docs/reference/sdk/."""

from __future__ import annotations

import sys
import time


def main() -> int:
    started = time.perf_counter()
    try:
        from .pages import OUT_DIR, build

        files, written, removed = build()
    except ImportError as exc:  # the generated code is missing: its message says what to run
        print(f"refdocs: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(
        f"docs: the Python API: {len(files)} pages ({written} written, {removed} removed) "
        f"in {OUT_DIR} in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
