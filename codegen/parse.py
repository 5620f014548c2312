"""Build the IR (``codegen.ir``) from a loaded OpenAPI 3.0 document.

Rules (see DESIGN.md, "Models"):
* every component schema that is an object or a string enum becomes a class in its own module;
  other component schemas (maps, arrays, primitives, unions) are inlined where they are referenced;
* inline objects and enums become classes too, named after their owner (``Owner`` + property),
  and live in the owner's module; except an inline enum with the same set of values as an enum
  component (order and ``null`` aside): it is that component's class (``Builder.enum_components``);
* optional = may be absent (``UNSET``); nullable = ``| None``; both may hold at once;
* ``allOf`` with one member is that member (Novu wraps a ``$ref`` to attach a description);
  several members are merged into one object;
* ``oneOf``/``anyOf`` become a union, with the document's discriminator when it has one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs

from . import ir
from .load import GenerationError, Resolver, schema_name
from .naming import (
    attribute_names,
    class_name,
    enum_member_names,
    module_name,
    name_rules,
    operation_name,
    parameter_names,
    pascal,
    safe_identifier,
    typed_dict_name,
)
from .paginate import detect as detect_pagination

Schema = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The document declares the ``idempotency-key`` header on every operation; the SDK makes one key per
# call for writes only, so reads do not offer the argument (``RequestOptions(headers=...)`` still sends
# one): see README, "Idempotency".
READ_METHODS = frozenset({"get", "head", "options"})
IDEMPOTENCY_HEADER = "idempotency-key"
# JSON Schema keyword -> ``ir.Limits`` attribute; OpenAPI 3.0's boolean ``exclusiveMinimum`` /
# ``exclusiveMaximum`` turn ``minimum`` / ``maximum`` exclusive (3.1 gives the bound itself)
LIMIT_KEYWORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
}


def clean_text(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.strip().splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text or None


def pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class Builder:
    def __init__(self, document: Schema, package: str) -> None:
        self.document = document
        self.package = package
        self.resolver = Resolver(document)
        self.schemas: dict[str, Schema] = document.get("components", {}).get("schemas", {})
        self.definitions: dict[str, ir.Model | ir.EnumDef] = {}  # class name -> definition
        self.reserved: set[str] = set()  # every class name handed out so far
        self.schema_classes: dict[str, str] = {}  # component schema name -> class name
        self.modules: dict[str, str] = {}  # module name -> the class that owns it
        self._inlining: list[str] = []  # component aliases being inlined (cycle guard)
        self.enum_classes: dict[frozenset[str], str] = {}  # values -> the enum component's class

    # ---------------------------------------------------------------- entry point

    def build(self) -> ir.Api:
        for name, raw in self.schemas.items():
            schema = self.resolver.deref(raw)
            if self.is_class_schema(schema):
                cls = class_name(name)
                if cls in self.reserved:
                    raise GenerationError(f"schemas {name!r} and another both become class {cls!r}")
                self.reserved.add(cls)
                self.schema_classes[name] = cls
        self.enum_classes = self.enum_components()
        for name, cls in self.schema_classes.items():
            module = self.claim_module(cls)
            schema = self.resolver.deref(self.schemas[name])
            source = pointer("#", "components", "schemas", name)
            if self.is_enum(schema):
                self.add_enum(cls, module, schema, source)
            else:
                self.add_model(cls, module, schema, source)
        operations = self.build_operations()
        self.mark_request_models(operations)
        info = self.document.get("info", {})
        return ir.Api(
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            package=self.package,
            definitions=tuple(self.definitions.values()),
            schema_classes=tuple(self.schema_classes.items()),
            operations=operations,
        )

    # ---------------------------------------------------------------- operations

    def build_operations(self) -> tuple[ir.Operation, ...]:
        rules = name_rules(self.document)
        operations: list[ir.Operation] = []
        seen: dict[str, str] = {}  # function name -> operationId
        members: dict[tuple[str, ...], dict[str, str]] = {}  # group -> method or sub-group -> what
        for path, item in (self.document.get("paths") or {}).items():
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                raw = item.get(method)
                if not isinstance(raw, dict):
                    continue
                source = pointer("#", "paths", path, method)
                group, method_name = operation_name(raw, rules)
                # `import` is a keyword as a method name (`import_`), not inside `translations_master_import`
                func = safe_identifier("_".join((*group, method_name.rstrip("_"))), fallback="call")
                operation_id = str(raw.get("operationId") or func)
                if func in seen:
                    raise GenerationError(
                        f"{source}: operations {seen[func]!r} and {operation_id!r} both become {func}()"
                    )
                seen[func] = operation_id
                for depth in range(len(group) + 1):
                    owner = group[:depth]
                    entry = group[depth] if depth < len(group) else method_name
                    kind = f"group {'.'.join(group[: depth + 1])}" if depth < len(group) else func
                    known = members.setdefault(owner, {})
                    if known.setdefault(entry, kind) != kind and depth == len(group):
                        raise GenerationError(f"{source}: {func}() collides with {known[entry]} as {entry!r}")
                    if depth < len(group) and known[entry] != kind:
                        raise GenerationError(f"{source}: {kind} collides with {known[entry]} as {entry!r}")
                operations.append(
                    self.operation(raw, shared, func, group, method_name, operation_id, method, path, source)
                )
        for op in operations:
            if op.pagination is None:
                continue
            # the iterator's names: ``NAME_iter`` among the functions, ``method_iter`` on the resource
            func_iter, method_iter = f"{op.func}_iter", f"{op.method_name}_iter"
            if func_iter in seen:
                raise GenerationError(
                    f"{op.source}: {func_iter}() of a list operation collides with {seen[func_iter]!r}"
                )
            if method_iter in members[op.group]:
                raise GenerationError(
                    f"{op.source}: method {method_iter} of a list operation collides with "
                    f"{members[op.group][method_iter]}"
                )
            if any(p.python == "max_items" for p in op.params):
                raise GenerationError(f"{op.source}: a parameter named max_items hides the iterator's own")
        return tuple(operations)

    def operation(
        self,
        raw: Schema,
        shared: list[Any],
        func: str,
        group: tuple[str, ...],
        method_name: str,
        operation_id: str,
        method: str,
        path: str,
        source: str,
    ) -> ir.Operation:
        owner = pascal(func)
        module = module_name(owner)
        if module in self.modules:
            raise GenerationError(
                f"{source}: inline types of {func}() would land in module {module!r}, taken"
            )
        # parameters: the operation's own override shared ones with the same name and location
        by_key: dict[tuple[str, str], Schema] = {}
        for param in [*shared, *(raw.get("parameters") or [])]:
            param = self.resolver.deref(param)
            by_key[(param["in"], param["name"])] = param
        unsupported = [name for (where, name) in by_key if where not in ("path", "query", "header")]
        if unsupported:
            raise GenerationError(f"{source}: parameters in cookies are not supported: {unsupported}")
        placeholders = re.findall(r"{([^}]+)}", path)
        ordered = [by_key[("path", name)] for name in placeholders if ("path", name) in by_key]
        missing = [name for name in placeholders if ("path", name) not in by_key]
        if missing:
            raise GenerationError(f"{source}: path placeholders without a parameter: {missing}")
        for where in ("query", "header"):
            ordered.extend(
                p
                for (loc, name), p in by_key.items()
                if loc == where
                and not (loc == "header" and method in READ_METHODS and name.lower() == IDEMPOTENCY_HEADER)
            )
        ordered.sort(key=lambda p: ({"path": 0, "query": 1, "header": 2}[p["in"]], not p.get("required")))
        # keep path order among path params (sort is stable and they are all required)
        names = parameter_names([p["name"] for p in ordered])
        params = []
        for param in ordered:
            where = param["in"]
            param_source = f"{source}/parameters/{pointer(param['name'])}"
            params.append(
                ir.Param(
                    wire=param["name"],
                    python=names[param["name"]],
                    location=where,
                    type=self.type_of(
                        param.get("schema", {}),
                        owner=owner,
                        hint=param["name"],
                        module=module,
                        source=param_source,
                    ),
                    required=bool(param.get("required")) or where == "path",
                    description=clean_text(param.get("description")),
                    deprecated=bool(param.get("deprecated")),
                    limits=self.limits(param.get("schema", {}), param_source),
                )
            )
        op = ir.Operation(
            func=func,
            group=group,
            method_name=method_name,
            operation_id=operation_id,
            http_method=method.upper(),
            path=path,
            summary=clean_text(raw.get("summary")),
            description=clean_text(raw.get("description")),
            deprecated=bool(raw.get("deprecated")),
            params=tuple(params),
            body=self.request_body(raw, owner, module, source),
            responses=tuple(self.responses(raw, owner, module, source, success=True)),
            errors=tuple(self.responses(raw, owner, module, source, success=False)),
            source=source,
        )
        raw_query = {p["name"]: p for p in ordered if p["in"] == "query"}
        pagination = detect_pagination(op, self.definitions, raw_query)
        return attrs.evolve(op, pagination=pagination) if pagination else op

    def request_body(self, raw: Schema, owner: str, module: str, source: str) -> ir.Body | None:
        body = raw.get("requestBody")
        if body is None:
            return None
        body = self.resolver.deref(body)
        content = body.get("content") or {}
        for media, kind in (("application/json", "json"), ("multipart/form-data", "multipart")):
            if media in content:
                schema = content[media].get("schema", {})
                return ir.Body(
                    type=self.type_of(
                        schema, owner=owner, hint="Body", module=module, source=f"{source}/requestBody"
                    ),
                    kind=kind,  # type: ignore[arg-type]
                    required=bool(body.get("required")),
                    description=clean_text(body.get("description")),
                    max_items=self.max_items(schema),
                    limits=self.limits(schema, f"{source}/requestBody"),
                )
        raise GenerationError(f"{source}: request body media types {sorted(content)} are not supported")

    def max_items(self, schema: Schema) -> tuple[tuple[str, int], ...]:
        """The ``maxItems`` of a body object's array properties (``allOf`` wrappers looked through)."""
        schema = self.resolver.deref(schema)
        limits = []
        for wire, prop in (schema.get("properties") or {}).items():
            prop = self.resolver.deref(prop)
            limit = prop.get("maxItems")
            if limit is None and len(prop.get("allOf") or ()) == 1:
                limit = self.resolver.deref(prop["allOf"][0]).get("maxItems")
            if isinstance(limit, int):
                limits.append((wire, limit))
        return tuple(limits)

    def limits(self, schema: Any, source: str) -> ir.Limits | None:
        """The bounds on a property's or parameter's values (``ir.Limits``), gathered through
        ``$ref``s to non-class schemas, ``allOf`` wrappers, union members and array items; a model
        inside (a class schema, an inline object) carries its own. Two different bounds of one kind
        in one value (a string member with ``maxLength`` 5, another with 10) fail generation: one
        ``Limits`` could not tell them apart."""
        found: dict[str, float] = {}

        def visit(node: Any, seen: tuple[str, ...]) -> None:
            if not isinstance(node, dict):
                return
            ref = node.get("$ref")
            if isinstance(ref, str):
                if schema_name(ref) in self.schema_classes or ref in seen:
                    return
                visit(self.resolver.lookup(ref), (*seen, ref))
            if node is not schema and self.is_class_schema(node) and "$ref" not in node:
                return  # an inline object or enum: a class of its own
            exclusive = {"exclusiveMinimum": "minimum", "exclusiveMaximum": "maximum"}
            for keyword, name in LIMIT_KEYWORDS.items():
                value = node.get(keyword)
                if keyword in exclusive:
                    if value is True and isinstance(node.get(exclusive[keyword]), (int, float)):
                        value = node[exclusive[keyword]]
                    elif isinstance(value, bool):
                        continue
                elif keyword in ("minimum", "maximum") and node.get(f"exclusive{keyword.title()}") is True:
                    continue  # 3.0's boolean form: the bound is exclusive, recorded above
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                if found.setdefault(name, value) != value:
                    raise GenerationError(
                        f"{source}: two different {keyword} bounds ({found[name]} and {value}) in one value"
                    )
            for key in ("allOf", "oneOf", "anyOf"):
                for member in node.get(key) or ():
                    visit(member, seen)
            if "items" in node:
                visit(node["items"], seen)

        if isinstance(schema, dict) and not (
            "$ref" not in schema and "properties" in schema
        ):  # a body or property that is itself an inline object: its model carries the limits
            visit(schema, ())
        return ir.Limits(**found) if found else None

    def mark_request_models(self, operations: tuple[ir.Operation, ...]) -> None:
        """Give every model a request body may hold (directly, nested, in a union...) its TypedDict."""
        wanted: list[str] = []

        def visit(t: ir.TypeRef) -> None:
            if isinstance(t, ir.Named):
                definition = self.definitions[t.name]
                if isinstance(definition, ir.Model) and t.name not in wanted:
                    wanted.append(t.name)
                    for field in definition.fields:
                        visit(field.type)
                    visit(definition.extra)
            elif isinstance(t, ir.ListOf):
                visit(t.item)
            elif isinstance(t, ir.MapOf):
                visit(t.value)
            elif isinstance(t, ir.Nullable):
                visit(t.inner)
            elif isinstance(t, ir.UnionOf):
                for member in t.members:
                    visit(member)

        for op in operations:
            if op.body is not None:
                visit(op.body.type)
        for name in wanted:
            dict_name = typed_dict_name(name)
            if dict_name in self.reserved:
                raise GenerationError(
                    f"the TypedDict of model {name!r} would be {dict_name!r}, a class's name"
                )
            model = self.definitions[name]
            self.definitions[name] = attrs.evolve(model, typed_dict=dict_name)

    def responses(
        self, raw: Schema, owner: str, module: str, source: str, *, success: bool
    ) -> list[ir.Response]:
        out = []
        for status, response in (raw.get("responses") or {}).items():
            status = str(status)
            if status.startswith("2") != success or status.startswith(("1", "3")):
                continue
            response = self.resolver.deref(response)
            content = response.get("content") or {}
            media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
            schema = content[media].get("schema") if media else None
            if schema is None:
                out.append(ir.Response(status, None, True, clean_text(response.get("description"))))
                continue
            hint = "Response" if success else f"Error{status}"
            out.append(
                ir.Response(
                    status=status,
                    type=self.type_of(
                        schema, owner=owner, hint=hint, module=module, source=f"{source}/responses/{status}"
                    ),
                    unwrap=not self.is_envelope(schema),
                    description=clean_text(response.get("description")),
                )
            )
        return out

    def is_envelope(self, schema: Any) -> bool:
        """An object schema whose only property is ``data``: it describes the wrapped body itself."""
        schema = self.resolver.deref(schema)
        if not isinstance(schema, dict):
            return False
        properties, _, _ = self.object_view(schema, "")
        return list(properties) == ["data"]

    # ---------------------------------------------------------------- classification

    @staticmethod
    def is_enum(schema: Schema) -> bool:
        values = schema.get("enum")
        return (
            isinstance(values, list)
            and bool(values)
            and all(isinstance(v, str) for v in values if v is not None)
        )

    def is_class_schema(self, schema: Schema) -> bool:
        if self.is_enum(schema):
            return True
        if any(k in schema for k in ("oneOf", "anyOf")):
            return False
        if "properties" in schema:
            return True
        parts = schema.get("allOf")
        return isinstance(parts, list) and len(parts) > 1

    def claim_module(self, cls: str) -> str:
        module = module_name(cls)
        if module in self.modules:
            raise GenerationError(
                f"classes {self.modules[module]!r} and {cls!r} both map to module {module!r}"
            )
        self.modules[module] = cls
        return module

    def unique_class(self, wanted: str) -> str:
        name, counter = wanted, 2
        while name in self.reserved:
            name = f"{wanted}{counter}"
            counter += 1
        self.reserved.add(name)
        return name

    def enum_components(self) -> dict[frozenset[str], str]:
        """The class of each set of values that an enum component has: what inline enums reuse.

        Values compare as a set (JSON Schema's ``enum`` has no order; ``null`` only makes the use
        nullable), and the class keeps the component's own order. When several components share a
        set, each stays a class of its own, and inline enums take the one the document references
        most, the first in document order on a tie (``TimeUnitEnum`` over ``DigestUnitEnum``).
        """
        refs = Counter(schema_name(ref) for ref in references(self.document))
        chosen: dict[frozenset[str], str] = {}
        for name in self.schema_classes:
            schema = self.resolver.deref(self.schemas[name])
            if self.is_enum(schema):
                values = frozenset(v for v in schema["enum"] if v is not None)
                if values not in chosen or refs[name] > refs[chosen[values]]:
                    chosen[values] = name
        return {values: self.schema_classes[name] for values, name in chosen.items()}

    # ---------------------------------------------------------------- definitions

    def add_enum(self, cls: str, module: str, schema: Schema, source: str) -> ir.Named:
        values = [v for v in schema["enum"] if v is not None]
        members = tuple(enum_member_names(values))
        self.definitions[cls] = ir.EnumDef(
            name=cls,
            module=module,
            members=members,
            description=clean_text(schema.get("description")),
            source=source,
        )
        return ir.Named(cls, is_enum=True)

    def object_view(self, schema: Schema, source: str) -> tuple[dict[str, Schema], list[str], Any]:
        """Properties, required names and additionalProperties of an object, ``allOf`` merged in."""
        properties: dict[str, Schema] = {}
        required: list[str] = []
        additional: Any = schema.get("additionalProperties")
        for part in schema.get("allOf", []):
            part = self.resolver.deref(part)
            if any(k in part for k in ("oneOf", "anyOf")):
                raise GenerationError(f"{source}: allOf member with oneOf/anyOf is not supported")
            sub_props, sub_req, sub_add = self.object_view(part, source)
            properties.update(sub_props)
            required.extend(r for r in sub_req if r not in required)
            if additional is None:
                additional = sub_add
        properties.update(schema.get("properties") or {})
        required.extend(r for r in schema.get("required") or [] if r not in required)
        return properties, required, additional

    def add_model(self, cls: str, module: str, schema: Schema, source: str) -> ir.Named:
        properties, required, additional = self.object_view(schema, source)
        overrides = {
            wire: str(prop["x-speakeasy-name-override"])
            for wire, prop in properties.items()
            if isinstance(prop, dict) and prop.get("x-speakeasy-name-override")
        }
        names = attribute_names(list(properties), overrides)
        fields = []
        for wire, prop in properties.items():
            prop_source = f"{source}/properties/{pointer(wire)}"
            prop_type = self.type_of(prop, owner=cls, hint=wire, module=module, source=prop_source)
            resolved = self.resolver.deref(prop) if isinstance(prop, dict) else {}
            fields.append(
                ir.Field(
                    name=names[wire],
                    wire=wire,
                    type=prop_type,
                    required=wire in required,
                    description=clean_text(prop.get("description") or resolved.get("description")),
                    deprecated=bool(prop.get("deprecated")),
                    limits=self.limits(prop, prop_source),
                )
            )
        if isinstance(additional, dict) and additional:
            extra = self.type_of(
                additional, owner=cls, hint="Value", module=module, source=f"{source}/additionalProperties"
            )
        else:
            extra = ir.AnyType()
        self.definitions[cls] = ir.Model(
            name=cls,
            module=module,
            fields=tuple(fields),
            extra=extra,
            description=clean_text(schema.get("description")),
            source=source,
            closed=bool(properties) and additional in (None, False),
        )
        return ir.Named(cls, is_enum=False)

    # ---------------------------------------------------------------- types

    def type_of(self, schema: Any, *, owner: str, hint: str, module: str, source: str) -> ir.TypeRef:
        if schema is True or schema == {} or not isinstance(schema, dict):
            return ir.AnyType()
        if "$ref" in schema:
            result = self.ref_type(schema["$ref"], owner=owner, hint=hint, module=module)
        else:
            result = self.plain_type(schema, owner=owner, hint=hint, module=module, source=source)
        if schema.get("nullable") is True and not isinstance(result, (ir.Nullable, ir.AnyType)):
            result = ir.Nullable(result)
        return result

    def ref_type(self, ref: str, *, owner: str, hint: str, module: str) -> ir.TypeRef:
        name = schema_name(ref)
        if name is not None and name in self.schema_classes:
            target = self.resolver.deref(self.schemas[name])
            return ir.Named(self.schema_classes[name], is_enum=self.is_enum(target))
        if ref in self._inlining:
            raise GenerationError(f"{ref}: a recursive schema that is not an object cannot be rendered")
        self._inlining.append(ref)
        try:
            return self.type_of(self.resolver.lookup(ref), owner=owner, hint=hint, module=module, source=ref)
        finally:
            self._inlining.pop()

    def plain_type(self, schema: Schema, *, owner: str, hint: str, module: str, source: str) -> ir.TypeRef:
        members = schema.get("oneOf") or schema.get("anyOf")
        if members:
            return self.union_type(schema, members, owner=owner, hint=hint, module=module, source=source)
        all_of = schema.get("allOf")
        if all_of and len(all_of) == 1 and not schema.get("properties"):
            inner = self.type_of(all_of[0], owner=owner, hint=hint, module=module, source=f"{source}/allOf/0")
            return inner
        if self.is_enum(schema):
            shared = self.enum_classes.get(frozenset(v for v in schema["enum"] if v is not None))
            if shared is not None:
                named = ir.Named(shared, is_enum=True)
            else:
                named = self.add_enum(self.unique_class(owner + pascal(hint)), module, schema, source)
            return ir.Nullable(named) if None in schema["enum"] else named
        kind = schema.get("type")
        if kind == "array":
            item = self.type_of(
                schema.get("items", {}),
                owner=owner,
                hint=f"{hint}Item",
                module=module,
                source=f"{source}/items",
            )
            return ir.ListOf(item)
        if kind == "object" or (kind is None and ("properties" in schema or all_of)):
            if "properties" in schema or all_of:
                cls = self.unique_class(owner + pascal(hint))
                return self.add_model(cls, module, schema, source)
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict) and additional:
                value = self.type_of(
                    additional,
                    owner=owner,
                    hint=f"{hint}Value",
                    module=module,
                    source=f"{source}/additionalProperties",
                )
                return ir.MapOf(value)
            return ir.MapOf(ir.AnyType())
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date-time":
                return ir.Prim("datetime")
            if fmt == "binary":
                return ir.Prim("bytes")
            return ir.Prim("str")
        if kind == "integer":
            return ir.Prim("int")
        if kind == "number":
            return ir.Prim("float")
        if kind == "boolean":
            return ir.Prim("bool")
        if kind is None and "items" in schema:
            return ir.ListOf(
                self.type_of(
                    schema["items"], owner=owner, hint=f"{hint}Item", module=module, source=f"{source}/items"
                )
            )
        if kind is None:
            return ir.AnyType()
        raise GenerationError(f"{source}: unsupported schema type {kind!r}")

    def union_type(
        self, schema: Schema, members: list[Any], *, owner: str, hint: str, module: str, source: str
    ) -> ir.TypeRef:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        types: list[ir.TypeRef] = []
        nullable = False
        for index, member in enumerate(members):
            member_hint = hint + self.member_suffix(member, index)
            t = self.type_of(
                member, owner=owner, hint=member_hint, module=module, source=f"{source}/{key}/{index}"
            )
            for flat in t.members if isinstance(t, ir.UnionOf) and t.discriminator is None else (t,):
                if isinstance(flat, ir.Nullable):
                    nullable, flat = True, flat.inner
                if flat not in types:
                    types.append(flat)
        if any(isinstance(t, ir.AnyType) for t in types):
            result: ir.TypeRef = ir.AnyType()
        elif len(types) == 1:
            result = types[0]
        else:
            result = ir.UnionOf(tuple(types), self.discriminator(schema, types, source))
        return ir.Nullable(result) if nullable and not isinstance(result, ir.AnyType) else result

    def member_suffix(self, member: Any, index: int) -> str:
        """A readable name part for an inline union member: its constant tag value, else its position."""
        if isinstance(member, dict) and "$ref" not in member:
            for prop in (member.get("properties") or {}).values():
                values = prop.get("enum") if isinstance(prop, dict) else None
                if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
                    return pascal(values[0])
        return f"Option{index + 1}"

    def discriminator(self, schema: Schema, types: list[ir.TypeRef], source: str) -> ir.Discriminator | None:
        disc = schema.get("discriminator")
        if not isinstance(disc, dict) or "propertyName" not in disc:
            return None
        mapping: list[tuple[str, str]] = []
        explicit = disc.get("mapping") or {}
        for tag, ref in explicit.items():
            name = schema_name(ref)
            if name not in self.schema_classes:
                raise GenerationError(
                    f"{source}: discriminator maps {tag!r} to {ref!r}, which is not an object schema"
                )
            mapping.append((str(tag), self.schema_classes[name]))
        if not explicit:  # OpenAPI's default: the tag value is the schema name
            for name, cls in self.schema_classes.items():
                if ir.Named(cls, is_enum=False) in types:
                    mapping.append((name, cls))
        classes = {cls for _, cls in mapping}
        for t in types:
            if not (isinstance(t, ir.Named) and not t.is_enum and t.name in classes):
                raise GenerationError(f"{source}: discriminated union member {t} has no tag in the mapping")
        return ir.Discriminator(prop=str(disc["propertyName"]), mapping=tuple(mapping))


def references(node: Any) -> Iterator[str]:
    """Every ``$ref`` string in a document, in document order."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def build_api(document: Schema, package: str) -> ir.Api:
    return Builder(document, package).build()
