"""The sdist and the wheel, built as a release is, from a clean copy of the committed tree.

``dists`` (conftest.py) builds them four ways: ``python -m build`` (the sdist, then the wheel from it),
``python -m build --wheel`` from the tree, the wheel from the unpacked sdist alone (no documents
anywhere else, no network), and once with nowhere to find the documents.
"""

from __future__ import annotations

import email.parser
import hashlib
import re
import tarfile
import zipfile
from pathlib import Path

from codegen.config import load_config

from . import pythons
from .conftest import DEV_BIN, ROOT, Dists, check, clean_env, run

VERSION = re.search(r'__version__ = "(.+)"', (ROOT / "novu_async" / "_version.py").read_text())[1]  # type: ignore[index]
GENERATED = [
    f"{top}/{sub}"
    for top in ("novu_async", "novu_async/legacy")
    for sub in ("models", "funcs", "resources", "dicts", "sync_resources")
]
TABLES = ["novu_async/_status_errors.py"]  # generated modules beside the hand-written ones


def sdist_files(dists: Dists) -> dict[str, bytes]:
    with tarfile.open(dists.sdist) as archive:
        prefix = f"novu_async-{VERSION}/"
        found = {}
        for member in archive.getmembers():
            assert member.name.startswith(prefix), member.name
            if member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                found[member.name.removeprefix(prefix)] = extracted.read()
        return found


def wheel_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def generated(names: dict[str, bytes] | list[str]) -> list[str]:
    return sorted(n for n in names if n in TABLES or any(n.startswith(f"{g}/") for g in GENERATED))


def caches(names: dict[str, bytes]) -> list[str]:
    return [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo")) or ".mypy_cache" in n]


def test_the_artefacts_carry_the_release_version(dists: Dists) -> None:
    assert dists.sdist.name == f"novu_async-{VERSION}.tar.gz"
    assert dists.wheel.name == f"novu_async-{VERSION}-py3-none-any.whl"
    print(
        f"built 4 ways in {dists.seconds:.1f} s: sdist {dists.sdist.stat().st_size / 1024:.0f} KiB, "
        f"wheel {dists.wheel.stat().st_size / 1024:.0f} KiB"
    )


def test_the_sdist_carries_the_sources_and_the_pinned_documents(dists: Dists) -> None:
    files = sdist_files(dists)
    for name in (
        "pyproject.toml",
        "hatch_build.py",
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "PKG-INFO",
        "openapi/specs.toml",
        "openapi/UPSTREAM.md",
        "codegen/__main__.py",
        "refdocs/__main__.py",
        "refdocs/templates/sdk_page.md.j2",
        "novu_async/py.typed",
    ):
        assert name in files, name
    assert {n for n in files if n.startswith("openapi/overlays/")} == {
        f"openapi/overlays/{p.name}" for p in (ROOT / "openapi" / "overlays").iterdir()
    }
    for spec in load_config().values():
        document = files[f"openapi/upstream/{spec.file}"]
        assert hashlib.sha256(document).hexdigest() == spec.sha256, spec.file
    # the documents, not the code made from them: the wheel is generated from what the sdist carries
    assert generated(files) == []
    assert caches(files) == []
    assert not [n for n in files if n.startswith((".venv/", "node_modules/", ".git/", "dist/", "build/"))]


def test_the_wheel_holds_both_generated_apis_and_no_tests(dists: Dists) -> None:
    files = wheel_files(dists.wheel)
    for name in (
        "novu_async/__init__.py",
        "novu_async/py.typed",
        "novu_async/funcs/trigger.py",
        "novu_async/models/__init__.py",
        "novu_async/resources/_root.py",
        "novu_async/legacy/__init__.py",
        "novu_async/legacy/funcs/__init__.py",
        "novu_async/legacy/models/__init__.py",
        "novu_async/legacy/resources/_root.py",
        "novu_async/testing/__main__.py",
        "novu_async/cli/__init__.py",
    ):
        assert name in files, name
    dist_info = f"novu_async-{VERSION}.dist-info"
    assert files[f"{dist_info}/licenses/LICENSE"] == (ROOT / "LICENSE").read_bytes()
    assert (
        files[f"{dist_info}/licenses/openapi/UPSTREAM.md"] == (ROOT / "openapi" / "UPSTREAM.md").read_bytes()
    )
    assert "novu-async = novu_async.cli:main" in files[f"{dist_info}/entry_points.txt"].decode()
    outside = {n.split("/")[0] for n in files} - {"novu_async", dist_info}
    assert outside == set(), "the wheel holds more than the package"
    assert caches(files) == []
    assert not [n for n in files if n.split("/")[1] in ("tests", "benchmarks", "examples")]


def test_the_generated_code_is_what_make_generate_writes(dists: Dists) -> None:
    files = wheel_files(dists.wheel)
    checkout = sorted(
        [
            *TABLES,
            *(
                p.relative_to(ROOT).as_posix()
                for g in GENERATED
                for p in (ROOT / g).rglob("*.py*")
                if p.suffix in (".py", ".pyi")
            ),
        ]
    )
    assert checkout, "the checkout has no generated code: run `make generate` (make test does)"
    assert generated(files) == checkout
    different = [n for n in checkout if files[n] != (ROOT / n).read_bytes()]
    assert different == [], (
        f"{len(different)} generated files differ from `make generate`'s, e.g. {different[:3]}"
    )


def test_every_way_of_building_gives_the_same_wheel(dists: Dists) -> None:
    reference = wheel_files(dists.wheel)
    for other in (dists.wheel_direct, dists.wheel_offline):
        files = wheel_files(other)
        assert sorted(files) == sorted(reference), other
        assert [n for n in files if files[n] != reference[n]] == [], other


def test_a_build_that_cannot_find_the_documents_fails_naming_where_it_looked(dists: Dists) -> None:
    result = dists.failed_build
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    spec = load_config()["current"]
    assert spec.file in output
    assert "NOVU_SPEC_DIR" in output
    assert spec.url in output  # the pinned URL it tried, through the closed loopback proxy
    assert str(dists.tree / "openapi" / "upstream") in output  # and each folder it looked in
    assert not list((dists.tree.parent / "failed").glob("*.whl"))


def test_the_metadata_is_complete(dists: Dists) -> None:
    project = pythons.project()
    metadata = email.parser.Parser().parsestr(
        wheel_files(dists.wheel)[f"novu_async-{VERSION}.dist-info/METADATA"].decode()
    )
    assert metadata["Name"] == "novu-async"
    assert metadata["Version"] == VERSION
    assert metadata["Requires-Python"] == project["requires-python"]
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Summary"]
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# novu_async")  # the README
    assert set(metadata.get_all("Classifier")) == set(project["classifiers"])
    assert {"aiohttp", "http2", "cli", "orjson", "dev"} <= set(metadata.get_all("Provides-Extra"))
    runtime = sorted(r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r)
    assert runtime == sorted(project["dependencies"])
    assert metadata.get_all("Project-URL")


def test_twine_check_passes(dists: Dists) -> None:
    command = [str(DEV_BIN / "twine"), "check", "--strict", str(dists.sdist), str(dists.wheel)]
    result = check(run(command, cwd=dists.sdist.parent, env=clean_env()), "twine check")
    assert result.stdout.count("PASSED") == 2, result.stdout
