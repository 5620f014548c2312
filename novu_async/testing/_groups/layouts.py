"""Layouts (v2): create, list, retrieve, update, delete, duplicate, preview, usage.

The first layout is the default one and cannot be deleted (409). An update's ``controlValues.email``
is checked as Novu checks it (400): an ``html`` body must be an HTML document (``<html>``,
``<body>``), a ``block`` body a Maily JSON document, and either must hold the ``{{content}}``
variable where the step's body goes. What a layout does to deliveries: see ``_store/layouts.py``.
"""

from __future__ import annotations

import re
from typing import Any, Final

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.delivery import render
from .._store.layouts import CONTENT, Layout, email_html, maily, maily_variables
from .._wire import ApiError
from ._common import Args, Fields, conflict, not_found, sorted_page

__all__ = ["group"]

group = Group("Layouts", CONFIGURATION)

_ORDER: Final[dict[str, Any]] = {
    "createdAt": lambda x: x.id,
    "updatedAt": lambda x: (x.updated_at, x.id),
    "name": lambda x: x.name.lower(),
}
_CONTENT_VARIABLE: Final = re.compile(r"\{\{\s*" + CONTENT + r"\s*\}\}")
_PLACEHOLDER: Final = "Dynamic placeholder content"
# the controls' schemas as a layout shows them
_DATA_SCHEMA: Final = {
    "type": "object",
    "properties": {
        "email": {
            "type": "object",
            "properties": {
                "body": {"type": "string"},
                "editorType": {"type": "string", "enum": ["html", "block"]},
            },
            "required": ["body", "editorType"],
        }
    },
}
_UI_SCHEMA: Final = {"group": "LAYOUT", "properties": {"email": {"component": "LAYOUT_EMAIL"}}}
_VARIABLES: Final = {
    "type": "object",
    "properties": {
        "subscriber": {"type": "object", "additionalProperties": True},
        CONTENT: {"type": "string"},
    },
}


def _layout(state: State, call: Call) -> Layout:
    key = call.params["layoutId"]
    found = state.layouts.find(key)
    if found is None:
        raise not_found(f"Layout not found: {key}")
    return found


def _view(layout: Layout) -> dict[str, Any]:
    """``LayoutResponseDto``."""
    return {
        "_id": layout.id,
        "layoutId": layout.layout_id,
        "slug": layout.slug,
        "name": layout.name,
        "isDefault": layout.is_default,
        "isTranslationEnabled": layout.translations,
        "updatedAt": layout.updated_at,
        "updatedBy": None,
        "createdAt": layout.created_at,
        "origin": "novu-cloud",
        "type": "BRIDGE",
        "variables": _VARIABLES,
        "controls": {"dataSchema": _DATA_SCHEMA, "uiSchema": _UI_SCHEMA, "values": dict(layout.controls)},
    }


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "layout"


def _controls(fields: Fields) -> dict[str, Any] | None:
    """``controlValues`` checked; None when it is null (clear them)."""
    given = fields.obj("controlValues", nullable=True)
    if given is None:
        return None
    values = Fields(given, "controlValues.")
    email = values.inner("email")
    if email is None:
        return dict(given)
    body: str = email.text("body", required=True)
    editor = email.choice("editorType", ("html", "block"), required=True)
    document = maily(body)
    is_html = all(tag in body for tag in ("<html", "</html>", "<body", "</body>"))
    html_message, maily_message = (
        "Content must be a valid HTML content",
        "Content must be a valid Maily JSON content",
    )
    if (editor == "html" and not is_html) or (editor == "block" and document is None):
        raise ApiError(400, html_message if editor == "html" else maily_message)
    has_content = (
        CONTENT in maily_variables(document) if document is not None else bool(_CONTENT_VARIABLE.search(body))
    )
    if not has_content:
        raise ApiError(400, f'The layout body should contain the "{CONTENT}" variable')
    return dict(given)


@group.operation("LayoutsController_create")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    layout_id: str = fields.text("layoutId", required=True)
    name: str = fields.text("name", required=True)
    translations = fields.flag("isTranslationEnabled")
    fields.choice("__source", ("dashboard",))
    if state.layouts.find(layout_id) is not None:
        raise conflict(f"Layout with id {layout_id} already exists")
    made = state.layouts.create(layout_id, name, translations=bool(translations))
    return 201, _view(made)


@group.operation("LayoutsController_list")
def list_layouts(state: State, call: Call) -> Result:
    query = (Args(call).text("query") or "").lower()
    found = [
        x
        for x in state.layouts.records.values()
        if not query or query in x.name.lower() or query in x.layout_id.lower()
    ]
    page, total = sorted_page(call, found, _ORDER, default_limit=50)
    return 200, {"layouts": [_view(x) for x in page], "totalCount": total}


@group.operation("LayoutsController_get")
def get(state: State, call: Call) -> Result:
    return 200, _view(_layout(state, call))


@group.operation("LayoutsController_update")
def update(state: State, call: Call) -> Result:
    layout = _layout(state, call)
    fields = Fields(call.body)
    name: str = fields.text("name", required=True)
    translations = fields.flag("isTranslationEnabled")
    if "controlValues" in fields:
        layout.controls = _controls(fields) or {}
    layout.name = name
    if translations is not None:
        layout.translations = translations
    state.layouts.touch(layout)
    return 200, _view(layout)


@group.operation("LayoutsController__delete")
def remove(state: State, call: Call) -> Result:
    layout = _layout(state, call)
    if layout.is_default:
        key = call.params["layoutId"]
        raise conflict(f"Layout with id {key} is being used as a default layout, it can not be deleted")
    state.layouts.drop(layout, state.workflows.held.values())
    state.translations.drop_group("layout", layout.layout_id)
    return 204, NO_BODY


@group.operation("LayoutsController_duplicate")
def duplicate(state: State, call: Call) -> Result:
    original = _layout(state, call)
    fields = Fields(call.body)
    name: str = fields.text("name", required=True)
    layout_id = fields.text("layoutId") or _slugify(name)
    translations = bool(fields.flag("isTranslationEnabled"))
    if state.layouts.find(layout_id) is not None:
        raise conflict(f"Layout with id {layout_id} already exists")
    made = state.layouts.create(layout_id, name, translations=translations, controls=original.controls)
    if translations:
        state.translations.copy_group("layout", original.layout_id, made.layout_id)
    return 201, _view(made)


@group.operation("LayoutsController_generatePreview")
def preview(state: State, call: Call) -> Result:
    layout = _layout(state, call)
    fields = Fields(call.body)
    controls = fields.obj("controlValues")
    example = fields.inner("previewPayload")
    subscriber = (example.obj("subscriber") if example is not None else None) or {}
    html = email_html(layout.controls if controls is None else controls)
    body = render(html or "", {"subscriber": subscriber, CONTENT: _PLACEHOLDER})
    return 201, {
        "previewPayloadExample": {"subscriber": subscriber},
        "result": {"type": "email", "preview": {"body": body}},
    }


@group.operation("LayoutsController_getUsage")
def usage(state: State, call: Call) -> Result:
    layout = _layout(state, call)
    users = state.layouts.users(layout, state.workflows.held.values())
    return 200, {"workflows": [{"name": w.name, "workflowId": w.workflow_id} for w in users]}
