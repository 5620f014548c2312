"""``make docs-site``: every page of docs/ as HTML (``refdocs.site``), links between them intact."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path

from refdocs.site import build


class Links(HTMLParser):
    """The ids and the link targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if tag == "a" and name == "href" and value:
                self.hrefs.append(value)


def test_the_site_has_every_page_and_its_links_land(whole: dict[str, str], tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name, text in whole.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert build(docs, site) == len(whole)
    pages = {path.relative_to(site).as_posix(): path.read_text() for path in site.rglob("*.html")}
    assert set(pages) == {name.removesuffix(".md") + ".html" for name in whole}
    parsed = {}
    for name, text in pages.items():
        parsed[name] = links = Links()
        links.feed(text)
        assert text.startswith("<!doctype html>")
    checked = 0
    for name, links in parsed.items():
        for href in links.hrefs:
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            assert target in parsed, (name, href)
            assert not fragment or fragment in parsed[target].ids, (name, href)
            checked += 1
    assert checked > 4000
    assert "<title>Bulk sending: novu_async.bulk</title>" in pages["reference/sdk/bulk.html"]
