"""The serde rules (``novu_async._serde``: the one converter) on the real Novu models: absent vs
null, open enums, unknown keys kept, strict types, paths in errors, discriminated unions, date-times.
The same rules on the generator's fixture models: ``tests/codegen/test_fixture_models.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from novu_async import UNSET
from novu_async._serde import format_datetime, json_kind, parse_datetime, structure, unstructure
from novu_async.errors import DataValidationError
from novu_async.models import (
    PatchSubscriberRequestDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
    TriggerEventResponseDtoStatus,
    WorkflowResponseDto,
)


def test_patch_can_send_null_and_can_leave_out() -> None:
    patch = PatchSubscriberRequestDto(first_name=None, email="a@b.c")
    assert unstructure(patch) == {"firstName": None, "email": "a@b.c"}
    assert patch.last_name is UNSET
    back = structure({"firstName": None}, PatchSubscriberRequestDto)
    assert back.first_name is None
    assert back.last_name is UNSET


def test_unknown_enum_value_in_a_success_response_is_kept() -> None:
    data = {"acknowledged": True, "status": "queued_for_the_future", "transactionId": "t1"}
    response = structure(data, TriggerEventResponseDto)
    assert response.status == "queued_for_the_future"
    assert unstructure(response) == data
    known = structure({**data, "status": "processed"}, TriggerEventResponseDto)
    assert known.status is TriggerEventResponseDtoStatus.PROCESSED


def test_unknown_keys_survive_a_round_trip() -> None:
    data = {"acknowledged": True, "status": "processed", "newServerField": {"nested": [1, None]}}
    response = structure(data, TriggerEventResponseDto)
    assert response.additional_properties == {"newServerField": {"nested": [1, None]}}
    assert unstructure(response) == data


def test_bad_request_body_names_every_field() -> None:
    with pytest.raises(DataValidationError) as caught:
        structure({"to": [{"subscriberId": 7}]}, TriggerEventRequestDto, what="trigger body")
    message = str(caught.value)
    assert message.startswith("trigger body is invalid")
    assert "$.name: required property is missing" in message
    assert "$.to" in message


def test_discriminated_workflow_steps() -> None:
    from novu_async.models import EmailStepResponseDto, SmsStepResponseDto

    step_common = {
        "_id": "s",
        "stepId": "s",
        "name": "n",
        "slug": "n_s",
        "variables": {},
        "origin": "novu-cloud",
        "workflowId": "w",
        "workflowDatabaseId": "d",
        "issues": {},
    }
    email = {**step_common, "type": "email", "controls": {"values": {"subject": "hi", "body": "b"}}}
    sms = {**step_common, "type": "sms", "controls": {"values": {}}}
    data = {
        "name": "w",
        "tags": [],
        "active": True,
        "validatePayload": False,
        "isTranslationEnabled": False,
        "_id": "w",
        "workflowId": "w",
        "slug": "w",
        "updatedAt": "x",
        "createdAt": "x",
        "steps": [email, sms],
        "severity": "high",
        "origin": "novu-cloud",
        "preferences": {
            "user": None,
            "default": {"all": {"enabled": True, "readOnly": False}, "channels": {}},
        },
        "status": "ACTIVE",
    }
    workflow = structure(data, WorkflowResponseDto)
    assert [type(s) for s in workflow.steps] == [EmailStepResponseDto, SmsStepResponseDto]
    assert workflow.steps[0].controls.values.subject == "hi"
    assert unstructure(workflow) == data


def test_types_are_strict() -> None:
    with pytest.raises(DataValidationError, match=r"\$\.acknowledged: expected a boolean, got string"):
        structure({"acknowledged": "true", "status": "processed"}, TriggerEventResponseDto)
    with pytest.raises(DataValidationError, match=r"\$\.name: expected a string, got integer"):
        structure({"name": 5, "to": "s"}, TriggerEventRequestDto)


def test_json_kinds_name_values_in_messages() -> None:
    kinds = [json_kind(v) for v in (None, True, 1, 1.5, "s", [], {}, b"x")]
    assert kinds == ["null", "boolean", "integer", "number", "string", "array", "object", "bytes"]


def test_date_times_are_aware_and_written_as_javascript_does() -> None:
    assert parse_datetime("2024-05-01T12:00:00Z") == dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
    assert parse_datetime("2024-05-01 12:00") == dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
    plus_two = parse_datetime("2024-05-01T12:00:00.5+02:00")
    assert plus_two.utcoffset() == dt.timedelta(hours=2)
    assert plus_two.microsecond == 500000
    assert format_datetime(dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)) == "2024-05-01T12:00:00.000Z"
    assert format_datetime(plus_two) == "2024-05-01T12:00:00.500+02:00"
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_datetime("yesterday")
