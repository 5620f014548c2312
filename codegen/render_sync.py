"""Render the typing of the blocking client: ``{package}/sync_resources/*.pyi``, stubs only.

``novu_async.sync.Novu`` forwards every attribute to the async client at run time (one code path,
through its event loop thread); these stubs tell type checkers what that forwarding gives, from the
same IR and signatures as the async resource classes: each coroutine method returns its result
directly, each ``*_iter`` a ``SyncIterator[T]`` (a plain ``Iterator[T]`` with ``close()``), each
resource attribute the blocking twin of its class (``SyncSubscribers``...). No ``.py`` goes with
them: nothing imports them at run time.
"""

from __future__ import annotations

from typing import Any

from . import ir, prose
from .load import GenerationError
from .render_ops import OperationRenderer

PACKAGE = "sync_resources"


def sync_class(renderer: OperationRenderer, group: tuple[str, ...]) -> str:
    """``SyncSubscribersCredentials``: the blocking twin of a resource class."""
    return f"Sync{renderer.class_of(group)}"


def render_sync(renderer: OperationRenderer) -> dict[str, str]:
    api = renderer.api
    groups = renderer.groups()
    by_module: dict[str, list[tuple[str, ...]]] = {}
    for group in sorted(groups):
        by_module.setdefault(renderer.module_of(group), []).append(group)
    if "sync" in by_module:
        raise GenerationError("a resource group named 'sync' would shadow the sync stubs")
    files: dict[str, str] = {}
    template = renderer.env.get_template("sync_resource_module.pyi.j2")
    for module, members in by_module.items():
        types = renderer.new_types()
        types.list_name = "builtins.list"
        classes: list[dict[str, Any]] = []
        for group in members:
            children = sorted(g for g in groups if len(g) == len(group) + 1 and g[: len(group)] == group)
            methods = []
            for op in groups[group]:
                methods.append(_method(renderer, op, types))
            classes.append(
                {
                    "name": sync_class(renderer, group),
                    "async_name": renderer.class_of(group),
                    "path": ".".join(group) or "(client)",
                    "children": [
                        {
                            "attr": child[-1],
                            "cls": sync_class(renderer, child),
                            "module": renderer.module_of(child),
                        }
                        for child in children
                    ],
                    "methods": methods,
                }
            )
        files[f"{PACKAGE}/{module}.pyi"] = template.render(
            spec=renderer.spec_label,
            package=api.package,
            module=module,
            classes=classes,
            names=types.names,
            imports=sorted((m, sorted(n)) for m, n in types.imports.items()),
            dict_imports=sorted((m, sorted(n)) for m, n in types.dict_imports.items()),
            paginated=any(m["iterator"] for c in classes for m in c["methods"]),
        )
    files[f"{PACKAGE}/__init__.pyi"] = (
        f'"""The blocking client\'s resources of {renderer.spec_label}, for type checkers only.\n\n'
        "``novu_async.sync.Novu`` forwards to the async client at run time; these stubs describe "
        'what it returns. Do not edit: `make generate` rewrites this package.\n"""\n'
    )
    return files


def _method(renderer: OperationRenderer, op: ir.Operation, types: Any) -> dict[str, Any]:
    signature = renderer.signature(op, types)
    iterator = None
    if op.pagination is not None:
        iterator = renderer.signature(op, types, iterator=True)
        assert iterator["returns"].startswith("PageIterator[")
        # the facade hands out a ``SyncIterator``: a plain iterator over the same items
        iterator = {**iterator, "returns": "Sync" + iterator["returns"].removeprefix("Page")}
    return {
        "name": op.method_name,
        "signature": signature,
        "iterator": iterator,
        "doc": prose.sync_method_doc(op, renderer.api.package, "method"),
        "response_doc": prose.sync_method_doc(op, renderer.api.package, "response"),
        "iter_doc": prose.sync_method_doc(op, renderer.api.package, "iter") if iterator else "",
    }
