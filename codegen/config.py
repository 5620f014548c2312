"""Reads ``openapi/specs.toml``: which upstream documents we pin and where each is rendered."""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_DIR = ROOT / "openapi"
UPSTREAM_DIR = OPENAPI_DIR / "upstream"
OVERLAY_DIR = OPENAPI_DIR / "overlays"
# the hand-written runtime every generated package imports from (``novu_async._operation``...); the
# generator writes its tables there (``codegen.error_classes``) but never imports it
RUNTIME_DIR = ROOT / "novu_async"


@attrs.frozen
class SpecConfig:
    key: str
    file: str
    version: str
    sha256: str
    url: str
    package: str
    overlays: tuple[str, ...]
    generate: bool

    @property
    def upstream_path(self) -> Path:
        return UPSTREAM_DIR / self.file

    @property
    def overlay_paths(self) -> tuple[Path, ...]:
        return tuple(OVERLAY_DIR / name for name in self.overlays)

    @property
    def package_dir(self) -> Path:
        return ROOT.joinpath(*self.package.split("."))


def load_config(path: Path = OPENAPI_DIR / "specs.toml") -> dict[str, SpecConfig]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    specs: dict[str, SpecConfig] = {}
    for key, entry in data["specs"].items():
        missing = {"file", "version", "sha256", "url", "package"} - entry.keys()
        if missing:
            raise SystemExit(f"{path}: [specs.{key}] lacks {', '.join(sorted(missing))}")
        specs[key] = SpecConfig(
            key=key,
            file=entry["file"],
            version=entry["version"],
            sha256=entry["sha256"].lower(),
            url=entry["url"],
            package=entry["package"],
            overlays=tuple(entry.get("overlays", ())),
            generate=bool(entry.get("generate", True)),
        )
    return specs
