"""The base of the generated resource classes: a core, and sub-resources made on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ._core import NovuCore

R = TypeVar("R", bound="Resource")


class Resource:
    """A group of operations bound to one ``NovuCore``: ``novu.subscribers.credentials.update(...)``."""

    __slots__ = ("_children", "_core")

    def __init__(self, core: NovuCore) -> None:
        self._core = core
        self._children: dict[str, Any] = {}

    def _child(self, name: str, cls: type[R]) -> R:
        child = self._children.get(name)
        if child is None:
            child = self._children[name] = cls(self._core)
        return child

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"
