"""How a structuring failure is described: the exception a structure hook raises for one bad value
(``Problem``), the one for keys a closed request body does not declare (``UnknownKeys``), the JSON
kind of a value for messages (``json_kind``), and ``problems_of``, which turns what the converter
raised (cattrs' exception groups, with notes saying where) into ``(JSON path, message)`` pairs with
the paths in wire names.
"""

from __future__ import annotations

from typing import Any

import attrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, IterableValidationError

from . import _validate
from ._validate import EXTRA

__all__ = ["Problem", "UnknownKeys", "json_kind", "problems_of", "wire_names"]


class Problem(ValueError):
    """One thing wrong with one value; the converter adds where it is."""


class UnknownKeys(Problem):
    """Keys of a dict request body its closed model does not declare: one problem per key."""

    def __init__(self, cls: type, keys: list[str]) -> None:
        super().__init__(", ".join(keys))
        self.messages = [(key, _validate.unknown_key_message(cls, key)) for key in keys]


def json_kind(value: Any) -> str:
    """The JSON kind of a Python value, for messages and union dispatch."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def wire_names(cls: type) -> dict[str, str]:
    return {f.name: f.metadata.get("wire", f.name) for f in attrs.fields(cls) if f.name != EXTRA}


def problems_of(exc: BaseException, path: str = "$") -> list[tuple[str, str]]:
    """Flatten a structuring failure into ``(JSON path, message)`` pairs, paths in wire names."""
    if isinstance(exc, ClassValidationError):
        wires = wire_names(exc.cl) if attrs.has(exc.cl) else {}
        out: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            name = note.name if isinstance(note, AttributeValidationNote) else str(note)
            out.extend(problems_of(sub, f"{path}.{wires.get(name, name)}"))
        for sub in without:
            out.extend(problems_of(sub, path))
        return out
    if isinstance(exc, IterableValidationError):
        out = []
        items, rest = exc.group_exceptions()
        for sub, item in items:
            index = item.index
            where = f"[{index}]" if isinstance(index, int) else f"[{index!r}]"
            out.extend(problems_of(sub, path + where))
        for sub in rest:
            out.extend(problems_of(sub, path))
        return out
    if isinstance(exc, UnknownKeys):
        return [(f"{path}.{key}", message) for key, message in exc.messages]
    if isinstance(exc, KeyError):
        return [(path, "required property is missing")]
    if isinstance(exc, Problem):
        return [(path, str(exc))]
    return [(path, f"{type(exc).__name__}: {exc}")]
