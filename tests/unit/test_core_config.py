"""NovuCore's configuration: the secret key, servers, timeouts, the client's lifecycle and transport."""

from __future__ import annotations

import importlib.util

import anyio
import anyio.abc
import httpx
import pytest

from novu_async import _core
from novu_async._core import DEFAULT_TIMEOUT, NovuCore
from novu_async._retry import RetryConfig
from novu_async._types import RequestOptions
from novu_async.errors import ClientClosedError, ConfigurationError, NovuError

from .test_core_support import GET_SUBSCRIBER, SECRET, SUBSCRIBER, Server, make_core, reply


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)


# ---------------------------------------------------------------------------------------------- secret key


@pytest.mark.anyio
async def test_secret_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", "env-key-123\n")  # a trailing newline from a .env file
    server = Server(reply(200, SUBSCRIBER))
    core = NovuCore(http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert server.requests[0].headers["authorization"] == "ApiKey env-key-123"


@pytest.mark.anyio
async def test_an_explicit_key_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SECRET_KEY", "env-key")
    server = Server(reply(200, SUBSCRIBER))
    core = NovuCore("given-key", http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert server.requests[0].headers["authorization"] == "ApiKey given-key"


def test_no_key_at_all_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="NOVU_SECRET_KEY"):
        NovuCore()


@pytest.mark.parametrize("key", ["", "   ", "\n"])
def test_an_empty_key_is_an_error(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="empty"):
        NovuCore(key)
    monkeypatch.setenv("NOVU_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="empty"):
        NovuCore()


def test_a_key_with_inner_whitespace_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        NovuCore("abc def-" + SECRET)
    assert SECRET not in str(caught.value)
    assert isinstance(caught.value, NovuError)


def test_repr_never_shows_the_key() -> None:
    core = NovuCore(SECRET)
    for text in (repr(core), str(core), f"{core!r}"):
        assert SECRET not in text
        assert "redacted" in text
    assert "api.novu.co" in repr(core)


# ---------------------------------------------------------------------------------------------- servers


def test_servers() -> None:
    assert NovuCore(SECRET).server_url == "https://api.novu.co"
    assert NovuCore(SECRET, server="eu").server_url == "https://eu.api.novu.co"
    assert (
        NovuCore(SECRET, server="eu", server_url="http://localhost:4010/").server_url
        == "http://localhost:4010"
    )


def test_unknown_server_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown Novu server 'asia'.*us, eu"):
        NovuCore(SECRET, server="asia")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="server_url"):
        NovuCore(SECRET, server_url="ftp://example.com")
    with pytest.raises(ConfigurationError, match="server_url"):
        NovuCore(SECRET, server_url="https://")


@pytest.mark.anyio
async def test_requests_go_to_the_chosen_server() -> None:
    server = Server(reply(200, SUBSCRIBER))
    client = httpx.AsyncClient(transport=httpx.MockTransport(server), base_url="https://ignored.example")
    core = NovuCore(SECRET, server="eu", http_client=client)
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert str(server.requests[0].url) == "https://eu.api.novu.co/v2/subscribers/sub-1"


# ---------------------------------------------------------------------------------------------- settings


def test_retries_setting() -> None:
    assert NovuCore(SECRET).retry_config == RetryConfig()
    assert NovuCore(SECRET, retries=0).retry_config.max_retries == 0
    assert NovuCore(SECRET, retries=5).retry_config == RetryConfig(max_retries=5)
    custom = RetryConfig(max_retries=1, initial_wait=2.0)
    assert NovuCore(SECRET, retries=custom).retry_config is custom
    with pytest.raises(ConfigurationError):
        NovuCore(SECRET, retries=-1)
    with pytest.raises(ValueError, match="initial_wait"):
        RetryConfig(initial_wait=-1)


@pytest.mark.anyio
async def test_timeouts() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return reply(200, SUBSCRIBER)

    # a caller's client keeps its own timeout unless the core is given one
    given = httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=7.0)
    await NovuCore(SECRET, http_client=given).request(GET_SUBSCRIBER, path={"subscriberId": "s"})
    await NovuCore(SECRET, http_client=given, timeout=3.0).request(GET_SUBSCRIBER, path={"subscriberId": "s"})
    # a per-call timeout wins over both
    core = NovuCore(SECRET, http_client=given, timeout=3.0)
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "s"}, options=RequestOptions(timeout=1.5))
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "s"}, options=RequestOptions(timeout=None))
    assert [t["read"] for t in seen] == [7.0, 3.0, 1.5, None]
    assert NovuCore(SECRET).timeout == DEFAULT_TIMEOUT


# ---------------------------------------------------------------------------------------------- lifecycle


@pytest.mark.anyio
async def test_own_client_is_closed_on_exit() -> None:
    async with NovuCore(SECRET, transport="httpx") as core:
        client = core._http()
        assert core._http() is client  # one client per event loop
        closed = [client.is_closed]
    closed.append(client.is_closed)
    assert closed == [False, True]
    assert core._client is None
    with pytest.raises(ClientClosedError):
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})


@pytest.mark.anyio
async def test_a_given_client_is_never_closed() -> None:
    server = Server(reply(200, SUBSCRIBER))
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    async with NovuCore(SECRET, http_client=client) as core:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        assert core._http() is client
    assert not client.is_closed
    await core.aclose()  # twice is fine
    assert not client.is_closed
    await client.aclose()


def test_nothing_is_made_before_the_first_request() -> None:
    core = NovuCore(SECRET)
    assert core._client is None


# ---------------------------------------------------------------------------------------------- transports


def _transport(client: httpx.AsyncClient) -> httpx.AsyncBaseTransport:
    transport: httpx.AsyncBaseTransport = client._transport
    return transport


@pytest.mark.anyio
async def test_auto_transport_follows_the_event_loop(anyio_backend_name: str) -> None:
    async with NovuCore(SECRET) as core:
        transport = _transport(core._http())
        if anyio_backend_name == "asyncio" and importlib.util.find_spec("httpx_aiohttp") is not None:
            from httpx_aiohttp import AiohttpTransport

            assert isinstance(transport, AiohttpTransport)
        else:
            assert isinstance(transport, httpx.AsyncHTTPTransport)


@pytest.mark.anyio
async def test_auto_transport_without_httpx_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_core, "_aiohttp_transport_class", False)
    async with NovuCore(SECRET) as core:
        assert isinstance(_transport(core._http()), httpx.AsyncHTTPTransport)


@pytest.mark.anyio
async def test_forced_transports(anyio_backend_name: str) -> None:
    async with NovuCore(SECRET, transport="httpx") as core:
        assert isinstance(_transport(core._http()), httpx.AsyncHTTPTransport)
    pytest.importorskip("httpx_aiohttp")
    async with NovuCore(SECRET, transport="aiohttp") as core:
        if anyio_backend_name == "trio":
            with pytest.raises(ConfigurationError, match="asyncio only"):
                core._http()
        else:
            from httpx_aiohttp import AiohttpTransport

            assert isinstance(_transport(core._http()), AiohttpTransport)


def test_transport_settings_checked_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="unknown transport"):
        NovuCore(SECRET, transport="curl")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"HTTP/1\.1"):
        NovuCore(SECRET, http2=True, transport="aiohttp")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "h2" else real_find_spec(name, *a)
    )
    with pytest.raises(ConfigurationError, match=r"novu-async\[http2\]"):
        NovuCore(SECRET, http2=True)


@pytest.mark.anyio
async def test_http2_uses_httpx_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("h2")
    async with NovuCore(SECRET, http2=True) as core:
        assert isinstance(_transport(core._http()), httpx.AsyncHTTPTransport)


def test_a_new_event_loop_gets_a_new_client() -> None:
    core = NovuCore(SECRET)
    clients: list[httpx.AsyncClient] = []

    async def use() -> None:
        clients.append(core._http())
        clients.append(core._http())

    anyio.run(use, backend="asyncio")
    anyio.run(use, backend="trio")
    assert clients[0] is clients[1]
    assert clients[2] is clients[3]
    assert clients[0] is not clients[2]
    assert isinstance(_transport(clients[2]), httpx.AsyncHTTPTransport)
    anyio.run(core.aclose, backend="trio")
    assert clients[2].is_closed


@pytest.mark.anyio
async def test_make_core_helper_records_waits() -> None:
    core, waits = make_core(Server(reply(200, SUBSCRIBER)))
    await core._sleep(1.25)
    assert waits == [1.25]


@pytest.mark.anyio
async def test_a_real_round_trip_over_loopback() -> None:
    """The auto transport (aiohttp on asyncio, httpx on trio) against a tiny HTTP server on 127.0.0.1."""
    seen: list[bytes] = []

    async def handle(stream: anyio.abc.ByteStream) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += await stream.receive()
        seen.append(data.partition(b"\r\n\r\n")[0])
        body = (
            b'{"data": {"_id": "x", "subscriberId": "sub-1", "_organizationId": "o", "_environmentId": "e",'
        )
        body += b' "deleted": false, "createdAt": "c", "updatedAt": "u"}}'
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        await stream.send(head + body)
        await stream.aclose()

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle)
        with anyio.fail_after(5):
            async with NovuCore(SECRET, server_url=f"http://127.0.0.1:{port}") as core:
                response = await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub 1"})
        tg.cancel_scope.cancel()
    assert response.data.subscriber_id == "sub-1"
    request_line, *header_lines = seen[0].decode().split("\r\n")
    assert request_line == "GET /v2/subscribers/sub%201 HTTP/1.1"
    assert f"ApiKey {SECRET}" in {line.split(": ", 1)[1] for line in header_lines}
