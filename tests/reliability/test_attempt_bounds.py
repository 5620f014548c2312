"""Every attempt is bounded, in time and in memory, whatever the server does.

``timeout`` bounds a whole attempt (connecting, the answer's headers and its body), not each read: a
server trickling its headers a byte at a time, or a body without end, is cut off at the timeout. An
answer body over ``max_response_bytes`` (32 MiB by default, counted after decompression) raises
``ResponseTooLargeError`` without the rest being read: a 300 MB body, with or without a
``Content-Length``, and a gzip bomb (1 GiB of zeros in about 1 MB).

The client runs in a process of its own (``tests/support/bounded_client.py``), so that its resident
memory is its own: it must grow by less than the limit plus 50 MB for each answer. The server is the
raw-socket one (``tests/support/raw_server.py``), streaming the big bodies a block at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_async import NovuCore
from novu_async._settings import DEFAULT_MAX_RESPONSE_BYTES
from tests.support.core import SUBSCRIBER, envelope
from tests.support.raw_server import (
    Answer,
    Connection,
    RawServer,
    Request,
    endless_chunks,
    gzip_bomb,
    head,
    raw,
    repeated,
    stream,
    trickle_forever,
)

TIMEOUT = 2.0
# what "within the timeout" may take beyond it: the cut itself is immediate, this is the time a
# loaded machine takes to schedule the client's process and close its connection
MARGIN = 1.5
MB = 1_000_000
_MIB = 1 << 20
_WARM = json.dumps(envelope(SUBSCRIBER)).encode()

ANSWERS: dict[str, Answer] = {
    "slowloris-headers": trickle_forever(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"),
    "slow-endless-body": endless_chunks(every=0.1),
    "300mb-chunked": stream(
        head(200, "content-type: application/json", "transfer-encoding: chunked"),
        repeated(b"x" * _MIB, 300 * _MIB),
        chunked=True,
    ),
    "300mb-with-length": stream(
        head(200, "content-type: application/json", length=300 * _MIB), repeated(b"x" * _MIB, 300 * _MIB)
    ),
    "gzip-bomb": stream(
        head(200, "content-type: application/json", "content-encoding: gzip", "transfer-encoding: chunked"),
        gzip_bomb(1024),
        chunked=True,
    ),
}
EXPECTED = {
    "slowloris-headers": "APITimeoutError",
    "slow-endless-body": "APITimeoutError",
    "300mb-chunked": "ResponseTooLargeError",
    "300mb-with-length": "ResponseTooLargeError",
    "gzip-bomb": "ResponseTooLargeError",
}


async def _route(request: Request, connection: Connection) -> bool:
    name = request.path.rsplit("/", 1)[-1]
    if name == "warm":
        return await raw(head(200, "content-type: application/json", length=len(_WARM)) + _WARM)(
            request, connection
        )
    return await ANSWERS[name](request, connection)


@pytest.fixture(scope="module")
def server() -> Iterator[RawServer]:
    with RawServer.serving(_route) as running:
        yield running


def _run_client(url: str, transport: str, backend: str) -> list[dict[str, Any]]:
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.support.bounded_client", url, transport, backend, str(TIMEOUT)]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [*command, *ANSWERS], capture_output=True, text=True, timeout=120, cwd=root, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize(
    ("transport", "backend"), [("httpx", "asyncio"), ("aiohttp", "asyncio"), ("httpx", "trio")]
)
def test_every_attempt_ends_within_its_timeout_and_its_size_limit(
    server: RawServer, transport: str, backend: str
) -> None:
    if transport == "aiohttp":
        pytest.importorskip("httpx_aiohttp")
    results = {line["name"]: line for line in _run_client(server.url, transport, backend)}
    assert set(results) == set(ANSWERS)
    for name, line in results.items():
        assert line["error"] == EXPECTED[name], line
        assert line["seconds"] < TIMEOUT + MARGIN, line
        assert line["growth"] < DEFAULT_MAX_RESPONSE_BYTES + 50 * MB, line
        if line["error"] == "ResponseTooLargeError":
            assert f"max_response_bytes={DEFAULT_MAX_RESPONSE_BYTES}" in line["message"], line
        else:
            assert "timed out" in line["message"], line
            assert f"longer than its timeout of {TIMEOUT:g} s" in line["message"], line


def test_the_default_limit_is_documented() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 32 * _MIB
    assert NovuCore("bounds-secret-key-0123").max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "32 MiB" in readme
    assert "max_response_bytes" in readme
