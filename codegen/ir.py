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
class Limits:
    """The document's bounds on one value: each applies to the values of its JSON kind only
    (numbers: ``minimum``...; strings: ``min_length``/``max_length``; arrays: ``min_items``/``max_items``),
    wherever they appear inside a property or parameter (the strings of ``to``'s union, the items of
    an array), but not inside another model, which carries its own. ``pattern`` is not among them:
    the document's patterns are not all regular expressions."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None

    def items(self) -> tuple[tuple[str, float], ...]:
        """The bounds that are set, as ``(name, value)`` in declaration order."""
        return tuple(
            (a.name, value) for a in attrs.fields(Limits) if (value := getattr(self, a.name)) is not None
        )


@attrs.frozen
class Field:
    name: str  # Python attribute name
    wire: str  # JSON property name
    type: TypeRef
    required: bool
    description: str | None = None
    deprecated: bool = False
    limits: Limits | None = None


@attrs.frozen
class Model:
    name: str
    module: str
    fields: tuple[Field, ...]
    extra: TypeRef  # type of the values of undeclared keys kept in ``additional_properties``
    description: str | None
    source: str  # JSON pointer of the schema, for error messages and docs
    # the schema declares its properties and allows no others (``additionalProperties`` absent or
    # false): a dict request body may not hold an undeclared key (``additional_properties`` may)
    closed: bool = False
    # the TypedDict of its JSON form, for models a request body may hold (``TriggerEventRequestDtoDict``)
    typed_dict: str | None = None


@attrs.frozen
class EnumDef:
    name: str
    module: str
    members: tuple[tuple[str, str], ...]  # (Python member name, wire value)
    description: str | None
    source: str


ParamLocation = Literal["path", "query", "header"]


@attrs.frozen
class Param:
    wire: str
    python: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str | None = None
    deprecated: bool = False
    limits: Limits | None = None


@attrs.frozen
class Response:
    status: str  # "200", "2XX", "default"...
    type: TypeRef | None  # None: no body
    unwrap: bool  # remove a ``{"data": ...}`` envelope (false when the schema itself is that envelope)
    description: str | None = None


@attrs.frozen
class Body:
    type: TypeRef
    kind: Literal["json", "multipart"]
    required: bool
    description: str | None = None
    # (wire name, maxItems) of the body's top-level array properties that have a limit
    max_items: tuple[tuple[str, int], ...] = ()
    limits: Limits | None = None  # bounds on the body value itself (a list body's length...)


PaginationStyle = Literal["cursor", "offset", "page"]


@attrs.frozen
class Pagination:
    """How a list operation pages, for its ``NAME_iter`` function (see ``codegen.paginate``).

    Names are Python names: arguments of the operation's function, attributes of its page model
    (``items``, ``next_cursor``, ``has_more``, ``total_count``) or of its item model (``cursor_key``).
    """

    style: PaginationStyle
    param: str  # the argument the iterator drives: a cursor, an offset or a page number
    dropped: tuple[str, ...]  # arguments the iterator does not take (``param`` among them)
    items: str  # the page attribute holding the list of items
    item_type: TypeRef
    size_param: str | None = None  # the page size argument; the iterator keeps it for the caller
    next_cursor: str | None = None
    cursor_key: str | None = None
    has_more: str | None = None
    total_count: str | None = None
    first_page: int = 0


@attrs.frozen
class Operation:
    func: str  # the standalone function's name: ``subscribers_notifications_list``
    group: tuple[str, ...]  # resource path: ("subscribers", "notifications"); () for the client itself
    method_name: str  # the name on its resource: ``list``
    operation_id: str
    http_method: str  # upper case
    path: str
    summary: str | None
    description: str | None
    deprecated: bool
    params: tuple[Param, ...]  # path params in path order, then query, then header
    body: Body | None
    responses: tuple[Response, ...]  # 2XX
    errors: tuple[Response, ...]  # 4XX, 5XX, default
    source: str  # JSON pointer of the operation
    pagination: Pagination | None = None  # set for list operations: they also get ``NAME_iter``

    def located(self, location: ParamLocation) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)


@attrs.frozen
class Api:
    title: str
    version: str
    package: str  # e.g. "novu_async"
    definitions: tuple[Model | EnumDef, ...]  # in a stable order: the order the parser made them
    # component schema name -> the class it became (also for enum components)
    schema_classes: tuple[tuple[str, str], ...]
    operations: tuple[Operation, ...] = ()

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Model))

    @property
    def enums(self) -> tuple[EnumDef, ...]:
        return tuple(d for d in self.definitions if isinstance(d, EnumDef))

    @property
    def request_models(self) -> tuple[Model, ...]:
        """The models a request body may hold, each with its ``typed_dict``."""
        return tuple(m for m in self.models if m.typed_dict is not None)

    def modules(self) -> dict[str, list[Model | EnumDef]]:
        """Generated classes grouped by module, each module's classes in definition order."""
        grouped: dict[str, list[Model | EnumDef]] = {}
        for item in self.definitions:
            grouped.setdefault(item.module, []).append(item)
        return grouped
