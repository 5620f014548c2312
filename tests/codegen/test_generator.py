"""The generator's output for the fixture document: snapshots, determinism and the file layout.

Snapshots live in tests/codegen/snapshots/fixture_api/; after a deliberate change to the templates
or the IR, refresh them with ``UPDATE_SNAPSHOTS=1 make test`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.generate import Result, generate, render
from codegen.parse import GenerationError, build_api
from codegen.render import write_tree

from .conftest import PACKAGE, SNAPSHOTS, fixture_document


def test_output_matches_the_snapshots(fixture_result: Result) -> None:
    snapshot_dir = SNAPSHOTS / PACKAGE
    expected = {
        path.relative_to(snapshot_dir).as_posix(): path.read_text()
        for path in sorted(snapshot_dir.rglob("*.py"))
    }
    if os.environ.get("UPDATE_SNAPSHOTS"):
        written, removed = write_tree(snapshot_dir, fixture_result.files, owned=("models",))
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
    modules = {path for path in fixture_result.files if path != "models/__init__.py"}
    assert len(modules) == len(classes)
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
