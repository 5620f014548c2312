"""The lean checks of bulk items (``novu_async.bulk._check``): the fast check over a whole chunk
agrees with the event-by-event one; the problems it names. Through ``trigger_many``, a bad event's
error is tested in ``test_bulk.py``."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from novu_async.bulk import ChunkReport, event_problems
from novu_async.bulk._check import check_each, common_shapes, encode_subscribers
from novu_async.errors import DataValidationError
from novu_async.models import CreateSubscriberRequestDto, SubscriberPayloadDto, TriggerEventRequestDto

_VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=2),
    st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=2),
    st.dictionaries(
        st.sampled_from(["subscriberId", "topicKey", "type"]), st.one_of(st.just("x"), st.integers())
    ),
)
_EVENTS = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.just("welcome"), _VALUES),
        "to": st.one_of(
            st.sampled_from(
                ["s", {"subscriberId": "s"}, {"topicKey": "t", "type": "topic"}, ["s", {"subscriberId": "s"}]]
            ),
            _VALUES,
        ),
        "payload": st.one_of(st.just({"n": 1}), _VALUES),
        "transactionId": st.one_of(st.just("t-1"), _VALUES),
        "actor": _VALUES,
        "extra": _VALUES,
    },
)


# generating a draw is cheap, but on a loaded 2-core machine one can take seconds: no time limits
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_EVENTS, min_size=1, max_size=4))
def test_the_fast_check_accepts_only_what_the_event_by_event_check_accepts(
    items: list[dict[str, Any]],
) -> None:
    chunk = ChunkReport(0, "k", 0, len(items))
    fast = common_shapes(items)
    error: DataValidationError | None = None
    try:
        check_each(chunk, list(items))
    except DataValidationError as exc:
        error = exc
    bad = [i for i, e in enumerate(items) if event_problems(e)]
    if error is None:
        assert bad == []
    else:
        assert not fast
        assert f"event {bad[0]} " in str(error)


def test_event_problems_lists_every_problem_of_an_event() -> None:
    assert event_problems({"name": "welcome", "to": "s"}) == []
    assert event_problems({"name": 1, "to": [{"topicKey": "t"}], "payload": []}) == [
        ("$.name", "expected a string, got integer"),
        ("$.to[0].type", "required, but not given"),
        ("$.payload", "expected an object, got array"),
    ]


def test_undeclared_keys_are_refused_as_in_a_single_trigger() -> None:
    # the same rule and messages as NovuCore's check of a single trigger (tests/unit/test_request_checks.py)
    assert event_problems({"name": "w", "to": "s", "transaction_id": "t"}) == [
        ("$.transaction_id", "not a property of TriggerEventRequestDto; did you mean 'transactionId'?")
    ]
    assert event_problems({"workflowId": "w", "to": "s"}) == [
        ("$.name", "required, but not given"),
        ("$.workflowId", "not a property of TriggerEventRequestDto; did you mean 'name'?"),
    ]
    assert event_problems({"name": "w", "to": [{"subscriberId": "s", "firstname": "A"}, ""]}) == [
        ("$.to[0].firstname", "not a property of SubscriberPayloadDto; did you mean 'firstName'?"),
        ("$.to[1]", "at least 1 character, got 0"),
    ]
    assert event_problems({"name": "w", "to": "s", "overrides": {"emial": {}}}) == [
        ("$.overrides.emial", "not a property of TriggerOverrides; did you mean 'email'?")
    ]


def test_the_fast_check_leaves_undeclared_keys_and_empty_ids_to_the_event_by_event_one() -> None:
    good = [{"name": "w", "to": {"subscriberId": "s", "email": "e@example.com"}, "payload": {"n": 1}}]
    assert common_shapes(good)
    for bad in (
        {"name": "w", "to": {"subscriberId": "s", "emial": "e"}},
        {"name": "w", "to": {"subscriberId": ""}},
        {"name": "w", "to": ""},
        {"name": "w", "to": "s", "transaction_id": "t"},
        # nested objects of their own (a subscriber's channels): looked at event by event
        {"name": "w", "to": {"subscriberId": "s", "channels": [{"providerId": "slack", "credentials": {}}]}},
    ):
        assert not common_shapes([*good, bad]), bad


def test_a_models_additional_properties_are_sent_and_its_bounds_checked() -> None:
    chunk = ChunkReport(0, "k", 0, 2)
    model = TriggerEventRequestDto(workflow_id="w", to="s", additional_properties={"beta": True})
    items: list[Any] = [model]
    check_each(chunk, items)
    assert items == [{"name": "w", "to": "s", "beta": True}]
    empty = TriggerEventRequestDto(workflow_id="w", to=SubscriberPayloadDto(subscriber_id=""))
    with pytest.raises(DataValidationError) as caught:
        check_each(chunk, [empty])
    assert caught.value.problems == [("$.to.subscriberId", "at least 1 character, got 0")]


def test_subscribers_with_undeclared_keys_are_refused() -> None:
    chunk = ChunkReport(0, "k", 0, 2)
    with pytest.raises(DataValidationError) as caught:
        encode_subscribers(chunk, [{"subscriberId": "s1"}, {"subscriberId": "s2", "first_name": "A"}])
    assert "subscriber 1 " in str(caught.value)
    assert caught.value.problems == [
        ("$.first_name", "not a property of CreateSubscriberRequestDto; did you mean 'firstName'?")
    ]
    model = CreateSubscriberRequestDto(subscriber_id="s3", additional_properties={"plan": "pro"})
    body = encode_subscribers(ChunkReport(1, "k2", 2, 1), [model])
    assert body.content == b'{"subscribers":[{"subscriberId":"s3","plan":"pro"}]}'
