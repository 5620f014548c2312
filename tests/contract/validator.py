"""An independent validator of requests against an OpenAPI 3.0 document, on ``jsonschema``.

Prism validates most requests, but not all (DESIGN.md, "Testing notes"): it passes any body of the
workflow create/update operations (their discriminated ``steps``) and cannot parse multipart bodies.
This module checks a request without Prism: what the contract tests build, and what the SDK really
sends (:meth:`RequestValidator.validate_httpx_request` takes an ``httpx.Request`` off the wire).

The document's schemas are translated once into JSON Schema Draft 7:

- ``nullable: true`` allows ``null`` (also next to ``$ref`` / ``allOf`` / ``enum``);
- ``$ref: #/components/schemas/X`` resolves inside the translated document (``referencing``);
- ``example``, ``discriminator``, ``x-*``, ``deprecated``, ``readOnly``/``writeOnly`` are annotations;
- a ``oneOf`` with a ``discriminator`` dispatches on the tag: the tag is required, must be a mapping
  key, and selects the one member to validate against (Draft 7 ``if``/``then``). Without it, every
  step of a workflow matches all ten step members (each one's ``type`` is the whole step-type enum)
  and a plain ``oneOf`` would reject every valid step;
- any other ``oneOf`` is checked as ``anyOf``: Novu writes ``oneOf`` for unions whose members overlap
  (``InAppControlDto`` | free-form object), where a valid value matches more than one member;
- ``pattern`` is enforced only where it is a regex (see ``effective_pattern``);
- formats ``date-time``, ``date``, ``email``, ``uri``, ``uuid`` are checked by our own strict
  checkers (jsonschema's default ``date-time``/``uri`` checks need optional packages and silently pass
  without them); ``binary`` is checked structurally for multipart bodies.

Query, path and header values arrive as strings: they are converted by their schema (numbers,
booleans ``true``/``false``, arrays as repeated keys) before validation, as a server would.
"""

from __future__ import annotations

import datetime
import email.parser
import email.policy
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import jsonschema
import referencing
import referencing.jsonschema

from tests.contract.document import (
    MULTIPART,
    Document,
    FilePart,
    Operation,
    Parameter,
    Schema,
    effective_pattern,
)

if TYPE_CHECKING:
    from tests.contract.requests import BuiltRequest

BASE_URI = "urn:openapi-document"
ANNOTATIONS = frozenset(
    {"example", "examples", "discriminator", "deprecated", "readOnly", "writeOnly", "xml"}
)
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions"})
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
SCHEMA_VALUES = frozenset({"items", "additionalProperties", "not", "if", "then", "else"})


@dataclass
class ValidationReport:
    """Every problem found in one request, as ``location: message`` lines (empty when valid)."""

    operation_id: str
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        if self.ok:
            return f"{self.operation_id}: valid"
        return f"{self.operation_id}: {len(self.errors)} problem(s)\n  " + "\n  ".join(self.errors)


# -- formats ----------------------------------------------------------------------------------------

_DATE_TIME = re.compile(  # RFC 3339 section 5.6: seconds and the offset are mandatory
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?P<offset>[Zz]|[+-]\d{2}:\d{2})$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _check_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    found = _DATE_TIME.match(value)
    if not found:
        return False
    offset = "+00:00" if found["offset"] in "Zz" else found["offset"]
    second_of_leap = found["time"].endswith(":60")  # RFC 3339 allows a leap second
    time = found["time"][:-2] + "59" if second_of_leap else found["time"]
    datetime.datetime.fromisoformat(f"{found['date']}T{time}{offset}")  # raises on 2024-02-30, 25:00...
    return True


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(datetime.date.fromisoformat(value))


@FORMAT_CHECKER.checks("email")
def _check_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


@FORMAT_CHECKER.checks("uri")
def _check_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and " " not in value


@FORMAT_CHECKER.checks("uuid", raises=ValueError)
def _check_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", value)) and bool(
        uuid.UUID(value)
    )


# -- OpenAPI 3.0 schema -> JSON Schema Draft 7 -----------------------------------------------------


class Translator:
    """Translates the schemas of one document (see the module docstring for the rules)."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def __call__(self, node: Any) -> Any:
        if not isinstance(node, Mapping):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            out: Schema = {"$ref": BASE_URI + ref if ref.startswith("#") else ref}
            return _nullable(out) if node.get("nullable") is True else out

        out = {}
        for key, value in node.items():
            if key in ANNOTATIONS or key.startswith("x-") or key == "nullable":
                continue
            if key in SCHEMA_MAPS:
                out[key] = {name: self(sub) for name, sub in value.items()}
            elif key in SCHEMA_LISTS:
                out[key] = [self(sub) for sub in value]
            elif key in SCHEMA_VALUES:
                out[key] = self(value) if isinstance(value, Mapping) else value
            elif key == "pattern":
                pattern = effective_pattern(value)
                if pattern is not None:
                    out[key] = pattern
            elif key == "format" and value == "binary":
                continue
            else:
                out[key] = value

        if "allOf" in node and isinstance(node.get("additionalProperties"), Mapping):
            # `{allOf: [$ref R], additionalProperties: S}` means "R, plus other keys of schema S" (Novu's
            # `TriggerOverrides & Record<string, object>`). In JSON Schema the sibling S would apply to
            # R's own keys too (no sibling `properties`), so R's keys are declared here as well.
            own = out.setdefault("properties", {})
            for name in self._member_properties(node["allOf"]):
                own.setdefault(name, {})
        if "oneOf" in out:
            members = out.pop("oneOf")
            discriminator = node.get("discriminator")
            if discriminator:
                out.setdefault("allOf", []).extend(_dispatch(discriminator, node["oneOf"]))
            else:
                out["anyOf"] = (
                    members if "anyOf" not in out else [{"anyOf": members}, {"anyOf": out["anyOf"]}]
                )
        if node.get("nullable") is True:
            return _nullable(out)
        return out

    def _member_properties(self, members: Iterable[Mapping[str, Any]]) -> list[str]:
        names: list[str] = []
        for member in members:
            resolved = self.document.deref(member)
            names += list(resolved.get("properties", {}))
            names += self._member_properties(resolved.get("allOf", []))
        return names


def _dispatch(discriminator: Mapping[str, Any], members: Iterable[Mapping[str, Any]]) -> list[Schema]:
    """A discriminated oneOf as rules: the tag is present and mapped, and selects its member."""
    tag = discriminator["propertyName"]
    mapping: Mapping[str, str] = discriminator.get("mapping") or {
        m["$ref"].rsplit("/", 1)[-1]: m["$ref"] for m in members if "$ref" in m
    }
    rules: list[Schema] = [
        {"type": "object", "required": [tag], "properties": {tag: {"enum": list(mapping)}}}
    ]
    for tag_value, ref in mapping.items():
        rules.append(
            {
                "if": {"properties": {tag: {"const": tag_value}}, "required": [tag]},
                "then": {"$ref": BASE_URI + ref},
            }
        )
    return rules


def _nullable(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str) and set(schema) <= {"type", "format", "description", "default"}:
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [{"type": "null"}, schema]}


# -- the validator ----------------------------------------------------------------------------------


class RequestValidator:
    """Validates requests for the operations of one document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.translate = Translator(document)
        self._compiled: dict[str, jsonschema.Draft7Validator] = {}
        schemas = {name: self.translate(schema) for name, schema in document.schemas.items()}
        translated = {"components": {"schemas": schemas}}
        resource = referencing.Resource.from_contents(
            translated, default_specification=referencing.jsonschema.DRAFT7
        )
        self.registry: referencing.Registry[Any] = referencing.Registry().with_resource(BASE_URI, resource)

    # -- schema level --------------------------------------------------------------------------

    def compiled(self, schema: Mapping[str, Any]) -> jsonschema.Draft7Validator:
        """A validator for one (untranslated) schema of the document, made once per distinct schema."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self._compiled:
            self._compiled[key] = jsonschema.Draft7Validator(
                self.translate(schema), registry=self.registry, format_checker=FORMAT_CHECKER
            )
        return self._compiled[key]

    def is_valid(self, schema: Mapping[str, Any], instance: Any) -> bool:
        return bool(self.compiled(schema).is_valid(instance))

    def schema_errors(self, schema: Mapping[str, Any], instance: Any, where: str) -> list[str]:
        """Problems of ``instance`` against one (untranslated) schema of the document."""
        problems = sorted(self.compiled(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [f"{where}{_json_path(e.absolute_path)}: {_message(e)}" for e in problems]

    # -- parts of a request --------------------------------------------------------------------

    def validate_parameters(
        self,
        operation: Operation,
        location: str,
        values: Mapping[str, Any],
        *,
        from_wire: bool = False,
    ) -> list[str]:
        """Check one location's parameters: required present, each value valid. With ``from_wire``
        the values are strings (lists of strings for repeated query keys) and are converted first."""
        errors = []
        declared = {_key(p.name, location): p for p in operation.params_in(location)}
        given = {_key(name, location): value for name, value in values.items()}
        for key, param in declared.items():
            if key not in given:
                if param.required:
                    errors.append(f"{location}.{param.name}: required parameter is missing")
                continue
            value = self._from_wire(param, given[key]) if from_wire else given[key]
            errors += self.schema_errors(param.schema, value, f"{location}.{param.name}")
        if location in ("path", "query"):  # unknown headers are normal; an unknown query key is a bug
            errors += [
                f"{location}.{k}: not a parameter of this operation"
                for k in sorted(given.keys() - declared.keys())
            ]
        return errors

    def validate_body(self, operation: Operation, body: Any, content_type: str | None) -> list[str]:
        """Check a JSON body (already decoded) or a multipart body (field -> value | FilePart | list)."""
        if not operation.has_body:
            return [] if body is None else ["body: the operation takes no body"]
        if body is None or content_type is None:
            return ["body: required body is missing"] if operation.body_required else []
        media = content_type.split(";")[0].strip().lower()
        if media not in operation.body_content:
            return [f"body: content type {media!r} is not one of {sorted(operation.body_content)}"]
        schema = operation.body_content[media]
        if media == MULTIPART:
            return self._multipart_errors(schema, body)
        return self.schema_errors(schema, body, "body")

    def validate_built(self, operation_id: str, built: BuiltRequest) -> ValidationReport:
        """Check a request made by ``tests.contract.requests`` (typed values, wire names)."""
        op = self.document.operation(operation_id)
        report = ValidationReport(operation_id)
        report.errors += self.validate_parameters(op, "path", built["path"])
        report.errors += self.validate_parameters(op, "query", built["query"])
        report.errors += self.validate_parameters(op, "header", built["headers"])
        report.errors += self.validate_body(op, built["body"], built["content_type"])
        return report

    def validate_httpx_request(
        self, request: httpx.Request, operation_id: str | None = None, *, base_path: str = ""
    ) -> ValidationReport:
        """Check a request as it goes on the wire: the operation is found from the method and path
        (or given), then path, query, headers and the encoded body are decoded and validated."""
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if base_path and raw_path.startswith(base_path):
            raw_path = raw_path[len(base_path) :]
        if operation_id is None:
            op, path_values = self.document.find_operation(request.method, raw_path)
        else:
            op = self.document.operation(operation_id)
            found = op.path_regex.match(raw_path)
            names = re.findall(r"\{([^}]+)\}", op.path)
            if found is None:
                return ValidationReport(op.operation_id, [f"path: {raw_path!r} does not match {op.path!r}"])
            path_values = dict(zip(names, found.groups(), strict=True))
        report = ValidationReport(op.operation_id)
        if request.method.upper() != op.method:
            report.errors.append(f"method: {request.method} is not {op.method}")

        report.errors += self.validate_parameters(
            op, "path", {k: unquote(v) for k, v in path_values.items()}, from_wire=True
        )
        query: dict[str, list[str]] = {}
        for key, value in parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True):
            query.setdefault(key, []).append(value)
        report.errors += self.validate_parameters(op, "query", query, from_wire=True)
        report.errors += self.validate_parameters(op, "header", dict(request.headers), from_wire=True)

        content = request.read()
        content_type = request.headers.get("content-type")
        if not content:
            report.errors += self.validate_body(op, None, None)
        elif content_type is None:
            report.errors.append("body: sent without a Content-Type")
        elif content_type.split(";")[0].strip().lower() == MULTIPART:
            try:
                form = parse_multipart(content_type, content)
            except ValueError as exc:
                report.errors.append(f"body: not a multipart body: {exc}")
            else:
                report.errors += self.validate_body(op, form, content_type)
        else:
            try:
                decoded = json.loads(content)
            except ValueError as exc:
                report.errors.append(f"body: not JSON: {exc}")
            else:
                report.errors += self.validate_body(op, decoded, content_type)
        return report

    # -- helpers -------------------------------------------------------------------------------

    def _from_wire(self, param: Parameter, raw: Any) -> Any:
        values = raw if isinstance(raw, list) else [raw]
        schema = self._resolve(param.schema)
        if _schema_type(schema) == "array":
            item_schema = self._resolve(schema.get("items", {}))
            return [_convert_scalar(item_schema, v) for v in values]
        if len(values) > 1:
            return values  # a repeated scalar: let the schema reject the list
        return _convert_scalar(schema, values[0])

    def _resolve(self, schema: Mapping[str, Any]) -> Schema:
        resolved = self.document.deref(schema)
        if "allOf" in resolved and len(resolved["allOf"]) == 1:
            return {
                **self.document.deref(resolved["allOf"][0]),
                **{k: v for k, v in resolved.items() if k != "allOf"},
            }
        return resolved

    def _multipart_errors(self, schema: Mapping[str, Any], form: Mapping[str, Any]) -> list[str]:
        """A multipart form is valid when its binary fields hold files, its other fields hold text, and
        the form with each file replaced by its name validates against the schema."""
        resolved = self._resolve(schema)
        properties = resolved.get("properties", {})
        errors, as_json = [], {}
        for name, value in form.items():
            prop = self._resolve(properties.get(name, {}))
            is_array = _schema_type(prop) == "array"
            items = value if isinstance(value, list) else [value]
            item_schema = self._resolve(prop.get("items", {})) if is_array else prop
            wants_file = item_schema.get("format") == "binary"
            converted = []
            for index, item in enumerate(items):
                where = f"body.{name}" + (f"[{index}]" if is_array else "")
                if wants_file and not isinstance(item, FilePart):
                    errors.append(f"{where}: expected a file part, got a plain field")
                elif not wants_file and isinstance(item, FilePart):
                    errors.append(f"{where}: expected a plain field, got a file part")
                if isinstance(item, FilePart):
                    converted.append(item.filename)
                else:
                    converted.append(_convert_scalar(item_schema, item) if isinstance(item, str) else item)
            if not is_array and len(items) > 1:
                errors.append(f"body.{name}: sent {len(items)} times but is not an array")
            as_json[name] = converted if is_array else converted[0]
        return errors + self.schema_errors(schema, as_json, "body")


def parse_multipart(content_type: str, content: bytes) -> dict[str, Any]:
    """Decode a ``multipart/form-data`` body into field -> text | FilePart (a list when repeated)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + content
    )
    if not message.is_multipart():
        raise ValueError(f"Content-Type {content_type!r} has no parts")
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        disposition = part.get("content-disposition", "")
        if part.get_content_disposition() != "form-data":
            raise ValueError(f"part with Content-Disposition {disposition!r}")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ValueError("part without a name")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        value: Any = (
            FilePart(filename, data, part.get_content_type())
            if filename is not None
            else data.decode(part.get_content_charset() or "utf-8")
        )
        if name in form:
            existing = form[name]
            form[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            form[name] = value
    return form


def _key(name: str, location: str) -> str:
    return name.lower() if location == "header" else name


def _schema_type(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind
    if "items" in schema:
        return "array"
    return None


def _convert_scalar(schema: Mapping[str, Any], raw: str) -> Any:
    """A wire string as its schema's type; left a string when it does not convert (the schema then
    reports it)."""
    kind = _schema_type(schema)
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if kind in ("number", "integer"):
        if re.fullmatch(r"-?\d+", raw):
            return int(raw)
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw


def _json_path(path: Iterable[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _message(error: jsonschema.ValidationError) -> str:
    text = _shorten(error.message)
    if error.context:
        best = jsonschema.exceptions.best_match(error.context)
        text += f" (closest: {_json_path(best.absolute_path) or '.'} {_shorten(best.message)})"
    return text


def _shorten(message: str, limit: int = 300) -> str:
    """jsonschema messages repeat the instance: keep both ends, where the verdict is."""
    if len(message) <= limit:
        return message
    half = limit // 2
    return f"{message[:half]} … {message[-half:]}"


@cache
def validator_for(document: Document) -> RequestValidator:
    """One validator per document (translating the schemas takes a moment)."""
    return RequestValidator(document)
