"""What the generated code says in words about an operation: its docstrings and how it pages.

One full description per operation, on ``NAME_response`` in its function module: the summary,
method and path, the document's description, then Args, Returns and Raises. Every other function
or method of the operation (``NAME``, ``NAME_iter``, the resource's ``method``, ``method_response``
and ``method_iter``) keeps the summary line, which editors show on hover, and says where the rest
is. ``NAME_iter`` adds what only it has: how it pages (``pagination``, from the ``ir.Pagination``
that ``codegen.paginate`` detected; the reference pages print the same sentence) and its own
arguments. Also here: the docstring of the shared error map modules.
"""

from __future__ import annotations

from . import ir
from .naming import typed_dict_name
from .render import docstring

OPTIONS = "Per-call timeout, retries and extra headers."
DEPRECATED = "Deprecated by Novu."
RAISES = [
    ("APIError", "an error status, as its subclass (``NotFoundError`` for 404...)."),
    ("APIConnectionError", "no answer came (``APITimeoutError``: not in time)."),
]


def summary(op: ir.Operation) -> str:
    """The first line: the document's summary (else the function's name in words), one full stop."""
    return f"{(op.summary or op.func.replace('_', ' ')).rstrip('.')}."


def _head(op: ir.Operation, first: str, *paragraphs: str) -> str:
    return "\n\n".join([first, *([DEPRECATED] if op.deprecated else []), *paragraphs])


def response_doc(op: ir.Operation, returns: list[tuple[str, str]], indent: int = 4) -> str:
    """The full description, for ``NAME_response``.

    ``returns``: (status, annotation of its body, ``"None"`` without one) per success response.
    """
    text = f"{summary(op)}\n\n``{op.http_method} {op.path}`` ({op.operation_id})"
    if op.deprecated:
        text += f"\n\n{DEPRECATED}"
    if op.description and op.description != op.summary:
        text += f"\n\n{op.description}"
    args = [(p.python, p.description or "") for p in op.located("path")]
    if op.body is not None:
        args.append(("body", op.body.description or body_doc(op.body)))
    args += [(p.python, p.description or "") for p in op.params if p.location != "path"]
    args.append(("options", OPTIONS))
    bodies = ", ".join(
        f"``None`` ({status}: no body)" if annotation == "None" else f"``{annotation}`` ({status})"
        for status, annotation in returns
    )
    returned = f"``status_code``, ``headers`` and ``data``, the body as {bodies}."
    sections = [("Args", args), ("Returns", [("Response", returned)]), ("Raises", RAISES)]
    return docstring(text, sections, indent=indent)


def body_doc(body: ir.Body) -> str:
    """What a body argument takes, for an operation whose body has no description of its own."""
    if isinstance(body.type, ir.Named) and not body.type.is_enum:
        name = body.type.name
        return f"The request body: a ``{name}``, or a dict of its JSON form (``{typed_dict_name(name)}``)."
    return "The request body: the model or a plain dict."


def func_doc(op: ir.Operation) -> str:
    """``NAME``: the summary, and that ``NAME_response`` describes the rest."""
    return docstring(
        _head(
            op,
            summary(op),
            f"``{op.http_method} {op.path}``: returns the parsed body. ``{op.func}_response`` describes "
            "the arguments and also returns the status and headers.",
        )
    )


def iter_summary(op: ir.Operation) -> str:
    return f"{summary(op)[:-1]}: every item, page after page."


def iter_doc(op: ir.Operation) -> str:
    """``NAME_iter``: how it pages, and the arguments it adds to (or drops from) ``NAME``'s."""
    assert op.pagination is not None
    dropped = [f"``{name}``" for name in op.pagination.dropped]
    text = _head(
        op,
        iter_summary(op),
        f"``{op.http_method} {op.path}``. Returns a ``PageIterator`` for ``async for``: it requests the "
        f"pages of ``{op.func}`` one at a time, as the loop needs them. {pagination(op.pagination)}",
        f"Takes the arguments of ``{op.func}_response`` except {', '.join(dropped)}, and:",
    )
    args = [
        ("max_items", "Stop after this many items, without requesting another page (None: all)."),
        ("options", "Per-request timeout, retries and extra headers, for every page."),
    ]
    return docstring(text, [("Args", args)])


def method_doc(op: ir.Operation, package: str) -> str:
    """The resource's ``method``."""
    target = f"{package}.funcs.{op.func}.{op.func}"
    return docstring(
        _head(op, summary(op), f"Calls ``{target}``; ``{op.func}_response`` there describes the arguments."),
        indent=8,
    )


def method_response_doc(op: ir.Operation, package: str) -> str:
    """The resource's ``method_response``."""
    first = f"{summary(op)[:-1]}, with the whole ``Response`` (status, headers, data)."
    target = f"{package}.funcs.{op.func}.{op.func}_response"
    return docstring(_head(op, first, f"Calls ``{target}``, which describes the arguments."), indent=8)


def method_iter_doc(op: ir.Operation, package: str) -> str:
    """The resource's ``method_iter``."""
    target = f"{package}.funcs.{op.func}.{op.func}_iter"
    return docstring(
        _head(op, iter_summary(op), f"Calls ``{target}``, which describes how it pages and its arguments."),
        indent=8,
    )


def sync_method_doc(op: ir.Operation, package: str, kind: str) -> str:
    """A blocking method's docstring in the sync stubs: ``kind`` is "method", "response" or "iter"."""
    func = {"method": op.func, "response": f"{op.func}_response", "iter": f"{op.func}_iter"}[kind]
    if kind == "iter":
        first = f"{iter_summary(op)[:-1]}, as a plain iterator."
    elif kind == "response":
        first = f"{summary(op)[:-1]}, with the whole ``Response`` (status, headers, data)."
    else:
        first = summary(op)
    target = f"{package}.funcs.{op.func}.{func}"
    return docstring(_head(op, first, f"Blocks for ``{target}``, which describes the arguments."), indent=8)


def error_map_doc(users: list[str], spec: str) -> str:
    """The module docstring of a shared error map (``funcs/_errors_N.py``) used by ``users``."""
    shown = ", ".join(f"``{func}``" for func in users[:3])
    if len(users) > 3:
        shown += f" and {len(users) - 3} more"
    text = (
        f"Error answers (status -> body type) of {len(users)} operation{'s' if len(users) > 1 else ''} "
        f"of {spec}, written once.\n\nThe ``OPERATION`` of {shown} takes them as ``errors=``. Each "
        "distinct map has a module of its own, so importing an operation loads the models of its own "
        "error answers and no others. Do not edit: `make generate` rewrites this file."
    )
    return docstring(text, indent=0)


def pagination(p: ir.Pagination) -> str:
    """Two sentences: how the iterator pages, and when it stops."""
    driven = f"``{p.param}``"
    if p.style == "cursor" and p.next_cursor:
        how = f"sends each page's ``{p.next_cursor}`` cursor as {driven}"
    elif p.style == "cursor":
        how = f"sends the ``{p.cursor_key}`` of each page's last item as {driven}"
    elif p.style == "offset":
        how = f"sends the number of items received so far as {driven}"
    else:
        how = f"sends {driven} = {p.first_page}, {p.first_page + 1}, ..."
    if p.next_cursor:
        stop = "a page without a next cursor"
    elif p.has_more:
        stop = f"a page whose ``{p.has_more}`` is false"
    elif p.total_count:
        stop = f"``{p.total_count}`` items"
    elif p.size_param:
        stop = f"a page shorter than ``{p.size_param}``"
    else:
        stop = "an empty page"
    if stop != "an empty page":
        stop += " or an empty page"
    return f"It {how}, and stops after {stop}."
