"""What is checked before a request is sent, besides types: keys a closed schema does not declare
(with the closest declared key), the document's bounds on bodies and parameters, and the
idempotency key of reads. Every refused request is refused before anything reaches the server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from novu_async import Novu, RequestOptions
from novu_async.errors import DataValidationError
from novu_async.funcs.subscribers_search import subscribers_search
from novu_async.funcs.topics_list import topics_list
from novu_async.funcs.trigger import trigger
from novu_async.funcs.trigger_bulk import trigger_bulk
from novu_async.models import SubscriberPayloadDto, TriggerEventRequestDto
from tests.support.core import SECRET, TRIGGER_OK, Server, envelope, make_core, reply

pytestmark = pytest.mark.anyio


PAGE = {"data": [], "next": None, "previous": None, "totalCount": 0, "totalCountCapped": False}


async def refuse(body: Any) -> DataValidationError:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await trigger(core, body)
    assert server.requests == [], "refused before sending"
    assert caught.value.what == "trigger request body"
    return caught.value


async def test_a_snake_case_key_is_refused_with_the_wire_name() -> None:
    error = await refuse({"name": "w", "to": "u", "transaction_id": "t-1", "paylod": {}})
    assert error.problems == [
        ("$.transaction_id", "not a property of TriggerEventRequestDto; did you mean 'transactionId'?"),
        ("$.paylod", "not a property of TriggerEventRequestDto; did you mean 'payload'?"),
    ]
    assert "trigger request body is invalid: $.transaction_id" in str(error)


async def test_the_sdks_names_point_to_the_wire_name() -> None:
    # TS calls it workflowId, novu-py workflow_id: both mean the document's `name`
    for key in ("workflowId", "workflow_id"):
        error = await refuse({key: "welcome", "to": "u"})
        assert error.problems == [
            ("$.name", "required property is missing"),
            (f"$.{key}", "not a property of TriggerEventRequestDto; did you mean 'name'?"),
        ]


async def test_nested_objects_are_checked_too() -> None:
    error = await refuse({"name": "w", "to": [{"subscriberId": "s", "firstname": "Ann"}]})
    assert error.problems == [
        ("$.to[0].firstname", "not a property of SubscriberPayloadDto; did you mean 'firstName'?")
    ]
    error = await refuse({"name": "w", "to": "u", "overrides": {"steps": {"s1": {"providrs": {}}}}})
    assert error.problems == [
        ("$.overrides.steps['s1'].providrs", "not a property of StepsOverrides; did you mean 'providers'?")
    ]


async def test_free_form_objects_take_any_key() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    await trigger(core, {"name": "w", "to": "u", "payload": {"any_key": {"deep": 1}}})
    assert json.loads(server.requests[0].content)["payload"] == {"any_key": {"deep": 1}}


async def test_a_models_additional_properties_are_sent_as_given() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    recipient = SubscriberPayloadDto(subscriber_id="s", additional_properties={"beta": True})
    await trigger(core, TriggerEventRequestDto(workflow_id="w", to=recipient, additional_properties={"x": 1}))
    # a model inside a dict body keeps them too
    await trigger(core, {"name": "w", "to": [recipient, "u"]})
    first, second = (json.loads(r.content) for r in server.requests)
    assert first == {"name": "w", "to": {"subscriberId": "s", "beta": True}, "x": 1}
    assert second == {"name": "w", "to": [{"subscriberId": "s", "beta": True}, "u"]}


async def test_bounds_of_a_body() -> None:
    error = await refuse({"name": "w", "to": ["", {"subscriberId": ""}]})
    assert error.problems == [
        ("$.to[0]", "at least 1 character, got 0"),
        ("$.to[1].subscriberId", "at least 1 character, got 0"),
    ]
    # a model is checked as well as a dict
    error = await refuse(TriggerEventRequestDto(workflow_id="w", to=SubscriberPayloadDto(subscriber_id="")))
    assert error.problems == [("$.to.subscriberId", "at least 1 character, got 0")]


async def test_max_items_of_a_body() -> None:
    server = Server(reply(201, envelope([])))
    core, _ = make_core(server)
    events = [{"name": "w", "to": f"s{i}"} for i in range(101)]
    with pytest.raises(DataValidationError) as caught:
        await trigger_bulk(core, {"events": events})
    assert caught.value.problems == [("$.events", "at most 100 items, got 101")]
    assert server.requests == []


@pytest.mark.parametrize(
    ("limit", "message"),
    [(500, "must be <= 100, got 500"), (100.5, "must be <= 100, got 100.5")],
)
async def test_bounds_of_a_parameter(limit: float, message: str) -> None:
    server = Server(reply(200, envelope(PAGE)))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await topics_list(core, limit=limit)
    assert caught.value.what == "topics_list query parameter 'limit'"
    assert caught.value.problems == [("$", message)]
    assert server.requests == []


async def test_a_minimum_of_a_parameter() -> None:
    from novu_async.funcs.notifications_list import notifications_list

    server = Server(reply(200, envelope(PAGE)))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await notifications_list(core, limit=0)
    assert caught.value.problems == [("$", "must be >= 1, got 0")]
    assert server.requests == []


async def test_a_bound_the_document_does_not_set_is_not_checked() -> None:
    server = Server(reply(200, envelope(PAGE)))
    core, _ = make_core(server)
    await topics_list(core, limit=0)  # `limit` on topics has a maximum only (notifications: 1 to 50)
    assert server.requests[0].url.params["limit"] == "0"


async def test_reads_take_no_idempotency_key_and_send_one_through_the_options() -> None:
    server = Server(reply(200, envelope(PAGE)))
    core, _ = make_core(server)
    with pytest.raises(TypeError):
        await subscribers_search(core, idempotency_key="k-1")  # type: ignore[call-arg]
    await subscribers_search(core, limit=10)
    assert "idempotency-key" not in server.requests[0].headers
    await subscribers_search(core, options=RequestOptions(headers={"idempotency-key": "k-1"}))
    assert server.requests[1].headers["idempotency-key"] == "k-1"


async def test_the_client_methods_check_the_same_way() -> None:
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core, _ = make_core(server)
    novu = Novu(core=core)
    with pytest.raises(DataValidationError, match=r"\$\.transaction_id: .*did you mean 'transactionId'"):
        await novu.trigger({"name": "w", "to": "u", "transaction_id": "t"})  # type: ignore[typeddict-unknown-key]
    assert server.requests == []
    assert SECRET not in repr(novu)


def test_each_bound_applies_to_its_own_kind() -> None:
    from novu_async._types import Limits

    limits = Limits(exclusive_minimum=0, exclusive_maximum=10, min_length=2, min_items=1, max_items=2)
    assert limits.problem(0) == "must be > 0, got 0"
    assert limits.problem(10) == "must be < 10, got 10"
    assert limits.problem(5) is None
    assert limits.problem(True) is None  # a boolean is no number here
    assert limits.problem("a") == "at least 2 characters, got 1"
    assert limits.problem([]) == "at least 1 item, got 0"
    assert limits.problem([1, 2, 3]) == "at most 2 items, got 3"
    assert limits.problem({"a": 1}) is None
