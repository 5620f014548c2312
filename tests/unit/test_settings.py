"""The settings (``_settings``) as ``NovuCore`` takes them: the secret key, the server, timeouts,
retries; where they come from when left out; one list of them for every client."""

from __future__ import annotations

import httpx
import pytest

from novu_async._core import DEFAULT_TIMEOUT, NovuCore
from novu_async._retry import RetryConfig
from novu_async._types import RequestOptions
from novu_async.errors import ConfigurationError, NovuError
from tests.support.core import GET_SUBSCRIBER, SECRET, SUBSCRIBER, Server, make_core, reply


@pytest.fixture(autouse=True)
def _no_env_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.delenv("NOVU_SERVER_URL", raising=False)


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


def test_novu_server_url_stands_in_for_server_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SERVER_URL", "http://127.0.0.1:8080/")
    assert NovuCore(SECRET).server_url == "http://127.0.0.1:8080"
    # an argument always wins over the environment
    assert NovuCore(SECRET, server_url="http://localhost:4010").server_url == "http://localhost:4010"
    assert NovuCore(SECRET, server="eu").server_url == "https://eu.api.novu.co"
    assert NovuCore(SECRET, server="us").server_url == "https://api.novu.co"
    monkeypatch.setenv("NOVU_SERVER_URL", "  ")  # set but empty: as if unset
    assert NovuCore(SECRET).server_url == "https://api.novu.co"
    monkeypatch.setenv("NOVU_SERVER_URL", "localhost:8080")
    with pytest.raises(ConfigurationError, match="NOVU_SERVER_URL environment variable must be an http"):
        NovuCore(SECRET)


@pytest.mark.anyio
async def test_requests_go_to_novu_server_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_SERVER_URL", "http://127.0.0.1:9/prefix")
    server = Server(reply(200, SUBSCRIBER))
    core = NovuCore(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert str(server.requests[0].url) == "http://127.0.0.1:9/prefix/v2/subscribers/sub-1"


def test_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="NovuCore\\(\\) got an unexpected keyword argument 'sever'"):
        NovuCore(SECRET, sever="eu")  # type: ignore[call-arg]


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


@pytest.mark.anyio
async def test_make_core_helper_records_waits() -> None:
    core, waits = make_core(Server(reply(200, SUBSCRIBER)))
    await core.sleep(1.25)
    assert waits == [1.25]


# ---------------------------------------------------------------------------------------------- every client


def test_every_client_passes_every_setting_to_its_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Novu``, ``NovuLegacy`` and the blocking ``Novu`` take the core's settings as one list
    (``CoreSettings``; the blocking one all but ``http_client``) and hand each one on."""
    from novu_async import Novu
    from novu_async._settings import CoreSettings, Settings
    from novu_async.legacy import NovuLegacy
    from novu_async.sync import Novu as SyncNovu

    assert set(CoreSettings.__optional_keys__) == set(Settings.__optional_keys__) | {"http_client"}
    retries = RetryConfig(max_retries=1)
    given: Settings = {
        "server": "eu",
        "server_url": "http://127.0.0.1:9/x",
        "timeout": 4.0,
        "retries": retries,
        "deadline": 9.0,
        "max_response_bytes": 1000,
        "http2": False,
        "transport": "httpx",
    }
    assert set(given) == set(Settings.__optional_keys__)
    expected = ("http://127.0.0.1:9/x", httpx.Timeout(4.0), retries, 9.0, 1000)
    for client in (Novu(SECRET, **given), NovuLegacy(SECRET, **given)):
        core = client.core
        got = (core.server_url, core.timeout, core.retry_config, core.deadline, core.max_response_bytes)
        assert got == expected
        assert "transport='httpx'" in repr(core)
    with SyncNovu(SECRET, **given) as blocking:
        core = blocking.core
        got = (core.server_url, core.timeout, core.retry_config, core.deadline, core.max_response_bytes)
        assert got == expected

    monkeypatch.setenv("NOVU_SERVER_URL", "http://127.0.0.1:8080")
    assert Novu(SECRET).core.server_url == "http://127.0.0.1:8080"
    assert NovuLegacy(SECRET).core.server_url == "http://127.0.0.1:8080"
    with SyncNovu(SECRET) as blocking:
        assert blocking.core.server_url == "http://127.0.0.1:8080"
    with pytest.raises(TypeError, match="Novu\\(\\) got an unexpected keyword argument 'http_client'"):
        SyncNovu(SECRET, http_client=None)  # type: ignore[call-arg]
