"""Contexts (v2): create, list, retrieve, update (the data), delete.

A context is ``(type, id)`` with custom ``data`` (at most 64 KiB as JSON); creating one that exists
is a 409. Contexts are also made by the resources that name them in a ``context`` payload: a
trigger's (when it is delivered; its notifications and messages then show the ``contextKeys``), a
topic subscription's, a channel connection's or endpoint's: each named context is found or created,
and data given with an id replaces the context's data. ``read_context`` checks such a payload for
the groups that take one.
"""

from __future__ import annotations

from typing import Any

from .._routes import GLOBAL, NO_BODY, Call, Group, Result
from .._store import State
from .._store.contexts import MAX_DATA_BYTES, Context, data_size, payload_problem, valid_part
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found

__all__ = ["context_view", "group", "read_context"]

group = Group("Contexts", GLOBAL)


def read_context(
    fields: Fields, name: str = "context", max_count: int | None = None
) -> dict[str, Any] | None:
    """A request's context payload, checked (422 naming the field); None when it gives none."""
    payload = fields.obj(name)
    if payload is None:
        return None
    problem = payload_problem(payload, max_count)
    if problem is not None:
        raise ApiError.invalid(fields.prefix + name, problem, None)
    return payload  # type: ignore[no-any-return]


def context_view(context: Context) -> dict[str, Any]:
    """``GetContextResponseDto``."""
    return {
        "type": context.type,
        "id": context.identifier,
        "data": dict(context.data),
        "createdAt": context.created_at,
        "updatedAt": context.updated_at,
    }


def _data(fields: Fields, required: bool) -> dict[str, Any] | None:
    data = fields.obj("data", required=required)
    if data is not None and data_size(data) > MAX_DATA_BYTES:
        size = round(data_size(data) / 1024)
        raise ApiError.invalid(
            "data", f"Context data is too large ({size}KB). Maximum size is {MAX_DATA_BYTES // 1024}KB", None
        )
    return data  # type: ignore[no-any-return]


def _part(fields: Fields, name: str) -> str:
    value: str = fields.text(name, required=True)
    if not valid_part(value):
        raise ApiError.invalid(
            name, f"{name} must be 1 to 100 letters, digits, hyphens (-) or underscores (_)", value
        )
    return value


def _context(state: State, call: Call) -> Context:
    kind, identifier = call.params["type"], call.params["id"]
    found = state.contexts.get(kind, identifier)
    if found is None:
        raise not_found(f"Context with type '{kind}' and id '{identifier}' not found")
    return found


@group.operation("ContextsController_createContext")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    kind, identifier = _part(fields, "type"), _part(fields, "id")
    data = _data(fields, required=False)
    if state.contexts.get(kind, identifier) is not None:
        raise conflict(f"Context with type '{kind}' and id '{identifier}' already exists")
    return 201, context_view(state.contexts.create(kind, identifier, data))


@group.operation("ContextsController_listContexts")
def list_contexts(state: State, call: Call) -> Result:
    args = Args(call)
    kind, identifier = args.text("type"), args.text("id")
    search = (args.text("search") or "").lower()

    def keep(context: Context) -> bool:
        return (
            (kind is None or context.type == kind)
            and (identifier is None or context.identifier == identifier)
            and (not search or search in context.key.lower())
        )

    changed = state.contexts.changed
    return 200, cursor_page(
        call,
        state.contexts,
        cursor=lambda context: context.id,
        changed=lambda context: changed[context.key],
        keep=keep,
        render=context_view,
    )


@group.operation("ContextsController_getContext")
def get(state: State, call: Call) -> Result:
    return 200, context_view(_context(state, call))


@group.operation("ContextsController_updateContext")
def update(state: State, call: Call) -> Result:
    context = _context(state, call)
    data = _data(Fields(call.body), required=True)
    assert data is not None
    return 200, context_view(state.contexts.update(context, data))


@group.operation("ContextsController_deleteContext")
def delete(state: State, call: Call) -> Result:
    state.contexts.delete(_context(state, call))
    return 204, NO_BODY
