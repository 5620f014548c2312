"""A checkout whose generated code is missing says to run ``make generate`` (novu_async/_generated.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.machinery import PathFinder
from pathlib import Path

import pytest

from novu_async import _generated

from .conftest import ROOT, clean_env, copy_committed_tree

PROBE = """
import json, sys
try:
    exec(sys.argv[1])
except BaseException as exc:
    import novu_async
    print(json.dumps({"type": type(exc).__name__, "message": str(exc), "name": getattr(exc, "name", None),
                      "file": novu_async.__file__}))
else:
    print(json.dumps({"type": None}))
"""

STATEMENTS = {
    "from novu_async import Novu": "novu_async.resources",
    "from novu_async.funcs.trigger import trigger": "novu_async.funcs",
    "import novu_async.models": "novu_async.models",
    "from novu_async.models import TriggerEventRequestDto": "novu_async.models",
    "from novu_async.legacy import NovuLegacy": "novu_async.legacy.resources",
    "import novu_async.legacy.funcs.tenants_list": "novu_async.legacy.resources",
    "from novu_async.legacy.models import CreateTenantRequestDto": "novu_async.legacy.resources",
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed tree: a clone before `make generate`."""
    tree = tmp_path_factory.mktemp("checkout")
    copy_committed_tree(tree)
    assert not (tree / "novu_async" / "funcs").exists()
    return tree


def probe(root: Path, statement: str) -> dict[str, str | None]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, statement],
        cwd=root,
        env=clean_env(PYTHONPATH=str(root)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, str | None] = json.loads(result.stdout)
    if found["type"] is not None:
        assert found["file"] == str(root / "novu_async" / "__init__.py")  # the copy, not this checkout
    return found


@pytest.mark.parametrize("statement", list(STATEMENTS))
def test_a_checkout_without_generated_code_says_to_run_make_generate(checkout: Path, statement: str) -> None:
    found = probe(checkout, statement)
    assert found["type"] == "ImportError"  # not a bare ModuleNotFoundError
    assert found["name"] == STATEMENTS[statement]
    message = found["message"] or ""
    assert "run `make generate` in " + str(checkout) in message
    assert str(checkout.joinpath(*STATEMENTS[statement].split("."))) in message


def test_an_installation_without_generated_code_says_to_reinstall(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    (site / "novu_async").mkdir(parents=True)
    for path in (ROOT / "novu_async").glob("*.py"):
        (site / "novu_async" / path.name).write_bytes(path.read_bytes())
    found = probe(site, "from novu_async.funcs.trigger import trigger")
    assert found["type"] == "ImportError"
    assert "Reinstall it from a wheel" in (found["message"] or "")


def test_the_finder_is_last_and_answers_only_for_the_generated_packages() -> None:
    finders = [f for f in sys.meta_path if isinstance(f, _generated.MissingGeneratedCode)]
    assert len(finders) == 1
    # asked only after the finder of every file-system module has found nothing
    assert sys.meta_path.index(finders[0]) > sys.meta_path.index(PathFinder)
    assert finders[0].find_spec("novu_async.bulk", None) is None
    assert finders[0].find_spec("some_optional_dependency", None) is None
    with pytest.raises(ImportError, match="make generate"):
        finders[0].find_spec("novu_async.funcs", None)
    _generated.install()  # a second import of the package adds no second finder
    assert [f for f in sys.meta_path if isinstance(f, _generated.MissingGeneratedCode)] == finders
