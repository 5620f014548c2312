"""The unknown-key rule over every request body schema of the document (property-based): a key the
schema does not declare, at the top level or in a nested object, is refused before sending, naming
the operation, the JSON path and (where one is close) the declared key meant."""

from __future__ import annotations

import importlib
import types
from functools import cache
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.naming import snake
from novu_async import funcs
from novu_async._encode import encode_body
from novu_async._operation import Operation
from novu_async._serde import resolve
from novu_async._types import Unset
from novu_async._validate import closest_key, is_closed, known_keys
from novu_async.errors import DataValidationError

EXTRA = "additional_properties"


@cache
def body_operations() -> list[Operation]:
    """Every operation whose JSON body is a model whose schema allows no undeclared key."""
    found = []
    for name in sorted(set(funcs.OPERATIONS.values())):
        op: Operation = importlib.import_module(f"novu_async.funcs.{name}").OPERATION
        if op.body_kind == "json" and attrs.has(op.body_type) and is_closed(op.body_type):
            found.append(op)
    return found


def _bare(tp: Any) -> list[Any]:
    """The members of an annotation, ``UNSET`` and ``None`` left out."""
    if get_origin(tp) in (Union, types.UnionType):
        return [m for m in get_args(tp) if m not in (Unset, type(None))]
    return [tp]


@cache
def nested_places(cls: type) -> list[tuple[str, str]]:
    """``(wire name, "object" | "list")`` of the fields of ``cls`` that hold one closed model, as an
    object or as a list of them."""
    resolve(cls)
    places = []
    for field in attrs.fields(cls):
        if field.name == EXTRA:
            continue
        members = _bare(field.type)
        if len(members) != 1:
            continue
        (tp,) = members
        wire = field.metadata.get("wire", field.name)
        if isinstance(tp, type) and attrs.has(tp) and is_closed(tp):
            places.append((wire, "object"))
        elif get_origin(tp) is list:
            (item,) = get_args(tp)
            if isinstance(item, type) and attrs.has(item) and is_closed(item):
                places.append((wire, "list"))
    return places


def test_the_document_has_bodies_with_closed_schemas() -> None:
    ops = body_operations()
    assert len(ops) > 50
    assert any(op.name == "trigger" for op in ops)
    assert sum(bool(nested_places(op.body_type)) for op in ops) > 10


KEYS = st.text(st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=16)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), key=KEYS)
def test_an_undeclared_key_is_refused_with_its_path(data: st.DataObject, key: str) -> None:
    op = data.draw(st.sampled_from(body_operations()), label="operation")
    cls = op.body_type
    places = nested_places(cls)
    place = data.draw(st.sampled_from([None, *places]), label="where")
    if place is None:
        target = cls
        body: dict[str, Any] = {key: 1}
        path = f"$.{key}"
    else:
        wire, shape = place
        target = next(
            get_args(tp)[0] if shape == "list" else tp
            for f in attrs.fields(cls)
            if f.metadata.get("wire", f.name) == wire
            for tp in _bare(f.type)
        )
        body = {wire: [{key: 1}] if shape == "list" else {key: 1}}
        path = f"$.{wire}[0].{key}" if shape == "list" else f"$.{wire}.{key}"
    if key in known_keys(target):
        return
    with pytest.raises(DataValidationError) as caught:
        encode_body(op, body)
    error = caught.value
    assert error.what == f"{op.name} request body"
    messages = dict(error.problems)
    assert path in messages, (path, error.problems)
    assert messages[path].startswith(f"not a property of {target.__name__}")
    hint = closest_key(target, key)
    if hint is not None:
        assert messages[path].endswith(f"did you mean {hint!r}?")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_snake_case_of_a_declared_key_points_to_it(data: st.DataObject) -> None:
    op = data.draw(st.sampled_from(body_operations()), label="operation")
    cls = op.body_type
    wire = data.draw(st.sampled_from(sorted(known_keys(cls))), label="key")
    variant = snake(wire)
    if variant == wire or variant in known_keys(cls):
        return
    assert closest_key(cls, variant) == wire
    with pytest.raises(DataValidationError) as caught:
        encode_body(op, {variant: 1})
    expected = (f"$.{variant}", f"not a property of {cls.__name__}; did you mean {wire!r}?")
    assert expected in caught.value.problems
