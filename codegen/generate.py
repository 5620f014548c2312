"""One document in, one package's generated sub-packages out: the whole pipeline as a function."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from . import error_classes, ir
from .config import ROOT, RUNTIME_DIR
from .parse import build_api
from .render import Renderer, ruff_format, template_environment, write_tree
from .render_dicts import render_dicts
from .render_ops import OperationRenderer
from .render_sync import render_sync

# The sub-packages the generator owns inside a package: stale files there are deleted.
OWNED = ("models", "funcs", "resources", "dicts", "sync_resources")


@attrs.frozen
class Result:
    api: ir.Api
    files: dict[str, str]  # path relative to the package directory -> source
    written: int
    removed: int

    def summary(self) -> str:
        return (
            f"{len(self.api.operations)} operations, {len(self.api.models)} models, "
            f"{len(self.api.enums)} enums in {len(self.files)} files "
            f"({self.written} written, {self.removed} removed)"
        )


def render(document: dict[str, Any], package: str) -> tuple[ir.Api, dict[str, str]]:
    """Build the IR and the formatted sources, without touching the package directory."""
    api = build_api(document, package)
    info = document.get("info", {})
    renderer = Renderer(api, f"{info.get('title', 'OpenAPI document')} {info.get('version', '')}".strip())
    files = renderer.render_models()
    operations = OperationRenderer(api, renderer.env, renderer.spec_label)
    files.update(operations.render_all())
    files.update(render_dicts(api, renderer.env, renderer.spec_label))
    files.update(render_sync(operations))
    return api, ruff_format(files, ROOT / "pyproject.toml")


def generate(document: dict[str, Any], package: str, package_dir: Path) -> Result:
    api, files = render(document, package)
    written, removed = write_tree(package_dir, files, owned=OWNED)
    return Result(api=api, files=files, written=written, removed=removed)


def generate_runtime_tables(runtime_dir: Path = RUNTIME_DIR) -> int:
    """Write the tables the runtime reads (``_status_errors.py``); returns the number of files written."""
    files = ruff_format(
        {error_classes.RUNTIME_MODULE: error_classes.render(template_environment())}, ROOT / "pyproject.toml"
    )
    written, _ = write_tree(runtime_dir, files, owned=())
    return written
