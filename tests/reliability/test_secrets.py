"""The secret key never leaks: not in a log record (DEBUG on, the SDK's loggers and httpx's, httpcore's
and aiohttp's), a repr, an exception's ``str`` / ``repr`` or a formatted traceback (chained causes
included), whatever goes wrong, even when the server echoes the request headers back."""

from __future__ import annotations

import json
import logging
import socket
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from novu_async import Novu, RequestOptions
from novu_async._core import NovuCore
from novu_async._retry import RetryConfig
from novu_async.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    DataValidationError,
    InternalServerError,
    ResponseValidationError,
)
from novu_async.testing import FakeNovu
from tests.support.core import (
    GET_SUBSCRIBER,
    SECRET,
    SUBSCRIBER,
    TRIGGER,
    TRIGGER_BODY,
    Server,
    envelope,
    make_core,
    reply,
)

pytestmark = pytest.mark.anyio

LOGGERS = ("", "novu_async", "httpx", "httpcore", "aiohttp", "asyncio", "trio", "tenacity")


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s")
    for record in caplog.records:
        text = formatter.format(record)  # the message with its args, and exc_info when there is one
        assert SECRET not in text, f"secret key in a log record: {text}"
        assert SECRET not in repr(record.args)
        assert SECRET not in repr(record.msg)


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text


def check_error(error: BaseException) -> None:
    """str, repr and the formatted traceback of an error and of each exception it chains to."""
    assert_clean("".join(traceback.format_exception(type(error), error, error.__traceback__)))
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        assert_clean(str(current), repr(current), repr(current.args))
        if isinstance(current, (APIError, APIConnectionError, ResponseValidationError)):
            assert_clean(current.message, repr(current.operation))
        current = current.__cause__ or current.__context__


def echo(status: int) -> Any:
    """A handler answering ``status`` with every request header echoed, in the body and in headers."""

    def answer(request: httpx.Request) -> httpx.Response:
        headers = dict(request.headers)
        lines = [f"{name}: {value}" for name, value in headers.items()]
        body = {
            "statusCode": status,
            "message": lines,
            "error": headers.get("authorization"),
            "errors": {"authorization": {"messages": [headers.get("authorization")]}},
            "requestHeaders": headers,
        }
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={
                "content-type": "application/json",
                "x-echo-authorization": headers["authorization"],
                "retry-after": "1000",
            },
        )

    return answer


def text_echo(status: int) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, text=f"bad request; you sent {request.headers!s} {dict(request.headers)}"
        )

    return answer


# ---------------------------------------------------------------------------------------------- statuses


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 502, 503])
@pytest.mark.parametrize("shape", [echo, text_echo])
async def test_error_statuses_echoing_the_key(status: int, shape: Any) -> None:
    server = Server(shape(status))
    core, _ = make_core(server, retries=2)
    for op, kwargs in (
        (GET_SUBSCRIBER, {"path": {"subscriberId": "sub-1"}}),
        (TRIGGER, {"body": TRIGGER_BODY}),
    ):
        with pytest.raises(APIError) as raised:
            await core.request(op, **kwargs)
        assert raised.value.status_code == status
        check_error(raised.value)
        assert "<redacted>" in str(raised.value)  # the echo was there, and was taken out
    assert_clean(repr(core), repr(Novu(core=core)))


async def test_a_long_echo_cut_across_the_key() -> None:
    """The message is cut at 500 characters: a key straddling the cut must not leave a prefix."""
    for pad in range(480, 505, 3):

        def answer(request: httpx.Request, pad: int = pad) -> httpx.Response:
            return reply(400, {"message": "x" * pad + request.headers["authorization"] + "y" * 100})

        core, _ = make_core(Server(answer), retries=0)
        with pytest.raises(APIError) as raised:
            await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        check_error(raised.value)
        message = str(raised.value)
        for size in range(8, len(SECRET)):  # no piece of the key, of any useful length
            assert SECRET[:size] not in message


async def test_retries_exhausted() -> None:
    server = Server(echo(503))
    core, waits = make_core(
        server, retries=RetryConfig(max_retries=3, max_retry_after=5000, max_elapsed=None)
    )
    with pytest.raises(InternalServerError) as raised:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert len(server.requests) == 4
    assert waits == [1000.0, 1000.0, 1000.0]
    check_error(raised.value)


# ---------------------------------------------------------------------------------------------- no answer


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadError("connection reset"),
        httpx.RemoteProtocolError("peer closed connection"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
        httpx.PoolTimeout("no connection"),
        httpx.UnsupportedProtocol("no such scheme"),
    ],
)
async def test_transport_errors(exc: Exception) -> None:
    core, _ = make_core(Server(exc), retries=2)
    with pytest.raises(APIConnectionError) as raised:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    check_error(raised.value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("transport", ["httpx", "auto"])
async def test_real_sockets(transport: Any) -> None:
    """Through a real connection pool (httpcore's / aiohttp's loggers at DEBUG): success, 401,
    connection refused, a timeout and a deadline."""
    fake = FakeNovu(secret_key="another-key", latency=0.0)
    async with (
        fake.serve() as served,
        NovuCore(SECRET, server_url=served.url, transport=transport, retries=1) as core,
    ):
        with pytest.raises(APIError) as raised:
            await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
        assert raised.value.status_code == 401
        check_error(raised.value)
        assert_clean(repr(core))

    fake = FakeNovu(latency=1.0)
    async with fake.serve() as served:
        novu = Novu(SECRET, server_url=served.url, transport=transport, retries=0)
        async with novu:
            fake.latency = 0.0
            subscriber = await novu.subscribers.create({"subscriberId": "sub-1"})
            assert_clean(repr(subscriber))
            response = await novu.subscribers.retrieve_response("sub-1")
            assert_clean(repr(response), repr(response.data), repr(response.raw))
            fake.latency = 1.0
            with pytest.raises(APITimeoutError) as timed_out:
                await novu.subscribers.retrieve("sub-1", options=RequestOptions(timeout=0.05))
            check_error(timed_out.value)
            with pytest.raises(APITimeoutError) as deadline:
                await novu.subscribers.retrieve("sub-1", options=RequestOptions(deadline=0.05))
            check_error(deadline.value)
            assert_clean(repr(novu))

    async with NovuCore(
        SECRET, server_url=f"http://127.0.0.1:{_free_port()}", transport=transport, retries=1
    ) as core:
        with pytest.raises(APIConnectionError) as refused:
            await core.request(TRIGGER, body=TRIGGER_BODY)
        check_error(refused.value)


async def test_deadline() -> None:
    core, _ = make_core(Server(echo(503)), deadline=30, retries=RetryConfig(max_retry_after=5000))
    with pytest.raises(InternalServerError) as raised:  # the 1000 s wait would pass the deadline
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    check_error(raised.value)


# ---------------------------------------------------------------------------------------------- bodies


async def test_response_validation_error_with_an_echo() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        auth = request.headers["authorization"]
        subscriber = {**SUBSCRIBER, "subscriberId": {"auth": auth}, "deleted": auth, "createdAt": auth}
        return reply(200, envelope(subscriber), {"x-echo": auth})

    core, _ = make_core(Server(answer))
    with pytest.raises(ResponseValidationError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    check_error(raised.value)

    def text(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=f"<html>{request.headers['authorization']}</html>")

    core, _ = make_core(Server(text))
    with pytest.raises(ResponseValidationError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    check_error(raised.value)


async def test_data_validation_errors() -> None:
    core, _ = make_core(Server(reply(200, envelope(SUBSCRIBER))))
    bodies: list[Any] = [
        None,
        {"name": 1, "to": "sub-1"},
        {"name": "welcome", "to": {"subscriberId": 5}},
    ]
    for body in bodies:
        with pytest.raises(DataValidationError) as raised:
            await core.request(TRIGGER, body=body)
        check_error(raised.value)
    with pytest.raises(DataValidationError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "."})
    check_error(raised.value)
    with pytest.raises(DataValidationError) as raised:
        await core.request(TRIGGER, body=TRIGGER_BODY, headers={"idempotency-key": "k" * 300})
    check_error(raised.value)


def test_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = [
        lambda: NovuCore(SECRET + " more"),
        lambda: NovuCore(SECRET + "\u00e9"),
        lambda: NovuCore(SECRET, server="mars"),  # type: ignore[arg-type]
        lambda: NovuCore(SECRET, server_url="ftp://example.com"),
        lambda: NovuCore(SECRET, retries=-1),
        lambda: NovuCore(SECRET, deadline=0),
        lambda: NovuCore(SECRET, transport="carrier-pigeon"),  # type: ignore[arg-type]
        lambda: Novu(SECRET, deadline=-1),
    ]
    for make in attempts:
        with pytest.raises(ConfigurationError) as raised:
            make()
        check_error(raised.value)
    monkeypatch.setenv("NOVU_SECRET_KEY", f" {SECRET}\t")
    assert_clean(repr(NovuCore()), repr(Novu()))


def test_reprs() -> None:
    core = NovuCore(SECRET, deadline=3)
    options = RequestOptions(
        timeout=1,
        retries=2,
        deadline=3,
        headers={"Authorization": f"ApiKey {SECRET}", "X-Api-Key": SECRET, "X-Other": "visible"},
    )
    assert_clean(repr(core), repr(Novu(core=core)), repr(options), str(options))
    assert "visible" in repr(options)
    assert "X-Api-Key" in repr(options)


async def test_options_headers_carrying_the_key() -> None:
    """A key passed again in ``RequestOptions.headers`` (another name) is redacted like the SDK's."""
    server = Server(echo(400))
    core, _ = make_core(server)
    options = RequestOptions(headers={"x-novu-key": SECRET})
    with pytest.raises(APIError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"}, options=options)
    check_error(raised.value)
    assert server.requests[0].headers["x-novu-key"] == SECRET


# ---------------------------------------------------------------------------------------------- error bodies


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *_strings(item))]
    return []


@pytest.mark.parametrize("status", [400, 401, 409, 422, 429, 500])
@pytest.mark.parametrize("shape", [echo, text_echo])
async def test_an_error_body_echoing_the_key_is_redacted_like_the_message(status: int, shape: Any) -> None:
    core, _ = make_core(Server(shape(status)), retries=0)
    with pytest.raises(APIError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    error = raised.value
    assert error.body is not None
    assert_clean(*_strings(error.body), repr(error.body), repr(error.parsed))
    assert any("<redacted>" in text for text in _strings(error.body))  # it was there, and was taken out
    assert_clean(str(error))


async def test_a_body_nested_too_deeply_to_walk_is_redacted_as_text() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        deep = (
            "[" * 980 + json.dumps(request.headers["authorization"]) + "]" * 980
        )  # parses, too deep to walk
        return httpx.Response(400, content=deep.encode(), headers={"content-type": "application/json"})

    core, _ = make_core(Server(answer), retries=0)
    with pytest.raises(APIError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert isinstance(raised.value.body, str)
    assert "<redacted>" in raised.value.body
    assert_clean(repr(raised.value.body))


# ---------------------------------------------------------------------------------------------- short keys


def _echo_text(text: str) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return reply(400, {"message": text, "details": {"text": text}})

    return answer


async def test_a_short_test_key_is_redacted_only_where_it_stands_alone() -> None:
    """``test`` as a secret key (FakeNovu, a mock server): taken out where it is a word of its own,
    never out of other words (``latest-tester`` stays as it is)."""
    said = "latest-tester: key test rejected (ApiKey test); attested"
    core = NovuCore("test", http_client=httpx.AsyncClient(transport=httpx.MockTransport(_echo_text(said))))
    with pytest.raises(APIError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    expected = "latest-tester: key <redacted> rejected (ApiKey <redacted>); attested"
    assert raised.value.message.endswith(expected)
    assert raised.value.body == {"message": expected, "details": {"text": expected}}


async def test_a_real_length_key_is_redacted_wherever_it_occurs() -> None:
    """A key of Novu's length cannot occur by chance: every occurrence goes, next to anything
    (percent-encoded quotes, letters)."""
    said = f"bad %22{SECRET}%22 and x{SECRET}y"
    core = NovuCore(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(_echo_text(said))))
    with pytest.raises(APIError) as raised:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert raised.value.message.endswith("bad %22<redacted>%22 and x<redacted>y")
    assert_clean(repr(raised.value.body))


def test_the_cli_redacts_by_the_same_rule() -> None:
    from novu_async.cli._common import Redactor

    redact = Redactor()
    redact.add("test")
    assert redact("latest-tester test") == "latest-tester ***"
    redact.add(SECRET)
    assert redact(f"x{SECRET}y") == "x***y"
