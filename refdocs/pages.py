"""The pages of ``docs/reference/sdk/``: which public names each holds, and rendering them.

Every name of the ``__all__`` of ``MODULES`` gets one entry, on the page of the module that exports
it (``novu_async``'s own names, which re-export the others, go to the errors or bulk page when they
are the same objects, else to ``configuration`` or ``client``). The TypedDicts behind a
``**settings: Unpack[...]`` get an entry too, on the configuration page, as the keywords' list.
``index.md`` lists every exported name with a link to its entry; ``cli.md`` is the command line
(``refdocs.cli``).
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from codegen.docs import OUT_DIR as REFERENCE_DIR
from codegen.docs import format_signatures, write_pages
from codegen.render import template_environment

from . import cli, introspect, markup
from .introspect import Entry

OUT_DIR = REFERENCE_DIR / "sdk"
TEMPLATES = Path(__file__).with_name("templates")
# the public modules, whose __all__ the pages cover, name by name
MODULES = (
    "novu_async",
    "novu_async.errors",
    "novu_async.bulk",
    "novu_async.sync",
    "novu_async.testing",
    "novu_async.cli",
)
# links to the pages ``python -m codegen docs`` writes (the generated API), for names that mean them
GENERATED_LINKS = {
    "novu_async.legacy": "../legacy/index.md",
    "novu_async.models": "../current/models.md",
    "novu_async.funcs": "../current/index.md",
}
DOCS_DIR = REFERENCE_DIR.parent  # docs/: its hand-written pages are linked where a docstring names one


def outside_links() -> dict[str, str]:
    """Links for what the docstrings name outside these pages: the generated reference (a model's
    name links to the models index), and the pages of ``docs/`` (``docs/bulk.md``)."""
    links = {f"docs/{path.name}": f"../../{path.name}" for path in sorted(DOCS_DIR.glob("*.md"))}
    models = importlib.import_module("novu_async.models")
    links.update({name: "../current/models.md" for name in getattr(models, "__all__", ())})
    links.update(GENERATED_LINKS)
    return links


@attrs.frozen
class Page:
    name: str  # the file, without .md
    title: str
    module: str  # its names come from this module's __all__; its docstring opens the page
    lead: tuple[str, ...] = ()  # these first, in this order (when exported); the rest in source order
    only: tuple[str, ...] | None = None  # just these names of the module


PAGES = (
    Page(
        "client",
        "The client: `novu_async`",
        "novu_async",
        lead=("Novu", "Response", "PageIterator", "PaginationError", "File", "Unset", "UNSET", "__version__"),
    ),
    Page(
        "configuration",
        "Configuration and per-call options",
        "novu_async",
        only=("NovuCore", "RequestOptions", "RetryConfig"),
    ),
    Page("errors", "Errors: `novu_async.errors`", "novu_async.errors"),
    Page(
        "bulk",
        "Bulk sending: `novu_async.bulk`",
        "novu_async.bulk",
        lead=("trigger_many", "create_subscribers_many", "BulkSettings", "TriggerManySettings", "BulkReport"),
    ),
    Page("sync", "The blocking client: `novu_async.sync`", "novu_async.sync", lead=("Novu",)),
    Page(
        "testing", "FakeNovu: `novu_async.testing`", "novu_async.testing", lead=("FakeNovu", "FakeTransport")
    ),
    Page("cli", "The command line: `novu-async`", "novu_async.cli"),
)
# where the entries of the settings TypedDicts go when no module exports them
SETTINGS_PAGE = "configuration"


@attrs.define
class Placed:
    """An entry on its page, with its anchor."""

    page: str
    entry: Entry
    anchor: str
    exported: list[str] = attrs.Factory(list)  # "module.name" of every public name that is this


def _exports() -> dict[str, list[tuple[str, Any]]]:
    """``{module: [(name, object)]}`` for every module of ``MODULES``, in ``__all__`` order."""
    found = {}
    for module in MODULES:
        loaded = importlib.import_module(module)
        found[module] = [(name, getattr(loaded, name)) for name in loaded.__all__]
    return found


def _identity(module: str, name: str, value: Any) -> tuple[Any, ...]:
    """Names that are one object share an entry: classes and functions by identity, values by name."""
    if inspect.isclass(value) or inspect.isfunction(value):
        return ("object", id(value))
    return ("value", module, name)


class Reference:
    """Every page's entries, placed and linked; ``render()`` gives the pages."""

    def __init__(self) -> None:
        self.exports = _exports()
        self.outside = outside_links()
        self.pages: dict[str, list[Placed]] = {page.name: [] for page in PAGES}
        self.placed: dict[tuple[Any, ...], Placed] = {}
        self.anchors: dict[str, set[str]] = {page.name: set() for page in PAGES}
        # the module pages first (novu_async's re-exports are documented where they live), and a
        # page of some names of a module before the one that takes the rest
        for page in sorted(PAGES, key=lambda p: (p.module == "novu_async", p.only is None)):
            self._place_page(page)
        self._place_settings()
        for module, names in self.exports.items():
            for name, value in names:
                self.placed[_identity(module, name, value)].exported.append(f"{module}.{name}")

    def _place_page(self, page: Page) -> None:
        chosen = [
            (name, value)
            for name, value in self.exports[page.module]
            if (page.only is None or name in page.only)
            and _identity(page.module, name, value) not in self.placed
        ]
        lead = {name: index for index, name in enumerate(page.lead)}
        chosen.sort(key=lambda item: (lead.get(item[0], len(lead)), introspect.definition_line(item[1])))
        for name, value in chosen:
            self._place(
                page.name, introspect.entry_for(name, value, page.module), _identity(page.module, name, value)
            )

    def _place(self, page: str, entry: Entry, identity: tuple[Any, ...]) -> Placed:
        anchor = base = entry.name.lower()
        number = 1
        while anchor in self.anchors[page]:
            number += 1
            anchor = f"{base}-{number}"
        self.anchors[page].add(anchor)
        placed = self.placed[identity] = Placed(page, entry, anchor)
        self.pages[page].append(placed)
        return placed

    def _place_settings(self) -> None:
        """An entry for each TypedDict a documented signature unpacks, unless it has one."""
        for placed in [p for entries in self.pages.values() for p in entries]:
            for entry in [placed.entry, *placed.entry.members]:
                for name in entry.settings:
                    found = introspect.typeddict_named(
                        name, entry.obj if entry.obj is not None else placed.entry.obj
                    )
                    if found is not None and ("object", id(found)) not in self.placed:
                        self._place(SETTINGS_PAGE, introspect.class_entry(name, found), ("object", id(found)))

    # ------------------------------------------------------------ links

    def member_anchor(self, placed: Placed, member: Entry) -> str:
        return f"{placed.anchor}-{member.name.rpartition('.')[2].lower()}"

    @functools.cached_property
    def _names(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """``(qualified name -> link, short name -> {page: link})`` of every entry."""
        qualified: dict[str, str] = dict(self.outside)
        short: dict[str, dict[str, str]] = {}
        for placed in self.placed.values():
            href = f"{placed.page}.md#{placed.anchor}"
            short.setdefault(placed.entry.name, {})[placed.page] = href
            for name in placed.exported:
                qualified[name] = href
            for member in placed.entry.members:
                qualified[member.name] = f"{placed.page}.md#{self.member_anchor(placed, member)}"
        return qualified, short

    def linker(self, page: str) -> markup.Linker:
        """Names (``BulkReport``, ``novu_async.bulk.BulkReport``, ``BulkReport.results``) -> links
        to their entries; a short name that two entries have links to the one on this page."""
        qualified, short = self._names

        def link(name: str) -> str | None:
            if name in qualified:
                return qualified[name]
            options = short.get(name, {})
            if page in options:
                return options[page]
            return next(iter(options.values())) if len(options) == 1 else None

        return link

    # ------------------------------------------------------------ rendering

    def signatures(self) -> dict[str, str]:
        headers: dict[str, str] = {
            f"{placed.page}#{anchor}": entry.header
            for placed in self.placed.values()
            for anchor, entry in self._with_members(placed)
            if entry.header is not None
        }
        formatted = format_signatures(headers)  # one ruff run for all of them
        for key, text in formatted.items():
            if text.startswith("def ") and self._is_class(key):
                formatted[key] = "class " + text.removeprefix("def ").removesuffix(":")
        return formatted

    def _is_class(self, key: str) -> bool:
        page, _, anchor = key.partition("#")
        return any(p.anchor == anchor and p.entry.is_class for p in self.pages[page])

    def _with_members(self, placed: Placed) -> Iterable[tuple[str, Entry]]:
        yield placed.anchor, placed.entry
        for member in placed.entry.members:
            yield self.member_anchor(placed, member), member

    def view(self, placed: Placed, signatures: dict[str, str]) -> dict[str, Any]:
        link = self.linker(placed.page)
        entry = placed.entry
        members = [
            self._entry_view(member, self.member_anchor(placed, member), placed.page, signatures, link)
            for member in entry.members
        ]
        view = self._entry_view(entry, placed.anchor, placed.page, signatures, link)
        view["members"] = members
        view["imports"] = [
            f"from {name.rpartition('.')[0]} import {name.rpartition('.')[2]}" for name in placed.exported
        ]
        view["generated"] = self._generated(entry)
        return view

    def _entry_view(
        self, entry: Entry, anchor: str, page: str, signatures: dict[str, str], link: markup.Linker
    ) -> dict[str, Any]:
        settings = []
        for name in entry.settings:
            target = link(name)
            settings.append(f"[`{name}`]({target})" if target else f"`{name}`")
        return {
            "anchor": anchor,
            "name": entry.name,
            "kind": entry.kind,
            "signature": signatures.get(f"{page}#{anchor}"),
            "value": entry.value,
            "doc": markup.to_markdown(entry.doc, link) if entry.doc else "",
            "bases": [
                f"[`{b.rpartition('.')[2]}`]({link(b)})" if link(b) else f"`{b}`"
                for b in entry.bases
                if link(b) or not b.startswith(introspect.PACKAGE)  # not an undocumented class of ours
            ],
            "uses": [f"`{use}`" for use in entry.uses],
            "settings": settings,
            "rows": [
                {
                    "name": row.name,
                    "type": markup.type_md(row.type) if row.type else "",
                    "value": markup.code_span(row.value) if row.value else "",
                    "required": row.required,
                    "doc": markup.inline(" ".join(row.doc.split()), link).replace("|", "\\|"),
                }
                for row in entry.rows
            ],
        }

    @staticmethod
    def _generated(entry: Entry) -> str:
        """The members a generated resource class adds, linked to the operation pages."""
        if not entry.generated:
            return ""
        reference = "../legacy" if "legacy" in entry.module else "../current"
        resources = [
            f"[`{name}`]({reference}/{name}.md#{name})"
            for name, kind in entry.generated
            if kind == "resource"
        ]
        methods = [
            f"[`{name}`]({reference}/client.md#{name.removesuffix('_response').removesuffix('_iter')})"
            for name, kind in entry.generated
            if kind == "method"
        ]
        parts = [f"resources {', '.join(resources)}"] if resources else []
        parts += [f"methods {', '.join(methods)}"] if methods else []
        operations = f"[operations reference]({reference}/index.md)"
        return f"Generated from the OpenAPI document (see the {operations}): {'; '.join(parts)}."

    def render(self) -> dict[str, str]:
        env = template_environment(TEMPLATES)
        signatures = self.signatures()
        files: dict[str, str] = {}
        template = env.get_template("sdk_page.md.j2")
        for page in PAGES:
            if page.name == "cli":
                continue
            link = self.linker(page.name)
            intro = _intro(page)
            files[f"{page.name}.md"] = template.render(
                page=page,
                intro=markup.to_markdown(intro, link) if intro else "",
                entries=[self.view(placed, signatures) for placed in self.pages[page.name]],
                extra=self._errors_extra(link) if page.name == "errors" else None,
            )
        files["cli.md"] = cli.render(
            env,
            [self.view(placed, signatures) for placed in self.pages["cli"]],
            self.linker("cli"),
        )
        files["index.md"] = env.get_template("sdk_index.md.j2").render(
            pages=[
                {"page": page, "about": markup.inline(_about(page), self.linker("index"))} for page in PAGES
            ],
            modules=self._index_rows(),
        )
        return files

    def _index_rows(self) -> list[dict[str, Any]]:
        link = self.linker("index")
        rows = []
        for module, names in self.exports.items():
            entries = []
            for name, value in names:
                placed = self.placed[_identity(module, name, value)]
                summary = markup.first_sentence(placed.entry.doc) if placed.entry.doc else ""
                entries.append(
                    {
                        "name": name,
                        "href": f"{placed.page}.md#{placed.anchor}",
                        "kind": placed.entry.kind,
                        "summary": markup.inline(summary, link).replace("|", "\\|"),
                    }
                )
            rows.append({"module": module, "entries": entries})
        return rows

    def _errors_extra(self, link: markup.Linker) -> dict[str, Any]:
        """The errors page's hierarchy (every ``NovuError`` documented anywhere) and status table."""
        from novu_async.errors import NovuError, error_class_for_status

        classes = [p for p in self.placed.values() if p.entry.is_class and issubclass(p.entry.obj, NovuError)]
        by_class = {p.entry.obj: p for p in classes}

        def tree(cls: type, depth: int) -> list[str]:
            placed = by_class[cls]
            lines = [f"{'  ' * depth}- [`{cls.__name__}`]({placed.page}.md#{placed.anchor})"]
            children = [p.entry.obj for p in classes if cls in p.entry.obj.__bases__]
            for child in sorted(children, key=lambda c: (introspect.definition_line(c), c.__name__)):
                lines += tree(child, depth + 1)
            return lines

        rows = []
        for family, statuses in (("4XX", range(400, 500)), ("5XX", range(500, 600))):
            raised = [error_class_for_status(status) for status in statuses]
            usual = collections.Counter(raised).most_common(1)[0][0]
            for status, cls in zip(statuses, raised, strict=True):
                if cls is not usual:
                    rows.append({"status": str(status), "cls": cls.__name__, "href": link(cls.__name__)})
            rows.append({"status": f"other {family}", "cls": usual.__name__, "href": link(usual.__name__)})
        return {"tree": "\n".join(tree(NovuError, 0)), "statuses": rows}


def _intro(page: Page) -> str:
    """The page's opening: its module's docstring (a page of some of a module's names has none)."""
    doc = None if page.only is not None else importlib.import_module(page.module).__doc__
    return inspect.cleandoc(doc) if doc else ""


def _about(page: Page) -> str:
    if page.only is not None:
        return "``" + "``, ``".join(page.only) + "``: how a client is set up, and what one call may change."
    return markup.first_sentence(_intro(page))


def build(out_dir: Path = OUT_DIR) -> tuple[dict[str, str], int, int]:
    """Render every page and write those that changed: ``(pages, written, removed)``."""
    files = Reference().render()
    written, removed = write_pages(out_dir, files)
    return files, written, removed
