"""What the generator records for requests: name overrides, bounds, closed models, TypedDicts of
request bodies, the blocking client's stubs and which operations offer an idempotency key."""

from __future__ import annotations

import ast
import copy
from typing import Any

import pytest

from codegen import ir, naming
from codegen.generate import Result, render
from codegen.parse import GenerationError, build_api

from .conftest import PACKAGE, fixture_document


def test_a_property_override_names_the_attribute_first() -> None:
    names = naming.attribute_names(["name", "workflowId", "to"], {"name": "workflowId"})
    # the override takes its name before the property whose wire name would give the same one
    assert names == {"name": "workflow_id", "workflowId": "workflow_id_2", "to": "to"}
    assert naming.attribute_names(["_id"], {"_id": "identifier"}) == {"_id": "identifier"}


def test_fixture_person(fixture_result: Result) -> None:
    models = {m.name: m for m in fixture_result.api.models}
    person = models["Person"]
    fields = {f.wire: f for f in person.fields}
    assert fields["handle"].name == "person_handle"
    assert fields["handle"].limits == ir.Limits(min_length=2, max_length=20)
    # OpenAPI 3.0's boolean exclusiveMaximum makes maximum exclusive
    assert fields["age"].limits == ir.Limits(minimum=0, exclusive_maximum=150)
    # an array's count and its items' length, in one Limits: each bound applies to its own kind
    assert fields["nicknames"].limits == ir.Limits(max_length=10, min_items=1, max_items=3)
    assert fields["name"].limits is None
    assert person.closed
    assert person.typed_dict == "PersonDict"
    # additionalProperties: true leaves a model open
    assert not models["PersonAddress"].closed
    assert models["PersonAddress"].typed_dict == "PersonAddressDict"
    # models only responses hold get no TypedDict
    assert models["Team"].typed_dict is None


def test_bounds_of_parameters_and_reads_without_idempotency_key(fixture_result: Result) -> None:
    ops = {op.func: op for op in fixture_result.api.operations}
    limit = next(p for p in ops["people_list"].params if p.python == "limit")
    assert limit.limits == ir.Limits(minimum=1, maximum=100)
    for op in fixture_result.api.operations:
        if op.http_method == "GET":  # declared on every operation but one (upload) in the fixture
            assert not any(p.wire == "idempotency-key" for p in op.params), op.func
    assert any(p.wire == "idempotency-key" for p in ops["people_create"].params)


def test_two_bounds_of_one_kind_fail_generation() -> None:
    document = copy.deepcopy(fixture_document())
    person = document["components"]["schemas"]["Person"]["properties"]
    person["choice"] = {"oneOf": [{"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 9}]}
    with pytest.raises(GenerationError, match="two different maxLength bounds"):
        build_api(document, PACKAGE)


def test_a_typed_dict_name_that_is_taken_fails_generation() -> None:
    document = copy.deepcopy(fixture_document())
    schemas = document["components"]["schemas"]
    schemas["PersonDict"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    with pytest.raises(GenerationError, match="PersonDict"):
        build_api(document, PACKAGE)


def typed_dict_keys(source: str, name: str) -> dict[str, str]:
    """``{key: annotation}`` of a TypedDict in generated source (class or functional form)."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {
                stmt.target.id: ast.unparse(stmt.annotation)
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
            }
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            call = node.value
            assert isinstance(call, ast.Call)
            fields = call.args[1]
            assert isinstance(fields, ast.Dict)
            return {
                ast.literal_eval(k): ast.literal_eval(v)
                for k, v in zip(fields.keys, fields.values, strict=True)
            }  # type: ignore[arg-type]
    raise AssertionError(f"{name} not found")


def test_typed_dicts_use_wire_names(fixture_result: Result) -> None:
    person = typed_dict_keys(fixture_result.files["dicts/person.py"], "PersonDict")
    assert person["name"] == "str"
    assert person["handle"] == "NotRequired[str]"  # the wire name, not person_handle
    assert person["sort"] == "NotRequired[Literal['asc', 'desc'] | str | None]"
    assert person["address"] == "NotRequired[PersonAddress | PersonAddressDict]"
    # keys that are keywords or no identifiers: the functional form
    names = typed_dict_keys(fixture_result.files["dicts/names.py"], "NamesDict")
    assert names["from"] == "NotRequired[str]"
    assert names["_id"] == "str"
    assert names["9lives"] == "NotRequired[int]"


def test_typed_dicts_cost_nothing_at_import(fixture_result: Result) -> None:
    for path, source in fixture_result.files.items():
        if path.startswith(("funcs/", "resources/", "models/")):
            runtime = [
                node
                for node in ast.parse(source).body
                if isinstance(node, ast.ImportFrom) and ".dicts" in (node.module or "")
            ]
            assert not runtime, f"{path} imports TypedDicts outside TYPE_CHECKING"
    funcs = fixture_result.files["funcs/people_create.py"]
    assert "body: Person | PersonDict," in funcs


def test_sync_stubs_mirror_the_resources(fixture_result: Result) -> None:
    files = fixture_result.files
    stubs = sorted(p for p in files if p.startswith("sync_resources/"))
    resources = sorted(p for p in files if p.startswith("resources/"))
    assert [p.removeprefix("sync_").removesuffix(".pyi") for p in stubs] == [
        p.removesuffix(".py") for p in resources
    ]
    tree = ast.parse(files["sync_resources/people.pyi"])
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    people = classes["SyncPeople"]
    methods = {node.name: node for node in people.body if isinstance(node, ast.FunctionDef)}
    assert {"create", "create_response", "list", "list_response"} <= set(methods)
    # blocking: plain functions returning the async method's result
    assert ast.unparse(methods["list"].returns) == "builtins.list[Person]"  # type: ignore[arg-type]
    teams = next(
        node
        for node in ast.parse(files["sync_resources/teams.pyi"]).body
        if isinstance(node, ast.ClassDef) and node.name == "SyncTeams"
    )
    iterator = next(n for n in teams.body if isinstance(n, ast.FunctionDef) and n.name == "list_iter")
    assert ast.unparse(iterator.returns) == "SyncIterator[Team]"  # type: ignore[arg-type]
    root = ast.parse(files["sync_resources/_root.pyi"])
    assert any(isinstance(n, ast.ClassDef) and n.name == "SyncResources" for n in root.body)


def test_no_pyi_without_its_package(fixture_result: Result) -> None:
    assert "sync_resources/__init__.pyi" in fixture_result.files
    assert not any(p.startswith("sync_resources/") and p.endswith(".py") for p in fixture_result.files)


def test_render_is_stable_with_overrides() -> None:
    document: dict[str, Any] = fixture_document()
    assert render(document, PACKAGE)[1] == render(document, PACKAGE)[1]


def test_the_generators_bounds_are_the_ones_the_core_checks() -> None:
    """Generated code writes ``Limits(name=value)`` from the IR's bounds: both classes name the same
    bounds, so none the document gives is lost between them and none is checked without being read."""
    import attrs

    from novu_async._types import Limits

    assert [a.name for a in attrs.fields(ir.Limits)] == [a.name for a in attrs.fields(Limits)]
