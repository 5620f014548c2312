"""The reference pages of the hand-written API, rendered once per session (in memory), and the
whole of docs/ as ``make docs`` leaves it."""

from __future__ import annotations

import pytest

from codegen.config import ROOT, load_config
from codegen.docs import render_docs, spec_label, top_index
from codegen.load import load_document
from codegen.parse import build_api
from refdocs.pages import Reference


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference()


@pytest.fixture(scope="session")
def pages(reference: Reference) -> dict[str, str]:
    return reference.render()


@pytest.fixture(scope="session")
def whole(pages: dict[str, str]) -> dict[str, str]:
    """What ``make docs`` writes, in memory, by path under docs/, with docs/'s own pages beside it."""
    files = {f"reference/sdk/{name}": text for name, text in pages.items()}
    index = []
    for spec in load_config().values():
        if not spec.generate:
            continue
        if not spec.upstream_path.is_file():
            pytest.skip(f"{spec.upstream_path} is missing: run `make spec`")
        document = load_document(spec.upstream_path, spec.overlay_paths)
        api = build_api(document, spec.package)
        for name, text in render_docs(api, spec_label(document)).items():
            files[f"reference/{spec.key}/{name}"] = text
        index.append((spec.key, spec.package, spec_label(document), len(api.operations)))
    files["reference/index.md"] = top_index(index)
    for path in sorted((ROOT / "docs").glob("*.md")):
        files[path.name] = path.read_text(encoding="utf-8")
    return files
