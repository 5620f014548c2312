"""Translations (v2): per resource (a workflow or a layout) and locale, a JSON object of texts.

The organization's default locale is ``en_US`` (the fake has no organization settings to change
it), and every ``language_REGION`` locale is accepted. A workflow whose ``isTranslationEnabled`` is
true renders ``{{t.key}}`` in its steps with the translation for the subscriber's locale, or the
default locale's when the subscriber's has none; keys may be nested objects or dotted names
(``{"welcome.title": ...}`` and ``{"welcome": {"title": ...}}`` are the same key). A layout with
translations enabled does the same with its own translations (``_store/sending.py``).
"""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from .._clock import Clock

__all__ = ["DEFAULT_LOCALE", "LOCALE", "RESOURCE_TYPES", "Translation", "Translations", "nested"]

DEFAULT_LOCALE: Final = "en_US"
LOCALE: Final = re.compile(r"^[a-z]{2}_[A-Z]{2}$")
RESOURCE_TYPES: Final = ("workflow", "layout")


@attrs.define(eq=False)
class Translation:
    resource_type: str
    resource_id: str
    locale: str
    content: dict[str, Any]
    created: float
    updated: float


def nested(content: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys made nested objects: ``{"a.b": 1}`` -> ``{"a": {"b": 1}}`` (a nested object given
    as such is merged in)."""
    made: dict[str, Any] = {}
    for key, value in content.items():
        parts = key.split(".")
        place = made
        for part in parts[:-1]:
            inner = place.get(part)
            if not isinstance(inner, dict):
                inner = place[part] = {}
            place = inner
        if isinstance(value, dict):
            existing = place.get(parts[-1])
            place[parts[-1]] = {**(existing if isinstance(existing, dict) else {}), **nested(value)}
        else:
            place[parts[-1]] = value
    return made


class Translations:
    """(resource type, resource id) -> locale -> ``Translation``, groups in creation order."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.groups: dict[tuple[str, str], dict[str, Translation]] = {}

    def put(self, resource_type: str, resource_id: str, locale: str, content: dict[str, Any]) -> Translation:
        """Create or replace one locale's translation."""
        now = self._clock.now()
        group = self.groups.setdefault((resource_type, resource_id), {})
        found = group.get(locale)
        if found is None:
            found = group[locale] = Translation(resource_type, resource_id, locale, dict(content), now, now)
        else:
            found.content, found.updated = dict(content), now
        return found

    def get(self, resource_type: str, resource_id: str, locale: str) -> Translation | None:
        return self.groups.get((resource_type, resource_id), {}).get(locale)

    def group(self, resource_type: str, resource_id: str) -> dict[str, Translation] | None:
        return self.groups.get((resource_type, resource_id)) or None

    def drop(self, resource_type: str, resource_id: str, locale: str) -> bool:
        group = self.groups.get((resource_type, resource_id), {})
        if group.pop(locale, None) is None:
            return False
        if not group:
            del self.groups[resource_type, resource_id]
        return True

    def drop_group(self, resource_type: str, resource_id: str) -> bool:
        return self.groups.pop((resource_type, resource_id), None) is not None

    def rename(self, resource_type: str, old: str, new: str) -> None:
        """A resource's identifier changed: its translations follow."""
        group = self.groups.pop((resource_type, old), None)
        if group is not None:
            for translation in group.values():
                translation.resource_id = new
            self.groups[resource_type, new] = group

    def copy_group(self, resource_type: str, source: str, target: str) -> None:
        for locale, translation in (self.group(resource_type, source) or {}).items():
            self.put(resource_type, target, locale, translation.content)

    def of_locale(self, locale: str) -> dict[tuple[str, str], Translation]:
        """Every resource's translation in one locale."""
        return {key: group[locale] for key, group in self.groups.items() if locale in group}

    def content(self, resource_type: str, resource_id: str, locale: Any) -> dict[str, Any]:
        """The texts for a locale (the default locale's when it has none), nested."""
        group = self.groups.get((resource_type, resource_id), {})
        found = group.get(locale) if isinstance(locale, str) else None
        if found is None:
            found = group.get(DEFAULT_LOCALE)
        return {} if found is None else nested(found.content)
