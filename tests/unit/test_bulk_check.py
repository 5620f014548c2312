"""The lean checks of bulk items (``novu_async.bulk._check``): the fast check over a whole chunk
agrees with the event-by-event one; the problems it names. Through ``trigger_many``, a bad event's
error is tested in ``test_bulk.py``."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from novu_async.bulk import ChunkReport, event_problems
from novu_async.bulk._check import check_each, common_shapes
from novu_async.errors import DataValidationError

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
