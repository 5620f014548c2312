"""An OpenAPI 3.0 document as the contract tests read it: operations, parameters, bodies, ``$ref``.

The documents read here are the ones the SDK is generated from and Prism serves: each pinned upstream
file with our overlays applied (``effective_document_path``), for the current API and the legacy one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from codegen.config import load_config
from codegen.load import load_document as load_with_overlays

Schema = dict[str, Any]

JSON = "application/json"
MULTIPART = "multipart/form-data"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def effective_document_path(key: str) -> Path:
    """The document the SDK was generated from: the pinned upstream file with our overlays applied.

    Prism serves it and the builder reads it, so the contract is checked against the same reading of
    the API as the code. Written under the git-ignored ``openapi/upstream/effective/``; the upstream
    file itself is returned when there are no overlays (or it is missing: callers report that).
    """
    spec = load_config()[key]
    if not spec.overlays or not spec.upstream_path.is_file():
        return spec.upstream_path
    target = spec.upstream_path.parent / "effective" / spec.file
    text = json.dumps(load_with_overlays(spec.upstream_path, spec.overlay_paths), indent=1)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


def current_document_path() -> Path:
    """The current document, as the generator read it (see ``effective_document_path``)."""
    return effective_document_path("current")


def legacy_document_path() -> Path:
    """The legacy (v1) document, as the generator read it."""
    return effective_document_path("legacy")


# [specs.KEY] of openapi/specs.toml -> its effective document (both are generated and contract-tested)
DOCUMENT_PATHS: dict[str, Callable[[], Path]] = {
    "current": current_document_path,
    "legacy": legacy_document_path,
}


class FilePart(NamedTuple):
    """One file of a multipart body (the builder makes them; the validator decodes them)."""

    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    schema: Schema


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. "/v2/subscribers/{subscriberId}"
    parameters: tuple[Parameter, ...]
    body_required: bool
    body_content: Mapping[str, Schema]  # media type -> schema; empty when the operation has no body
    success_statuses: tuple[int, ...]  # the documented 2XX statuses

    @property
    def has_body(self) -> bool:
        return bool(self.body_content)

    def params_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def path_regex(self) -> re.Pattern[str]:
        """Matches a concrete (percent-encoded) path; one named group per path parameter."""
        return _path_regex(self.path)


@cache
def _path_regex(template: str) -> re.Pattern[str]:
    pattern, groups = "", 0
    for literal, name in re.findall(r"([^{]*)(?:\{([^}]+)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P<p{groups}>[^/]+)"
            groups += 1
    return re.compile(f"^{pattern}$")


class Document:
    """A parsed OpenAPI 3.0 document. Instances are cached per path by :func:`load_document`."""

    def __init__(self, raw: Mapping[str, Any], source: str = "<memory>") -> None:
        self.raw: Mapping[str, Any] = raw
        self.source = source
        self.schemas: Mapping[str, Schema] = raw.get("components", {}).get("schemas", {})
        self.operations: dict[str, Operation] = {op.operation_id: op for op in self._read_operations()}

    def _read_operations(self) -> Iterator[Operation]:
        for path, item in self.raw["paths"].items():
            shared = [self.deref(p) for p in item.get("parameters", [])]
            for method, op in item.items():
                if method not in METHODS:
                    continue
                own = [self.deref(p) for p in op.get("parameters", [])]
                merged = {(p["in"], p["name"]): p for p in [*shared, *own]}
                body = self.deref(op["requestBody"]) if "requestBody" in op else {}
                yield Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=tuple(
                        Parameter(
                            name=p["name"],
                            location=p["in"],
                            required=bool(p.get("required", p["in"] == "path")),
                            schema=p.get("schema", {}),
                        )
                        for p in merged.values()
                    ),
                    body_required=bool(body.get("required", False)),
                    body_content={mt: c.get("schema", {}) for mt, c in body.get("content", {}).items()},
                    success_statuses=tuple(
                        sorted(int(s) for s in op["responses"] if s.isdigit() and s.startswith("2"))
                    ),
                )

    def operation(self, operation_id: str) -> Operation:
        return self.operations[operation_id]

    def deref(self, node: Mapping[str, Any]) -> dict[str, Any]:
        """Follow ``$ref`` (local ``#/...`` pointers only) until a node without one."""
        seen: set[str] = set()
        while "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"{self.source}: $ref cycle at {ref}")
            seen.add(ref)
            node = self.pointer(ref)
        return dict(node)

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"{self.source}: only local $ref is supported, got {ref!r}")
        target: Any = self.raw
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target

    def find_operation(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
        """The operation a concrete request goes to, and its (still percent-encoded) path values.

        A literal segment beats a parameter (``/v2/topics/subscriptions`` is not ``/v2/topics/{key}``),
        as in every router that follows the OpenAPI rule for overlapping templates.
        """
        matches = []
        for op in self.operations.values():
            if op.method != method.upper():
                continue
            found = op.path_regex.match(raw_path)
            if found:
                names = re.findall(r"\{([^}]+)\}", op.path)
                values = dict(zip(names, found.groups(), strict=True))
                matches.append((len(names), op, values))
        if not matches:
            raise LookupError(f"{self.source}: no operation for {method.upper()} {raw_path}")
        matches.sort(key=lambda m: m[0])
        return matches[0][1], matches[0][2]


@cache
def load_document(path: Path) -> Document:
    """Read and parse a document once per path (the contract suite shares it across tests)."""
    return Document(json.loads(Path(path).read_text(encoding="utf-8")), source=str(path))


_JS_REGEX_LITERAL = re.compile(r"^/(?P<body>.*)/(?P<flags>[dgimsuvy]*)$", re.DOTALL)
_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def effective_pattern(pattern: str) -> str | None:
    """What a ``pattern`` keyword of this document means as a Python regex, or None to not enforce it.

    Novu's document has two kinds of non-regex patterns (see DESIGN.md): constant names that the
    server's code substitutes (``SLUG_IDENTIFIER_REGEX``) and JavaScript regex literals written with
    their slashes (``'/^[A-Za-z][A-Za-z0-9_]*$/'``). A constant name is not enforced (its meaning is not
    in the document); a literal is unwrapped to its body; a pattern Python cannot compile is not
    enforced either.
    """
    if _PLACEHOLDER.match(pattern):
        return None
    literal = _JS_REGEX_LITERAL.match(pattern)
    if literal and len(pattern) > 2:
        pattern = ("(?i)" if "i" in literal["flags"] else "") + literal["body"]
    try:
        re.compile(pattern)
    except re.error:
        return None
    return pattern
