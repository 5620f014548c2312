"""``make spec``: materialise the pinned upstream documents in openapi/upstream/ and verify them.

Sources, in order: ``$NOVU_SPEC_DIR``, then ``../shared/openapi/`` beside the checkout, then the pinned
URL. Whatever the source, the bytes must hash to the pinned sha256, or nothing is written.
"""

from __future__ import annotations

import hashlib
import os
import urllib.request
from pathlib import Path

from .config import ROOT, UPSTREAM_DIR, SpecConfig


class SpecError(Exception):
    """A document could not be found, fetched or verified."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(spec: SpecConfig, data: bytes, origin: str) -> None:
    actual = sha256_of(data)
    if actual != spec.sha256:
        raise SpecError(
            f"{spec.file} from {origin} has sha256 {actual}, but openapi/specs.toml pins "
            f"{spec.sha256}: refusing it. Fix the source or, if the upstream document really "
            f"changed, update the pin on purpose."
        )


def local_sources() -> list[Path]:
    sources = []
    env = os.environ.get("NOVU_SPEC_DIR")
    if env:
        sources.append(Path(env))
    sources.append(ROOT.parent / "shared" / "openapi")
    return sources


def fetch(
    spec: SpecConfig, *, target_dir: Path = UPSTREAM_DIR, sources: list[Path] | None = None, log: bool = True
) -> Path:
    """Make ``target_dir/spec.file`` hold the verified document; return its path."""
    target = target_dir / spec.file
    if target.is_file():
        try:
            verify(spec, target.read_bytes(), str(target))
        except SpecError:
            target.unlink()  # a stale or corrupt copy: fetch it again
        else:
            return target
    data: bytes | None = None
    origin = ""
    sources = local_sources() if sources is None else sources
    for directory in sources:
        candidate = directory / spec.file
        if candidate.is_file():
            data, origin = candidate.read_bytes(), str(candidate)
            break
    if data is None:
        origin = spec.url
        try:
            with urllib.request.urlopen(spec.url, timeout=60) as response:
                data = response.read()
        except OSError as exc:
            raise SpecError(
                f"{spec.file}: not in {[str(s) for s in sources]} and downloading {spec.url} failed: {exc}. "
                f"Set NOVU_SPEC_DIR to a directory that holds {spec.file} (sha256 {spec.sha256})"
            ) from exc
    verify(spec, data, origin)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    if log:
        print(f"spec: {spec.file} ({spec.version}) from {origin}, sha256 verified")
    return target
