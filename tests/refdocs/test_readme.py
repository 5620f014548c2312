"""The README's errors table agrees with the code, and so with the reference made from it."""

from __future__ import annotations

import re
from typing import Any

import novu_async.errors as errors
from codegen.config import ROOT

ATTRIBUTE = re.compile(r"`([a-z_][a-z0-9_]*)`")
CLASS = re.compile(r"`([A-Z][A-Za-z]*Error)`")


def errors_table() -> list[tuple[str, str]]:
    """``(first cell, second cell)`` of each row of the README's table under "## Errors"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    return [tuple(cell.strip() for cell in row.strip("|").split(" | ", 1)) for row in rows[1:]]  # type: ignore[misc]


def instance_attributes(error: BaseException) -> set[str]:
    return {name for name in vars(error) if not name.startswith("_")}


SAMPLES: dict[str, Any] = {
    "APIError": errors.APIError("workflows_create: HTTP 400", status_code=400),
    "RateLimitError": errors.RateLimitError("HTTP 429", status_code=429, retry_after=1.0),
    "DataValidationError": errors.DataValidationError("the body", [("$.name", "required")]),
    "APIConnectionError": errors.APIConnectionError("no answer"),
    "ResponseValidationError": errors.ResponseValidationError("bad", status_code=200, body=None, problems=[]),
}


def test_every_error_class_is_in_the_table() -> None:
    named = {name for first, _ in errors_table() for name in CLASS.findall(first)}
    public = {name for name in errors.__all__ if name.endswith("Error")}
    assert public - {"NovuError"} <= named <= public  # the base class is the table's introduction


def attributes_of(name: str) -> dict[str, str]:
    """``{attribute: the docstrings that may describe it}`` of an error class: what its instances
    hold, and its properties."""
    cls = getattr(errors, name)
    sample = SAMPLES.get(name) or next((s for s in SAMPLES.values() if issubclass(cls, type(s))), None)
    if sample is None:
        sample = cls("a message")
    names = instance_attributes(sample) | {n for n in dir(cls) if isinstance(getattr(cls, n), property)}
    docs = " ".join(c.__doc__ or "" for c in cls.__mro__)
    return {attribute: docs for attribute in names}


def test_the_attributes_it_lists_are_the_errors_own_and_documented() -> None:
    """Every attribute a row names is one of a class of that row, which its docstring (so its
    reference entry) describes; the ``APIError`` row names them all, ``parsed`` included."""
    checked = 0
    for first, second in errors_table():
        classes = CLASS.findall(first)
        named = set(ATTRIBUTE.findall(f"{first} {second}"))
        found: dict[str, str] = {}
        for name in classes:
            found.update(attributes_of(name))
        for attribute in named:
            assert attribute in found, (classes, attribute)
            assert f"``{attribute}``" in found[attribute], (classes, attribute)
            checked += 1
        if classes[0] == "APIError":
            assert named == instance_attributes(SAMPLES["APIError"])
            assert "parsed" in named
    assert checked >= 15
