"""Hypothesis strategies for JSON values valid for a raw OpenAPI 3.0 schema.

Written against the document itself, not against our IR, so the round-trip tests check the generator
and the converter against an independent reading of the schema. Only what the generated models
promise is modelled: types, required keys, nullable, enums (plus unknown values), allOf, oneOf/anyOf
(with discriminator tags), additionalProperties and date-times. Patterns and length limits are not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from codegen.load import Resolver

Schema = dict[str, Any]

MAX_DEPTH = 3  # past this depth only required properties are drawn, and arrays and maps are empty
UNKNOWN_ENUM = "zz-unknown-value"  # never a value of any Novu enum

_text = st.text(alphabet="abcxyzABC019 _-é", max_size=6)
_number = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)
# The converter writes date-times the way JavaScript's toISOString does, which Novu also sends.
_datetime = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.timezone.utc)
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z")

JSON = st.recursive(
    st.none() | st.booleans() | _number | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)


class SchemaStrategies:
    def __init__(self, document: Schema) -> None:
        self.resolver = Resolver(document)
        self._cache: dict[tuple[str, int, bool], st.SearchStrategy[Any]] = {}

    def for_ref(self, ref: str, depth: int = 0, *, unknown_enums: bool = True) -> st.SearchStrategy[Any]:
        key = (ref, min(depth, MAX_DEPTH + 1), unknown_enums)
        if key not in self._cache:
            self._cache[key] = st.deferred(
                lambda: self.of(self.resolver.lookup(ref), depth, unknown_enums=unknown_enums)
            )
        return self._cache[key]

    def of(self, schema: Any, depth: int = 0, *, unknown_enums: bool = True) -> st.SearchStrategy[Any]:
        if not isinstance(schema, dict):
            return JSON
        if "$ref" in schema:
            return self.for_ref(schema["$ref"], depth, unknown_enums=unknown_enums)
        base = self._non_null(schema, depth, unknown_enums)
        if schema.get("nullable"):
            return st.none() | base
        return base

    def merged(self, schema: Schema) -> Schema:
        """allOf members folded into one object schema (properties and required merged)."""
        out: Schema = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(out.get("properties", {}))
        required = list(out.get("required", []))
        for member in schema["allOf"]:
            member = self.resolver.deref(member)
            if "allOf" in member:
                member = self.merged(member)
            properties.update(member.get("properties", {}))
            required.extend(member.get("required", []))
            for key in ("type", "enum", "additionalProperties", "items", "format", "oneOf", "anyOf"):
                if key in member and key not in out:
                    out[key] = member[key]
        if properties:
            out["properties"] = properties
            out["type"] = "object"
        if required:
            out["required"] = required
        return out

    def _non_null(self, schema: Schema, depth: int, unknown_enums: bool) -> st.SearchStrategy[Any]:
        if "allOf" in schema:
            return self._non_null(self.merged(schema), depth, unknown_enums)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._union(schema, schema[key], depth, unknown_enums)
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            known = st.sampled_from(values)
            # a one-value enum is a tag that picks a union member: an unknown value there is a
            # different question (which member?), not the open-enum promise tested here
            return known | st.just(UNKNOWN_ENUM) if unknown_enums and len(values) > 1 else known
        kind = schema.get("type")
        if kind == "string":
            return _datetime if schema.get("format") == "date-time" else _text
        if kind == "integer":
            return st.integers(min_value=-(2**53), max_value=2**53)
        if kind == "number":
            return _number
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            if depth >= MAX_DEPTH:
                return st.just([])
            return st.lists(
                self.of(schema.get("items", {}), depth + 1, unknown_enums=unknown_enums), max_size=2
            )
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._object(schema, depth, unknown_enums)
        return JSON

    def _union(
        self, schema: Schema, members: list[Any], depth: int, unknown_enums: bool
    ) -> st.SearchStrategy[Any]:
        discriminator = schema.get("discriminator")
        if discriminator and discriminator.get("mapping"):
            prop = discriminator["propertyName"]
            return st.one_of(
                [
                    self._object(self.resolver.lookup(ref), depth, unknown_enums, fixed={prop: tag})
                    for tag, ref in sorted(discriminator["mapping"].items())
                ]
            )
        return st.one_of([self.of(member, depth, unknown_enums=unknown_enums) for member in members])

    def _object(
        self, schema: Schema, depth: int, unknown_enums: bool, fixed: dict[str, Any] | None = None
    ) -> st.SearchStrategy[dict[str, Any]]:
        if "allOf" in schema:
            schema = self.merged(schema)
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = fixed or {}

        def strategy(name: str, sub: Any) -> st.SearchStrategy[Any]:
            if name in fixed:  # the discriminator tag of the member being drawn
                return st.just(fixed[name])
            return self.of(sub, depth + 1, unknown_enums=unknown_enums)

        must = {
            name: strategy(name, sub) for name, sub in properties.items() if name in required or name in fixed
        }
        may = (
            {}
            if depth >= MAX_DEPTH
            else {name: strategy(name, sub) for name, sub in properties.items() if name not in must}
        )
        declared = st.fixed_dictionaries(must, optional=may)
        extra_schema = schema.get("additionalProperties", True)
        if extra_schema is False or depth >= MAX_DEPTH:
            return declared
        values = (
            JSON if extra_schema is True else self.of(extra_schema, depth + 1, unknown_enums=unknown_enums)
        )
        keys = _text.filter(lambda k: k not in properties)
        extras = st.dictionaries(keys, values, max_size=2 if properties else 3)
        return st.builds(lambda d, e: {**e, **d}, declared, extras)
