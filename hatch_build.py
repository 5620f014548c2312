"""Hatchling build hook: puts what ``make spec`` and ``make generate`` make into the sdist and the wheel.

The upstream documents and the code generated from them are build products, never committed. This hook
runs the generator of ``make generate`` (``python -m codegen ... --out SCRATCH``) into a scratch
directory, so a build leaves the checkout as it was, and adds its output to the archive:

* sdist: ``python -m codegen spec``: the pinned documents, found as ``make spec`` finds them
  (``openapi/upstream/``, ``$NOVU_SPEC_DIR``, ``../shared/openapi/``, the pinned URL) and sha256-verified,
  go in as ``openapi/upstream/*.json``, beside their licence and origin (``openapi/UPSTREAM.md``). A wheel
  then builds from the sdist alone: no network, no sibling folders.
* wheel: ``python -m codegen generate``: the generated packages (``novu_async/{models,funcs,resources}``
  and the same under ``novu_async/legacy``) go in beside the hand-written code.
* editable wheel (``pip install -e .``): nothing. The checkout's own generated code is used; while it is
  missing, importing it raises an ImportError that says to run ``make generate``.

A build that cannot find a document, or whose generator fails or writes nothing, stops with the
generator's message: never a silent, empty package.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomli is a build requirement there
    import tomli as tomllib


class BuildError(Exception):
    """The documents or the generated code could not be made; the message says what was tried."""


class GeneratedCodeHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"
    _scratch: Path | None = None  # where the generator wrote, until the archive is written

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            return
        command = "spec" if self.target_name == "sdist" else "generate"
        scratch = Path(tempfile.mkdtemp(prefix="novu-async-build-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        self._scratch = scratch
        self._run_codegen(command, scratch)
        specs = tomllib.loads((Path(self.root) / "openapi" / "specs.toml").read_text(encoding="utf-8"))[
            "specs"
        ]
        if command == "spec":
            produced = [scratch / "openapi" / "upstream" / spec["file"] for spec in specs.values()]
            missing = [str(path) for path in produced if not path.is_file()]
        else:
            tables = scratch / "novu_async" / "_status_errors.py"  # read by novu_async.errors
            produced = [tables] if tables.is_file() else []
            missing = [] if produced else [str(tables)]
            for spec in specs.values():
                if not spec.get("generate", True):
                    continue
                package_dir = scratch.joinpath(*spec["package"].split("."))
                # the .pyi stubs of the blocking client (sync_resources/) with the modules
                modules = sorted([*package_dir.rglob("*.py"), *package_dir.rglob("*.pyi")])
                if not modules:
                    missing.append(f"the generated modules of {spec['package']} in {package_dir}")
                produced += modules
        if missing:
            raise BuildError(
                f"novu_async build: `python -m codegen {command}` did not write {', '.join(missing)}"
            )
        force_include = build_data.setdefault("force_include", {})
        for path in produced:
            force_include[str(path)] = path.relative_to(scratch).as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = self._scratch
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
            self._scratch = None

    def _run_codegen(self, command: str, scratch: Path) -> None:
        env = dict(os.environ)
        # the generator is this checkout's codegen/, whatever the build frontend put on sys.path
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [self.root, env.get("PYTHONPATH")]))
        env["RUFF_CACHE_DIR"] = str(scratch / ".ruff_cache")  # not beside pyproject.toml, in the tree
        argv = [sys.executable, "-m", "codegen", command, "--out", str(scratch)]
        result = subprocess.run(argv, cwd=self.root, env=env, capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            raise BuildError(
                f"novu_async build: `python -m codegen {command}` failed (exit {result.returncode}):\n"
                f"{result.stderr.strip() or result.stdout.strip()}"
            )
