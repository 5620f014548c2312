"""Facts about the package that are written in more than one place, and must agree (no build needed)."""

from __future__ import annotations

import re
from importlib.metadata import version as installed_version

import novu_async
from codegen.config import load_config
from codegen.generate import OWNED
from novu_async import _generated

from . import pythons
from .conftest import ROOT, tracked_files

PYPROJECT = pythons.tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_a_release_with_its_changelog_section() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", novu_async.__version__), "a release version, no .dev suffix"
    headings = re.findall(r"^## \[(.+?)\](.*)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == ("Unreleased", "")  # the top, where new entries go
    released, date = headings[1]
    assert released == novu_async.__version__
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", date)


def ruff_pin(requirements: list[str]) -> str:
    (pin,) = [r for r in requirements if re.match(r"ruff\b", r)]
    return pin.split("#")[0].strip()


def test_the_build_formats_with_the_ruff_that_make_generate_uses() -> None:
    # the formatter's output changes between ruff releases: one version, or the wheel's code would
    # differ from the checkout's
    build = ruff_pin(PYPROJECT["build-system"]["requires"])
    dev = ruff_pin(PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert build == dev
    assert build.startswith("ruff==")
    assert installed_version("ruff") == build.removeprefix("ruff==")


def test_the_supported_pythons_agree_everywhere() -> None:
    versions = pythons.supported_versions()
    lowest = versions[0]
    minors = [int(v.split(".")[1]) for v in versions]
    assert minors == list(range(minors[0], minors[-1] + 1)), "the classifiers name every version in between"
    assert PYPROJECT["project"]["requires-python"] == f">={lowest}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{lowest.replace('.', '')}"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == lowest


def test_the_upstream_notice_names_each_pinned_document() -> None:
    notice = (ROOT / "openapi" / "UPSTREAM.md").read_text(encoding="utf-8")
    assert "MIT License" in notice
    assert "Copyright (c) 2024 Novu" in notice
    for spec in load_config().values():
        commit = re.search(r"/([0-9a-f]{40})/", spec.url)
        assert commit is not None, spec.url
        row = next(line for line in notice.splitlines() if line.startswith(f"| {spec.file} |"))
        assert spec.version in row
        assert commit[1] in row
        assert spec.sha256 in row


def test_the_generated_packages_are_named_alike_and_never_committed() -> None:
    packages = [spec.package for spec in load_config().values() if spec.generate]
    expected = {f"{package}.{sub}" for package in packages for sub in OWNED}
    assert expected | {"novu_async._status_errors"} == _generated.GENERATED
    directories = [name.replace(".", "/") + "/" for name in sorted(expected)]
    directories.append("novu_async/_status_errors.py")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert all(f"/{d}" in ignored for d in directories)
    assert [name for name in tracked_files() if name.startswith(tuple(directories))] == []
