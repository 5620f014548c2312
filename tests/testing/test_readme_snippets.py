"""Every python block of README.md runs, as written, against FakeNovu.

The blocks run in order in one namespace (a block may use what an earlier one defined), against a
FakeNovu server process (127.0.0.1, a free port, stopped by PID) that ``NOVU_SERVER_URL`` and
``NOVU_SECRET_KEY`` point at, as the README tells users to set them. A block with a top-level
``await`` runs in an event loop with a ``Novu()`` named ``novu`` and its ``core`` (the README's
fragments assume them); the others run as a script would. What a block names as "your code"
(``sign_up``, ``rows_from_somewhere``, ``ServiceBusy``) is given here. A ``test_*`` coroutine a
block defines is run too. Blocks tagged other than ``python`` (shell, output) are not Python; the
one python block preceded by ``<!-- not run: ... -->`` uses other packages (novu-py, novu).
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from novu_async import Novu
from novu_async.testing import FakeNovuProcess

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"^(<!-- not run:[^\n]*-->\n)?```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
KEY = "sk-readme-0123456789abcdef"


def blocks() -> list[tuple[int, str, bool]]:
    """``(line, source, runnable)`` of each python block."""
    text = README.read_text(encoding="utf-8")
    found = BLOCK.finditer(text)
    return [(text.count("\n", 0, block.start(2)) + 1, block[2], block[1] is None) for block in found]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeNovuProcess]:
    # no secret key of its own: it takes any, as the migration block's placeholder ("...") must pass
    with FakeNovuProcess() as process:
        yield process


class ServiceBusy(Exception):
    """The README's errors example raises it from a RateLimitError (your code's own exception)."""


def your_code() -> dict[str, Any]:
    async def sign_up(novu: Novu, user_id: str) -> None:
        await novu.trigger({"name": "welcome", "to": user_id})

    def rows_from_somewhere() -> Iterator[SimpleNamespace]:
        for n in range(250):
            yield SimpleNamespace(user_id=f"user-{n % 7}", id=f"order-{n}")

    return {"sign_up": sign_up, "rows_from_somewhere": rows_from_somewhere, "ServiceBusy": ServiceBusy}


def test_every_python_block_runs_against_fakenovu(
    server: FakeNovuProcess, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NOVU_SERVER_URL", server.url)
    monkeypatch.setenv("NOVU_SECRET_KEY", KEY)
    namespace: dict[str, Any] = {"__name__": "readme", **your_code()}
    found = blocks()
    ran = 0
    for line, source, runnable in found:
        if not runnable:
            continue
        code = compile(source, f"{README}:{line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        before = set(namespace)
        if code.co_flags & inspect.CO_COROUTINE:

            async def run(code: Any = code) -> None:
                async with Novu() as novu:
                    namespace.update(novu=novu, core=novu.core)
                    await eval(code, namespace)

            anyio.run(run)
        else:
            exec(code, namespace)
        for name in sorted(set(namespace) - before):
            if name.startswith("test_") and inspect.iscoroutinefunction(namespace[name]):
                anyio.run(namespace[name])
        ran += 1
    assert ran == len(found) - 1  # all but the other packages' block
    printed = capsys.readouterr().out
    assert "acme" in printed  # the legacy tenants snippet listed the tenant it made
    stats = server.stats()
    assert stats["by_status"].get("501", 0) == 0  # nothing the README does is left unmodelled
    assert stats["events"] >= 250  # trigger_many's events and the quickstart's trigger
