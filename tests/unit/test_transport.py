"""The transport (``_transport``): the client a core makes for each event loop and closes, the
transport it picks (aiohttp, httpx, HTTP/2), and a real round trip over loopback."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable

import anyio
import anyio.abc
import httpx
import pytest

from novu_async import _transport as transport_module
from novu_async._core import NovuCore
from novu_async._request import build_request
from novu_async.errors import ClientClosedError, ConfigurationError
from tests.support.core import GET_SUBSCRIBER, SECRET, SUBSCRIBER, Server, reply

# ---------------------------------------------------------------------------------------------- lifecycle


@pytest.mark.anyio
async def test_own_client_is_closed_on_exit() -> None:
    async with NovuCore(SECRET, transport="httpx") as core:
        client = core._clients.get()
        assert core._clients.get() is client  # one client per event loop
        closed = [client.is_closed]
    closed.append(client.is_closed)
    assert closed == [False, True]
    assert core._clients.made is None
    with pytest.raises(ClientClosedError):
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})


@pytest.mark.anyio
async def test_a_given_client_is_never_closed() -> None:
    server = Server(reply(200, SUBSCRIBER))
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    async with NovuCore(SECRET, http_client=client) as core:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        assert core._clients.get() is client
    assert not client.is_closed
    await core.aclose()  # twice is fine
    assert not client.is_closed
    await client.aclose()


def test_nothing_is_made_before_the_first_request() -> None:
    core = NovuCore(SECRET)
    assert core._clients.made is None


# ---------------------------------------------------------------------------------------------- transports


def _transport(client: httpx.AsyncClient) -> httpx.AsyncBaseTransport:
    transport: httpx.AsyncBaseTransport = client._transport
    return transport


@pytest.mark.anyio
async def test_auto_transport_follows_the_event_loop(anyio_backend_name: str) -> None:
    async with NovuCore(SECRET) as core:
        transport = _transport(core._clients.get())
        if anyio_backend_name == "asyncio" and importlib.util.find_spec("httpx_aiohttp") is not None:
            from httpx_aiohttp import AiohttpTransport

            assert isinstance(transport, AiohttpTransport)
        else:
            assert isinstance(transport, httpx.AsyncHTTPTransport)


@pytest.mark.anyio
async def test_auto_transport_without_httpx_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module, "_aiohttp_transport_class", False)
    async with NovuCore(SECRET) as core:
        assert isinstance(_transport(core._clients.get()), httpx.AsyncHTTPTransport)


@pytest.mark.anyio
async def test_forced_transports(anyio_backend_name: str) -> None:
    async with NovuCore(SECRET, transport="httpx") as core:
        assert isinstance(_transport(core._clients.get()), httpx.AsyncHTTPTransport)
    pytest.importorskip("httpx_aiohttp")
    async with NovuCore(SECRET, transport="aiohttp") as core:
        if anyio_backend_name == "trio":
            with pytest.raises(ConfigurationError, match="asyncio only"):
                core._clients.get()
        else:
            from httpx_aiohttp import AiohttpTransport

            assert isinstance(_transport(core._clients.get()), AiohttpTransport)


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
        assert isinstance(_transport(core._clients.get()), httpx.AsyncHTTPTransport)


def test_a_new_event_loop_gets_a_new_client() -> None:
    core = NovuCore(SECRET)
    clients: list[httpx.AsyncClient] = []

    async def use() -> None:
        clients.append(core._clients.get())
        clients.append(core._clients.get())

    anyio.run(use, backend="asyncio")
    anyio.run(use, backend="trio")
    assert clients[0] is clients[1]
    assert clients[2] is clients[3]
    assert clients[0] is not clients[2]
    assert isinstance(_transport(clients[2]), httpx.AsyncHTTPTransport)
    anyio.run(core.aclose, backend="trio")
    assert clients[2].is_closed


# a subscriber's answer, as the loopback servers below send it
_BODY = b'{"data": {"_id": "x", "subscriberId": "sub-1", "_organizationId": "o", "_environmentId": "e",'
_BODY += b' "deleted": false, "createdAt": "c", "updatedAt": "u"}}'


@pytest.mark.anyio
async def test_a_real_round_trip_over_loopback() -> None:
    """The auto transport (aiohttp on asyncio, httpx on trio) against a tiny HTTP server on 127.0.0.1."""
    seen: list[bytes] = []

    async def handle(stream: anyio.abc.ByteStream) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += await stream.receive()
        seen.append(data.partition(b"\r\n\r\n")[0])
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(_BODY)
        await stream.send(head + _BODY)
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


async def _heads_after_a_cookie(make_core: Callable[[str], NovuCore], own: bool) -> list[str]:
    """The heads (lower case) of two calls through ``make_core(url)``'s core to a loopback server
    whose first answer sets a cookie (``own``: the core makes its client)."""
    heads: list[str] = []

    async def handle(stream: anyio.abc.ByteStream) -> None:
        data = b""
        with contextlib.suppress(anyio.EndOfStream, anyio.BrokenResourceError):
            while True:
                while b"\r\n\r\n" not in data:
                    data += await stream.receive()
                head, _, data = data.partition(b"\r\n\r\n")
                heads.append(head.decode().lower())
                cookie = b"Set-Cookie: session=abc; Path=/\r\n" if len(heads) == 1 else b""
                answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n"
                await stream.send(answer % (cookie, len(_BODY)) + _BODY)

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle)
        with anyio.fail_after(10):
            async with make_core(f"http://127.0.0.1:{port}") as core:
                for _ in range(2):
                    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
                if own:
                    client = core._clients.get()
                    assert not client.cookies
                    with pytest.raises(ConfigurationError, match="keeps no cookies"):
                        client.cookies = {"a": "b"}
        tg.cancel_scope.cancel()
    assert len(heads) == 2
    return heads


@pytest.mark.anyio
async def test_own_client_keeps_no_cookies() -> None:
    """Novu's API sets no cookie, and httpx copies every answer's headers to look for one: the
    core's own client does not, so a cookie a server sets is not sent back (a client of yours
    keeps its cookies, as httpx does)."""
    heads = await _heads_after_a_cookie(lambda url: NovuCore(SECRET, server_url=url, transport="httpx"), True)
    assert "cookie:" not in heads[1]
    client = httpx.AsyncClient()
    async with client:
        heads = await _heads_after_a_cookie(
            lambda url: NovuCore(SECRET, server_url=url, http_client=client), False
        )
    assert "cookie: session=abc" in heads[1]


# ---------------------------------------------------------------------------------------------- requests


def _shape(request: httpx.Request) -> tuple[object, ...]:
    """What goes on the wire, and what httpx's transports read besides."""
    return (
        request.method,
        str(request.url),
        sorted(request.headers.multi_items()),
        request.content,
        request.extensions,
    )


_CLIENTS = {
    "plain": lambda: httpx.AsyncClient(),
    "client headers": lambda: httpx.AsyncClient(headers={"X-Team": "a", "Accept": "text/plain"}),
    "timeout": lambda: httpx.AsyncClient(timeout=httpx.Timeout(3.0, connect=1.0)),
    "cookies": lambda: httpx.AsyncClient(cookies={"session": "s"}),
    "default query": lambda: httpx.AsyncClient(params={"tenant": "t"}),
    "base url": lambda: httpx.AsyncClient(base_url="https://other.example.com/base"),
}
_CALLS = {
    "post json": ("POST", "https://api.novu.co/v1/events/trigger", [], b'{"name":"w"}'),
    "get with query": ("GET", "http://127.0.0.1:8080/v2/subscribers", [("limit", "10"), ("a", "x y")], None),
    "delete": ("DELETE", "https://api.novu.co/v2/subscribers/u%2F1", [], None),
    "patch empty": ("PATCH", "https://eu.api.novu.co:8443/v2/subscribers/u", [], None),
}


@pytest.mark.parametrize("client_kind", sorted(_CLIENTS))
@pytest.mark.parametrize("call", sorted(_CALLS))
@pytest.mark.parametrize("timeout", ["client default", 5.0, None])
def test_build_request_makes_what_httpx_build_request_makes(
    client_kind: str, call: str, timeout: object
) -> None:
    client = _CLIENTS[client_kind]()
    method, url, params, content = _CALLS[call]
    headers = {"authorization": "ApiKey k", "user-agent": "novu-async/x", "accept": "application/json"}
    if content is not None:
        headers["content-type"] = "application/json"
    headers["idempotency-key"] = "key-1"
    chosen = httpx.USE_CLIENT_DEFAULT if timeout == "client default" else timeout
    ours = build_request(client, method, url, params, headers, content, chosen)
    theirs = client.build_request(
        method, url, params=params or None, headers=headers, content=content, timeout=chosen
    )
    assert _shape(ours) == _shape(theirs)


def test_build_request_takes_httpx_own_for_header_values_that_are_not_ascii() -> None:
    client = httpx.AsyncClient()
    headers = {"x-note": "café"}

    def outcome(build: object) -> object:
        try:
            return _shape(build())  # type: ignore[operator]
        except Exception as exc:
            return type(exc)

    ours = outcome(lambda: build_request(client, "GET", "https://a.b/x", [], headers, None, 5.0))
    theirs = outcome(lambda: client.build_request("GET", "https://a.b/x", headers=headers, timeout=5.0))
    assert ours == theirs
