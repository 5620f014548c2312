"""Find the list operations of a document and how each one pages (``ir.Pagination``).

Detection reads an operation's query parameters and the properties of the model its success
response structures into; it never looks at operation names. A list operation is a GET whose one
success response is an object with an array of items (``data``, else its only array property),
and whose query parameters and response properties match one of these styles, tried in order:

1. cursor: a string cursor parameter (``after``) and a string next-cursor property (``next``);
   the iterator sends each page's ``next`` as the following request's ``after``;
2. page: a numeric ``page`` parameter, and something that tells when to stop (``hasMore``,
   ``totalCount`` or a page-size parameter); pages are numbered from the parameter's default
   (else its minimum, else 0);
3. cursor from the last item: a string cursor parameter, a ``hasMore`` property and items with a
   required string ``id``. The cursor is the last item's ``id``. Novu's inbox notifications
   (``GET /v2/subscribers/{subscriberId}/notifications``: ``limit``, ``after``, ``offset`` ->
   ``data``, ``hasMore``) page this way: the server reads ``after`` as the id of the last
   notification seen and ignores ``offset`` once ``after`` is given, and notifications that arrive
   meanwhile do not shift the pages (they would, by offset, and repeat items);
4. offset: a numeric ``offset`` parameter and something that tells when to stop, as for pages.

A parameter whose name says it takes part in paging but which the iterator does not drive is left
out of ``NAME_iter`` too: ``before`` and ``includeCursor`` beside a cursor (one would page
backwards, the other repeat each cursor's item), ``offset`` beside an item cursor. So is the
``idempotency-key`` header of a list operation that is not a GET (GETs do not offer it at all): one
key sent with every page's request would let the server answer them all with the first page.

Detection only: what the docstrings and reference pages say about it is written in
``codegen.prose`` from the ``ir.Pagination`` found here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import ir

# wire names, in order of preference
CURSOR_PARAMS = ("after", "cursor")
NEXT_CURSOR_PROPS = ("next", "nextCursor")
PAGE_PARAMS = ("page",)
OFFSET_PARAMS = ("offset", "skip")
SIZE_PARAMS = ("limit", "pageSize", "perPage")
HAS_MORE_PROPS = ("hasMore",)
TOTAL_PROPS = ("totalCount", "total")
ITEM_KEYS = ("id",)
ITEMS_PROP = "data"
IDEMPOTENCY_HEADER = "idempotency-key"
# left out of the iterator with a cursor: paging backwards, and repeating the cursor's own item
CURSOR_COMPANIONS = ("before", "includeCursor")

NUMBERS = (ir.Prim("int"), ir.Prim("float"))


def bare(t: ir.TypeRef) -> ir.TypeRef:
    return t.inner if isinstance(t, ir.Nullable) else t


def first(names: Iterable[str], found: Mapping[str, Any]) -> Any:
    return next((found[name] for name in names if name in found), None)


def detect(
    op: ir.Operation,
    models: Mapping[str, ir.Model | ir.EnumDef],
    raw_query: Mapping[str, Any],
) -> ir.Pagination | None:
    """``op``'s pagination, or None when it is not a list operation.

    ``models``: the classes built so far, by name; ``raw_query``: the operation's query parameters
    as the document has them (for the page parameter's default), by wire name.
    """
    if op.http_method != "GET":
        return None
    typed = [r for r in op.responses if r.type is not None]
    if len(typed) != 1 or not isinstance(typed[0].type, ir.Named):
        return None
    page_model = models.get(typed[0].type.name)
    if not isinstance(page_model, ir.Model):
        return None
    fields = {f.wire: f for f in page_model.fields}
    arrays = [f for f in page_model.fields if isinstance(bare(f.type), ir.ListOf)]
    items = fields.get(ITEMS_PROP) if fields.get(ITEMS_PROP) in arrays else None
    if items is None and len(arrays) == 1:
        items = arrays[0]
    if items is None:
        return None
    items_type = bare(items.type)
    assert isinstance(items_type, ir.ListOf)

    query = {p.wire: p for p in op.located("query")}

    def param(names: Iterable[str], *types: ir.TypeRef) -> ir.Param | None:
        return first([n for n in names if n in query and bare(query[n].type) in types], query)

    def prop(names: Iterable[str], *types: ir.TypeRef) -> ir.Field | None:
        return first([n for n in names if n in fields and bare(fields[n].type) in types], fields)

    # one idempotency key for several different requests would only let the server replay the
    # first page for the others: the iterator leaves the header to each request (none, for GETs)
    keys = tuple(p.python for p in op.located("header") if p.wire.lower() == IDEMPOTENCY_HEADER)

    def dropped(driven: ir.Param, *wires: str) -> tuple[str, ...]:
        companions = (query[w].python for w in wires if w in query and query[w] is not driven)
        return (driven.python, *companions, *keys)

    size = param(SIZE_PARAMS, *NUMBERS)
    has_more = prop(HAS_MORE_PROPS, ir.Prim("bool"))
    total = prop(TOTAL_PROPS, *NUMBERS)
    common: dict[str, Any] = {
        "items": items.name,
        "item_type": items_type.item,
        "size_param": size.python if size else None,
        "has_more": has_more.name if has_more else None,
        "total_count": total.name if total else None,
    }
    stops = bool(has_more or total or size)

    cursor = param(CURSOR_PARAMS, ir.Prim("str"))
    next_cursor = prop(NEXT_CURSOR_PROPS, ir.Prim("str"))
    if cursor and next_cursor:
        return ir.Pagination(
            style="cursor",
            param=cursor.python,
            dropped=dropped(cursor, *CURSOR_COMPANIONS),
            next_cursor=next_cursor.name,
            **common,
        )
    page = param(PAGE_PARAMS, *NUMBERS)
    if page and stops:
        return ir.Pagination(
            style="page",
            param=page.python,
            dropped=dropped(page),
            first_page=first_page(raw_query.get(page.wire)),
            **common,
        )
    key = item_key(items_type.item, models)
    if cursor and has_more and key:
        return ir.Pagination(
            style="cursor",
            param=cursor.python,
            dropped=dropped(cursor, *CURSOR_COMPANIONS, *OFFSET_PARAMS),
            cursor_key=key,
            **common,
        )
    offset = param(OFFSET_PARAMS, *NUMBERS)
    if offset and stops:
        return ir.Pagination(style="offset", param=offset.python, dropped=dropped(offset), **common)
    return None


def item_key(item: ir.TypeRef, models: Mapping[str, ir.Model | ir.EnumDef]) -> str | None:
    """The attribute of an item model that identifies it (a required string ``id``), if any."""
    model = models.get(item.name) if isinstance(item, ir.Named) else None
    if not isinstance(model, ir.Model):
        return None
    for field in model.fields:
        if field.wire in ITEM_KEYS and field.required and field.type == ir.Prim("str"):
            return field.name
    return None


def first_page(raw: Any) -> int:
    """The first page's number: the parameter's default, else its minimum, else 0."""
    schema = raw.get("schema") if isinstance(raw, dict) else None
    if isinstance(schema, dict):
        for key in ("default", "minimum"):
            value = schema.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
                return int(value)
    return 0
