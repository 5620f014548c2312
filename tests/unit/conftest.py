"""The current Novu document, with our overlays applied, as the generator saw it."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from codegen.config import load_config
from codegen.load import load_document


@cache
def current_document() -> dict[str, Any]:
    spec = load_config()["current"]
    if not spec.upstream_path.is_file():
        pytest.exit(f"{spec.upstream_path} is missing: run `make generate` first", returncode=2)
    return load_document(spec.upstream_path, spec.overlay_paths)


@cache
def schema_classes() -> dict[str, str]:
    """Component schema name -> generated class name, as the generator decided them."""
    from codegen.parse import build_api

    return dict(build_api(current_document(), "novu_async").schema_classes)
