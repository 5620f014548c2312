"""Inline enums with the values of an enum component are that component's class.

The fixture document has two components with the values ``asc``/``desc``: ``OrderEnum`` (first in
the document, referenced by nothing) and ``SortOrder`` (referenced once, by ``Team.order``). Two
inline enums have the same values: the required query parameter ``order`` of ``GET /v1/people``,
and ``Person.sort`` (``desc``, ``asc``, ``null``: another order, and nullable).
"""

from __future__ import annotations

from typing import Any

import pytest

from codegen import ir
from codegen.config import load_config
from codegen.generate import Result
from codegen.load import load_document
from codegen.parse import build_api

from .conftest import PACKAGE, fixture_document

SORT_ORDER = ir.Named("SortOrder", is_enum=True)


def types_of(document: dict[str, Any]) -> tuple[ir.TypeRef, ir.TypeRef, set[str]]:
    """The ``order`` parameter's type, ``Person.sort``'s type, and the enum classes."""
    api = build_api(document, PACKAGE)
    [people_list] = [op for op in api.operations if op.func == "people_list"]
    [order] = [p for p in people_list.params if p.python == "order"]
    [person] = [m for m in api.models if m.name == "Person"]
    [sort] = [f for f in person.fields if f.name == "sort"]
    return order.type, sort.type, {e.name for e in api.enums}


def test_an_inline_enum_with_a_components_values_is_that_component(fixture_result: Result) -> None:
    order, sort, enums = types_of(fixture_document())
    assert order == SORT_ORDER
    # the same set in another order is the same enum; null makes the use nullable, not the class
    assert sort == ir.Nullable(SORT_ORDER)
    # both components stay classes; no class is made for the inline enums
    assert {"OrderEnum", "SortOrder"} <= enums
    assert "PeopleListOrder" not in enums
    assert "PersonSort" not in enums
    # an inline enum whose values no component has is still a class of its owner
    assert "WrappedStatus" in enums
    # the generated signature names the component (open: any other string still passes)
    assert "order: SortOrder | str," in fixture_result.files["funcs/people_list.py"]
    assert "sort: SortOrder | str | Unset | None = UNSET" in fixture_result.files["models/person.py"]


def test_the_most_referenced_component_wins_then_the_first() -> None:
    document = fixture_document()
    # OrderEnum referenced twice, SortOrder once: the inline enums become OrderEnum
    schemas = document["components"]["schemas"]
    schemas["Note"]["properties"]["order"] = {"$ref": "#/components/schemas/OrderEnum"}
    schemas["Pong"]["properties"]["order"] = {"$ref": "#/components/schemas/OrderEnum"}
    order, sort, _ = types_of(document)
    assert order == ir.Named("OrderEnum", is_enum=True)
    assert sort == ir.Nullable(ir.Named("OrderEnum", is_enum=True))
    # a tie (one reference each): the first in the document
    del schemas["Pong"]["properties"]["order"]
    order, _, _ = types_of(document)
    assert order == ir.Named("OrderEnum", is_enum=True)


def test_only_equal_sets_are_merged() -> None:
    document = fixture_document()
    people_order = next(
        p for p in document["paths"]["/v1/people"]["get"]["parameters"] if p["name"] == "order"
    )
    people_order["schema"]["enum"] = ["asc", "desc", "random"]  # a superset is another enum
    order, _, enums = types_of(document)
    assert order == ir.Named("PeopleListOrder", is_enum=True)
    assert "PeopleListOrder" in enums


def test_current_document_inline_enums() -> None:
    """The current document: 40 inline enums were copies of a component (192 enums before, 152)."""
    spec = load_config()["current"]
    if not spec.upstream_path.is_file():
        pytest.skip(f"{spec.upstream_path} is missing: run `make spec`")
    document = load_document(spec.upstream_path, spec.overlay_paths)
    api = build_api(document, spec.package)
    assert len(api.enums) == 152
    by_name = {m.name: m for m in api.models}

    def field_type(model: str, wire: str) -> ir.TypeRef:
        return next(f.type for f in by_name[model].fields if f.wire == wire)

    # DigestUnitEnum (1 reference) and TimeUnitEnum (2) share their values: both stay, inline
    # units become the more used TimeUnitEnum
    assert field_type("DelayControlDto", "unit") == ir.Named("TimeUnitEnum", is_enum=True)
    assert field_type("DigestMetadataDto", "backoffUnit") == ir.Named("DigestUnitEnum", is_enum=True)
    names = {e.name for e in api.enums}
    assert {"DigestUnitEnum", "TimeUnitEnum", "DirectionEnum"} <= names
    assert not names & {"DelayControlDtoUnit", "SubscribersSearchOrderDirection", "TimedConfigOrdinal"}
    # no inline enum left with the values of a component
    components = {cls for _, cls in api.schema_classes}
    component_values = {frozenset(v for _, v in e.members) for e in api.enums if e.name in components}
    inline = {e.name: frozenset(v for _, v in e.members) for e in api.enums if e.name not in components}
    assert len(component_values) == 39  # 40 components, two of which share their values
    assert [name for name, values in inline.items() if values in component_values] == []
