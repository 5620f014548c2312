"""Behaviour of generated models and the converter, on every construct of the fixture document."""

from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import Any

import pytest

from novu_async import UNSET
from novu_async._serde import structure, unstructure
from novu_async.errors import DataValidationError


def round_trip(data: dict[str, Any], cls: type) -> Any:
    obj = structure(data, cls)
    assert unstructure(obj) == data
    return obj


def test_wire_names_and_python_names(fx: ModuleType) -> None:
    data = {
        "_id": "a",
        "id": "b",
        "__v": 3,
        "providerId": "p",
        "from": "f",
        "in": "i",
        "class": "c",
        "global": True,
        "type": "t",
        "hash": "h",
        "_environmentId": "e",
        "additional_properties": "reserved",
        "9lives": 9,
    }
    names = round_trip(data, fx.Names)
    assert (names._id, names.id, names.v, names.provider_id) == ("a", "b", 3, "p")
    assert (names.from_, names.in_, names.class_, names.global_) == ("f", "i", "c", True)
    assert (names.type, names.hash, names.environment_id) == ("t", "h", "e")
    assert names.additional_properties_2 == "reserved"
    assert names.field_9lives == 9
    assert names.additional_properties == {}


def test_absent_and_null_are_distinct_per_field(fx: ModuleType) -> None:
    minimal = round_trip({"required": "r", "requiredNullable": None}, fx.Presence)
    assert minimal.required_nullable is None
    assert minimal.optional is UNSET
    assert minimal.optional_nullable is UNSET
    explicit_null = round_trip(
        {"required": "r", "requiredNullable": "x", "optionalNullable": None}, fx.Presence
    )
    assert explicit_null.optional_nullable is None
    # built in Python: UNSET fields are left out, None is sent as null
    obj = fx.Presence(required="r", required_nullable=None, optional_nullable=None)
    assert unstructure(obj) == {"required": "r", "requiredNullable": None, "optionalNullable": None}


def test_required_and_non_nullable_are_enforced_with_paths(fx: ModuleType) -> None:
    with pytest.raises(DataValidationError) as caught:
        structure(
            {"requiredNullable": None, "optional": None, "matrix": [[1.5], ["x"]]}, fx.Presence, what="body"
        )
    problems = dict(caught.value.problems)
    assert problems["$.required"] == "required property is missing"
    assert "$.optional" in problems  # not nullable
    assert "$.matrix[1][0]" in problems
    assert "body" in str(caught.value)
    assert "$.matrix[1][0]" in str(caught.value)


def test_datetimes_are_timezone_aware(fx: ModuleType) -> None:
    obj = structure(
        {"required": "r", "requiredNullable": None, "when": "2024-05-01T12:30:00.123Z"}, fx.Presence
    )
    assert obj.when == dt.datetime(2024, 5, 1, 12, 30, 0, 123000, tzinfo=dt.timezone.utc)
    offset = structure(
        {"required": "r", "requiredNullable": None, "when": "2024-05-01T14:30:00+02:00"}, fx.Presence
    )
    assert offset.when == obj.when.replace(microsecond=0)
    assert offset.when.utcoffset() == dt.timedelta(hours=2)
    assert unstructure(obj)["when"] == "2024-05-01T12:30:00.123Z"
    with pytest.raises(DataValidationError, match=r"\$\.when"):
        structure({"required": "r", "requiredNullable": None, "when": "yesterday"}, fx.Presence)


def test_enum_members_known_and_unknown(fx: ModuleType) -> None:
    wrapped = round_trip({"channel": "webex-messaging"}, fx.Wrapped)
    assert wrapped.channel is fx.ChannelEnum.WEBEX_MESSAGING
    assert fx.ChannelEnum("1") is fx.ChannelEnum.VALUE_1
    unknown = round_trip({"channel": "carrier-pigeon", "status": "archived"}, fx.Wrapped)
    assert unknown.channel == "carrier-pigeon"
    assert type(unknown.channel) is str
    assert unknown.status == "archived"
    assert type(unknown.status) is str


def test_unknown_keys_are_kept_and_sent_back(fx: ModuleType) -> None:
    data = {"name": "Ann", "email": None, "nickname": "an", "meta": {"x": [1, 2]}}
    person = round_trip(data, fx.Person)
    assert person.additional_properties == {"nickname": "an", "meta": {"x": [1, 2]}}


def test_typed_additional_properties(fx: ModuleType) -> None:
    extra = round_trip({"name": "n", "a": 1, "b": 2}, fx.TypedExtra)
    assert extra.additional_properties == {"a": 1, "b": 2}
    with pytest.raises(DataValidationError, match=r"\$\['a'\]"):
        structure({"name": "n", "a": "one"}, fx.TypedExtra)


def test_maps(fx: ModuleType) -> None:
    data = {
        "counts": {"a": 1},
        "free": {"anything": [1, {"b": None}]},
        "anything": [1, "two"],
        "byChannel": {"x": "in_app", "y": "not-listed"},
        "nested": {"outer": {"inner": True}},
    }
    maps = round_trip(data, fx.Maps)
    assert maps.by_channel == {"x": fx.ChannelEnum.IN_APP, "y": "not-listed"}
    with pytest.raises(DataValidationError, match=r"\$\.counts\['a'\]"):
        structure({"counts": {"a": "1"}}, fx.Maps)


def test_allof_wrappers_inline_objects_and_inline_enums(fx: ModuleType) -> None:
    data = {
        "channel": "in_app",
        "owner": {"name": "Ann"},
        "labels": ["x"],
        "status": "paused",
        "settings": {"retries": 2, "window": {"seconds": 1.5}},
    }
    wrapped = round_trip(data, fx.Wrapped)
    assert isinstance(wrapped.owner, fx.Person)
    assert wrapped.status is fx.WrappedStatus.PAUSED
    assert isinstance(wrapped.settings.window, fx.WrappedSettingsWindow)
    assert round_trip({"channel": "in_app", "owner": None}, fx.Wrapped).owner is None


def test_allof_with_several_members_is_merged(fx: ModuleType) -> None:
    merged = round_trip({"name": "Ann", "age": 40}, fx.Merged)
    assert (merged.name, merged.age) == ("Ann", 40)
    with pytest.raises(DataValidationError, match=r"\$\.age"):
        structure({"name": "Ann"}, fx.Merged)


def test_discriminated_union(fx: ModuleType) -> None:
    data = {"steps": [{"type": "email", "subject": "hi"}, {"type": "sms", "body": "yo"}]}
    unions = round_trip(data, fx.Unions)
    assert [type(step) for step in unions.steps] == [fx.EmailStep, fx.SmsStep]
    with pytest.raises(DataValidationError, match=r"\$\.steps\[0\]\.subject"):
        structure({"steps": [{"type": "email", "body": "wrong member's field"}]}, fx.Unions)


def test_undiscriminated_union_by_required_keys_and_primitive_kinds(fx: ModuleType) -> None:
    assert round_trip({"to": "sub-1"}, fx.Unions).to == "sub-1"
    one = round_trip({"to": {"subscriberId": "s"}}, fx.Unions)
    assert isinstance(one.to, fx.Recipient)
    topic = round_trip({"to": {"topicKey": "k", "type": "Topic"}}, fx.Unions)
    assert isinstance(topic.to, fx.TopicRecipient)
    mixed = round_trip({"to": ["a", {"subscriberId": "s"}, {"topicKey": "k", "type": "Topic"}]}, fx.Unions)
    assert [type(x) for x in mixed.to] == [str, fx.Recipient, fx.TopicRecipient]
    with pytest.raises(DataValidationError, match=r"\$\.to"):
        structure({"to": 42}, fx.Unions)


@pytest.mark.parametrize("message", ["text", 1.5, 2, True, {"k": "v"}, ["a", 1], None])
def test_primitive_union_members(fx: ModuleType, message: Any) -> None:
    unions = round_trip({"message": message}, fx.Unions)
    assert unions.message == message
    assert type(unions.message) is type(message)


def test_inline_members_tagged_by_a_constant(fx: ModuleType) -> None:
    email = round_trip({"preview": {"type": "email", "subject": "s"}}, fx.Unions)
    assert isinstance(email.preview, fx.UnionsPreviewEmail)
    sms = round_trip({"preview": {"type": "sms", "body": "b"}}, fx.Unions)
    assert isinstance(sms.preview, fx.UnionsPreviewSms)


def test_recursive_schemas(fx: ModuleType) -> None:
    data = {
        "value": "root",
        "children": [{"value": "a", "children": [{"value": "a1"}]}],
        "byName": {"b": {"value": "b"}},
    }
    tree = round_trip(data, fx.Tree)
    assert tree.children[0].children[0].value == "a1"
    assert tree.by_name["b"].value == "b"


def test_mutually_recursive_schemas_across_modules(fx: ModuleType) -> None:
    data = {"pong": {"count": 1, "ping": {"pong": {"count": 2}}}}
    ping = round_trip(data, fx.Ping)
    assert ping.pong.ping.pong.count == 2
    assert isinstance(ping.pong, fx.Pong)


def test_empty_object_keeps_everything(fx: ModuleType) -> None:
    empty = round_trip({"whatever": 1}, fx.Empty)
    assert empty.additional_properties == {"whatever": 1}


def test_models_are_slotted_and_keyword_only(fx: ModuleType) -> None:
    person = fx.Person(name="Ann")
    assert not hasattr(person, "__dict__")
    with pytest.raises(TypeError):
        fx.Person("Ann")
    assert person.email is UNSET
