"""Render a markdown reference of a generated package from the same IR as its code.

``python -m codegen docs`` writes ``docs/reference/<spec key>/`` for every spec marked
``generate = true``: ``index.md`` (the resources, with operation counts), one page per resource
module (``subscribers.md`` holds ``novu.subscribers`` and its sub-resources such as
``novu.subscribers.credentials``, as ``novu_async/resources/subscribers.py`` holds their classes;
``client.md`` the operations on the client itself), the models and enums on pages of their own
(``models-<page>.md`` beside the resource page whose operations use them, ``models-common.md`` for
those several resources share, ``models-other.md`` for those no operation reaches; see
``model_pages``) and ``models.md``, an index of every model and enum.

Descriptions from the document are CommonMark (as OpenAPI says), but raw HTML in them would vanish
when rendered (Novu's JSX component names such as ``<Inbox />``): ``escape_markup`` escapes it.
The hand-written parts of the SDK get their pages from their own docstrings, in a separate step that
imports the runtime (``python -m refdocs``, into ``docs/reference/sdk/``); the top index links them.

Each operation's signature is the generated one: the same ``OperationRenderer.signature`` text,
formatted by ruff as the generated modules are. The exception raised for each documented error
status comes from ``codegen.error_classes``, the table the client's ``novu_async.errors`` is
generated from (this module does not import the client).
Pages are written only when their text changes; stale pages are removed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from . import error_classes, ir, prose
from .config import ROOT
from .render import template_environment
from .render_ops import OperationRenderer

OUT_DIR = ROOT / "docs" / "reference"
MODELS_PAGE = "models.md"  # the index of every model and enum; each is described on its models-*.md page
COMMON_MODELS = "common"  # models-common.md: models the operations of several pages use
OTHER_MODELS = "other"  # models-other.md: models no operation uses (reached only through other documents)
SDK_INDEX = "sdk/index.md"  # the hand-written surfaces' pages (``python -m refdocs``), relative to OUT_DIR
ROOT_PAGE = "client"  # the page of the operations on the client itself (resource module ``_root``)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
STUB_MARK = "# @@docs-signature "


def client_prefix(package: str) -> str:
    """How users reach a package's resources: ``novu`` for novu_async, ``novu.legacy`` for its legacy API."""
    if package == "novu_async":
        return "novu"
    if package.startswith("novu_async."):
        return "novu." + package.removeprefix("novu_async.")
    return "client"


def page_of(group: tuple[str, ...]) -> str:
    """The page (without ``.md``) of a resource group: its generated resource module's name."""
    module = OperationRenderer.module_of(group)
    return ROOT_PAGE if module == "_root" else module


def anchor(name: str) -> str:
    return name.lower()


# a code span (a run of backticks, then anything up to the same run), or an autolink (``<https://...>``)
_KEPT = re.compile(r"(`+).+?(?<!`)\1(?!`)|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>", re.DOTALL)


def escape_markup(text: str) -> str:
    """Upstream prose whose every character shows when rendered: each ``<`` outside code spans and
    autolinks becomes ``&lt;``, so raw HTML (``<Inbox />``, ``<br>``, comments) is printed, not swallowed
    by the renderer. The rest of CommonMark (emphasis, links, code) renders as the document meant."""
    out: list[str] = []
    position = 0
    for match in _KEPT.finditer(text):
        out.append(text[position : match.start()].replace("<", "&lt;"))
        out.append(match.group())
        position = match.end()
    out.append(text[position:].replace("<", "&lt;"))
    return "".join(out)


def cell(text: str | None) -> str:
    """Upstream text for one markdown table cell: one line, pipes and raw HTML escaped."""
    if not text:
        return ""
    return escape_markup(" ".join(text.split())).replace("|", "\\|")


def paragraph(text: str | None) -> str:
    """Upstream text for a paragraph of its own: raw HTML escaped."""
    return escape_markup((text or "").strip())


# ---------------------------------------------------------------- errors


def error_class(status: str) -> str:
    """The exception the client raises for a documented error status (``4XX``/``default``: by status)."""
    if status.isdigit():
        return error_classes.class_for(int(status))
    if status[:1] == "5":
        return error_classes.class_for(500)
    return f"{error_classes.OTHER} (its subclass for the status)"


# ---------------------------------------------------------------- signatures


def _ruff() -> str | None:
    return shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def format_signatures(stubs: dict[str, str], config: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """``{key: "async def f(...) -> T:"}`` formatted by ruff as the generated modules are, in one run.

    Each header gets a ``pass`` body so that ruff wraps it exactly as it wraps the generated
    function (whose body is a docstring); the body is dropped again afterwards.
    """
    ruff = _ruff()
    if ruff is None or not stubs:  # pragma: no cover - ruff is a dev dependency
        return dict(stubs)
    source = "".join(f"{STUB_MARK}{key}\n{header}\n    pass\n\n\n" for key, header in stubs.items())
    result = subprocess.run(
        [ruff, "format", "--config", str(config), "--stdin-filename", "signatures.py", "-"],
        input=source,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"codegen docs: ruff format failed:\n{result.stderr}")
    formatted: dict[str, str] = {}
    for chunk in result.stdout.split(STUB_MARK)[1:]:
        key, _, rest = chunk.partition("\n")
        lines = rest.rstrip().splitlines()
        assert lines[-1].strip() == "pass", chunk
        formatted[key] = "\n".join(lines[:-1])
    assert formatted.keys() == stubs.keys()
    return formatted


# ---------------------------------------------------------------- rendering


@attrs.frozen
class DocsResult:
    api: ir.Api
    files: dict[str, str]  # page name -> markdown
    written: int = 0
    removed: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.api.operations)} operations on {len(self.files)} pages "
            f"({self.written} written, {self.removed} removed)"
        )


class DocsRenderer:
    def __init__(self, api: ir.Api, spec_label: str) -> None:
        self.api = api
        self.spec_label = spec_label
        self.prefix = client_prefix(api.package)
        self.env = template_environment()
        self.ops = OperationRenderer(api, self.env, spec_label)
        self.classes = {d.name for d in api.definitions}
        self.model_pages = model_pages(api)
        # a TypedDict's name links to its model's section, where it is described
        self.dict_targets = {
            m.typed_dict: f"{self.model_pages[m.name]}.md#{anchor(m.name)}"
            for m in api.request_models
            if m.typed_dict
        }

    # ------------------------------------------------------------ types

    def annotation(self, t: ir.TypeRef, *, optional: bool = False) -> str:
        return self.ops.new_types().annotation(t, optional=optional)

    def linked(self, text: str) -> str:
        """A Python annotation as markdown: class names link to their models page; table-safe."""
        out: list[str] = []
        position = 0
        for match in IDENTIFIER.finditer(text):
            out.append(self._escape(text[position : match.start()]))
            name = match.group()
            if name in self.classes:
                out.append(f"[`{name}`]({self.model_pages[name]}.md#{anchor(name)})")
            elif name in self.dict_targets:
                out.append(f"[`{name}`]({self.dict_targets[name]})")
            else:
                out.append(f"`{name}`")
            position = match.end()
        out.append(self._escape(text[position:]))
        return "".join(out)

    @staticmethod
    def _escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")

    def type_md(self, t: ir.TypeRef | None, *, optional: bool = False) -> str:
        return "`None` (no body)" if t is None else self.linked(self.annotation(t, optional=optional))

    # ------------------------------------------------------------ operations

    def signatures(self) -> dict[str, str]:
        stubs: dict[str, str] = {}
        for op in self.api.operations:
            types = self.ops.new_types()
            sig = self.ops.signature(op, types)
            stubs[op.func] = f"async def {op.func}(core: NovuCore, {sig['params']}) -> {sig['returns']}:"
            if op.pagination is not None:
                sig = self.ops.signature(op, types, iterator=True)
                stubs[f"{op.func}_iter"] = (
                    f"def {op.func}_iter(core: NovuCore, {sig['params']}) -> {sig['returns']}:"
                )
        return format_signatures(stubs)

    def call_name(self, op: ir.Operation) -> str:
        return ".".join([self.prefix, *op.group, op.method_name])

    def operation(self, op: ir.Operation, signatures: dict[str, str]) -> dict[str, Any]:
        params = [
            {
                "python": p.python,
                "wire": p.wire,
                "location": p.location,
                "type": self.type_md(p.type),
                "required": p.required,
                "description": cell(("Deprecated. " if p.deprecated else "") + (p.description or "")),
            }
            for p in op.params
        ]
        body = None
        if op.body is not None:
            body = {
                "kind": op.body.kind,
                "type": self.linked(self.ops.new_types().input_annotation(op.body.type)),
                "required": op.body.required,
                "description": cell(op.body.description),
                "max_items": op.body.max_items,
                "plain_dict": isinstance(op.body.type, ir.Named) and not op.body.type.is_enum,
            }
            params.insert(
                len(op.located("path")),
                {
                    "python": "body",
                    "wire": "",
                    "location": "body",
                    "type": body["type"],
                    "required": op.body.required,
                    "description": body["description"]
                    or ("the model or its TypedDict" if body["plain_dict"] else ""),
                },
            )
        pagination = None
        if op.pagination is not None:
            p = op.pagination
            pagination = {
                "style": p.style,
                "param": p.param,
                "dropped": tuple(name for name in p.dropped if name != p.param),
                "item_type": self.type_md(p.item_type),
                "describe": prose.pagination(p),
                "signature": signatures[f"{op.func}_iter"],
            }
        return {
            "op": op,
            "call": self.call_name(op),
            "anchor": op.func,
            "module": f"{self.api.package}.funcs.{op.func}",
            "signature": signatures[op.func],
            "summary": cell(op.summary),
            "description": paragraph(op.description) if op.description != op.summary else "",
            "params": params,
            "body": body,
            "responses": [
                {"status": r.status, "type": self.type_md(r.type), "description": cell(r.description)}
                for r in op.responses
            ],
            "errors": [
                {
                    "status": r.status,
                    "exception": error_class(r.status),
                    "type": self.type_md(r.type) if r.type is not None else "",
                    "description": cell(r.description),
                }
                for r in op.errors
            ],
            "unwrap": any(r.unwrap and r.type is not None for r in op.responses),
            "pagination": pagination,
        }

    # ------------------------------------------------------------ pages

    def render(self) -> dict[str, str]:
        signatures = self.signatures()
        groups = self.ops.groups()
        by_page: dict[str, list[tuple[str, ...]]] = {}
        for group in sorted(groups):
            if groups[group]:
                by_page.setdefault(page_of(group), []).append(group)
        common = {
            "spec": self.spec_label,
            "package": self.api.package,
            "prefix": self.prefix,
            "models_page": MODELS_PAGE,
        }
        files: dict[str, str] = {}
        index = []
        model_files = set(self.model_pages.values())
        page_template = self.env.get_template("docs_resource.md.j2")
        for page, members in sorted(by_page.items()):
            sections = [
                {
                    "path": ".".join([self.prefix, *group]),
                    "anchor": "-".join(group) or ROOT_PAGE,
                    "operations": [self.operation(op, signatures) for op in groups[group]],
                }
                for group in members
            ]
            own_models = f"models-{page}"  # the models only this page's operations use, if any
            files[f"{page}.md"] = page_template.render(
                title=self.prefix if page == ROOT_PAGE else f"{self.prefix}.{page}",
                sections=sections,
                **{
                    **common,
                    "models_page": f"{own_models}.md" if own_models in model_files else MODELS_PAGE,
                },
            )
            index.append(
                {
                    "page": page,
                    "sections": [
                        {"path": s["path"], "anchor": s["anchor"], "count": len(s["operations"])}
                        for s in sections
                    ],
                    "count": sum(len(s["operations"]) for s in sections),
                }
            )
        files["index.md"] = self.env.get_template("docs_index.md.j2").render(
            pages=index,
            operations=len(self.api.operations),
            models=len(self.api.models),
            enums=len(self.api.enums),
            **common,
        )
        files.update(self.models_files(common))
        return files

    def models_files(self, common: dict[str, Any]) -> dict[str, str]:
        """The models pages (``models-<page>.md``: see ``model_pages``) and their index, ``models.md``."""
        by_page: dict[str, list[ir.Model | ir.EnumDef]] = {}
        for d in sorted(self.api.definitions, key=lambda d: d.name):
            by_page.setdefault(self.model_pages[d.name], []).append(d)
        template = self.env.get_template("docs_models.md.j2")
        files: dict[str, str] = {}
        pages = []
        for page, members in sorted(by_page.items(), key=lambda item: _models_order(item[0])):
            title, about = self._models_title(page.removeprefix("models-"))
            files[f"{page}.md"] = template.render(
                title=title,
                about=about,
                definitions=[self.definition(d) for d in members],
                **common,
            )
            pages.append({"page": page, "title": title, "about": about, "count": len(members)})
        files[MODELS_PAGE] = self.env.get_template("docs_models_index.md.j2").render(
            pages=pages,
            definitions=[
                {
                    "name": d.name,
                    "anchor": anchor(d.name),
                    "enum": isinstance(d, ir.EnumDef),
                    "page": self.model_pages[d.name],
                }
                for d in sorted(self.api.definitions, key=lambda d: (d.name.lower(), d.name))
            ],
            **common,
        )
        return files

    def _models_title(self, kind: str) -> tuple[str, str]:
        """A models page's title and what it holds."""
        if kind == COMMON_MODELS:
            return "Shared models", "the models and enums that the operations of several resources use"
        if kind == OTHER_MODELS:
            return (
                "Other models",
                "the models and enums that no operation uses, directly or through another model",
            )
        resource = self.prefix if kind == ROOT_PAGE else f"{self.prefix}.{kind}"
        return (
            f"Models of `{resource}`",
            f"the models and enums that only the operations of [`{resource}`]({kind}.md) use",
        )

    def definition(self, d: ir.Model | ir.EnumDef) -> dict[str, Any]:
        if isinstance(d, ir.EnumDef):
            return {
                "kind": "enum",
                "name": d.name,
                "anchor": anchor(d.name),
                "module": f"{self.api.package}.models.{d.module}",
                "description": paragraph(d.description),
                "members": d.members,
                "source": d.source,
            }
        return {
            "kind": "model",
            "name": d.name,
            "anchor": anchor(d.name),
            "module": f"{self.api.package}.models.{d.module}",
            "description": paragraph(d.description),
            "fields": [
                {
                    "python": f.name,
                    "wire": f.wire,
                    "type": self.type_md(f.type),
                    "required": f.required,
                    "description": cell(
                        ("Deprecated. " if f.deprecated else "")
                        + (f.description or "")
                        + (f" Bounds: {limits_text(f.limits)}." if f.limits else "")
                    ),
                }
                for f in d.fields
            ],
            "extra": self.type_md(d.extra),
            "closed": d.closed,
            "typed_dict": d.typed_dict,
            "dicts_module": f"{self.api.package}.dicts",
            "dict_keys": [
                {
                    "wire": f.wire,
                    "type": self.linked(self.ops.new_types().input_annotation(f.type)),
                    "required": f.required,
                }
                for f in d.fields
            ]
            if d.typed_dict
            else [],
            "source": d.source,
        }


def limits_text(limits: ir.Limits) -> str:
    """``min_length 1, max_length 100``: a field's bounds for the reference pages."""
    return ", ".join(f"{name} {value:g}" for name, value in limits.items())


def _models_order(page: str) -> tuple[int, str]:
    """Resource pages' models first (by name), then the shared ones, then the others."""
    kind = page.removeprefix("models-")
    return ({COMMON_MODELS: 1, OTHER_MODELS: 2}.get(kind, 0), kind)


def named_types(t: ir.TypeRef | None, found: set[str]) -> None:
    """Add the generated classes ``t`` names (through lists, maps, unions) to ``found``."""
    if isinstance(t, ir.Named):
        found.add(t.name)
    elif isinstance(t, ir.ListOf):
        named_types(t.item, found)
    elif isinstance(t, ir.MapOf):
        named_types(t.value, found)
    elif isinstance(t, ir.Nullable):
        named_types(t.inner, found)
    elif isinstance(t, ir.UnionOf):
        for member in t.members:
            named_types(member, found)


def model_pages(api: ir.Api) -> dict[str, str]:
    """The page (without ``.md``) each model and enum is described on.

    A class that the operations of one resource page use, in their parameters, body, responses or
    errors, directly or through the fields of other models, goes to ``models-<that page>``;
    one that several pages use to ``models-common``; one that no operation reaches to
    ``models-other``. So a page's models are next to it, and no models page holds them all.
    """
    definitions = {d.name: d for d in api.definitions}
    used_by: dict[str, set[str]] = {}
    for op in api.operations:
        start: set[str] = set()
        for param in op.params:
            named_types(param.type, start)
        if op.body is not None:
            named_types(op.body.type, start)
        for response in (*op.responses, *op.errors):
            named_types(response.type, start)
        page = page_of(op.group)
        seen: set[str] = set()
        stack = sorted(start)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            used_by.setdefault(name, set()).add(page)
            d = definitions[name]
            if isinstance(d, ir.Model):
                found: set[str] = set()
                for f in d.fields:
                    named_types(f.type, found)
                named_types(d.extra, found)
                stack.extend(sorted(found - seen))
    pages: dict[str, str] = {}
    for name in definitions:
        users = used_by.get(name, set())
        kind = next(iter(users)) if len(users) == 1 else COMMON_MODELS if users else OTHER_MODELS
        pages[name] = f"models-{kind}"
    return pages


def spec_label(document: dict[str, Any]) -> str:
    info = document.get("info", {})
    return f"{info.get('title', 'OpenAPI document')} {info.get('version', '')}".strip()


def render_docs(api: ir.Api, label: str) -> dict[str, str]:
    """``{page file name: markdown}`` for one package."""
    return DocsRenderer(api, label).render()


def write_pages(directory: Path, files: dict[str, str]) -> tuple[int, int]:
    """Write the pages whose text changed; remove other ``*.md`` files. Returns (written, removed)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = removed = 0
    for name, text in sorted(files.items()):
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    for path in sorted(directory.glob("*.md")):
        if path.name not in files:
            path.unlink()
            removed += 1
    return written, removed


def top_index(entries: Iterable[tuple[str, str, str, int]]) -> str:
    """``docs/reference/index.md``: one line per package (spec key, package, label, operations)."""
    lines = [
        "# novu_async API reference",
        "",
        "Generated by `make docs`. Do not edit.",
        "",
        f"- [The Python API]({SDK_INDEX}): the client, its configuration and options, the errors, bulk "
        "sending, the blocking client, FakeNovu and the `novu-async` command line, from their own "
        "docstrings and signatures.",
        "- The operations of the Novu API, one page per resource, and their models, from the pinned "
        "OpenAPI documents:",
        "",
    ]
    lines += ["| Package | Document | Operations |", "| --- | --- | --- |"]
    for key, package, label, count in entries:
        lines.append(f"| [`{package}`]({key}/index.md) | {cell(label)} | {count} |")
    return "\n".join(lines) + "\n"


def build_docs(document: dict[str, Any], package: str, directory: Path) -> DocsResult:
    from .parse import build_api

    api = build_api(document, package)
    files = render_docs(api, spec_label(document))
    written, removed = write_pages(directory, files)
    return DocsResult(api=api, files=files, written=written, removed=removed)
