"""Error tables written once: the error maps the generated functions share (``funcs/_errors_N.py``)
and the status -> exception class table the runtime reads (``novu_async/_status_errors.py``).

Also: the generator runs without the runtime package importable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codegen import error_classes
from codegen.config import ROOT, RUNTIME_DIR
from codegen.generate import Result, generate_runtime_tables
from novu_async import errors
from novu_async.funcs import OPERATIONS

from .conftest import PACKAGE


def run(code: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Python ``code`` in a fresh interpreter with ``paths`` first on ``sys.path``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*map(str, paths), str(ROOT)])}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=ROOT
    )


# ---------------------------------------------------------------- the error maps


def test_operations_with_the_same_errors_share_one_map(fixture_result: Result) -> None:
    files = fixture_result.files
    maps = sorted(path for path in files if path.startswith("funcs/_errors_"))
    assert maps == ["funcs/_errors_1.py", "funcs/_errors_2.py"]  # two distinct maps, the most used first
    assert '    "400": ResponseSpec(Person),\n    "429": ResponseSpec(str),\n}' in files["funcs/_errors_1.py"]
    for func in ("people_list", "people_create", "people_tags_remove"):
        source = files[f"funcs/{func}.py"]
        assert f"from {PACKAGE}.funcs._errors_1 import ERRORS\n" in source, func
        assert "    errors=ERRORS,\n" in source, func
        assert '"400": ResponseSpec(' not in source, "the map is not repeated"
    assert f"from {PACKAGE}.funcs._errors_2 import ERRORS\n" in files["funcs/pets_list.py"]
    # an operation without a documented error body has no map
    assert "errors=" not in files["funcs/ping_ping_controller_ping.py"]


def test_importing_an_operation_loads_the_models_of_its_own_map_only(
    fixture_result: Result, fixture_root: Path
) -> None:
    result = run(
        """
        import sys
        from fixture_api.funcs.pets_list import OPERATION
        from fixture_api.models.pong import Pong
        assert OPERATION.errors["404"].type is Pong
        loaded = sorted(m for m in sys.modules if m.startswith("fixture_api.models."))
        print(" ".join(loaded))
        from fixture_api.funcs.people_list import OPERATION as people
        from fixture_api.funcs.people_create import OPERATION as create
        assert people.errors is create.errors  # one map, made once
        """,
        fixture_root,
    )
    assert result.returncode == 0, result.stderr
    # errors_1 (Person) is not called: its model stays unloaded
    assert result.stdout.split() == ["fixture_api.models.pets_page", "fixture_api.models.pong"]


def test_the_current_packages_maps() -> None:
    # what importing trigger loads: tests/unit/test_funcs_layout.py
    funcs = RUNTIME_DIR / "funcs"
    assert len(list(funcs.glob("_errors_*.py"))) == 7  # 7 distinct maps for 139 operations with errors
    for func in OPERATIONS.values():
        assert "errors={" not in (funcs / f"{func}.py").read_text(), f"{func} repeats an error map"


# ---------------------------------------------------------------- status -> exception class


def test_the_runtime_raises_what_the_table_says() -> None:
    for status in range(400, 600):
        assert errors.error_class_for_status(status).__name__ == error_classes.class_for(status), status
    assert errors.error_class_for_status(404) is errors.NotFoundError
    assert errors.error_class_for_status(503) is errors.InternalServerError
    assert errors.error_class_for_status(418) is errors.APIError


def test_the_runtime_table_is_the_generated_one(tmp_path: Path) -> None:
    assert generate_runtime_tables(tmp_path) == 1
    generated = (tmp_path / error_classes.RUNTIME_MODULE).read_text()
    assert (RUNTIME_DIR / error_classes.RUNTIME_MODULE).read_text() == generated, "run `make generate`"
    assert generate_runtime_tables(tmp_path) == 0  # written only when it changes


def test_a_table_naming_an_unknown_class_stops_the_import() -> None:
    result = run(
        """
        import sys, types
        table = types.ModuleType("novu_async._status_errors")
        table.BY_STATUS = {402: "PaymentRequiredError"}
        table.SERVER_ERROR, table.OTHER = "InternalServerError", "APIError"
        sys.modules["novu_async._status_errors"] = table
        import novu_async.errors
        """
    )
    assert result.returncode != 0
    assert "ImportError: novu_async/_status_errors.py names 'PaymentRequiredError'" in result.stderr


# ---------------------------------------------------------------- no runtime needed


def test_the_generator_runs_without_the_runtime_package(tmp_path: Path) -> None:
    result = run(
        f"""
        import sys
        from importlib.abc import MetaPathFinder

        class NoRuntime(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "novu_async" or name.startswith("novu_async."):
                    raise ImportError(f"{{name}} is not importable here")
                return None

        sys.meta_path.insert(0, NoRuntime())
        from pathlib import Path
        from codegen.docs import render_docs
        from codegen.generate import generate, generate_runtime_tables
        from tests.codegen.conftest import fixture_document

        target = Path({str(tmp_path)!r}) / {PACKAGE!r}
        result = generate(fixture_document(), {PACKAGE!r}, target)
        generate_runtime_tables(target.parent)
        pages = render_docs(result.api, "Fixture")
        assert "| 404 | `NotFoundError` | " in pages["pets.md"]
        print(sorted(m for m in sys.modules if m.startswith("novu_async")))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / PACKAGE / "funcs" / "_errors_1.py").is_file()
    assert (tmp_path / error_classes.RUNTIME_MODULE).is_file()
