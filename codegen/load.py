"""Read an OpenAPI document, apply our overlays, and resolve ``$ref`` pointers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

JSON = Any


class GenerationError(Exception):
    """The document holds something we cannot render faithfully; the message says where."""


def merge_patch(target: JSON, patch: JSON) -> JSON:
    """RFC 7386 JSON merge patch: objects merge key by key, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def load_document(path: Path, overlays: tuple[Path, ...] = ()) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for overlay in overlays:
        patch = json.loads(overlay.read_text(encoding="utf-8"))
        patch.pop("$comment", None)
        document = merge_patch(document, patch)
    return document


class Resolver:
    """Follows local ``$ref`` pointers (``#/components/...``) inside one document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise GenerationError(f"only local $ref pointers are supported, got {ref!r}")
        node: Any = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                node = node[part]
            except (KeyError, TypeError):
                raise GenerationError(f"$ref {ref!r} points at nothing") from None
        return node

    def deref(self, node: Any) -> Any:
        """Follow ``$ref`` chains until a node that is not a reference."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"$ref cycle through {ref!r}")
            seen.add(ref)
            node = self.lookup(ref)
        return node


def schema_name(ref: str) -> str | None:
    """``#/components/schemas/Foo`` -> ``Foo``; other pointers -> None."""
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if ref.startswith(prefix) else None
