"""The client side of ``tests/reliability/test_attempt_bounds.py``, run in a process of its own so that
its resident memory is the client's alone.

    python -m tests.support.bounded_client URL TRANSPORT BACKEND TIMEOUT NAME [NAME...]

One ``NovuCore`` (``retries=0``, ``timeout=TIMEOUT``, the default size limit) on BACKEND (``asyncio``
or ``trio``) first gets ``GET /v2/subscribers/warm`` (imports, the operation's hooks), then
``GET /v2/subscribers/NAME`` for each NAME. Before each of those the peak resident set size is reset
(``/proc/self/clear_refs``); after it, one JSON line: the error's type and message, the seconds the
call took, and how far the peak rose over the resident size before the call (bytes).
"""

from __future__ import annotations

import json
import re
import sys
import time

import anyio

from novu_async._core import NovuCore
from tests.support.core import GET_SUBSCRIBER


def _status(field: str) -> int:
    """A ``/proc/self/status`` size, in bytes."""
    with open("/proc/self/status") as status:
        found = re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.MULTILINE)
    assert found is not None
    return int(found.group(1)) * 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak (VmHWM) starts again from the present size


async def main(url: str, transport: str, seconds: float, names: list[str]) -> None:
    async with NovuCore(
        "bounded-client-secret", server_url=url, transport=transport, retries=0, timeout=seconds
    ) as core:  # type: ignore[arg-type]
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "warm"})
        for name in names:
            _reset_peak()
            before = _status("VmRSS")
            started = time.perf_counter()
            try:
                await core.request(GET_SUBSCRIBER, path={"subscriberId": name})
            except Exception as exc:
                error, message = type(exc).__name__, str(exc)
            else:
                error, message = None, ""
            seconds = time.perf_counter() - started
            line = {"name": name, "error": error, "message": message, "seconds": seconds}
            line["growth"] = _status("VmHWM") - before
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    url, transport, backend, timeout, *names = sys.argv[1:]
    anyio.run(main, url, transport, float(timeout), names, backend=backend)
