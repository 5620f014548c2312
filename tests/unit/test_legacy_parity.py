"""docs/legacy.md against the code.

The parity table must have one row for every public method of the old ``novu`` package's API classes,
each naming a function of ``novu_async`` or saying why there is none; every function and method it
names must exist, the functions must send the requests the row lists, and the methods must call the
functions they are paired with.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "legacy.md"

# the public methods of novu/api/*.py in novuhq/novu-python, class by class
LEGACY_METHODS: dict[str, tuple[str, ...]] = {
    "BlueprintApi": ("get_by_id", "get_grouped_by_category"),
    "ChangeApi": ("apply", "bulk_apply", "count", "list"),
    "EnvironmentApi": ("api_keys", "create", "current", "list", "regenerate_api_key"),
    "EventApi": ("broadcast", "delete", "trigger", "trigger_bulk", "trigger_topic"),
    "ExecutionDetailApi": ("list",),
    "FeedApi": ("create", "delete", "list"),
    "InboundParseApi": ("validate_mx_record_setup",),
    "IntegrationApi": ("create", "delete", "limit", "list", "set_primary", "status", "update"),
    "LayoutApi": ("create", "delete", "get", "list", "patch", "set_default"),
    "MessageApi": ("delete", "list", "stream"),
    "NotificationApi": ("get", "graph_stats", "list", "stats", "stream"),
    "NotificationGroupApi": ("create", "delete", "get", "list", "patch"),
    "NotificationTemplateApi": ("create", "delete", "get", "list", "stream", "update", "update_status"),
    "SubscriberApi": (
        "bulk_create",
        "change_channel_preference",
        "change_preference_state",
        "create",
        "credentials",
        "delete",
        "delete_credentials",
        "get",
        "list",
        "online_status",
        "preferences",
        "put",
        "stream",
        "unseen_notifications",
    ),
    "TenantApi": ("create", "delete", "get", "list", "patch", "stream"),
    "TopicApi": ("create", "delete", "get", "list", "rename", "subscribe", "unsubscribe"),
}
EXPECTED = sorted(f"{cls}.{method}" for cls, methods in LEGACY_METHODS.items() for method in methods)

# helpers of novu_async.bulk the table may name, and the endpoint each one sends its chunks to
BULK_HELPERS: dict[str, tuple[str, str]] = {
    "trigger_many": ("POST", "/v1/events/trigger/bulk"),
    "create_subscribers_many": ("POST", "/v1/subscribers/bulk"),
}
FUNC_PACKAGES = ("novu_async.legacy.funcs", "novu_async.funcs")

HEADER = ["Legacy method", "HTTP endpoint", "novu_async", "Notes"]
NONE_CELL = "—"
ARROW = "→"
ENDPOINT = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`")
TARGET = re.compile(r"`(novu_async\.[\w.]+)` / `(novu\.[\w.]+)`")
FUNCTION_REF = re.compile(r"`(novu_async\.(?:legacy\.funcs|funcs|bulk)\.\w+)`")
METHOD_REF = re.compile(r"`(novu\.[\w.]+)`")


@dataclass(frozen=True)
class Row:
    legacy: str
    endpoints: frozenset[tuple[str, str]]  # what novu_async sends: the right side of "old → new"
    targets: tuple[tuple[str, str], ...]  # (function, method on a Novu client) pairs
    mapping: str
    notes: str
    line: str


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _endpoints(cell: str) -> frozenset[tuple[str, str]]:
    found = set()
    for item in cell.split("<br>"):
        matches = ENDPOINT.findall(item)
        if ARROW in item:
            assert len(matches) == 2, f"{item!r}: expected `old` → `new`"
            assert matches[0] != matches[1], f"{item!r}: the arrow joins two equal endpoints"
        else:
            assert len(matches) == 1, f"{item!r}: expected one `METHOD /path`"
        found.add(matches[-1])
    return frozenset(found)


def _targets(cell: str) -> tuple[tuple[str, str], ...]:
    if cell == NONE_CELL:
        return ()
    targets = []
    for item in cell.split("<br>"):
        match = TARGET.fullmatch(item.strip())
        assert match, f"{item!r}: expected `novu_async.<...>.function` / `novu.<...>.method`"
        targets.append((match[1], match[2]))
    return tuple(targets)


@cache
def parse_table() -> tuple[Row, ...]:
    text = DOC.read_text(encoding="utf-8")
    assert "\n## Parity table\n" in text, "docs/legacy.md has no '## Parity table' section"
    section = text.split("\n## Parity table\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    assert len(lines) > 2, "the parity table is empty"
    assert _cells(lines[0]) == HEADER
    assert all(set(cell) <= set("-: ") for cell in _cells(lines[1]))
    rows = []
    for line in lines[2:]:
        cells = _cells(line)
        assert len(cells) == len(HEADER), f"{line!r}: expected {len(HEADER)} cells"
        legacy, endpoint, mapping, notes = cells
        assert re.fullmatch(r"`\w+\.\w+`", legacy), f"{line!r}: expected `Class.method` first"
        rows.append(Row(legacy.strip("`"), _endpoints(endpoint), _targets(mapping), mapping, notes, line))
    return tuple(rows)


def _rows_by_name() -> dict[str, Row]:
    return {row.legacy: row for row in parse_table()}


def resolve_function(ref: str) -> tuple[str, str]:
    """The (method, path) that the function ``ref`` sends; fails if it does not exist."""
    package, _, name = ref.rpartition(".")
    if package == "novu_async.bulk":
        assert name in BULK_HELPERS, f"{ref}: not a bulk helper the table may name ({sorted(BULK_HELPERS)})"
        bulk = importlib.import_module("novu_async.bulk")
        assert callable(getattr(bulk, name, None)), f"{ref} does not exist (yet)"
        return BULK_HELPERS[name]
    assert package in FUNC_PACKAGES, f"{ref}: not in {FUNC_PACKAGES}"
    operations = importlib.import_module(package).OPERATIONS.values()
    base = name if name in operations else name.removesuffix("_iter")
    assert base in operations, f"{ref}: {name!r} is no value of {package}.OPERATIONS"
    module = importlib.import_module(f"{package}.{base}")
    assert callable(getattr(module, name, None)), f"{ref}: {package}.{base} has no {name}"
    return module.OPERATION.method, module.OPERATION.path


@pytest.fixture(scope="module")
def novu() -> Any:
    from novu_async import Novu

    # no request is made: the HTTP client is only created on the first one
    return Novu("test-secret-key")


def resolve_method(novu: Any, ref: str) -> Any:
    target = novu
    for part in ref.split(".")[1:]:
        assert hasattr(target, part), f"{ref} does not exist: no {part!r} on {type(target).__name__}"
        target = getattr(target, part)
    assert callable(target), f"{ref} is not callable"
    return target


def test_the_table_has_one_row_per_legacy_method() -> None:
    counts = Counter(row.legacy for row in parse_table())
    assert [name for name, count in counts.items() if count > 1] == []
    assert sorted(set(EXPECTED) - set(counts)) == []
    assert sorted(set(counts) - set(EXPECTED)) == []


@pytest.mark.parametrize("name", EXPECTED)
def test_row_maps_or_explains(name: str) -> None:
    row = _rows_by_name().get(name)
    assert row is not None, f"{name} has no row"
    assert row.endpoints, f"{name}: no endpoint"
    if not row.targets:
        assert row.mapping == NONE_CELL
        assert row.notes.strip(), f"{name}: no function and no reason"


@pytest.mark.parametrize("name", EXPECTED)
def test_row_functions_send_the_row_endpoints(name: str) -> None:
    row = _rows_by_name()[name]
    if not row.targets:
        pytest.skip("no novu_async function: explained in the notes")
    sent = {resolve_function(function) for function, _ in row.targets}
    assert sent == set(row.endpoints), (
        f"{name}: functions send {sorted(sent)}, row lists {sorted(row.endpoints)}"
    )


@pytest.mark.parametrize("name", EXPECTED)
def test_row_methods_call_the_row_functions(novu: Any, name: str) -> None:
    row = _rows_by_name()[name]
    if not row.targets:
        pytest.skip("no novu_async function: explained in the notes")
    for function, method_ref in row.targets:
        resolve_function(function)
        method = resolve_method(novu, method_ref)
        package, _, func_name = function.rpartition(".")
        # the method's own name does not count as a call
        source = inspect.getsource(method).replace(f"def {method.__name__}(", "def (")
        if package == "novu_async.bulk":
            assert re.search(rf"\b{func_name}\b", source), f"{method_ref} does not call {function}"
        else:
            operations = importlib.import_module(package).OPERATIONS.values()
            module = func_name if func_name in operations else func_name.removesuffix("_iter")
            imported = rf"from {re.escape(package)}\.{module} import \(?\s*{func_name}\b"
            assert re.search(imported, source), f"{method_ref} does not call {function}"


@pytest.mark.parametrize("name", EXPECTED)
def test_names_in_notes_exist(novu: Any, name: str) -> None:
    row = _rows_by_name()[name]
    for ref in FUNCTION_REF.findall(row.notes):
        resolve_function(ref)
    for ref in METHOD_REF.findall(row.notes):
        resolve_method(novu, ref)
