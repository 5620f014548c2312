"""The independent validator must reject what the document forbids: a validator that accepts
everything would make every contract test pass. Each case starts from a valid built request and
breaks one thing, including the blind spots of Prism the validator exists to cover."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.contract.document import JSON, MULTIPART, Document, FilePart
from tests.contract.requests import BuiltRequest, RequestBuilder, httpx_arguments
from tests.contract.validator import RequestValidator, parse_multipart

Breaker = Callable[[BuiltRequest], object]


def _set(location: str, key: str, value: Any) -> Breaker:
    def apply(built: BuiltRequest) -> None:
        built[location][key] = value  # type: ignore[literal-required]

    return apply


def _drop(location: str, key: str) -> Breaker:
    def apply(built: BuiltRequest) -> None:
        del built[location][key]  # type: ignore[literal-required]

    return apply


def _step(**changes: Any) -> Breaker:
    def apply(built: BuiltRequest) -> None:
        step = built["body"]["steps"][0]
        step.update(changes)
        for key in [k for k, v in changes.items() if v is ...]:
            del step[key]

    return apply


BROKEN: dict[str, tuple[str, Breaker, str]] = {
    # operation, what to break, a fragment of the expected error
    "required body property": ("EventsController_trigger", _drop("body", "name"), "'name' is a required"),
    "body property type": ("EventsController_trigger", _set("body", "name", 1), "is not of type 'string'"),
    "enum in a nested object": (
        "EventsController_trigger",
        _set("body", "overrides", {"severity": "urgent"}),
        "body.overrides.severity",
    ),
    "additionalProperties next to allOf": (
        "EventsController_broadcastEventToAll",
        _set("body", "overrides", {"layoutIdentifier": "ok", "custom": "not an object"}),
        "body.overrides.custom",
    ),
    "discriminated step without its tag (Prism passes it)": (
        "WorkflowController_create",
        _step(type=...),
        "'type' is a required property",
    ),
    "discriminated step with an unknown tag (Prism passes it)": (
        "WorkflowController_create",
        _step(type="carrier_pigeon"),
        "is not one of",
    ),
    "discriminated step missing a member's required key (Prism passes it)": (
        "WorkflowController_update",
        _step(name=...),
        "'name' is a required property",
    ),
    "format date-time": (
        "SubscribersController_snoozeNotification",
        _set("body", "snoozeUntil", "tomorrow"),
        "is not a 'date-time'",
    ),
    "format uuid": (
        "IntegrationsController_createIntegration",
        _set("body", "_environmentId", "not-a-uuid"),
        "is not a 'uuid'",
    ),
    "minLength": ("TopicsController_upsertTopic", _set("body", "key", ""), "should be non-empty"),
    "regex pattern": ("ContextsController_createContext", _set("body", "type", "a b"), "does not match"),
    "JS-literal pattern, enforced as meant": (
        "EnvironmentVariablesController_createEnvironmentVariable",
        _set("body", "key", "1abc"),
        "does not match '^[A-Za-z][A-Za-z0-9_]*$'",
    ),
    "maxItems": (
        "SubscribersController_bulkUpdateSubscriberPreferences",
        lambda b: b["body"].update(preferences=b["body"]["preferences"] * 101),
        "is too long",
    ),
    "null where not nullable": (
        "EventsController_trigger",
        _set("body", "name", None),
        "None is not of type",
    ),
    "path enum": (
        "SubscribersController_completeNotificationAction",
        _set("path", "actionType", "tertiary"),
        "path.actionType",
    ),
    "missing path parameter": (
        "SubscribersController_getSubscriber",
        _drop("path", "subscriberId"),
        "missing",
    ),
    "missing required query parameter": (
        "SubscribersController_getSubscriberNotificationsCount",
        _drop("query", "filters"),
        "query.filters: required parameter is missing",
    ),
    "unknown query parameter (Prism passes it)": (
        "SubscribersController_searchSubscribers",
        _set("query", "page_size", 10),
        "query.page_size: not a parameter",
    ),
    "query maximum": ("TopicsController_listTopics", _set("query", "limit", 101), "query.limit"),
    "query array item enum": (
        "NotificationsController_listNotifications",
        _set("query", "channels", ["in_app", "pigeon"]),
        "query.channels[1]",
    ),
    "missing required header": (
        "AgentsController_createAgent",
        _drop("headers", "Novu-Analytics-Source"),
        "header.Novu-Analytics-Source: required",
    ),
    "missing body": (
        "EventsController_trigger",
        lambda b: b.update({"body": None, "content_type": None}),
        "required body is missing",
    ),
    "body on an operation without one": (
        "SubscribersController_getSubscriber",
        lambda b: b.update({"body": {"a": 1}, "content_type": JSON}),
        "takes no body",
    ),
    "multipart file sent as a plain field": (
        "TranslationController_uploadMasterJsonEndpoint",
        _set("body", "file", "en_US.json"),
        "expected a file part",
    ),
    "multipart missing file": (
        "TranslationController_uploadTranslationFiles",
        _drop("body", "files"),
        "'files' is a required property",
    ),
    "multipart enum field": (
        "TranslationController_uploadTranslationFiles",
        _set("body", "resourceType", "page"),
        "body.resourceType",
    ),
}


def _break(builder: RequestBuilder, operation_id: str, breaker: Breaker) -> BuiltRequest:
    built = copy.deepcopy(builder.request(operation_id, "full"))
    breaker(built)
    return built


@pytest.mark.parametrize(("operation_id", "breaker", "expected"), BROKEN.values(), ids=list(BROKEN))
def test_validator_rejects(
    operation_id: str,
    breaker: Breaker,
    expected: str,
    request_builder: RequestBuilder,
    request_validator: RequestValidator,
    current_document: Document,
) -> None:
    assert request_validator.validate_built(operation_id, request_builder.request(operation_id, "full")).ok
    built = _break(request_builder, operation_id, breaker)

    report = request_validator.validate_built(operation_id, built)
    assert not report.ok, f"accepted: {built}"
    assert any(expected in error for error in report.errors), str(report)

    op = current_document.operation(operation_id)
    if any(p.name not in built["path"] for p in op.params_in("path")):
        return  # a URL cannot be made without the path value
    # the same request, encoded by httpx, is rejected on the wire as well
    with httpx.Client(base_url="http://127.0.0.1:9") as client:
        request = client.build_request(**httpx_arguments(op, built))
    wire = request_validator.validate_httpx_request(request)
    assert wire.operation_id == operation_id
    assert not wire.ok, f"accepted on the wire: {request.method} {request.url}"


def test_nullable_accepts_null(request_builder: RequestBuilder, request_validator: RequestValidator) -> None:
    built = request_builder.request("SubscribersController_patchSubscriber", "full")
    built["body"].update(firstName=None, data=None)
    assert request_validator.validate_built("SubscribersController_patchSubscriber", built).ok


def test_wire_values_are_converted_before_validation(
    request_validator: RequestValidator, current_document: Document
) -> None:
    good = httpx.Request("GET", "http://h/v1/notifications?page=2&limit=10&channels=email&channels=sms")
    assert request_validator.validate_httpx_request(good).ok
    bad = httpx.Request("GET", "http://h/v1/notifications?page=two")
    assert "query.page" in str(request_validator.validate_httpx_request(bad))
    flag = httpx.Request("GET", "http://h/v2/subscribers?includeCursor=yes")
    assert "query.includeCursor" in str(request_validator.validate_httpx_request(flag))


def test_literal_path_segment_beats_a_parameter(current_document: Document) -> None:
    op, values = current_document.find_operation("GET", "/v2/subscribers/abc%2F1")
    assert op.operation_id == "SubscribersController_getSubscriber"
    assert values == {"subscriberId": "abc%2F1"}


def test_multipart_round_trip(request_builder: RequestBuilder, current_document: Document) -> None:
    op = current_document.operation("TranslationController_uploadTranslationFiles")
    built = request_builder.request(op.operation_id, "full")
    built["body"]["files"] = [FilePart("en_US.json", b"{}", JSON), FilePart("fr_FR.json", b'{"a": 1}', JSON)]
    request = httpx.Request(
        "POST",
        "http://h" + op.path,
        **{k: v for k, v in httpx_arguments(op, built).items() if k in ("data", "files")},
    )
    form = parse_multipart(request.headers["content-type"], request.read())
    assert request.headers["content-type"].startswith(MULTIPART)
    assert form == {
        "resourceId": built["body"]["resourceId"],
        "resourceType": built["body"]["resourceType"],
        "files": built["body"]["files"],
    }
