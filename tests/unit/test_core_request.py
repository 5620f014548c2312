"""What NovuCore sends (headers, idempotency keys, path, query, bodies) and what it returns."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import uuid
from typing import Any

import attrs
import httpx
import pytest

from novu_async._core import NovuCore
from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import UNSET, File, RequestOptions, Response, Unset
from novu_async.errors import DataValidationError, ResponseValidationError
from novu_async.models import (
    DataWrapperDto,
    ListSubscribersResponseDto,
    PatchSubscriberRequestDto,
    SubscriberPayloadDto,
    SubscriberResponseDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
    TriggerEventResponseDtoStatus,
)
from tests.support.core import (
    GET_SUBSCRIBER,
    LIST_SUBSCRIBERS,
    SECRET,
    SUBSCRIBER,
    TRIGGER,
    TRIGGER_BODY,
    TRIGGER_OK,
    Server,
    envelope,
    make_core,
    reply,
)

pytestmark = pytest.mark.anyio


def _op(method: str, path: str = "/v1/things", **kwargs: Any) -> Operation:
    return Operation(name=f"things_{method.lower()}", operation_id="X", method=method, path=path, **kwargs)


# ---------------------------------------------------------------------------------------------- headers


async def test_standard_headers() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    await core.request(TRIGGER, body=TRIGGER_BODY)
    headers = server.requests[0].headers
    assert headers["authorization"] == f"ApiKey {SECRET}"
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json"
    assert re.fullmatch(r"novu-async/\S+ python/3\.\d+", headers["user-agent"])


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_writes_carry_a_fresh_uuid4_idempotency_key(method: str) -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    op = _op(method)
    await core.request(op)
    await core.request(op)
    first, second = server.keys
    assert first is not None
    assert second is not None
    assert uuid.UUID(first).version == 4
    assert first != second


async def test_reads_carry_no_idempotency_key() -> None:
    server = Server(reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    await core.request(GET_SUBSCRIBER, path={"subscriberId": "sub-1"})
    assert server.keys == [None]


async def test_a_callers_idempotency_key_is_kept() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    await core.request(TRIGGER, headers={"idempotency-key": "order-42"}, body=TRIGGER_BODY)
    await core.request(TRIGGER, headers={"idempotency-key": UNSET}, body=TRIGGER_BODY)
    assert server.keys[0] == "order-42"
    assert server.keys[1] not in (None, "order-42")


async def test_request_options_headers_are_applied_last() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    options = RequestOptions(
        headers={"Idempotency-Key": "from-options", "X-Trace": "t-1", "User-Agent": "mine/1"}
    )
    await core.request(TRIGGER, headers={"idempotency-key": "from-call"}, body=TRIGGER_BODY, options=options)
    headers = server.requests[0].headers
    assert headers.get_list("idempotency-key") == ["from-options"]
    assert headers["x-trace"] == "t-1"
    assert headers["user-agent"] == "mine/1"


async def test_header_values_are_text() -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    op = _op("GET", header_params=(Param("Novu-Analytics-Source", "source"),))
    await core.request(op, headers={"Novu-Analytics-Source": True, "X-Skip": None})
    assert server.requests[0].headers["novu-analytics-source"] == "true"
    assert "x-skip" not in server.requests[0].headers


# ---------------------------------------------------------------------------------------------- path


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        ("sub-1", "sub-1"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("ann@example.com", "ann%40example.com"),
        ("x y?z#w", "x%20y%3Fz%23w"),
        ("zoë", "zo%C3%AB"),
        (42, "42"),
    ],
)
async def test_path_values_are_percent_encoded(value: Any, raw: str) -> None:
    server = Server(reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    await core.request(GET_SUBSCRIBER, path={"subscriberId": value})
    assert server.requests[0].url.raw_path.decode() == f"/v2/subscribers/{raw}"


@pytest.mark.parametrize("value", ["", ".", "..", UNSET, None])
async def test_unusable_path_values_are_refused_before_sending(value: Any) -> None:
    server = Server(reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": value})
    assert "subscribers_retrieve" in str(caught.value)
    assert "subscriberId" in str(caught.value)
    assert server.requests == []


async def test_a_missing_path_parameter_is_refused() -> None:
    server = Server(reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    with pytest.raises(
        DataValidationError, match=r"subscribers_retrieve path parameter 'subscriberId'.*required"
    ):
        await core.request(GET_SUBSCRIBER)
    assert server.requests == []


# ---------------------------------------------------------------------------------------------- query


class Direction(str, enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


async def test_query_encoding() -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    op = _op("GET", query_params=(Param("csv", "csv", explode=False),))
    await core.request(
        op,
        query={
            "includeCursor": True,
            "archived": False,
            "tags": ["a b", "c&d", Direction.ASC],
            "orderDirection": Direction.DESC,
            "limit": 10.0,
            "ratio": 0.5,
            "after": dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc),
            "csv": ["x", "y"],
            "skipped": UNSET,
            "nothing": None,
        },
    )
    url = server.requests[0].url
    assert url.params.multi_items() == [
        ("includeCursor", "true"),
        ("archived", "false"),
        ("tags", "a b"),
        ("tags", "c&d"),
        ("tags", "ASC"),
        ("orderDirection", "DESC"),
        ("limit", "10"),
        ("ratio", "0.5"),
        ("after", "2024-05-01T12:00:00.000Z"),
        ("csv", "x,y"),
    ]
    assert b"tags=a+b&tags=c%26d&tags=ASC" in url.query


async def test_a_value_with_no_text_form_is_refused() -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError, match=r"things_get query parameter 'filter'.*got dict"):
        await core.request(_op("GET"), query={"filter": {"a": 1}})
    with pytest.raises(DataValidationError, match="finite"):
        await core.request(_op("GET"), query={"limit": float("nan")})
    assert server.requests == []


async def test_a_required_query_parameter_is_checked() -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    op = _op("GET", query_params=(Param("order", "order", required=True),))
    with pytest.raises(DataValidationError, match="'order'"):
        await core.request(op, query={"order": UNSET})
    assert server.requests == []


# ---------------------------------------------------------------------------------------------- bodies


async def test_a_dict_body_is_checked_and_sent_as_json() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    body = {
        "name": "welcome",
        "to": [{"subscriberId": "sub-1", "email": "ann@example.com"}, "sub-2"],
        "payload": {"when": dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc), "n": 1, "none": None},
        "transactionId": "tx-1",
    }
    await core.request(TRIGGER, body=body)
    sent = json.loads(server.requests[0].content)
    assert sent == {**body, "payload": {"when": "2024-05-01T00:00:00.000Z", "n": 1, "none": None}}


async def test_a_model_body_is_sent_as_its_json() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    model = TriggerEventRequestDto(
        workflow_id="welcome", to=[SubscriberPayloadDto(subscriber_id="sub-1")], transaction_id="t"
    )
    await core.request(TRIGGER, body=model)
    assert json.loads(server.requests[0].content) == {
        "name": "welcome",
        "to": [{"subscriberId": "sub-1"}],
        "transactionId": "t",
    }


async def test_models_inside_a_dict_body_are_accepted() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    await core.request(TRIGGER, body={"name": "welcome", "to": [SubscriberPayloadDto(subscriber_id="sub-1")]})
    assert json.loads(server.requests[0].content) == {"name": "welcome", "to": [{"subscriberId": "sub-1"}]}


async def test_null_is_sent_and_unset_is_left_out() -> None:
    server = Server(reply(200, SUBSCRIBER))
    core, _ = make_core(server)
    op = _op("PATCH", "/v2/subscribers/{subscriberId}", body_type=PatchSubscriberRequestDto, body_kind="json")
    await core.request(
        op, path={"subscriberId": "s"}, body=PatchSubscriberRequestDto(first_name=None, email="a@b.c")
    )
    await core.request(op, path={"subscriberId": "s"}, body={"firstName": None})
    assert [json.loads(r.content) for r in server.requests] == [
        {"firstName": None, "email": "a@b.c"},
        {"firstName": None},
    ]


async def test_a_bad_dict_body_is_refused_before_sending() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await core.request(TRIGGER, body={"to": [{"subscriberId": 7}]})
    message = str(caught.value)
    assert message.startswith("trigger request body is invalid")
    assert "$.name: required property is missing" in message
    assert "$.to" in message
    assert ("$.name", "required property is missing") in caught.value.problems
    assert server.requests == []


async def test_a_missing_required_body_is_refused() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    for body in (UNSET, None):
        with pytest.raises(DataValidationError, match=r"trigger request body.*required"):
            await core.request(TRIGGER, body=body)
    with pytest.raises(DataValidationError, match="takes no request body"):
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "s"}, body={"x": 1})
    assert server.requests == []


async def test_an_optional_body_may_be_left_out() -> None:
    server = Server(reply(204))
    core, _ = make_core(server)
    op = _op("POST", body_type=PatchSubscriberRequestDto, body_kind="json")
    await core.request(op)
    assert server.requests[0].content == b""
    assert "content-type" not in server.requests[0].headers


@attrs.define(kw_only=True)
class UploadBody:
    """The shape the generator gives a multipart body (Novu's translations upload)."""

    resource_id: str = attrs.field(metadata={"wire": "resourceId"})
    resource_type: str = attrs.field(metadata={"wire": "resourceType"})
    files: list[bytes]
    note: str | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)


UPLOAD = _op(
    "POST", "/v2/translations/upload", body_type=UploadBody, body_kind="multipart", body_required=True
)


def _parts(request: httpx.Request) -> dict[str, list[tuple[str | None, bytes]]]:
    """name -> [(filename, content)] of a multipart/form-data request (just enough for these tests)."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    parts: dict[str, list[tuple[str | None, bytes]]] = {}
    for chunk in request.content.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        disposition = head.decode().split("\r\n")[0]
        name = re.search(r'name="([^"]*)"', disposition)
        filename = re.search(r'filename="([^"]*)"', disposition)
        assert name is not None
        parts.setdefault(name.group(1), []).append((filename.group(1) if filename else None, content))
    return parts


async def test_multipart_bodies() -> None:
    server = Server(reply(200, {"ok": True}))
    core, _ = make_core(server)
    model = UploadBody(resource_id="welcome", resource_type="workflow", files=[b'{"a":1}', b'{"b":2}'])
    await core.request(UPLOAD, body=model)
    await core.request(
        UPLOAD,
        body={
            "resourceId": "welcome",
            "resourceType": "workflow",
            "files": [("en_US.json", b'{"hi":"Hi"}', "application/json"), ("fr_FR.json", b'{"hi":"Salut"}')],
        },
    )
    first, second = (_parts(r) for r in server.requests)
    assert server.requests[0].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert first["resourceId"] == [(None, b"welcome")]
    assert [content for _, content in first["files"]] == [b'{"a":1}', b'{"b":2}']
    assert second["files"] == [("en_US.json", b'{"hi":"Hi"}'), ("fr_FR.json", b'{"hi":"Salut"}')]
    assert second["resourceType"] == [(None, b"workflow")]


async def test_named_files_in_a_model() -> None:
    server = Server(reply(200, {"ok": True}))
    core, _ = make_core(server)
    files: list[bytes] = [File(b'{"hi":"Hi"}', "en_US.json", "application/json"), File(b"{}", "de_DE.json")]
    await core.request(UPLOAD, body=UploadBody(resource_id="w", resource_type="workflow", files=files))
    await core.request(UPLOAD, body={"resourceId": "w", "resourceType": "workflow", "files": files})
    for request in server.requests:
        assert _parts(request)["files"] == [("en_US.json", b'{"hi":"Hi"}'), ("de_DE.json", b"{}")]
        assert b"Content-Type: application/json" in request.content
    assert repr(files[1]) == "File('de_DE.json', 2 bytes)"


async def test_a_bad_multipart_dict_is_refused() -> None:
    server = Server(reply(200, {"ok": True}))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError, match=r"\$\.resourceType: required"):
        await core.request(UPLOAD, body={"resourceId": "w", "files": [b"{}"]})
    assert server.requests == []


# ---------------------------------------------------------------------------------------------- responses


async def test_the_envelope_is_unwrapped() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)), reply(201, TRIGGER_OK))
    core, _ = make_core(server)
    wrapped = await core.request(TRIGGER, body=TRIGGER_BODY)
    bare = await core.request(TRIGGER, body=TRIGGER_BODY)
    for response in (wrapped, bare):
        assert isinstance(response, Response)
        assert response.status_code == 201
        assert isinstance(response.data, TriggerEventResponseDto)
        assert response.data.status is TriggerEventResponseDtoStatus.PROCESSED
        assert response.data.transaction_id == "tx-1"
        assert isinstance(response.raw, httpx.Response)
        assert response.headers["content-type"] == "application/json"


async def test_a_schema_that_is_itself_the_envelope_is_not_unwrapped() -> None:
    server = Server(reply(200, {"data": {"deleted": True}}))
    core, _ = make_core(server)
    op = _op("DELETE", responses={"200": ResponseSpec(DataWrapperDto, unwrap=False)})
    response = await core.request(op)
    assert response.data == DataWrapperDto(data={"deleted": True})


async def test_a_paginated_body_is_kept_whole() -> None:
    page = {
        "data": [SUBSCRIBER],
        "next": "cursor-2",
        "previous": None,
        "totalCount": 31,
        "totalCountCapped": False,
    }
    server = Server(reply(200, page))
    core, _ = make_core(server)
    response = await core.request(LIST_SUBSCRIBERS, query={"limit": 1})
    assert isinstance(response.data, ListSubscribersResponseDto)
    assert response.data.next == "cursor-2"
    assert isinstance(response.data.data[0], SubscriberResponseDto)
    assert response.data.data[0].subscriber_id == "sub-1"


async def test_an_unknown_enum_value_in_a_success_is_still_a_success() -> None:
    server = Server(reply(201, envelope({**TRIGGER_OK, "status": "queued_for_later"})))
    core, _ = make_core(server)
    response = await core.request(TRIGGER, body=TRIGGER_BODY)
    assert response.data.status == "queued_for_later"


async def test_statuses_without_a_body() -> None:
    server = Server(reply(204), reply(200, {"ignored": True}), reply(201))
    core, _ = make_core(server)
    op = _op("DELETE", responses={"204": ResponseSpec(None), "200": ResponseSpec(None)})
    assert (await core.request(op)).data is None
    assert (await core.request(op)).data is None
    # a documented body type, but the server sent nothing: the request took effect, the body is wrong
    with pytest.raises(ResponseValidationError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    assert caught.value.status_code == 201
    assert caught.value.body == ""
    assert caught.value.problems == [("$", "empty, but a JSON body is declared")]


async def test_response_spec_choice() -> None:
    ok = {"acknowledged": True, "status": "processed"}
    server = Server(reply(200, ok), reply(202, ok), reply(200, {"free": "form"}))
    core, _ = make_core(server)
    # a 2XX the document does not list uses the success it does list
    assert isinstance((await core.request(TRIGGER, body=TRIGGER_BODY)).data, TriggerEventResponseDto)
    ranged = _op("GET", responses={"2XX": ResponseSpec(TriggerEventResponseDto)})
    assert isinstance((await core.request(ranged)).data, TriggerEventResponseDto)
    # nothing documented at all: the JSON as it came
    assert (await core.request(_op("GET"))).data == {"free": "form"}


async def test_replay_and_idempotency_headers_are_visible() -> None:
    server = Server(
        reply(201, envelope(TRIGGER_OK), {"Idempotency-Key": "k-1", "Idempotency-Replay": "true"})
    )
    core, _ = make_core(server)
    response = await core.request(TRIGGER, headers={"idempotency-key": "k-1"}, body=TRIGGER_BODY)
    assert response.idempotency_key == "k-1"
    assert response.replayed


async def test_a_bad_success_body_keeps_the_raw_body() -> None:
    bad = {"data": {"acknowledged": "yes"}}
    server = Server(reply(201, bad))
    core, _ = make_core(server)
    with pytest.raises(ResponseValidationError) as caught:
        await core.request(TRIGGER, body=TRIGGER_BODY)
    error = caught.value
    assert error.status_code == 201
    assert error.body == bad
    assert error.operation == "trigger"
    assert ("$.acknowledged", "expected a boolean, got string") in error.problems
    assert ("$.status", "required property is missing") in error.problems
    assert "trigger response body (HTTP 201)" in str(error)
    assert not isinstance(error, DataValidationError)  # the server acted: not a "fix and resend" error


async def test_a_non_json_success_body() -> None:
    server = Server(reply(200, text="<html>maintenance</html>"))
    core, _ = make_core(server)
    with pytest.raises(ResponseValidationError, match="not JSON") as caught:
        await core.request(GET_SUBSCRIBER, path={"subscriberId": "s"})
    assert caught.value.body == "<html>maintenance</html>"
    assert caught.value.problems == [("$", "not JSON")]


async def test_core_is_reusable_across_calls_with_its_own_client_made_lazily() -> None:
    server = Server(reply(200, SUBSCRIBER))
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    core = NovuCore(SECRET, http_client=client)
    results = [await core.request(GET_SUBSCRIBER, path={"subscriberId": f"s{i}"}) for i in range(3)]
    assert [r.data.subscriber_id for r in results] == ["sub-1"] * 3
    assert [r.url.path for r in server.requests] == [
        "/v2/subscribers/s0",
        "/v2/subscribers/s1",
        "/v2/subscribers/s2",
    ]


async def test_an_overlong_idempotency_key_is_refused() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    await core.request(TRIGGER, headers={"idempotency-key": "k" * 255}, body=TRIGGER_BODY)
    with pytest.raises(DataValidationError, match="1 to 255 characters, got 256"):
        await core.request(TRIGGER, headers={"idempotency-key": "k" * 256}, body=TRIGGER_BODY)
    assert len(server.requests) == 1
