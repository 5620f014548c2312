"""Checks of rendered reference pages: each page through markdown-it-py, a CommonMark renderer.

* ``html_leftovers``: raw HTML a renderer would pass through (and a reader would not see): every
  ``html_inline`` / ``html_block`` token but the pages' own anchors, ``<a id="..."></a>``;
* ``broken_links``: every relative link, with its fragment, must name a page of the set and an anchor
  on it (``<a id="...">``); links out of the set (``http...``) are not followed.

Pages are given as ``{path relative to the reference folder: markdown}``, so a test can check pages
rendered in memory as well as those ``make docs`` wrote.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

ANCHOR_TAG = re.compile(r'<a id="([^"]+)">')
_OWN_HTML = re.compile(r'^(<a id="[^"]+">|</a>)$')


def renderer() -> MarkdownIt:
    """CommonMark with GitHub's tables: what the pages are written for."""
    return MarkdownIt("commonmark").enable("table")


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _tokens(token.children)


def parse(pages: Mapping[str, str]) -> dict[str, list[Token]]:
    md = renderer()
    return {name: list(_tokens(md.parse(text))) for name, text in pages.items()}


def html_leftovers(parsed: Mapping[str, list[Token]]) -> list[tuple[str, str]]:
    """``(page, HTML)`` for each piece of raw HTML other than the pages' own anchors."""
    found = []
    for name, tokens in parsed.items():
        for token in tokens:
            if token.type in ("html_inline", "html_block"):
                content = token.content.strip()
                if not _OWN_HTML.match(content):
                    found.append((name, content))
    return found


def heading_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation but ``-`` and ``_`` dropped,
    spaces as ``-``."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(parsed: Mapping[str, list[Token]]) -> dict[str, set[str]]:
    """The anchors of each page: ``<a id="...">``, and the headings' (as GitHub makes them, for the
    hand-written pages that link to their own sections)."""
    found: dict[str, set[str]] = {}
    for name, tokens in parsed.items():
        ids = found[name] = set()
        for index, token in enumerate(tokens):
            if token.type in ("html_inline", "html_block"):
                ids.update(ANCHOR_TAG.findall(token.content))
            elif token.type == "heading_open":
                ids.add(heading_slug(tokens[index + 1].content))
    return found


def links(parsed: Mapping[str, list[Token]]) -> Iterator[tuple[str, str]]:
    """``(page, href)`` of every link."""
    for name, tokens in parsed.items():
        for token in tokens:
            if token.type == "link_open":
                yield name, str(token.attrs["href"])


def broken_links(parsed: Mapping[str, list[Token]]) -> tuple[list[str], int]:
    """The relative links that do not resolve, and how many links were checked."""
    targets = anchors(parsed)
    broken: list[str] = []
    checked = 0
    for page, href in links(parsed):
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # http:, https:, mailto: ...: not ours
            continue
        checked += 1
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        if target not in targets:
            broken.append(f"{page}: {href} (no page {target})")
        elif fragment and fragment not in targets[target]:
            broken.append(f"{page}: {href} (no anchor {fragment!r} on {target})")
    return broken, checked


def read_tree(root: Path) -> dict[str, str]:
    """Every ``*.md`` page under ``root``, by path relative to it."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8") for path in root.rglob("*.md")
    }
