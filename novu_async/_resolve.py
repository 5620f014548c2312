"""The string annotations of generated models turned into types, on first use of each class.

Model modules annotate with strings and import what they reference only under ``TYPE_CHECKING``, so
importing one model loads one module; the names an annotation mentions are found through the
generated package's lazy ``_MODULES`` map, and imported then.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import attrs

__all__ = ["resolve"]


class _LazyNamespace(dict[str, Any]):
    """Names of one generated models package, imported when an annotation first mentions them."""

    def __init__(self, package: str) -> None:
        super().__init__()
        self.package = package

    def __missing__(self, name: str) -> Any:
        package = sys.modules.get(self.package) or importlib.import_module(self.package)
        if name in getattr(package, "_MODULES", ()):
            value = getattr(package, name)
            self[name] = value
            return value
        raise KeyError(name)


_namespaces: dict[str, _LazyNamespace] = {}


def resolve(cls: type) -> None:
    """Turn the string annotations of a generated class into types (once per class)."""
    if getattr(cls, "__attrs_types_resolved__", False):
        return
    package = cls.__module__.rpartition(".")[0]
    namespace = _namespaces.get(package)
    if namespace is None:
        namespace = _namespaces[package] = _LazyNamespace(package)
    attrs.resolve_types(cls, localns=namespace)
