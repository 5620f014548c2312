"""The generator's output for the fixture document: snapshots, determinism and the file layout.

Snapshots live in tests/codegen/snapshots/fixture_api/; after a deliberate change to the templates
or the IR, refresh them with ``UPDATE_SNAPSHOTS=1 make test`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.generate import OWNED, Result, generate, render
from codegen.parse import GenerationError, build_api
from codegen.render import write_tree

from .conftest import PACKAGE, SNAPSHOTS, fixture_document


def test_output_matches_the_snapshots(fixture_result: Result) -> None:
    snapshot_dir = SNAPSHOTS / PACKAGE
    expected = {
        path.relative_to(snapshot_dir).as_posix(): path.read_text()
        for path in sorted([*snapshot_dir.rglob("*.py"), *snapshot_dir.rglob("*.pyi")])
    }
    if os.environ.get("UPDATE_SNAPSHOTS"):
        written, removed = write_tree(snapshot_dir, fixture_result.files, owned=OWNED)
        pytest.skip(f"snapshots updated: {written} written, {removed} removed")
    assert expected, f"no snapshots in {snapshot_dir}: run with UPDATE_SNAPSHOTS=1 once"
    assert sorted(fixture_result.files) == sorted(expected), "generated file set differs"
    for path, source in fixture_result.files.items():
        assert source == expected[path], f"{path} differs from its snapshot"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = render(fixture_document(), PACKAGE)[1]
    second = render(fixture_document(), PACKAGE)[1]
    assert first == second
    # and writing the same files again changes nothing on disk
    target = tmp_path / PACKAGE
    generate(fixture_document(), PACKAGE, target)
    again = generate(fixture_document(), PACKAGE, target)
    assert (again.written, again.removed) == (0, 0)


def test_stale_generated_files_are_removed(tmp_path: Path) -> None:
    target = tmp_path / PACKAGE
    generate(fixture_document(), PACKAGE, target)
    stale = target / "models" / "gone.py"
    stale.write_text("x = 1\n")
    keep = target / "hand_written.py"
    keep.write_text("y = 2\n")
    result = generate(fixture_document(), PACKAGE, target)
    assert result.removed == 1
    assert not stale.exists()
    assert keep.exists(), "files outside the generated sub-packages are never touched"


def test_one_module_per_object_or_enum_schema(fixture_result: Result) -> None:
    api = fixture_result.api
    document = fixture_document()
    schemas = document["components"]["schemas"]
    # object and enum components get a class of their own; Label (a string) and Labels (an array)
    # are inlined where used
    classes = {
        name for name, s in schemas.items() if s.get("type") == "object" or "enum" in s or "allOf" in s
    }
    assert classes == {schema for schema, _ in api.schema_classes}
    assert "Label" not in api.schema_classes
    assert "Labels" not in api.schema_classes
    modules = {path for path in fixture_result.files if path.startswith("models/")} - {"models/__init__.py"}
    # plus one module per operation with inline types of its own (a multipart body; the query enum
    # of people_list has SortOrder's values, so it is SortOrder: tests/codegen/test_enums.py)
    assert modules - {"models/upload.py"} == {
        f"models/{d.module}.py" for d in api.definitions if d.source.startswith("#/components/")
    }
    assert len({d.module for d in api.definitions if d.source.startswith("#/components/")}) == len(classes)
    # inline schemas are named after their owner and live in the owner's module
    names = {model.name: model.module for model in api.models}
    assert names["UnionsPreviewEmail"] == names["Unions"] == "unions"
    assert names["WrappedSettings"] == "wrapped"


def test_every_class_is_exported_lazily(fixture_result: Result) -> None:
    init = fixture_result.files["models/__init__.py"]
    for model in fixture_result.api.models:
        assert f'"{model.name}": "{model.module}",' in init
    for enum in fixture_result.api.enums:
        assert f'"{enum.name}": "{enum.module}",' in init
    assert "def __getattr__(name: str)" in init


def test_a_dangling_reference_fails_generation_naming_it() -> None:
    document = fixture_document()
    document["components"]["schemas"]["Person"]["properties"]["boss"] = {
        "$ref": "#/components/schemas/Nobody"
    }
    with pytest.raises(GenerationError, match="Nobody"):
        build_api(document, PACKAGE)


def test_operations_are_named_like_novus_sdks(fixture_result: Result) -> None:
    names = {op.operation_id: (op.group, op.method_name, op.func) for op in fixture_result.api.operations}
    assert names == {
        # the document's global override rules: "^.*list.*" -> list, "^.*create.*" -> create
        "PeopleController_listPeople": (("people",), "list", "people_list"),
        "PeopleController_createPerson": (("people",), "create", "people_create"),
        # x-speakeasy-group with dots nests; its case is folded ("People.Tags" and "people.tags")
        "PeopleController_removeTag": (("people", "tags"), "remove", "people_tags_remove"),
        "PeopleController_tagExists": (("people", "tags"), "exists", "people_tags_exists"),
        # an empty group puts the method on the client itself
        "FilesController_upload": ((), "upload", "upload"),
        # no override and no rule: the operationId
        "PingController_ping": (("ping",), "ping_controller_ping", "ping_ping_controller_ping"),
        # list operations (tests/codegen/test_pagination.py)
        "TeamsController_listTeams": (("teams",), "list", "teams_list"),
        "NotesController_listNotes": (("teams", "notes"), "list", "teams_notes_list"),
        "PetsController_listPets": (("pets",), "list", "pets_list"),
        "EventsController_listEvents": (("events",), "list", "events_list"),
        "EventsController_getCount": (("events",), "retrieve", "events_retrieve"),
    }
    assert sorted(path for path in fixture_result.files if path.startswith("funcs/")) == sorted(
        [
            "funcs/__init__.py",
            "funcs/_index.py",
            "funcs/_errors_1.py",
            "funcs/_errors_2.py",
            *(f"funcs/{func}.py" for _, _, func in names.values()),
        ]
    )


def test_operation_details_decided_at_generation_time(fixture_result: Result) -> None:
    ops = {op.func: op for op in fixture_result.api.operations}
    remove = ops["people_tags_remove"]
    # path-level parameters are shared; path params keep path order; `body` would shadow the body
    assert [(p.wire, p.python, p.location) for p in remove.params] == [
        ("personId", "person_id", "path"),
        ("tag", "tag", "path"),
        ("body", "body_param", "query"),
        ("idempotency-key", "idempotency_key", "header"),
    ]
    assert [(r.status, r.type) for r in remove.responses] == [("204", None)]
    # a declared schema that is itself the {"data": ...} envelope is not unwrapped
    assert [r.unwrap for r in ops["people_tags_exists"].responses] == [False]
    assert [r.unwrap for r in ops["people_list"].responses] == [True]
    upload = ops["upload"]
    assert upload.body is not None
    assert (upload.body.kind, upload.body.required) == ("multipart", True)


def test_function_name_collisions_fail_generation() -> None:
    document = fixture_document()
    document["paths"]["/v1/people"]["get"]["operationId"] = "PeopleController_createAgain"
    with pytest.raises(GenerationError, match="both become people_create"):
        build_api(document, PACKAGE)


def test_method_and_group_collisions_fail_generation() -> None:
    document = fixture_document()
    # a method `tags` on `people` would hide the `people.tags` group
    document["paths"]["/v1/people"]["post"]["x-speakeasy-name-override"] = "tags"
    with pytest.raises(GenerationError, match="tags"):
        build_api(document, PACKAGE)
