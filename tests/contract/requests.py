"""Valid requests for every operation of a document, built from its schemas alone.

``build_request(document, operation_id, variant)`` returns wire-keyed values (the document's own
parameter and property names, e.g. ``subscriberId``, ``_environmentId``) as plain Python data:

- ``minimal``: required parameters, headers and body properties only;
- ``full``: every parameter, header and body property as well, down to ``max_depth`` levels of
  nesting (below that, required properties only, so recursive schemas end).

Values are chosen to satisfy what a validator of the document checks: types, enums, formats, length
and range bounds, item counts, ``required``, ``oneOf`` / ``anyOf`` (first member; for a discriminated
``oneOf`` the first mapping entry with its tag set), ``allOf`` (merged) and ``additionalProperties``.
They are deterministic, so a failure reproduces, and deliberately plain (``"abc123"``, ``1``, ``True``):
they satisfy the typical identifier patterns (slugs, ``[A-Za-z][A-Za-z0-9_]*``) as they are.

Multipart bodies are dicts of form fields; binary fields are :class:`FilePart` values (a list of them
for an array of files). ``httpx_arguments`` turns any built request into ``httpx`` keyword arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal, TypedDict
from urllib.parse import quote

from tests.contract.document import (
    JSON,
    MULTIPART,
    Document,
    FilePart,
    Operation,
    Schema,
    effective_pattern,
)
from tests.contract.validator import RequestValidator, validator_for

Variant = Literal["minimal", "full"]
VARIANTS: tuple[Variant, ...] = ("minimal", "full")

STRING = "abc123"
STRING_CANDIDATES = (STRING, "abc", "ABC123", "abc_123", "abc-123", "a", "1", "abc.123")
FORMAT_VALUES = {
    "date-time": "2024-01-02T03:04:05.000Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "email": "user@example.com",
    "uri": "https://example.com/abc123",
    "url": "https://example.com/abc123",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
}
# Translation uploads want JSON files named after a locale: the one binary content this API takes.
FILE_NAME = "en_US.json"
FILE_CONTENT = json.dumps({"abc123": "abc123"}).encode()
HARD_DEPTH_LIMIT = 40


class BuiltRequest(TypedDict):
    """A request for one operation, keyed by wire names. ``body`` is None when nothing is sent."""

    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any
    content_type: str | None


class UnbuildableSchemaError(ValueError):
    """The builder cannot make a value for this schema (a required cycle, an empty enum...)."""


class RequestBuilder:
    """Builds requests and values for one document. Cheap to make; holds no per-request state."""

    def __init__(
        self, document: Document, *, max_depth: int = 4, checker: RequestValidator | None = None
    ) -> None:
        self.document = document
        self.max_depth = max_depth
        # only used to pick, among the members of a oneOf, one whose value matches no other member
        self.checker = checker or validator_for(document)

    # -- requests -------------------------------------------------------------------------------

    def request(self, operation_id: str, variant: Variant = "minimal") -> BuiltRequest:
        op = self.document.operation(operation_id)
        full = variant == "full"

        def chosen(location: str) -> dict[str, Any]:
            return {
                p.name: self.value(p.schema, variant) for p in op.params_in(location) if p.required or full
            }

        path = {name: str(v) if not isinstance(v, str) else v for name, v in chosen("path").items()}
        headers = {name: _header_value(v) for name, v in chosen("header").items()}
        body, content_type = None, None
        if op.has_body:  # sent in both variants: a body is "minimal" by its own properties
            content_type = JSON if JSON in op.body_content else next(iter(op.body_content))
            body = self.value(op.body_content[content_type], variant)
        return BuiltRequest(
            path=path, query=chosen("query"), headers=headers, body=body, content_type=content_type
        )

    # -- values ---------------------------------------------------------------------------------

    def value(self, schema: Mapping[str, Any], variant: Variant = "minimal", depth: int = 0) -> Any:
        """A value valid against ``schema``; ``depth`` counts the containers above it."""
        if depth > HARD_DEPTH_LIMIT:
            raise UnbuildableSchemaError(f"required properties recurse without end: {dict(schema)!r}")
        schema = self.flatten(schema)

        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            if not values:
                raise UnbuildableSchemaError(f"enum with no usable value: {schema!r}")
            return values[0]
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                return self._choice(schema, combinator, variant, depth)

        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, variant, depth)
        if kind == "array":
            return self._array(schema, variant, depth)
        if kind == "string":
            return self._string(schema)
        if kind in ("number", "integer"):
            return _number(schema)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return STRING  # an untyped schema ({}): any JSON value is valid

    def flatten(self, schema: Mapping[str, Any]) -> Schema:
        """Resolve ``$ref`` and merge ``allOf`` into one schema (the document's allOf are conjunctions
        of objects, or a single ``$ref`` wrapped to attach a description)."""
        schema = self.document.deref(schema)
        if "allOf" not in schema:
            return schema
        merged: Schema = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            part = self.flatten(member)
            for key, val in part.items():
                if key == "properties":
                    merged["properties"] = {**part["properties"], **merged.get("properties", {})}
                elif key == "required":
                    merged["required"] = sorted({*merged.get("required", []), *val})
                elif key not in merged:
                    merged[key] = val
        return merged

    def _choice(self, schema: Schema, combinator: str, variant: Variant, depth: int) -> Any:
        members: list[Mapping[str, Any]] = schema[combinator]
        discriminator = schema.get("discriminator")
        if discriminator:
            tag = discriminator["propertyName"]
            mapping: dict[str, str] = discriminator.get("mapping") or {
                ref.rsplit("/", 1)[-1]: ref for ref in (m["$ref"] for m in members if "$ref" in m)
            }
            tag_value, ref = next(iter(mapping.items()))
            built = self.value({"$ref": ref}, variant, depth)
            if not isinstance(built, dict):
                raise UnbuildableSchemaError(f"discriminated member {ref} is not an object")
            return {**built, tag: tag_value}
        usable = [m for m in members if _type_of(self.flatten(m)) != "null"] or members
        if combinator == "oneOf" and len(usable) > 1:
            # A validator of the document (Prism's) checks oneOf strictly: exactly one member may
            # match. Members that accept any object (no required keys) match each other's values, so
            # try each member, then its full form, for a value that only that member accepts.
            tries: tuple[Variant, ...] = (variant,) if variant == "full" else (variant, "full")
            for member in usable:
                for member_variant in tries:
                    candidate = self.value(member, member_variant, depth)
                    if sum(self.checker.is_valid(m, candidate) for m in members) == 1:
                        return candidate
        return self.value(usable[0], variant, depth)

    def _object(self, schema: Schema, variant: Variant, depth: int) -> dict[str, Any]:
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        expand = variant == "full" and depth < self.max_depth
        result = {
            name: self.value(prop, variant, depth + 1)
            for name, prop in properties.items()
            if name in required or expand
        }
        extra = schema.get("additionalProperties")
        if not properties and expand and extra is not False:
            result["key1"] = self.value(extra if isinstance(extra, dict) else {}, variant, depth + 1)
        return result

    def _array(self, schema: Schema, variant: Variant, depth: int) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        count = max(low, 1) if depth < self.max_depth else low
        if high is not None:
            count = min(count, int(high))
        return [self.value(schema.get("items", {}), variant, depth + 1) for _ in range(count)]

    def _string(self, schema: Schema) -> Any:
        fmt = schema.get("format")
        if fmt == "binary":
            return FilePart(FILE_NAME, FILE_CONTENT, JSON)
        if fmt == "byte":
            return "YWJjMTIz"
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        candidates = [FORMAT_VALUES[fmt]] if fmt in FORMAT_VALUES else list(STRING_CANDIDATES)
        raw = schema.get("pattern")
        if raw is None:
            return _fit_length(candidates[0], low, high)
        meant = effective_pattern(raw)
        # A placeholder pattern (``SLUG_IDENTIFIER_REGEX``) is not a regex to us, but a regex engine
        # that takes it literally (Prism's) only accepts strings containing it: offer it as a value.
        if re.escape(raw) == raw:
            candidates.append(raw)
        fitted = [_fit_length(c, low, high) for c in candidates]
        meant_ok = [v for v in fitted if meant is None or re.search(meant, v)]
        literal_ok = [v for v in meant_ok if _search(raw, v)]
        if literal_ok or meant_ok:
            return (literal_ok or meant_ok)[0]
        raise UnbuildableSchemaError(f"no candidate string satisfies {schema!r}")


def _type_of(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):  # not OpenAPI 3.0, but harmless to accept
        kind = next((k for k in kind if k != "null"), "null")
    if kind:
        return str(kind)
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _number(schema: Mapping[str, Any]) -> int | float:
    value: int | float = 1
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None:
        value = max(value, low + 1 if schema.get("exclusiveMinimum") is True else low)
    if high is not None:
        value = min(value, high - 1 if schema.get("exclusiveMaximum") is True else high)
    if schema.get("type") == "integer" or float(value).is_integer():
        return int(value)
    return value


def _search(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True  # not a Python regex: cannot tell, do not prefer


def _fit_length(value: str, low: int, high: Any) -> str:
    if len(value) < low:
        value += "x" * (low - len(value))
    if high is not None:
        value = value[: int(high)]
    return value


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- module-level conveniences --------------------------------------------------------------------


def build_request(document: Document, operation_id: str, variant: Variant = "minimal") -> BuiltRequest:
    """A valid request for ``operation_id`` (see the module docstring for the two variants)."""
    return RequestBuilder(document).request(operation_id, variant)


def build_value(document: Document, schema: Mapping[str, Any], variant: Variant = "minimal") -> Any:
    """A valid value for one schema of ``document`` (``{"$ref": "#/components/schemas/X"}`` works)."""
    return RequestBuilder(document).value(schema, variant)


def has_full_variant(operation: Operation) -> bool:
    """Whether ``full`` differs from ``minimal`` in what it can add: a body or optional parameters."""
    return operation.has_body or any(not p.required for p in operation.parameters)


def render_path(operation: Operation, path_params: Mapping[str, Any]) -> str:
    """The operation's path with each ``{name}`` replaced by its percent-encoded value."""

    def one(match: re.Match[str]) -> str:
        return quote(str(path_params[match[1]]), safe="")

    return re.sub(r"\{([^}]+)\}", one, operation.path)


def httpx_arguments(operation: Operation, built: BuiltRequest) -> dict[str, Any]:
    """Keyword arguments for ``httpx.AsyncClient.request`` that send ``built`` as documented:
    array query values as repeated keys, JSON bodies as JSON, multipart bodies as form fields and
    files (each item of a file array is a part under the field's own name)."""
    args: dict[str, Any] = {
        "method": operation.method,
        "url": render_path(operation, built["path"]),
        "params": built["query"],
        "headers": dict(built["headers"]),
    }
    body, content_type = built["body"], built["content_type"]
    if content_type == MULTIPART:
        data: dict[str, Any] = {}
        files: list[tuple[str, tuple[str, bytes, str]]] = []
        for name, value in (body or {}).items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, FilePart):
                    files.append((name, (item.filename, item.content, item.content_type)))
                else:
                    data.setdefault(name, []).append(_header_value(item))
        args["data"] = {k: v[0] if len(v) == 1 else v for k, v in data.items()}
        args["files"] = files
    elif content_type is not None:
        args["content"] = json.dumps(body).encode()
        args["headers"]["Content-Type"] = content_type
    return args
