"""``make demo`` (examples/demo.py) runs end to end against FakeNovu's server process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.py"


def test_the_demo_sends_every_event_once() -> None:
    done = subprocess.run(
        [sys.executable, str(DEMO), "--events", "2500", "--concurrency", "4"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"^FakeNovu listening on http://127\.0\.0\.1:\d+", out, re.MULTILINE)
    # the three subscribers, listed over two pages of two
    assert sorted(re.findall(r"^   (ada|grace|alan) ", out, re.MULTILINE)) == ["ada", "alan", "grace"]
    assert len(re.findall(r"^   welcome -> \w+ +transaction \S+", out, re.MULTILINE)) == 3
    assert "2,500 events accepted" in out
    assert "failed=0" in out
    # 2,500 bulk events and the 3 single triggers, each recorded once by the server
    assert "the server recorded 2,503 events" in out
