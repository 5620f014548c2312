"""One client, many event loops: the pattern of a Celery task (or any code) that runs
``asyncio.run(...)`` per job with one module-level ``Novu``. Each loop gets a client of its own,
closed when that loop ends; ``aclose()`` from a later loop closes what is left without touching a
dead loop. The test counts the process's open sockets (``/proc/self/fd`` links to ``socket:``)
before and after, and the server's open connections.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from novu_async import Novu
from novu_async.errors import ClientClosedError
from tests.support.core import SECRET, SUBSCRIBER, envelope
from tests.support.raw_server import RawServer, head, raw

RUNS = 20
CALLS = 5  # concurrent calls per run: several pooled connections in each loop
_BODY = json.dumps(envelope(SUBSCRIBER)).encode()


@pytest.fixture
def server() -> Iterator[RawServer]:
    with RawServer.serving(
        raw(head(200, "content-type: application/json", length=len(_BODY)) + _BODY, keep_alive=True)
    ) as running:
        yield running


def sockets() -> int:
    """The sockets this process has open."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:  # closed meanwhile (the listing's own descriptor)
            pass
    return count


def settle(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Wait until ``check()`` holds (the server thread closes its side once the client hung up)."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


async def _calls(novu: Novu) -> None:
    async with anyio.create_task_group() as group:
        for _ in range(CALLS):
            group.start_soon(novu.subscribers.retrieve, "sub-1")


def _runner(loop: str) -> Callable[[Any], Any]:
    if loop == "uvloop":
        import uvloop

        def run_on_uvloop(coroutine: Any) -> Any:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                return runner.run(coroutine)

        return run_on_uvloop
    if loop == "trio":
        return lambda coroutine: anyio.run(lambda: coroutine, backend="trio")
    return asyncio.run


LOOPS = [
    pytest.param("asyncio", "auto", id="asyncio-aiohttp"),
    pytest.param("asyncio", "httpx", id="asyncio-httpx"),
    pytest.param("uvloop", "auto", id="uvloop-aiohttp"),
    pytest.param("trio", "httpx", id="trio-httpx"),
]


@pytest.mark.parametrize(("loop", "transport"), LOOPS)
def test_one_client_survives_many_event_loops(server: RawServer, loop: str, transport: str) -> None:
    if loop == "uvloop" and importlib.util.find_spec("uvloop") is None:  # pragma: no cover - dev extra
        pytest.skip("uvloop is not installed")
    if transport == "auto" and importlib.util.find_spec("httpx_aiohttp") is None:  # pragma: no cover
        pytest.skip("httpx-aiohttp is not installed")
    run = _runner(loop)
    gc.collect()
    before = sockets()
    novu = Novu(SECRET, server_url=server.url, transport=transport)  # type: ignore[arg-type]
    for _ in range(RUNS):
        run(_calls(novu))
    assert server.requests == RUNS * CALLS
    run(novu.aclose())  # from a loop of its own: nothing of the dead loops is touched
    assert settle(lambda: server.open == 0), f"{server.open} connections left open on the server"
    # The server thread closes its side of a connection just after counting it closed: wait for that.
    assert settle(lambda: sockets() <= before), f"{sockets() - before} sockets left open"
    with pytest.raises(ClientClosedError):
        run(novu.subscribers.retrieve("sub-1"))


@pytest.mark.parametrize(("loop", "transport"), LOOPS[:2])
def test_closing_in_the_last_loop_closes_everything(server: RawServer, loop: str, transport: str) -> None:
    run = _runner(loop)
    gc.collect()
    before = sockets()
    novu = Novu(SECRET, server_url=server.url, transport=transport)  # type: ignore[arg-type]

    async def calls_then_close() -> None:
        await _calls(novu)
        await novu.aclose()

    for _ in range(3):
        run(_calls(novu))
    run(calls_then_close())
    assert settle(lambda: server.open == 0)
    assert settle(lambda: sockets() <= before), f"{sockets() - before} sockets left open"
