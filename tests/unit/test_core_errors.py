"""Error statuses become typed errors; nothing NovuCore raises or logs ever shows the secret key."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from novu_async._retry import RetryConfig
from novu_async.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DataValidationError,
    InternalServerError,
    NotFoundError,
    NovuError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from novu_async.models import ConstraintValidation, ErrorDto, ValidationErrorDto
from tests.support.core import (
    GET_SUBSCRIBER,
    SECRET,
    SUBSCRIBER,
    TRIGGER,
    TRIGGER_BODY,
    TRIGGER_OK,
    Server,
    envelope,
    error_body,
    make_core,
    reply,
)

pytestmark = pytest.mark.anyio

NO_RETRY = RetryConfig(max_retries=0)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIError),
        (302, APIError),
    ],
)
async def test_each_status_raises_its_error(status: int, cls: type[APIError]) -> None:
    body = error_body(status, "Something went wrong")
    server = Server(reply(status, body, {"X-Request-Id": "req-77", "Location": "/elsewhere"}))
    core, _ = make_core(server, retries=NO_RETRY)
    with pytest.raises(APIError) as caught:
        await core.request(TRIGGER, headers={"idempotency-key": "key-1"}, body=TRIGGER_BODY)
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, NovuError)
    assert error.status_code == status
    assert error.body == body
    assert error.headers["x-request-id"] == "req-77"
    assert error.request_id == "req-77"
    assert error.operation == "trigger"
    assert error.idempotency_key == "key-1"
    assert isinstance(error.response, httpx.Response)
    message = str(error)
    assert message.startswith(f"trigger: HTTP {status}")
    assert "Something went wrong" in message
    assert "req-77" in message


async def test_an_error_body_is_parsed_into_the_declared_type() -> None:
    body = error_body(404, "Subscriber not found", errorId="e-1")
    server = Server(reply(404, body))
    core, _ = make_core(server)
    with pytest.raises(NotFoundError) as caught:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "nobody"})
    parsed = caught.value.parsed
    assert isinstance(parsed, ErrorDto)
    assert parsed.message == "Subscriber not found"
    assert parsed.error_id == "e-1"
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"unexpected": "shape"},
        "Too many requests, slow down",  # legacy bodies are JSON strings
        None,
    ],
)
async def test_an_error_body_that_does_not_fit_is_kept_raw(body: Any) -> None:
    server = Server(reply(400, body))
    core, _ = make_core(server)
    with pytest.raises(BadRequestError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.body == body
    assert caught.value.parsed is None
    if isinstance(body, str):
        assert body in str(caught.value)


async def test_a_non_json_error_body_is_kept_as_text() -> None:
    server = Server(reply(502, text="<html>Bad gateway</html>"))
    core, _ = make_core(server, retries=0)
    with pytest.raises(InternalServerError) as caught:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "s"})
    assert caught.value.body == "<html>Bad gateway</html>"
    assert caught.value.parsed is None


async def test_validation_errors_are_parsed() -> None:
    body = error_body(
        422,
        "Validation failed",
        errors={
            "name": {"messages": ["name should not be empty"], "value": ""},
            "to": {"messages": ["to is required"]},
        },
    )
    server = Server(reply(422, body))
    core, _ = make_core(server)
    with pytest.raises(UnprocessableEntityError) as caught:
        await core.request(TRIGGER, body={"name": "", "to": "s"})
    error = caught.value
    assert len(server.requests) == 1  # never retried
    assert isinstance(error.validation, ValidationErrorDto)
    assert error.validation.errors["name"] == ConstraintValidation(
        messages=["name should not be empty"], value=""
    )
    assert "name: name should not be empty" in str(error)
    assert "to: to is required" in str(error)


async def test_a_422_body_that_does_not_fit_gives_no_validation() -> None:
    server = Server(reply(422, {"message": ["name must be a string"], "error": "Unprocessable Entity"}))
    core, _ = make_core(server)
    with pytest.raises(UnprocessableEntityError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.validation is None
    assert "name must be a string" in str(caught.value)


async def test_rate_limit_error_has_retry_after() -> None:
    server = Server(reply(429, error_body(429, "slow down"), {"Retry-After": "120"}))
    core, _ = make_core(server)
    with pytest.raises(RateLimitError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.retry_after == 120.0
    assert "retry after 120 s" in str(caught.value)
    assert len(server.requests) == 1


# ---------------------------------------------------------------------------------------------- secrecy


def _all_errors() -> list[Exception]:
    return [
        DataValidationError("x", [("$", "bad")]),
        APIConnectionError("trigger failed", operation="trigger"),
        APITimeoutError("trigger timed out", operation="trigger"),
        ResponseValidationError("bad", status_code=200, body={}, problems=[("$", "bad")]),
    ]


async def test_the_key_is_in_no_error() -> None:
    errors: list[BaseException] = list(_all_errors())
    statuses = [400, 401, 403, 404, 409, 422, 429, 500, 418]
    # a server that echoes the key back in its message (it has been seen with proxies)
    echo = [reply(s, error_body(s, f"invalid key ApiKey {SECRET}")) for s in statuses]
    server = Server(*echo, httpx.ConnectError(f"cannot connect (ApiKey {SECRET})"), httpx.ReadTimeout("slow"))
    core, _ = make_core(server, retries=NO_RETRY)
    for _ in range(len(statuses) + 2):
        with pytest.raises(NovuError) as caught:
            await core.request(TRIGGER, body=TRIGGER_BODY)
        errors.append(caught.value)
    for op_error in (
        core.request(TRIGGER, body={"name": 1}),
        core.request(GET_SUBSCRIBER, path={"subscriberId": ".."}),
    ):
        with pytest.raises(DataValidationError) as caught_data:
            await op_error
        errors.append(caught_data.value)
    assert {type(e) for e in errors} >= {
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
        APIError,
        APIConnectionError,
        APITimeoutError,
        DataValidationError,
        ResponseValidationError,
    }
    for error in errors:
        for text in (str(error), repr(error), *map(str, error.args)):
            assert SECRET not in text, type(error)
    assert "<redacted>" in str(errors[len(_all_errors())])


async def test_the_key_is_in_no_log_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = Server(
        reply(503), httpx.ConnectError("refused"), reply(201, envelope(TRIGGER_OK)), reply(200, SUBSCRIBER)
    )
    core, _ = make_core(server, retries=RetryConfig(jitter=0))
    await core.request(TRIGGER, body=TRIGGER_BODY)
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    records = [r for r in caplog.records if r.name == "novu_async"]
    lines = [r.getMessage() for r in records]
    assert lines == [
        "POST /v1/events/trigger -> 503 (trigger, attempt 1, " + lines[0].split(", ")[-1],
        lines[1],
        "POST /v1/events/trigger -> ConnectError (trigger, attempt 2, " + lines[2].split(", ")[-1],
        lines[3],
        "POST /v1/events/trigger -> 201 (trigger, attempt 3, " + lines[4].split(", ")[-1],
        "GET /v2/subscribers/sub-1 -> 200 (subscribers_retrieve, attempt 1, " + lines[5].split(", ")[-1],
    ]
    assert lines[1] == "trigger: attempt 1 failed (HTTP 503), retrying in 0.500 s"
    assert lines[3] == "trigger: attempt 2 failed (ConnectError), retrying in 1.000 s"
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
        assert SECRET not in repr(record.__dict__)
    assert SECRET not in caplog.text
