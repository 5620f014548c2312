"""The intermediate representation: what the templates render, with every decision already made.

Everything is a frozen attrs class, built once from the loaded document by ``codegen.parse``.
Templates only print these values; they never look at the OpenAPI document.
"""

from __future__ import annotations

from typing import Literal

import attrs

PrimKind = Literal["str", "int", "float", "bool", "datetime", "bytes"]


@attrs.frozen
class Prim:
    kind: PrimKind


@attrs.frozen
class AnyType:
    """A value of any JSON type (a schema with no type, or ``{}``)."""


@attrs.frozen
class ListOf:
    item: TypeRef


@attrs.frozen
class MapOf:
    """A JSON object used as a map (``additionalProperties`` only, or a free-form object)."""

    value: TypeRef


@attrs.frozen
class Named:
    """A generated class: a model (attrs class) or an enum."""

    name: str
    is_enum: bool


@attrs.frozen
class Discriminator:
    prop: str  # the wire name of the tag property
    mapping: tuple[tuple[str, str], ...]  # (tag value, class name), in document order


@attrs.frozen
class UnionOf:
    members: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@attrs.frozen
class Nullable:
    inner: TypeRef


TypeRef = Prim | AnyType | ListOf | MapOf | Named | UnionOf | Nullable


@attrs.frozen
class Field:
    name: str  # Python attribute name
    wire: str  # JSON property name
    type: TypeRef
    required: bool
    description: str | None = None
    deprecated: bool = False


@attrs.frozen
class Model:
    name: str
    module: str
    fields: tuple[Field, ...]
    extra: TypeRef  # type of the values of undeclared keys kept in ``additional_properties``
    description: str | None
    source: str  # JSON pointer of the schema, for error messages and docs


@attrs.frozen
class EnumDef:
    name: str
    module: str
    members: tuple[tuple[str, str], ...]  # (Python member name, wire value)
    description: str | None
    source: str


@attrs.frozen
class Api:
    title: str
    version: str
    package: str  # e.g. "novu_async"
    definitions: tuple[Model | EnumDef, ...]  # in a stable order: the order the parser made them
    # component schema name -> the class it became (also for enum components)
    schema_classes: tuple[tuple[str, str], ...]

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Model))

    @property
    def enums(self) -> tuple[EnumDef, ...]:
        return tuple(d for d in self.definitions if isinstance(d, EnumDef))

    def modules(self) -> dict[str, list[Model | EnumDef]]:
        """Generated classes grouped by module, each module's classes in definition order."""
        grouped: dict[str, list[Model | EnumDef]] = {}
        for item in self.definitions:
            grouped.setdefault(item.module, []).append(item)
        return grouped
