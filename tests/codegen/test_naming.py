"""Naming rules of the generator: identifiers, collisions, enum members, class and module names."""

from __future__ import annotations

import keyword

import pytest

from codegen import naming


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("providerId", "provider_id"),
        ("_environmentId", "environment_id"),
        ("__v", "v"),
        ("webex-messaging", "webex_messaging"),
        ("HTTPServerError", "http_server_error"),
        ("CreateWorkflowDto", "create_workflow_dto"),
        ("already_snake", "already_snake"),
        ("email.received", "email_received"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert naming.snake(text) == expected


def test_plain_wire_names() -> None:
    names = naming.attribute_names(["providerId", "from", "in", "class", "global", "id", "type", "hash"])
    assert names == {
        "providerId": "provider_id",
        "from": "from_",
        "in": "in_",
        "class": "class_",
        "global": "global_",
        # builtins are fine as attribute names: users write `subscriber.id`
        "id": "id",
        "type": "type",
        "hash": "hash",
    }


def test_leading_underscore_dropped_without_clash() -> None:
    assert naming.attribute_names(["_id", "__v", "_environmentId"]) == {
        "_id": "id",
        "__v": "v",
        "_environmentId": "environment_id",
    }


@pytest.mark.parametrize("order", [["_id", "id"], ["id", "_id"]])
def test_underscore_clash_keeps_the_underscore_whatever_the_order(order: list[str]) -> None:
    assert naming.attribute_names(order) == {"id": "id", "_id": "_id"}


def test_clash_without_underscores_gets_numbered_in_document_order() -> None:
    # all three normalise to `user_id`; the one that maps to it without dropping anything wins
    names = naming.attribute_names(["userId", "user_id", "UserId"])
    assert names["user_id"] == "user_id"
    assert sorted([names["userId"], names["UserId"]]) == ["user_id_2", "user_id_3"]
    assert names["userId"] == "user_id_2"  # document order decides the suffixes


def test_reserved_extra_name_is_never_taken_by_a_property() -> None:
    names = naming.attribute_names(["additional_properties", "additionalProperties"])
    assert "additional_properties" not in names.values()
    assert len(set(names.values())) == 2


def test_attribute_names_are_always_valid_identifiers() -> None:
    wires = ["9lives", "", "-", "a b", "class", "None", "_", "__", "ünïcode", "x-y-z", "$ref"]
    names = naming.attribute_names(wires)
    assert len(set(names.values())) == len(wires)
    for name in names.values():
        assert name.isidentifier(), name
        assert not keyword.iskeyword(name), name


def test_attribute_names_are_deterministic() -> None:
    wires = ["_id", "id", "__v", "v", "from", "from_"]
    assert naming.attribute_names(wires) == naming.attribute_names(list(wires))


def test_enum_member_names() -> None:
    values = ["in_app", "webex-messaging", "email.received", "1", "inApp", "in_app", ""]
    assert naming.enum_member_names(values) == [
        ("IN_APP", "in_app"),
        ("WEBEX_MESSAGING", "webex-messaging"),
        ("EMAIL_RECEIVED", "email.received"),
        ("VALUE_1", "1"),
        ("IN_APP_2", "inApp"),  # a distinct value whose name clashes
        ("EMPTY", ""),
    ]


def test_class_and_module_names() -> None:
    assert naming.class_name("CreateWorkflowDto") == "CreateWorkflowDto"
    assert naming.class_name("create-workflow_dto") == "CreateWorkflowDto"
    assert naming.class_name("2fa") == "Schema_2fa"
    assert naming.module_name("CreateWorkflowDto") == "create_workflow_dto"
    assert naming.module_name("Import") == "import_"
