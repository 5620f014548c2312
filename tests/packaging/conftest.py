"""Fixtures of the packaging tests: artefacts built from a clean copy of the committed tree, and fresh
virtual environments, outside the checkout, with the built wheel installed.

Nothing here reaches the network. The builds run without isolation, with this venv's hatchling and the
generator's requirements (the dev extra has them), and with every proxy variable pointing at a closed
port on 127.0.0.1, so a build that tried to download a document would fail at once. The fresh
environments install the wheel's dependencies from the wheelhouse that ``make wheelhouse`` fills
(``pip install --no-index --find-links``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from . import pythons

ROOT = pythons.ROOT
DEV_BIN = Path(sys.executable).parent  # build, mypy and twine of the venv the suite runs in
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"  # the Makefile's $(VENV)/wheelhouse
DOCUMENTS = ROOT / "openapi" / "upstream"  # `make spec` put the pinned, sha256-verified documents here
# a closed port on loopback: any download attempt fails at once instead of leaving the machine
NO_NETWORK = {
    name: "http://127.0.0.1:9" for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")
}


def clean_env(*, offline: bool = True, **extra: str) -> dict[str, str]:
    """This process's environment without anything that would point Python at the checkout; offline,
    every proxy is the closed loopback port, else none is set (for clients of FakeNovu on loopback)."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NOVU_SPEC_DIR", "NO_PROXY", "no_proxy", *NO_NETWORK}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if offline:
        env.update(NO_NETWORK)
    env.update(extra)
    return env


def run(
    command: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def check(result: subprocess.CompletedProcess[str], what: str) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def tracked_files() -> list[str]:
    """The paths git tracks in this checkout (skips when it is none, e.g. an unpacked sdist)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"the packaging tests need the files git tracks, and {ROOT} is no git checkout: {exc}")
    return [os.fsdecode(name) for name in listed.split(b"\0") if name]


def copy_committed_tree(target: Path) -> None:
    """The files git tracks (as they are in the work tree), and nothing else: no generated code, no
    documents, no caches, no virtual environment."""
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not part of it
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def build(source: Path, outdir: Path, *flags: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), *flags, str(source)]
    return run(command, cwd=outdir.parent, env=clean_env(**env))


@attrs.frozen
class Dists:
    tree: Path  # the clean copy of the committed tree
    sdist: Path  # `python -m build`: the sdist ...
    wheel: Path  # ... and the wheel built from it
    wheel_direct: Path  # `python -m build --wheel`: straight from the tree
    wheel_offline: Path  # from the unpacked sdist alone: no NOVU_SPEC_DIR, no sibling folders, no network
    failed_build: subprocess.CompletedProcess[str]  # from the tree with nowhere to find the documents
    seconds: float


@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    missing = [p.name for p in DOCUMENTS.glob("*.json")] if DOCUMENTS.is_dir() else []
    if len(missing) < 2:
        pytest.fail(f"{DOCUMENTS} lacks the pinned documents: run `make spec` (make test does)")
    started = time.perf_counter()
    base = tmp_path_factory.mktemp("dist")
    tree = base / "tree"
    copy_committed_tree(tree)
    out = base / "out"
    check(build(tree, out, NOVU_SPEC_DIR=str(DOCUMENTS)), "python -m build")
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")

    direct = base / "direct"
    check(build(tree, direct, "--wheel", NOVU_SPEC_DIR=str(DOCUMENTS)), "python -m build --wheel")
    (wheel_direct,) = direct.glob("*.whl")

    unpacked = base / "unpacked"
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # 3.10.12 and later: refuse paths outside the target
            archive.extractall(unpacked, filter="data")
        else:  # pragma: no cover - our own sdist, just built
            archive.extractall(unpacked)
    (sdist_tree,) = unpacked.iterdir()
    offline = base / "offline"
    check(build(sdist_tree, offline, "--wheel"), "python -m build --wheel from the unpacked sdist")
    (wheel_offline,) = offline.glob("*.whl")

    nowhere = base / "nowhere"
    nowhere.mkdir()
    failed = build(tree, base / "failed", "--wheel", NOVU_SPEC_DIR=str(nowhere))
    return Dists(
        tree=tree,
        sdist=sdist,
        wheel=wheel,
        wheel_direct=wheel_direct,
        wheel_offline=wheel_offline,
        failed_build=failed,
        seconds=time.perf_counter() - started,
    )


@attrs.frozen
class Venv:
    version: str
    path: Path

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def env(self) -> dict[str, str]:
        return clean_env(offline=False, PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture(scope="session")
def venv_with_wheel(tmp_path_factory: pytest.TempPathFactory, dists: Dists) -> Callable[[str], Venv]:
    """``venv_with_wheel("3.12")``: a fresh venv of that CPython with only the wheel and its dependencies
    (skips, saying where it looked, when the machine has no such interpreter)."""
    made: dict[str, Venv] = {}
    base = tmp_path_factory.mktemp("venvs")

    def make(version: str) -> Venv:
        if version in made:
            return made[version]
        executable = pythons.find(version)
        if executable is None:
            pytest.skip(f"no CPython {version} on this machine (looked for {pythons.where_looked(version)})")
        if not any(WHEELHOUSE.glob("*.whl")):
            pytest.fail(f"{WHEELHOUSE} holds no wheels: run `make wheelhouse` (make test does)")
        venv = Venv(version, base / f"py{version}")
        check(
            run([executable, "-m", "venv", "--without-pip", str(venv.path)], cwd=base, env=clean_env()),
            "venv",
        )
        install = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv.python),
            "install",
            "--quiet",
            "--no-compile",
        ]
        install += [
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            str(WHEELHOUSE),
            str(dists.wheel),
        ]
        check(
            run(install, cwd=base, env=clean_env()),
            f"pip install of the wheel into a fresh CPython {version} venv",
        )
        made[version] = venv
        return venv

    return make
