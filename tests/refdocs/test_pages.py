"""``python -m refdocs``: an entry for every public name of the hand-written API, made from the code.

The names are each package's ``__all__`` and the command line's parser: a name added without an
entry (or an entry that does not say where to import it from) fails here.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import textwrap
from pathlib import Path

import pytest

import novu_async
import novu_async.cli
from codegen.config import ROOT
from codegen.docs import write_pages
from refdocs.pages import Reference
from tests.support import markdown

MODULES = (
    "novu_async",
    "novu_async.bulk",
    "novu_async.sync",
    "novu_async.testing",
    "novu_async.errors",
    "novu_async.cli",
)
ENTRY = re.compile(r'^<a id="([^"]+)"></a>\n#{2,4} `([^`]+)`\n', re.MULTILINE)
INDEX_ROW = re.compile(r"^\| \[`([^`]+)`\]\(([^)#]+)#([^)]+)\) \|", re.MULTILINE)


def entries(pages: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    """``(page, anchor) -> (name, the entry's text up to the next entry)``."""
    found = {}
    for page, text in pages.items():
        matches = list(ENTRY.finditer(text))
        for number, match in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
            found[(page, match.group(1))] = (match.group(2), text[match.start() : end])
    return found


def index_rows(index: str) -> dict[tuple[str, str], tuple[str, str]]:
    """``(module, name) -> (page, anchor)`` from the index's "every public name" tables."""
    rows = {}
    for section in re.split(r"^### ", index, flags=re.MULTILINE)[1:]:
        module = section.split("`")[1]
        for name, page, anchor in INDEX_ROW.findall(section):
            rows[(module, name)] = (page, anchor)
    return rows


def missing_entries(pages: dict[str, str]) -> list[str]:
    """Every name of the modules' ``__all__`` without an entry: no row in the index, or a row that
    does not lead to an entry of that name which says how to import it."""
    rows = index_rows(pages["index.md"])
    found = entries(pages)
    missing = []
    for module in MODULES:
        for name in importlib.import_module(module).__all__:
            row = rows.get((module, name))
            entry = found.get(row) if row is not None else None
            if entry is None:
                missing.append(f"{module}.{name}: no entry")
            elif entry[0] != name and not (
                module == "novu_async" and entry[0] == getattr(novu_async, name).__name__
            ):
                missing.append(f"{module}.{name}: its row leads to {entry[0]}")
            elif f"`from {module} import {name}`" not in entry[1]:
                missing.append(f"{module}.{name}: its entry does not say `from {module} import {name}`")
    return missing


def test_every_public_name_has_an_entry(pages: dict[str, str]) -> None:
    assert missing_entries(pages) == []
    counted = sum(len(importlib.import_module(module).__all__) for module in MODULES)
    assert len(index_rows(pages["index.md"])) == counted > 80


def test_a_missing_entry_is_found(pages: dict[str, str]) -> None:
    """The check above can fail: without the entry of trigger_many, both names of it are reported."""
    bulk = pages["bulk.md"]
    start = bulk.index('<a id="trigger_many"></a>')
    end = bulk.index('<a id="', start + 1)
    damaged = {**pages, "bulk.md": bulk[:start] + bulk[end:]}
    assert missing_entries(damaged) == [
        "novu_async.trigger_many: no entry",
        "novu_async.bulk.trigger_many: no entry",
    ]


def test_classes_and_functions_are_described_by_their_own_docstrings(reference: Reference) -> None:
    undescribed = [
        f"{placed.page}: {placed.entry.name}"
        for placed in reference.placed.values()
        if placed.entry.kind in ("class", "exception", "enum", "TypedDict", "function", "async function")
        and not placed.entry.doc
    ]
    assert undescribed == []


def test_every_setting_is_described_where_it_is_taken(reference: Reference) -> None:
    """Each key of a settings TypedDict (``**settings: Unpack[...]``) is named in the docstring of a
    class or function that takes it, or in the TypedDict's own: a new setting needs its words."""
    all_entries = [e for placed in reference.placed.values() for e in [placed.entry, *placed.entry.members]]
    typed_dicts = [p for p in reference.placed.values() if p.entry.kind == "TypedDict"]
    assert {p.entry.name for p in typed_dicts} >= {"CoreSettings", "Settings", "BulkSettings"}
    undescribed = []
    keys = {p.entry.name: {row.name for row in p.entry.rows} for p in typed_dicts}
    for placed in typed_dicts:
        # taken by a function, or within a larger TypedDict that one takes (TriggerManySettings)
        wider = {name for name, names in keys.items() if names >= keys[placed.entry.name]}
        texts = [placed.entry.doc] + [e.doc for e in all_entries if wider & set(e.settings)]
        for row in placed.entry.rows:
            if not any(re.search(rf"``{row.name}\b", text) for text in texts):
                undescribed.append(f"{placed.entry.name}.{row.name}")
    assert undescribed == []
    core = next(p for p in typed_dicts if p.entry.name == "CoreSettings")
    assert {row.name for row in core.entry.rows} >= {
        "server",
        "server_url",
        "timeout",
        "retries",
        "http_client",
    }


def test_spot_checks(pages: dict[str, str]) -> None:
    found = entries(pages)
    _, block = found[("bulk.md", "trigger_many")]
    assert "```python\nasync def trigger_many(\n    core: NovuCore,\n" in block
    assert "Keyword settings: [`TriggerManySettings`](bulk.md#triggermanysettings)." in block
    assert "[`DataValidationError`](errors.md#datavalidationerror)" in block  # names link to entries
    _, block = found[("configuration.md", "novucore")]
    assert "class NovuCore(secret_key: str | None = None, **settings: Unpack[CoreSettings])" in block
    _, block = found[("configuration.md", "coresettings")]
    assert "| `http_client` | `httpx.AsyncClient \\| None` | no |" in block
    _, block = found[("bulk.md", "chunkoutcome")]
    assert "| `SKIPPED` | `'skipped'` | Acknowledged by an earlier run" in block  # the member's docstring
    _, block = found[("bulk.md", "max_chunk_size")]
    assert "MAX_CHUNK_SIZE = 100" in block
    assert "items per bulk request" in block  # the comment above its assignment
    _, block = found[("errors.md", "apierror")]
    assert "`parsed`" in block
    assert "*exception* · bases [`NovuError`](errors.md#novuerror)" in block
    assert "[`BulkTriggerError`](bulk.md#bulktriggererror)" in pages["errors.md"]  # in the hierarchy
    assert "| 404 | [`NotFoundError`](errors.md#notfounderror) |" in pages["errors.md"]
    _, block = found[("client.md", "novu")]
    assert "[`subscribers`](../current/subscribers.md#subscribers)" in block  # the generated resources
    assert "[`trigger`](../current/client.md#trigger)" in block
    assert ("client.md", "novu-trigger_many") in found
    _, block = found[("sync.md", "novu")]
    assert "Keyword settings: [`Settings`](configuration.md#settings)." in block
    assert "class Novu(\n    secret_key: str | None = None,\n" in block
    # the constructor of a class the SDK makes (its parameters are internal) is not shown
    assert "class SyncIterator(" not in found[("sync.md", "synciterator")][1]


# ---------------------------------------------------------------- the command line


def long_name(action: argparse.Action) -> str:
    if action.option_strings:
        return next((o for o in action.option_strings if o.startswith("--")), action.option_strings[0])
    return str(action.metavar or action.dest)


def test_every_command_and_flag_of_the_cli_has_an_entry(pages: dict[str, str]) -> None:
    page = pages["cli.md"]
    text = page.replace("&lt;", "<").replace("\\|", "|")
    root = novu_async.cli.parser()
    [subparsers] = [a for a in root._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(subparsers.choices) == ["bulk", "trigger"]
    checked = 0
    for command, parser in [(None, root), *subparsers.choices.items()]:
        if command is not None:
            assert f'<a id="{command}"></a>\n## `novu-async {command}`\n' in page
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            where = command or "novu-async"
            row_anchor = f'<a id="{where}-{long_name(action).lstrip("-").lower()}"></a>'
            in_root = command is not None and any(
                long_name(a) == long_name(action) for a in root._actions if long_name(action) != "--help"
            )
            if in_root:  # a connection option: listed once, with the main command's
                assert row_anchor not in page
                assert (
                    f"`{long_name(action)}`" in page.split("Every command takes these options too")[1][:400]
                )
                continue
            [row] = [line for line in text.splitlines() if row_anchor in line]
            for flag in action.option_strings:
                assert f"`{flag}`" in row
            described = action.help % {"default": action.default, "prog": parser.prog} if action.help else ""
            assert " ".join(described.split()) in row, (command, action.dest)
            checked += 1
    assert checked >= 18


def test_cli_usage_is_the_parsers_own(pages: dict[str, str]) -> None:
    bulk = novu_async.cli.parser()._subparsers._group_actions[0].choices["bulk"]  # type: ignore[union-attr]
    formatter = argparse.HelpFormatter(bulk.prog, width=100)
    formatter.add_usage(bulk.usage, bulk._actions, bulk._mutually_exclusive_groups)
    assert f"```text\n{formatter.format_help().strip()}\n```" in pages["cli.md"]


# ---------------------------------------------------------------- the pages as a whole


def test_the_testing_page_follows_whatever_the_package_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    import novu_async.testing as testing

    def make_spy() -> None:
        """A helper FakeNovu's package would add: it gets its entry without any change here."""

    monkeypatch.setattr(testing, "make_spy", make_spy, raising=False)
    monkeypatch.setattr(testing, "__all__", [*testing.__all__, "make_spy"])
    pages = Reference().render()
    assert missing_entries(pages) == []
    found = entries(pages)
    assert found[("testing.md", "make_spy")][0] == "make_spy"
    assert "A helper FakeNovu's package would add" in found[("testing.md", "make_spy")][1]


def test_pages_are_deterministic_and_written_only_when_changed(pages: dict[str, str], tmp_path: Path) -> None:
    again = Reference().render()
    assert again == pages
    assert write_pages(tmp_path, pages) == (len(pages), 0)
    assert write_pages(tmp_path, again) == (0, 0)


def test_the_whole_reference_renders_and_every_link_resolves(
    pages: dict[str, str], whole: dict[str, str]
) -> None:
    files = whole
    parsed = markdown.parse(files)
    generated = {name: tokens for name, tokens in parsed.items() if name.startswith("reference/")}
    assert markdown.html_leftovers(generated) == []
    broken, checked = markdown.broken_links(parsed)
    assert broken == []
    assert checked > 4000
    # the top index leads to the Python API's index, and that to every page of it
    assert "](sdk/index.md)" in files["reference/index.md"]
    for name in pages:
        if name != "index.md":
            assert f"]({name})" in pages["index.md"]


def test_written_pages_are_what_make_docs_gives(tmp_path: Path) -> None:
    """``python -m refdocs`` in a process of its own, as ``make docs`` runs it."""
    import subprocess

    script = textwrap.dedent(
        f"""
        import refdocs.pages as pages
        files, written, removed = pages.build(__import__("pathlib").Path({str(tmp_path)!r}))
        print(len(files), written, removed)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    count, written, removed = map(int, done.stdout.split())
    assert count == written == len(list(tmp_path.glob("*.md")))
    assert removed == 0
    assert (tmp_path / "cli.md").read_text().startswith("# The command line: `novu-async`")
