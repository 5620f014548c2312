"""The promises of the generated Novu models that matter most to users, on the real document."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from codegen.parse import build_api
from novu_async import UNSET
from novu_async._serde import structure, unstructure
from novu_async.errors import DataValidationError
from novu_async.models import (
    PatchSubscriberRequestDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
    TriggerEventResponseDtoStatus,
    WorkflowResponseDto,
)

from .conftest import current_document


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


def count_model_modules(statement: str) -> list[str]:
    code = textwrap.dedent(f"""
        import sys
        {statement}
        print("\\n".join(sorted(m for m in sys.modules if m.startswith("novu_async.models."))))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_importing_one_model_loads_few_modules() -> None:
    loaded = count_model_modules("from novu_async.models import CreateWorkflowDto")
    assert "novu_async.models.create_workflow_dto" in loaded
    assert len(loaded) < 15, loaded


def test_structuring_loads_only_the_closure_of_the_model() -> None:
    # resolving the annotations imports referenced modules lazily, never the whole package
    loaded = count_model_modules(
        "from novu_async.models import TriggerEventResponseDto\n"
        "        from novu_async._serde import structure\n"
        "        structure({'acknowledged': True, 'status': 'processed'}, TriggerEventResponseDto)"
    )
    assert 0 < len(loaded) < 15, loaded


def test_every_name_is_exported() -> None:
    import novu_async.models as models

    # every class the generator made: component schemas, their inline types, and the inline
    # types of operations (query enums, multipart bodies)
    api = build_api(current_document(), "novu_async")
    assert len(models.__all__) == len(api.definitions)
    assert len(models.__all__) == 433 + 152  # models and enums of the pinned document
    assert set(dir(models)) >= set(models.__all__)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_sniffio_is_importable() -> None:
    # httpcore retries a failing `import sniffio` on every request when it is missing
    import sniffio

    assert sniffio.current_async_library  # the function httpcore calls
