"""Email layouts (v2): the HTML a workflow's email steps are wrapped in.

The first layout an environment gets is its default one (as Novu's upsert does), and the default
cannot be deleted. The link to workflows is an email step's ``layoutId`` control: a layoutId (or
``_id``) wraps the step's body in that layout, ``null`` sends the body as it is, and no
``layoutId`` at all uses the default layout. A layout wraps by rendering its ``email.body`` with
the step's variables and ``{{content}}`` set to the step's rendered body; a layout without an
email body leaves the step's body as it is (``_store/sending.py`` does the rendering). Deleting a
layout removes the ``layoutId`` controls naming it, so those steps fall back to the default.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import attrs

from .._clock import Clock
from .ids import Ids
from .workflows import Workflow

__all__ = ["CONTENT", "Layout", "Layouts", "email_html", "maily", "maily_variables"]

CONTENT = "content"  # the variable a layout's body puts the step's body in


@attrs.define(eq=False)
class Layout:
    """A layout as the fake holds it (``fake.layouts``)."""

    id: str  # the database id (_id)
    layout_id: str  # its identifier
    name: str
    is_default: bool
    translations: bool  # isTranslationEnabled
    controls: dict[str, Any]  # the control values: {"email": {"body": ..., "editorType": ...}}
    created_at: str
    updated_at: str

    @property
    def slug(self) -> str:
        return f"{self.layout_id}_ly_{self.id}"

    @property
    def body(self) -> str | None:
        """The email body as HTML with ``{{content}}``, None when it has none."""
        return email_html(self.controls)


def email_html(controls: dict[str, Any]) -> str | None:
    """A layout's email body as HTML (a block editor's Maily document made HTML), None without one."""
    email = controls.get("email")
    body = email.get("body") if isinstance(email, dict) else None
    if not isinstance(body, str):
        return None
    document = maily(body)
    return body if document is None else maily_html(document)


def maily(text: str) -> dict[str, Any] | None:
    """A Maily (block editor) JSON document, or None when ``text`` is not one."""
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) and found.get("type") == "doc" else None


def maily_variables(node: Any) -> set[str]:
    """The ids of a Maily document's variable nodes."""
    if not isinstance(node, dict):
        return set()
    found = set()
    if node.get("type") == "variable" and isinstance(node.get("attrs"), dict):
        found.add(str(node["attrs"].get("id")))
    for child in node.get("content") or ():
        found |= maily_variables(child)
    return found


def maily_html(document: dict[str, Any]) -> str:
    """A Maily document plainly: each top-level block a paragraph of its texts and variables (the
    fake does not render Maily's styles)."""

    def inline(node: Any) -> str:
        if not isinstance(node, dict):
            return ""
        if node.get("type") == "text":
            return str(node.get("text", ""))
        if node.get("type") == "variable":
            return "{{" + str((node.get("attrs") or {}).get("id", "")) + "}}"
        return "".join(inline(child) for child in node.get("content") or ())

    return "".join(f"<p>{inline(block)}</p>" for block in document.get("content") or ())


class Layouts:
    """layoutId -> ``Layout``, in creation order."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Layout] = {}

    def find(self, key: str) -> Layout | None:
        """A layout by layoutId, ``_id`` or slug."""
        found = self.records.get(key)
        if found is None:
            found = next((x for x in self.records.values() if key in (x.id, x.slug)), None)
        return found

    def default(self) -> Layout | None:
        return next((x for x in self.records.values() if x.is_default), None)

    def make(
        self,
        layout_id: str,
        name: str,
        *,
        translations: bool = False,
        controls: dict[str, Any] | None = None,
        is_default: bool = False,
    ) -> Layout:
        """A layout (not yet held)."""
        now = self._clock.iso()
        return Layout(
            self._ids.object_id(), layout_id, name, is_default, translations, dict(controls or {}), now, now
        )

    def create(
        self, layout_id: str, name: str, *, translations: bool = False, controls: dict[str, Any] | None = None
    ) -> Layout:
        """A held layout: the default one when there is none yet."""
        made = self.make(
            layout_id, name, translations=translations, controls=controls, is_default=self.default() is None
        )
        self.records[layout_id] = made
        return made

    def touch(self, layout: Layout) -> None:
        layout.updated_at = self._clock.iso()

    def drop(self, layout: Layout, workflows: Iterable[Workflow]) -> None:
        """Delete a layout, and the ``layoutId`` controls that name it."""
        del self.records[layout.layout_id]
        for workflow in workflows:
            for step in workflow.steps:
                if step.controls.get("layoutId") in (layout.layout_id, layout.id):
                    del step.controls["layoutId"]

    def users(self, layout: Layout, workflows: Iterable[Workflow]) -> list[Workflow]:
        """The workflows with an email step naming the layout."""
        return [
            w
            for w in workflows
            if any(s.controls.get("layoutId") in (layout.layout_id, layout.id) for s in w.steps)
        ]
