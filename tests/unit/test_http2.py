"""``http2=True`` against a real HTTP/2 server: hypercorn, in this process, on 127.0.0.1.

Over TLS (a trustme certificate authority) httpx offers ``h2`` by ALPN and hypercorn accepts it: the
calls go over HTTP/2, and concurrent calls share one connection. Over plain ``http://`` httpx does not
upgrade (no ``Upgrade: h2c``), so ``NovuCore(http2=True)`` speaks HTTP/1.1 there; HTTP/2 in clear text
needs prior knowledge, ``httpx.AsyncHTTPTransport(http1=False, http2=True)``, passed as ``http_client``.

A custom certificate authority reaches the client ``NovuCore`` makes through ``SSL_CERT_FILE`` (httpx
reads it when the client is made, on the first request); or pass an own client:
``NovuCore(http_client=httpx.AsyncClient(http2=True, verify=ssl_context))``.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from novu_async import Novu, NovuCore
from novu_async.bulk import trigger_many
from novu_async.errors import ConfigurationError
from novu_async.funcs.trigger import trigger_response

pytest.importorskip("h2")
pytest.importorskip("hypercorn")
trustme = pytest.importorskip("trustme")

SECRET = "http2-secret"
CONCURRENCY = 50


class App:
    """A tiny ASGI app answering like Novu's trigger endpoints; it records, per request, the HTTP
    version and the client's address (one address per connection: its port tells connections apart).

    With ``hold`` set, each trigger waits until that many requests are in flight at once (or a second
    has passed) before it answers: the calls are then concurrent, not just started together."""

    def __init__(self, hold: int = 0) -> None:
        self.versions: list[str] = []
        self.connections: set[Any] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.hold = hold
        self._all_in = anyio.Event()
        self._transactions = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.versions.append(scope["http_version"])
        self.connections.add(tuple(scope["client"]))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hold:
                if self.in_flight >= self.hold:
                    self._all_in.set()
                with anyio.move_on_after(1):
                    await self._all_in.wait()
            if scope["path"] == "/v1/events/trigger/bulk":
                data: Any = [self._ack() for _ in json.loads(body)["events"]]
            else:
                data = self._ack()
        finally:
            self.in_flight -= 1
        content = json.dumps({"data": data}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(content))]
        await send({"type": "http.response.start", "status": 201, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _ack(self) -> dict[str, Any]:
        self._transactions += 1
        return {"acknowledged": True, "status": "processed", "transactionId": f"txn-{self._transactions}"}


@pytest.fixture(scope="module")
def ca() -> Any:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: Any, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def trust_ca(ca_file: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``SSL_CERT_FILE``: how the client NovuCore makes itself trusts a custom authority."""
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    return ca_file


@asynccontextmanager
async def serve(app: App, ca: Any | None, tmp_path: Path) -> AsyncIterator[str]:
    """Hypercorn serving ``app`` on a free port of 127.0.0.1 (TLS with ALPN h2 and http/1.1 when ``ca``
    is given, else clear text, where hypercorn takes HTTP/1.1 and HTTP/2 with prior knowledge)."""
    import sniffio
    from hypercorn.config import Config

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    config = Config()
    config.graceful_timeout = 1
    config.keep_alive_max_requests = 1 << 40  # not 1,000: no GOAWAY in the middle of a test
    config.bind = [f"fd://{os.dup(listener.fileno())}"]  # hypercorn owns (and closes) the duplicate
    if ca is not None:
        cert = ca.issue_cert("127.0.0.1")
        cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
        cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
        config.certfile, config.keyfile = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    stop = anyio.Event()
    if sniffio.current_async_library() == "trio":
        from hypercorn.trio import serve as hypercorn_serve
    else:
        from hypercorn.asyncio import serve as hypercorn_serve  # type: ignore[assignment]
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: hypercorn_serve(app, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]
            try:
                # the socket listens already: connections wait in its backlog until hypercorn accepts
                yield f"{'https' if ca is not None else 'http'}://127.0.0.1:{port}"
            finally:
                stop.set()
    finally:
        listener.close()


def event(i: int) -> dict[str, Any]:
    return {"name": "welcome", "to": {"subscriberId": f"user-{i}"}, "payload": {"order": i}}


async def concurrent_triggers(core: NovuCore, n: int) -> list[str]:
    """``n`` triggers at once; the HTTP version of each answer, as httpx saw it."""
    versions: list[str] = []

    async def one(i: int) -> None:
        response = await trigger_response(core, event(i))
        assert response.data.acknowledged
        versions.append(response.raw.http_version)

    async with anyio.create_task_group() as tg:
        for i in range(n):
            tg.start_soon(one, i)
    return versions


# ---------------------------------------------------------------------------------------------- TLS + ALPN


@pytest.mark.anyio
async def test_http2_true_negotiates_h2_over_tls(ca: Any, trust_ca: str, tmp_path: Path) -> None:
    app = App()
    async with serve(app, ca, tmp_path) as url, NovuCore(SECRET, server_url=url, http2=True) as core:
        response = await trigger_response(core, event(1))
    assert response.status_code == 201
    assert response.data.transaction_id == "txn-1"
    assert response.raw.http_version == "HTTP/2"
    assert app.versions == ["2"]


@pytest.mark.anyio
async def test_concurrent_calls_share_one_connection(ca: Any, trust_ca: str, tmp_path: Path) -> None:
    app = App(hold=CONCURRENCY)
    async with serve(app, ca, tmp_path) as url, NovuCore(SECRET, server_url=url, http2=True) as core:
        versions = await concurrent_triggers(core, CONCURRENCY)
    assert versions == ["HTTP/2"] * CONCURRENCY
    assert app.max_in_flight == CONCURRENCY  # all 50 at once on the server...
    assert len(app.connections) == 1  # ...as streams of one connection


@pytest.mark.anyio
async def test_without_http2_concurrent_calls_open_connections(
    ca: Any, trust_ca: str, tmp_path: Path
) -> None:
    """The control: the same calls over HTTP/1.1 (httpx's transport) need a connection each."""
    app = App(hold=CONCURRENCY)
    async with (
        serve(app, ca, tmp_path) as url,
        NovuCore(SECRET, server_url=url, transport="httpx") as core,
    ):
        versions = await concurrent_triggers(core, CONCURRENCY)
    assert versions == ["HTTP/1.1"] * CONCURRENCY
    assert app.max_in_flight == CONCURRENCY
    assert len(app.connections) == CONCURRENCY


@pytest.mark.anyio
async def test_trigger_many_over_http2(ca: Any, trust_ca: str, tmp_path: Path) -> None:
    app = App()
    async with serve(app, ca, tmp_path) as url, Novu(SECRET, server_url=url, http2=True) as novu:
        report = await trigger_many(novu.core, (event(i) for i in range(1_000)), concurrency=8)
    assert report.accepted == 1_000
    assert app.versions == ["2"] * 10
    assert len(app.connections) == 1


@pytest.mark.anyio
async def test_own_client_with_a_custom_ca(ca: Any, ca_file: str, tmp_path: Path) -> None:
    """Without SSL_CERT_FILE: an own ``httpx.AsyncClient(http2=True, verify=context)``."""
    app = App(hold=CONCURRENCY)
    context = ssl.create_default_context(cafile=ca_file)
    async with (
        serve(app, ca, tmp_path) as url,
        httpx.AsyncClient(http2=True, verify=context) as client,
        NovuCore(SECRET, server_url=url, http_client=client) as core,
    ):
        versions = await concurrent_triggers(core, CONCURRENCY)
    assert versions == ["HTTP/2"] * CONCURRENCY
    assert len(app.connections) == 1


@pytest.mark.anyio
async def test_the_default_trust_store_refuses_the_test_ca(
    ca: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The certificate is checked: without the authority the call fails (no silent downgrade)."""
    from novu_async.errors import APIConnectionError

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with (
        serve(App(), ca, tmp_path) as url,
        NovuCore(SECRET, server_url=url, http2=True, retries=0) as core,
    ):
        with pytest.raises(APIConnectionError, match="ConnectError") as caught:
            await trigger_response(core, event(1))
    assert _chain_has(caught.value, ssl.SSLCertVerificationError)


def _chain_has(exc: BaseException | None, cls: type[BaseException]) -> bool:
    """Whether ``exc`` or an exception it was raised from (or while handling) is a ``cls``."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, cls):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


# ---------------------------------------------------------------------------------------------- clear text


@pytest.mark.anyio
async def test_http2_true_over_plain_http_speaks_http11(tmp_path: Path) -> None:
    """httpx neither upgrades to h2c nor assumes it: ``http2=True`` on ``http://`` is HTTP/1.1."""
    app = App(hold=CONCURRENCY)
    async with serve(app, None, tmp_path) as url, NovuCore(SECRET, server_url=url, http2=True) as core:
        versions = await concurrent_triggers(core, CONCURRENCY)
    assert versions == ["HTTP/1.1"] * CONCURRENCY
    assert set(app.versions) == {"1.1"}
    assert len(app.connections) == CONCURRENCY


@pytest.mark.anyio
async def test_h2c_prior_knowledge_through_an_own_client(tmp_path: Path) -> None:
    app = App(hold=CONCURRENCY)
    transport = httpx.AsyncHTTPTransport(http1=False, http2=True)
    async with (
        serve(app, None, tmp_path) as url,
        httpx.AsyncClient(transport=transport) as client,
        NovuCore(SECRET, server_url=url, http_client=client) as core,
    ):
        versions = await concurrent_triggers(core, CONCURRENCY)
    assert versions == ["HTTP/2"] * CONCURRENCY
    assert set(app.versions) == {"2"}
    assert len(app.connections) == 1


# ---------------------------------------------------------------------------------------------- without h2


@pytest.fixture
def no_h2(monkeypatch: pytest.MonkeyPatch) -> None:
    """``h2`` as if not installed: ``import h2`` raises ImportError, ``find_spec("h2")`` is None."""
    for name in [m for m in sys.modules if m == "h2" or m.startswith("h2.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "h2", None)
    with pytest.raises(ImportError):
        import h2  # noqa: F401


@pytest.mark.usefixtures("no_h2")
def test_http2_without_h2_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"needs the h2 package: pip install 'novu-async\[http2\]'"):
        NovuCore(SECRET, http2=True)
    with pytest.raises(ConfigurationError, match=r"novu-async\[http2\]"):
        Novu(SECRET, http2=True)
    NovuCore(SECRET)  # HTTP/1.1 needs no h2


@pytest.mark.usefixtures("no_h2")
def test_http2_with_an_own_client_does_not_check_for_h2() -> None:
    """The flag is about the client NovuCore makes; an own client brings its own protocols."""
    NovuCore(SECRET, http2=True, http_client=httpx.AsyncClient())


def test_http2_needs_httpx_transport() -> None:
    with pytest.raises(ConfigurationError, match=r"aiohttp speaks HTTP/1\.1 only"):
        NovuCore(SECRET, http2=True, transport="aiohttp")
