"""The hand-written fixture document, generated once per session into a temporary package."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.generate import Result, generate

FIXTURE = Path(__file__).with_name("fixture.json")
SNAPSHOTS = Path(__file__).with_name("snapshots")
PACKAGE = "fixture_api"


def fixture_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FIXTURE.read_text())
    return document


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="session")
def fixture_result(fixture_root: Path) -> Result:
    package_dir = fixture_root / PACKAGE
    package_dir.mkdir()
    (package_dir / "__init__.py").write_text('"""Generated from tests/codegen/fixture.json."""\n')
    return generate(fixture_document(), PACKAGE, package_dir)


@pytest.fixture(scope="session")
def fx(fixture_result: Result, fixture_root: Path) -> Iterator[ModuleType]:
    """``fixture_api.models``, importable for the duration of the session."""
    sys.path.insert(0, str(fixture_root))
    try:
        import fixture_api.models as models

        yield models
    finally:
        sys.path.remove(str(fixture_root))
