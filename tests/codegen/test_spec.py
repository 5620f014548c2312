"""`make spec`: where the pinned documents come from, and the sha256 check that guards them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs
import pytest

from codegen.config import SpecConfig, load_config
from codegen.spec import SpecError, fetch


def pinned(tmp_path: Path, content: bytes) -> SpecConfig:
    spec = load_config()["current"]
    return attrs.evolve(
        spec, file="doc.json", sha256=hashlib.sha256(content).hexdigest(), url="http://127.0.0.1:9/doc.json"
    )


def test_both_documents_are_pinned() -> None:
    specs = load_config()
    assert {s.file for s in specs.values()} == {"novu-api-3.18.1.json", "novu-api-legacy-1.0.json"}
    for spec in specs.values():
        assert len(spec.sha256) == 64
        assert spec.url.startswith("https://")
        assert all(path.is_file() for path in spec.overlay_paths), spec.overlay_paths


def test_first_source_with_the_file_wins_and_is_verified(tmp_path: Path) -> None:
    spec = pinned(tmp_path, b'{"openapi": "3.0.0"}')
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "doc.json").write_bytes(b'{"openapi": "3.0.0"}')
    target = fetch(spec, target_dir=tmp_path / "up", sources=[first, second], log=False)
    assert target.read_bytes() == b'{"openapi": "3.0.0"}'


def test_a_hash_mismatch_names_both_hashes_and_writes_nothing(tmp_path: Path) -> None:
    spec = pinned(tmp_path, b"the pinned bytes")
    (tmp_path / "doc.json").write_bytes(b"other bytes")
    with pytest.raises(SpecError) as caught:
        fetch(spec, target_dir=tmp_path / "up", sources=[tmp_path], log=False)
    message = str(caught.value)
    assert hashlib.sha256(b"other bytes").hexdigest() in message
    assert hashlib.sha256(b"the pinned bytes").hexdigest() in message
    assert not (tmp_path / "up" / "doc.json").exists()


def test_a_corrupt_local_copy_is_replaced(tmp_path: Path) -> None:
    spec = pinned(tmp_path, b"good")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "doc.json").write_bytes(b"good")
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "doc.json").write_bytes(b"truncated")
    target = fetch(spec, target_dir=tmp_path / "up", sources=[tmp_path / "src"], log=False)
    assert target.read_bytes() == b"good"


def test_no_source_and_no_download_is_a_clear_error(tmp_path: Path) -> None:
    spec = pinned(tmp_path, b"x")
    with pytest.raises(
        SpecError, match=r"doc\.json: not in .* and downloading http://127\.0\.0\.1:9/doc\.json failed"
    ):
        fetch(spec, target_dir=tmp_path / "up", sources=[tmp_path / "empty"], log=False)
