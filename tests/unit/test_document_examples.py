"""Every `example` the document attaches to a schema or a property structures into its type."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import novu_async.models as models
from novu_async._serde import is_model, resolve, structure, unstructure

from .conftest import current_document, schema_classes

Example = tuple[str, Any, Any]  # (where, example value, Python type)
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # the walk lost the type


def models_in(tp: Any) -> list[type]:
    """The generated classes inside ``tp`` (``X | Unset | None``, ``list[X]``, ``dict[str, X]``...)."""
    if is_model(tp):
        return [typing.cast(type, tp)]
    return [found for arg in typing.get_args(tp) for found in models_in(arg)]


def wire_fields(cls: type) -> dict[str, Any]:
    resolve(cls)
    return {f.metadata.get("wire", f.name): f.type for f in attrs.fields(cls)}


def container_arg(tp: Any, origin: type, index: int) -> Any:
    """The item type of the first ``list[...]`` (or value type of ``dict[...]``) inside ``tp``."""
    if typing.get_origin(tp) is origin:
        return typing.get_args(tp)[index]
    for arg in typing.get_args(tp):
        found = container_arg(arg, origin, index)
        if found is not MISSING:
            return found
    return MISSING


def examples_of(schema: Any, tp: Any, where: str) -> Iterator[Example]:
    """Walk a raw schema alongside the Python type the generator made for it."""
    if not isinstance(schema, dict):
        return
    if "example" in schema:
        yield where, schema["example"], tp
    if "$ref" in schema:
        return  # the referenced component is walked on its own
    for key in ("allOf", "oneOf", "anyOf"):
        for index, member in enumerate(schema.get(key, [])):
            # a value valid for one member is valid for the whole union, which is what users hold
            member_type = tp if key != "allOf" or len(schema[key]) == 1 else MISSING
            yield from examples_of(member, member_type, f"{where}/{key}/{index}")
    if "items" in schema:
        yield from examples_of(schema["items"], container_arg(tp, list, 0), f"{where}/items")
    if isinstance(schema.get("additionalProperties"), dict):
        value_type = container_arg(tp, dict, 1)  # a map, or the typed extras of a model
        for cls in models_in(tp) if value_type is MISSING else ():
            value_type = container_arg(wire_fields(cls)["additional_properties"], dict, 1)
        yield from examples_of(schema["additionalProperties"], value_type, f"{where}/additionalProperties")
    properties = schema.get("properties", {})
    # the class for this object: the one (among a union's members) that declares all its properties
    fields: dict[str, Any] = {}
    for cls in models_in(tp):
        candidate = wire_fields(cls)
        if set(properties) <= set(candidate):
            fields = candidate
            break
    for name, sub in properties.items():
        yield from examples_of(sub, fields.get(name, MISSING), f"{where}/properties/{name}")


def all_examples() -> list[Example]:
    document = current_document()
    classes = schema_classes()
    found: list[Example] = []
    for name, schema in document["components"]["schemas"].items():
        cls = getattr(models, classes[name])
        found.extend(examples_of(schema, cls, f"#/components/schemas/{name}"))
    return found


EXAMPLES = all_examples()


def test_the_document_has_the_examples_we_expect() -> None:
    assert len(EXAMPLES) == 475  # every `example` under components/schemas, counted independently
    untyped = [where for where, _, tp in EXAMPLES if tp is MISSING]
    assert not untyped, f"examples whose Python type the walk could not find: {untyped[:10]}"


@pytest.mark.parametrize(("where", "example", "tp"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_structures(where: str, example: Any, tp: Any) -> None:
    obj = structure(example, tp, what=where)
    # equal after a second trip (a date-time may be written in another, equivalent form)
    assert structure(unstructure(obj), tp) == obj
