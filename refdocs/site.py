"""``python -m refdocs.site``: the docs as static HTML pages, for a browser (``make docs-site``).

Every ``*.md`` under ``docs/`` (the reference ``make docs`` wrote, and the hand-written pages) is
rendered by markdown-it-py, the CommonMark renderer the tests check the pages with, into
``docs/site/`` (git-ignored), keeping the folders; links between pages keep working (``x.md#a``
becomes ``x.html#a``) and each page gets the same small stylesheet. Open
``docs/site/reference/index.html``. Nothing here imports novu_async.
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from codegen.docs import OUT_DIR as REFERENCE_DIR

DOCS_DIR = REFERENCE_DIR.parent
SITE_DIR = DOCS_DIR / "site"
PAGE_LINK = re.compile(r"^(?![a-z][a-z0-9+.-]*:)([^#]*)\.md(#.*)?$")  # a relative link to a page
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1f2328; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 2rem 4rem; }
code, pre { font: 13px/1.45 ui-monospace, monospace; background: #f6f8fa; }
code { padding: 0.1em 0.3em; border-radius: 4px; }
pre { padding: 0.8rem 1rem; overflow-x: auto; border-radius: 6px; }
pre code { padding: 0; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2.2rem; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
"""
PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
)


def renderer() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _title(tokens: list[Token], fallback: str) -> str:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return tokens[index + 1].content.replace("`", "")
    return fallback


def heading_id(text: str) -> str:
    """The anchor GitHub gives a heading (the hand-written pages link to their sections by it)."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def render_page(md: MarkdownIt, text: str, name: str) -> str:
    """One page as HTML, its links to other pages pointing at their ``.html``, its headings with
    the anchors GitHub would give them."""
    tokens = md.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", heading_id(tokens[index + 1].content))
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and (match := PAGE_LINK.match(href)):
                child.attrSet("href", f"{match.group(1)}.html{match.group(2) or ''}")
    body = md.renderer.render(tokens, md.options, {})
    return PAGE.format(title=html.escape(_title(tokens, name)), style=STYLE.strip(), body=body)


def build(source: Path = DOCS_DIR, target: Path = SITE_DIR) -> int:
    """Render every page under ``source`` into ``target``; returns how many."""
    md = renderer()
    count = 0
    for page in sorted(source.rglob("*.md")):
        relative = page.relative_to(source)
        if target in page.parents:
            continue
        out = target / relative.with_suffix(".html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_page(md, page.read_text(encoding="utf-8"), relative.stem), encoding="utf-8")
        count += 1
    return count


def main() -> int:
    started = time.perf_counter()
    if not (REFERENCE_DIR / "index.md").is_file():
        print("refdocs.site: docs/reference/ is empty: run `make docs` first", file=sys.stderr)
        return 1
    count = build()
    elapsed = time.perf_counter() - started
    print(
        f"site: {count} pages in {SITE_DIR} in {elapsed:.1f} s: open {SITE_DIR / 'reference' / 'index.html'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
