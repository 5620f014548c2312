"""Bad values are refused before anything is sent: header values and names (``DataValidationError``
naming the operation and the header), and the settings a call may override, ``timeout``,
``deadline`` and ``retries``, on the core and per call (``ConfigurationError``), and a bulk run's
``options`` and ``deadline``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async import NovuCore, RequestOptions, trigger_many
from novu_async.errors import ConfigurationError, DataValidationError
from novu_async.funcs.trigger import trigger
from tests.support.core import SECRET, TRIGGER_BODY, TRIGGER_OK, Server, envelope, reply

pytestmark = pytest.mark.anyio


def _core(**settings: Any) -> tuple[NovuCore, Server]:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    return NovuCore(SECRET, http_client=client, **settings), server


BAD_VALUES = [
    pytest.param("caf\u00e9-1", "non-ASCII character at position 3", id="non-ascii"),
    pytest.param("key\r\nx-injected: 1", "control characters: '\\r' at position 3", id="crlf"),
    pytest.param("key\n", "control characters: '\\n' at position 3", id="lf"),
    pytest.param("key\x00", "control characters: '\\x00' at position 3", id="nul"),
    pytest.param("a\tb", "control characters: '\\t' at position 1", id="tab"),
]


@pytest.mark.parametrize(("value", "problem"), BAD_VALUES)
async def test_a_bad_idempotency_key_is_refused_before_sending(value: str, problem: str) -> None:
    core, server = _core()
    with pytest.raises(DataValidationError) as raised:
        await trigger(core, TRIGGER_BODY, idempotency_key=value)
    assert str(raised.value).startswith("trigger header parameter 'idempotency-key' is invalid: $: must")
    assert problem in str(raised.value)
    assert value not in str(raised.value)  # not echoed: a header may carry a credential
    assert server.requests == []


@pytest.mark.parametrize(("value", "problem"), BAD_VALUES)
async def test_a_bad_header_in_request_options_is_refused_before_sending(value: str, problem: str) -> None:
    core, server = _core()
    options = RequestOptions(headers={"X-Trace": value})
    with pytest.raises(DataValidationError) as raised:
        await trigger(core, TRIGGER_BODY, options=options)
    assert "trigger header 'X-Trace' (RequestOptions.headers) is invalid" in str(raised.value)
    assert problem in str(raised.value)
    assert server.requests == []


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        pytest.param({"X-Count": 3}, "expected a string, got int", id="int"),
        pytest.param({"X-Flag": None}, "expected a string, got NoneType", id="none"),
        pytest.param({"X-Raw": b"bytes"}, "expected a string, got bytes", id="bytes"),
        pytest.param({"X Bad": "v"}, "a header name must be", id="space-in-name"),
        pytest.param({"X-Bad:": "v"}, "a header name must be", id="colon-in-name"),
        pytest.param({"": "v"}, "a header name must be", id="empty-name"),
        pytest.param({7: "v"}, "a header name must be", id="int-name"),
    ],
)
async def test_header_values_and_names_of_other_kinds_are_refused(headers: Any, problem: str) -> None:
    core, server = _core()
    with pytest.raises(DataValidationError) as raised:
        await trigger(core, TRIGGER_BODY, options=RequestOptions(headers=headers))
    assert str(raised.value).startswith("trigger header ")
    assert problem in str(raised.value)
    assert server.requests == []


async def test_an_idempotency_key_that_is_not_a_string_is_refused() -> None:
    core, server = _core()
    with pytest.raises(DataValidationError, match=r"idempotency-key.*expected a string, got int"):
        await trigger(core, TRIGGER_BODY, idempotency_key=123)  # type: ignore[arg-type]
    assert server.requests == []


async def test_good_headers_are_sent_as_they_are() -> None:
    core, server = _core()
    options = RequestOptions(headers={"X-Trace": "a b ~!#$%&'*+-.^_`|", "Novu-Analytics-Source": "x"})
    await trigger(core, TRIGGER_BODY, idempotency_key="order-1:ok/=", options=options)
    sent = server.requests[0].headers
    assert sent["x-trace"] == "a b ~!#$%&'*+-.^_`|"
    assert sent["idempotency-key"] == "order-1:ok/="


BAD_TIMEOUTS = [
    pytest.param("ten", id="text"),
    pytest.param(-1, id="negative"),
    pytest.param(0, id="zero"),
    pytest.param(float("nan"), id="nan"),
    pytest.param(float("inf"), id="inf"),
    pytest.param(True, id="bool"),
    pytest.param(httpx.Timeout(5, read=-1), id="negative-part"),
]


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
async def test_a_bad_timeout_is_refused_on_the_core_and_per_call(timeout: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout must be a number of seconds > 0"):
        NovuCore(SECRET, timeout=timeout)
    core, server = _core()
    with pytest.raises(ConfigurationError, match=r"RequestOptions\.timeout must be"):
        await trigger(core, TRIGGER_BODY, options=RequestOptions(timeout=timeout))
    assert server.requests == []


@pytest.mark.parametrize("deadline", ["soon", -1, 0, float("inf"), float("nan"), True])
async def test_a_bad_deadline_is_refused_on_the_core_and_per_call(deadline: Any) -> None:
    with pytest.raises(ConfigurationError, match="deadline"):
        NovuCore(SECRET, deadline=deadline)
    core, server = _core()
    with pytest.raises(ConfigurationError, match="deadline"):
        await trigger(core, TRIGGER_BODY, options=RequestOptions(deadline=deadline))
    assert server.requests == []


@pytest.mark.parametrize("retries", ["3", -1, 1.5, True])
async def test_bad_retries_are_refused_on_the_core_and_per_call(retries: Any) -> None:
    with pytest.raises(ConfigurationError, match="retries"):
        NovuCore(SECRET, retries=retries)
    core, server = _core()
    with pytest.raises(ConfigurationError, match="retries"):
        await trigger(core, TRIGGER_BODY, options=RequestOptions(retries=retries))
    assert server.requests == []


@pytest.mark.parametrize("limit", [0, -5, 1.5, "1MB", True])
def test_a_bad_size_limit_is_refused(limit: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        NovuCore(SECRET, max_response_bytes=limit)


async def test_good_timeouts_deadlines_and_limits_are_taken() -> None:
    core, server = _core(timeout=httpx.Timeout(5, connect=None), deadline=2, max_response_bytes=None)
    assert core.max_response_bytes is None
    for options in (
        RequestOptions(timeout=None),
        RequestOptions(timeout=0.5),
        RequestOptions(timeout=httpx.Timeout(1.0)),
        RequestOptions(deadline=None),
        RequestOptions(retries=0),
    ):
        await trigger(core, TRIGGER_BODY, options=options)
    assert len(server.requests) == 5


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param(
            {"options": RequestOptions(headers={"X-Bad": "a\nb"})}, "options.headers['X-Bad']", id="header"
        ),
        pytest.param(
            {"options": RequestOptions(headers={"X-Count": 1})}, "expected a string", id="header-int"
        ),
        pytest.param({"options": RequestOptions(timeout=-1)}, "options.timeout must be", id="timeout"),
        pytest.param({"deadline": 0}, "deadline must be", id="deadline"),
        pytest.param({"deadline": "1h"}, "deadline must be", id="deadline-text"),
    ],
)
async def test_bulk_settings_are_checked_before_anything_is_sent(settings: Any, message: str) -> None:
    core, server = _core()
    with pytest.raises(ConfigurationError) as raised:
        await trigger_many(core, [TRIGGER_BODY], **settings)
    assert message in str(raised.value)
    assert server.requests == []
