"""One full description per operation, on ``NAME_response``; every other function and method of the
operation keeps the summary line and points at it (``codegen.prose``)."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from codegen.generate import Result
from codegen.render import template_environment
from codegen.render_ops import OperationRenderer

from .conftest import PACKAGE


@pytest.fixture(scope="module")
def imported(fixture_result: Result, fixture_root: Path) -> Iterator[dict[str, ModuleType]]:
    """The fixture package's function and resource modules, by dotted name without the package."""
    sys.path.insert(0, str(fixture_root))
    try:
        names = [path.removesuffix(".py").replace("/", ".") for path in fixture_result.files]
        yield {
            name: importlib.import_module(f"{PACKAGE}.{name}")
            for name in names
            if name.startswith("resources.") or (name.startswith("funcs.") and name[6] != "_")
        }
    finally:
        sys.path.remove(str(fixture_root))


def doc(obj: object) -> str:
    text = inspect.getdoc(obj)
    assert text, obj
    return text


def test_the_response_twin_holds_the_full_description(
    fixture_result: Result, imported: dict[str, ModuleType]
) -> None:
    for op in fixture_result.api.operations:
        full = doc(getattr(imported[f"funcs.{op.func}"], f"{op.func}_response"))
        assert full.startswith(f"{(op.summary or op.func.replace('_', ' ')).rstrip('.')}.\n"), op.func
        assert f"``{op.http_method} {op.path}`` ({op.operation_id})" in full
        args = full.split("\nArgs:\n", 1)[1].split("\n\n", 1)[0]
        listed = [
            line.split(":")[0].strip()
            for line in args.splitlines()
            if line.startswith("    ") and not line.startswith("        ")
        ]
        expected = [p.python for p in op.located("path")]
        expected += ["body"] if op.body is not None else []
        expected += [p.python for p in op.params if p.location != "path"] + ["options"]
        assert listed == expected, op.func
        assert "\nReturns:\n" in full
        assert "\nRaises:\n    APIError:" in full


def test_every_other_docstring_keeps_the_summary_and_points_at_the_twin(
    fixture_result: Result, imported: dict[str, ModuleType]
) -> None:
    renderer = OperationRenderer(fixture_result.api, template_environment(), "")
    for op in fixture_result.api.operations:
        summary = f"{(op.summary or op.func.replace('_', ' ')).rstrip('.')}"
        module = imported[f"funcs.{op.func}"]
        resource = getattr(imported[f"resources.{renderer.module_of(op.group)}"], renderer.class_of(op.group))
        others = {
            op.func: (getattr(module, op.func), f"``{op.func}_response`` describes the arguments"),
            "method": (
                getattr(resource, op.method_name),
                f"Calls ``{PACKAGE}.funcs.{op.func}.{op.func}``; ``{op.func}_response`` there describes",
            ),
            "method_response": (
                getattr(resource, f"{op.method_name}_response"),
                f"Calls ``{PACKAGE}.funcs.{op.func}.{op.func}_response``, which describes the arguments.",
            ),
        }
        if op.pagination is not None:
            others["iter"] = (
                getattr(module, f"{op.func}_iter"),
                f"Takes the arguments of ``{op.func}_response`` except ",
            )
            others["method_iter"] = (
                getattr(resource, f"{op.method_name}_iter"),
                f"Calls ``{PACKAGE}.funcs.{op.func}.{op.func}_iter``, which describes how it pages",
            )
        for what, (function, pointer) in others.items():
            text = doc(function)
            assert text.splitlines()[0].startswith(summary), (op.func, what)
            assert pointer in " ".join(text.split()), (op.func, what)
            if what == "iter":  # only its own arguments
                args = text.split("\nArgs:\n", 1)[1]
                assert [line.split(":")[0].strip() for line in args.splitlines()] == ["max_items", "options"]
            else:
                assert "Args:" not in text, (op.func, what)
