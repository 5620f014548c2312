"""What a channel step needs besides its subscriber, for ``Delivery``: the integration that sends
it (``integrations``), the variables its controls may name besides ``payload`` and ``subscriber``
(``{{env.KEY}}`` from the environment variables, ``{{t.key}}`` from the workflow's translations
when it has them enabled), and an email's final body: the step's body wrapped in its layout.
"""

from __future__ import annotations

from typing import Any

from .delivery import render
from .ids import Ids
from .integrations import Integrations
from .layouts import CONTENT, Layout, Layouts
from .translations import Translations
from .variables import Variables
from .workflows import Workflow

__all__ = ["Sending"]


def _rendered(value: Any, context: dict[str, Any]) -> Any:
    """Translated texts with their own variables filled in (``Hello {{payload.name}}``)."""
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, dict):
        return {k: _rendered(v, context) for k, v in value.items()}
    return value


class Sending:
    def __init__(
        self,
        ids: Ids,
        integrations: Integrations,
        layouts: Layouts,
        translations: Translations,
        variables: Variables,
    ) -> None:
        self._ids = ids
        self._integrations = integrations
        self._layouts = layouts
        self._translations = translations
        self._variables = variables

    def route(
        self, channel: str, subscriber: dict[str, Any], overrides: dict[str, Any]
    ) -> tuple[str | None, str]:
        return self._integrations.route(channel, subscriber, overrides)

    def variables(self, workflow: Workflow, context: dict[str, Any]) -> dict[str, Any]:
        translated = bool(workflow.extra.get("isTranslationEnabled"))
        if not translated and not self._variables.records:
            return context  # nothing to add: {{env.X}} and {{t.x}} render empty either way
        found = {**context, "env": self._variables.values_for(self._ids.environment_id)}
        if translated:
            found["t"] = self._texts("workflow", workflow.workflow_id, found)
        return found

    def finish(self, channel: str, controls: dict[str, Any], body: str, context: dict[str, Any]) -> str:
        """The body as sent: an email's wrapped in its layout."""
        if channel != "email":
            return body
        layout: Layout | None
        if "layoutId" in controls:
            named = controls["layoutId"]
            layout = self._layouts.find(named) if isinstance(named, str) else None
        else:
            layout = self._layouts.default()
        if layout is None or layout.body is None:
            return body
        wrapped = {**context, CONTENT: body}
        if layout.translations:
            wrapped["t"] = self._texts("layout", layout.layout_id, wrapped)
        return render(layout.body, wrapped)

    def _texts(self, resource_type: str, resource_id: str, context: dict[str, Any]) -> Any:
        subscriber = context.get("subscriber") or {}
        texts = self._translations.content(resource_type, resource_id, subscriber.get("locale"))
        return _rendered(texts, context)
