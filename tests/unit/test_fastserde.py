"""The compiled structure and unstructure functions (``novu_async._fastserde``) agree with the
converter's general path on every model class of both documents: the same objects from the same
data, the same errors (messages and paths) from bad data, in responses and in request bodies, and
the same JSON data back out.

The general path is a second copy of ``_serde`` whose converter never uses a compiled function, so
nothing compiled is on the reference side. Data are drawn from the classes' own field types, then
mutated (a value of another kind, a missing key, an undeclared one, a null), so that both the
compiled functions' accepted shapes and their hand-overs to the general path are exercised.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import importlib.util
import os
import sys
import types
from typing import Annotated, Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from novu_async import _serde
from novu_async._resolve import resolve
from novu_async._types import UNSET, Discriminator, Unset
from novu_async.errors import DataValidationError

PACKAGES = ("novu_async.models", "novu_async.legacy.models")
EXTRA = "additional_properties"


def _general_serde() -> types.ModuleType:
    """A second ``_serde``, its own converter's model hooks the general ones only."""
    spec = importlib.util.find_spec("novu_async._serde")
    assert spec is not None
    assert spec.origin is not None
    copy_spec = importlib.util.spec_from_file_location("novu_async._serde_general_copy", spec.origin)
    assert copy_spec is not None
    assert copy_spec.loader is not None
    module = importlib.util.module_from_spec(copy_spec)
    sys.modules[copy_spec.name] = module
    copy_spec.loader.exec_module(module)
    module.converter.register_structure_hook_factory(module.is_model, module.general_structure_fn)
    module.converter.register_unstructure_hook_factory(module.is_model, module.general_unstructure_fn)
    return module


GENERAL = _general_serde()


def _classes() -> list[type]:
    found = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in sorted(module._MODULES):
            cls = getattr(module, name)
            if isinstance(cls, type) and attrs.has(cls):
                found.append(cls)
    return found


CLASSES = _classes()

# --------------------------------------------------------------------------------------------- data

_text = st.text(alphabet="abxyzAB09 _-é", max_size=5)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_text, inner, max_size=2),
    max_leaves=4,
)
_datetimes = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.timezone.utc)
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z")


def _value(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """JSON data of the declared type ``tp`` (well formed; mutations come later)."""
    if tp is Any:
        return _json
    if tp is str:
        return _text
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**40), 2**40)
    if tp is float:
        return st.integers(-1000, 1000) | st.floats(allow_nan=False, allow_infinity=False)
    if tp is bytes:
        return st.binary(max_size=4)
    if tp is dt.datetime:
        return _datetimes | st.sampled_from(["2024-05-01", "2024-05-01T12:00+02:00", "2024-13-01T00:00:00Z"])
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([m.value for m in tp])
    if isinstance(tp, type) and attrs.has(tp):
        return _model(tp, depth + 1)
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        marker = next((m for m in tp.__metadata__ if isinstance(m, Discriminator)), None)
        if marker is None:
            return _value(args[0], depth)
        return st.one_of(
            [
                _model(cls, depth + 1).map(lambda d, t=tag: {**d, marker.prop: t})
                for tag, cls in marker.mapping.items()
            ]
        )
    if origin is list:
        return st.lists(_value(args[0], depth + 1), max_size=0 if depth > 2 else 2)
    if origin is dict:
        return st.dictionaries(_text, _value(args[1], depth + 1), max_size=0 if depth > 2 else 2)
    if get_origin(tp) in (Union, types.UnionType):
        members = [m for m in args if m is not Unset]
        return st.one_of([_value(m, depth) for m in members])
    raise AssertionError(f"no strategy for {tp!r}")


_models: dict[tuple[type, int], st.SearchStrategy[dict[str, Any]]] = {}


def _model(cls: type, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    key = (cls, min(depth, 4))
    if key not in _models:
        _models[key] = st.deferred(lambda: _model_now(cls, depth))
    return _models[key]


def _model_now(cls: type, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    resolve(cls)
    fields = [f for f in attrs.fields(cls) if f.name != EXTRA]
    required = {
        f.metadata.get("wire", f.name): _value(f.type, depth) for f in fields if f.default is attrs.NOTHING
    }
    optional = {}
    if depth <= 3:  # deeper down, required keys only (recursive models end)
        optional = {
            f.metadata.get("wire", f.name): _value(f.type, depth)
            for f in fields
            if f.default is not attrs.NOTHING
        }
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def _mutated(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with up to two changes somewhere inside: another kind of value, a key taken out,
    an undeclared key put in, a null, ``UNSET`` as a value (never one on the wire: a compiled
    function must not read it as an absent key)."""
    for _ in range(draw(st.integers(0, 2))):
        value = _mutate_once(draw, value)
    return value


def _mutate_once(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        copy = dict(value)
        copy[key] = _mutate_once(draw, copy[key])
        return copy
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        copy = list(value)
        copy[index] = _mutate_once(draw, copy[index])
        return copy
    change = draw(st.sampled_from(["kind", "drop", "add", "null", "unset"]))
    if change == "drop" and isinstance(value, dict) and value:
        copy = dict(value)
        del copy[draw(st.sampled_from(sorted(copy)))]
        return copy
    if change == "add" and isinstance(value, dict):
        return {**value, draw(st.sampled_from(["extra", "zz_unknown", "subscriberid"])): draw(_json)}
    if change == "null":
        return None
    if change == "unset":
        return UNSET
    return draw(_json)


# --------------------------------------------------------------------------------------------- checks


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (an enum member is not its string)."""
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _outcome(structure: Any, data: Any, cls: type, request: bool) -> tuple[str, Any]:
    try:
        return "ok", structure(data, cls, what="body", request=request)
    except DataValidationError as exc:
        return "error", (str(exc), exc.problems)


_settings = settings(
    max_examples=int(os.environ.get("FASTSERDE_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__.split('.')[-3]}.{c.__name__}")
@_settings
@given(data=st.data())
def test_structure_and_unstructure_agree(cls: type, data: st.DataObject) -> None:
    value = data.draw(_model(cls, 0), label="valid")
    if data.draw(st.booleans(), label="mutate"):
        value = data.draw(_mutated(value), label="mutated")
    _agree(cls, value)


def _agree(cls: type, value: Any) -> None:
    """The SDK's structuring of ``value`` gives what the general path gives, in a response and in a
    request body; ``cls``'s compiled function takes nothing the general path refuses."""
    for request in (False, True):
        expected = _outcome(GENERAL.structure, value, cls, request)
        got = _outcome(_serde.structure, value, cls, request)
        assert got[0] == expected[0]
        assert _same(got[1], expected[1]) if got[0] == "ok" else got == expected
        compiled = _serde.compiler.structure_fn(cls)
        token = _serde.REQUEST_BODY.set(request)
        try:
            fast: tuple[str, Any] = ("ok", compiled(value))
        except Exception:
            fast = ("not sure", None)
        finally:
            _serde.REQUEST_BODY.reset(token)
        if expected[0] == "error":
            assert fast[0] == "not sure", "a compiled function took what the general path refuses"
        elif fast[0] == "ok":
            assert _same(fast[1], expected[1])
        if expected[0] == "ok":
            assert _same(_serde.unstructure(expected[1]), GENERAL.unstructure(expected[1]))


_CREDENTIALS = {
    "webhookUrl": "https://h.example.com/x",
    "channel": "c",
    "deviceTokens": ["t1", "t2"],
    "alertUid": "a",
    "title": "t",
    "imageUrl": "i",
    "state": "s",
    "externalUrl": "e",
}


@pytest.mark.parametrize(
    "value",
    [
        # a few keys of many: matched key by key
        {},
        {"webhookUrl": "u"},
        {"webhookUrl": 5},
        {"webhookUrl": None},
        {"webhookUrl": UNSET},
        {"zz_unknown": 1},
        {"deviceTokens": ["a"], "title": "t"},
        {"deviceTokens": [1]},
        # every key there: read by subscript; one left out: by get
        _CREDENTIALS,
        {**_CREDENTIALS, "zz_unknown": 1},
        {**_CREDENTIALS, "state": UNSET},
        {**{k: v for k, v in _CREDENTIALS.items() if k != "title"}, "zz_unknown": 1},
        {k: v for k, v in _CREDENTIALS.items() if k != "title"},
        {k: v for k, v in _CREDENTIALS.items() if k not in ("title", "state", "channel", "alertUid")},
    ],
)
def test_each_way_of_reading_the_keys_agrees(value: dict[str, Any]) -> None:
    from novu_async.models.channel_credentials import ChannelCredentials

    _agree(ChannelCredentials, value)
    if value in (_CREDENTIALS, {"webhookUrl": "u"}):  # taken by the compiled function itself
        taken = _serde.compiler.structure_fn(ChannelCredentials)(value)
        assert _same(taken, GENERAL.structure(value, ChannelCredentials))


def test_the_general_copy_uses_no_compiled_function() -> None:
    from novu_async.models.subscriber_payload_dto import SubscriberPayloadDto

    hook = GENERAL.converter.get_structure_hook(SubscriberPayloadDto)
    assert hook.__name__ == "structure_model"
    assert "fast" not in (hook.__code__.co_freevars or ())
    assert "fast" in _serde.converter.get_structure_hook(SubscriberPayloadDto).__code__.co_freevars


def test_the_common_bodies_are_compiled_not_handed_over() -> None:
    """The shapes on the hot paths are taken by the compiled functions themselves."""
    from novu_async.models.list_subscribers_response_dto import ListSubscribersResponseDto
    from novu_async.models.trigger_event_request_dto import TriggerEventRequestDto
    from novu_async.models.trigger_event_response_dto import TriggerEventResponseDto

    compiled = _serde.compiler.structure_fn
    event = {"name": "welcome", "to": [{"subscriberId": "u1"}, "u2"], "payload": {"n": 1}}
    assert _same(compiled(TriggerEventRequestDto)(event), GENERAL.structure(event, TriggerEventRequestDto))
    answer = {"acknowledged": True, "status": "processed", "transactionId": "t"}
    assert compiled(TriggerEventResponseDto)(answer).status.value == "processed"
    page = {"data": [{"subscriberId": "u", "_organizationId": "o", "_environmentId": "e", "deleted": False,
                      "createdAt": "2024-05-01T00:00:00.000Z", "updatedAt": "2024-05-01T00:00:00.000Z"}],
            "next": None, "previous": None, "totalCount": 1, "totalCountCapped": False}  # fmt: skip
    assert _same(
        compiled(ListSubscribersResponseDto)(page), GENERAL.structure(page, ListSubscribersResponseDto)
    )


def test_an_unknown_key_in_a_request_body_is_refused_with_the_general_message() -> None:
    from novu_async.models.trigger_event_request_dto import TriggerEventRequestDto

    event = {"name": "welcome", "to": "u1", "transaction_id": "t"}
    assert _serde.structure(event, TriggerEventRequestDto).additional_properties == {"transaction_id": "t"}
    with pytest.raises(DataValidationError) as caught:
        _serde.structure(event, TriggerEventRequestDto, request=True)
    assert caught.value.problems == [
        ("$.transaction_id", "not a property of TriggerEventRequestDto; did you mean 'transactionId'?")
    ]


def test_a_response_keeps_its_fresh_json_a_request_body_is_copied() -> None:
    """A response body is parsed for the call alone: its free-form values are kept as they are; a
    request body's belong to the caller, who may change them afterwards: copied."""
    from novu_async.models.subscriber_response_dto import SubscriberResponseDto

    data, topics = {"plan": "pro"}, ["news"]
    value = {"subscriberId": "u", "_organizationId": "o", "_environmentId": "e", "deleted": False,
             "createdAt": "c", "updatedAt": "u", "data": data, "topics": topics}  # fmt: skip
    kept = _serde.structure(value, SubscriberResponseDto)
    assert kept.data is data
    assert kept.topics is topics
    copied = _serde.compiler.structure_fn(SubscriberResponseDto)(value)
    assert _same(copied, kept)
    assert copied.data is not data
    assert copied.topics is not topics
