"""novu_async.testing's modules import one another one way only (issue 14: no import cycle), and the
ways in (server, httpx transport, ASGI app) depend on the Responder protocol, not on FakeNovu."""

from __future__ import annotations

import ast
from pathlib import Path

import novu_async.testing

PACKAGE = Path(novu_async.testing.__file__).parent
PREFIX = "novu_async.testing"


def imports() -> dict[str, set[str]]:
    """module -> the modules of the package it imports (at run time or for type checking)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join([PREFIX, *parts[:-1]] if is_package else [PREFIX, *parts])
        package = module if is_package else module.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [f"{target}.{alias.name}" for alias in node.names]
                found |= {t for t in [target, *names] if t.startswith(PREFIX)}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name.startswith(PREFIX)}
        graph[module] = found
    modules = set(graph)
    return {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str] | None:
        if module in trail:
            return [*trail[trail.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            found = visit(target, [*trail, module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return None


def test_no_import_cycle() -> None:
    graph = imports()
    assert len(graph) > 20
    assert cycle(graph) is None


def test_the_ways_in_do_not_know_fakenovu() -> None:
    graph = imports()
    for way in ("_server", "_transport", "_asgi"):
        assert f"{PREFIX}._fake" not in graph[f"{PREFIX}.{way}"], way
        assert f"{PREFIX}._wire" in graph[f"{PREFIX}.{way}"], way


def test_the_checker_sees_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
