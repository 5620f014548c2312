"""Docstrings as Markdown. The code writes them reST-flavoured: ````code````, ``*`` bullets, and
literal blocks after a ``::``; Markdown has the same bullets and emphasis, so three things change:

* ````x```` becomes a code span `` `x` ``, linked to its entry when ``x`` is the name of one
  (``BulkReport``, ``novu_async.sync.Novu``, ``trigger_many()``);
* a paragraph ending in ``::`` ends in ``:`` and its indented block becomes a fenced block (Python
  when it parses as Python, else text);
* ``<`` outside code is escaped (``codegen.docs.escape_markup``), so ``<FILE>`` shows instead of
  vanishing as an HTML tag.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable

from codegen.docs import escape_markup

Linker = Callable[[str], str | None]  # a name -> the link of its entry, or None

RST_CODE = re.compile(r"``(.+?)``", re.DOTALL)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
DOC_PATH = re.compile(r"docs/[\w-]+\.md")  # a page of the repository's docs/ (docs/bulk.md)


def code_span(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds."""
    text = re.sub(r"\s*\n\s*", " ", text)
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``" if "``" not in text else f"``` {text} ```"


def _link_target(text: str, link: Linker) -> str | None:
    name = text.removesuffix("()")
    if not IDENTIFIER.fullmatch(name) and not DOC_PATH.fullmatch(name):
        return None
    return link(name)


def inline(text: str, link: Linker) -> str:
    """Prose with reST code spans as Markdown ones (linked where they name an entry), ``<`` escaped."""
    out: list[str] = []
    position = 0
    for match in RST_CODE.finditer(text):
        out.append(text[position : match.start()])
        span = code_span(match.group(1))
        target = _link_target(match.group(1), link)
        out.append(f"[{span}]({target})" if target else span)
        position = match.end()
    out.append(text[position:])
    return escape_markup("".join(out))


def _language(block: str) -> str:
    try:
        ast.parse(block)
    except SyntaxError:
        return "text"
    return "python"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def to_markdown(doc: str, link: Linker) -> str:
    """A docstring as Markdown (see the module's docstring)."""
    lines = inspect.cleandoc(doc).splitlines()
    blocks: list[str] = []  # prose (converted at the end, so that code spans may span lines) and fences
    prose: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.rstrip().endswith("::"):
            prose.append(line)
            continue
        head = line.rstrip()[:-2]
        prose.append(head.rstrip() if head.endswith(" ") or not head.strip() else head + ":")
        base = _indent(line)
        literal: list[str] = []
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
            literal.append(lines[i])
            i += 1
        while literal and not literal[-1].strip():
            literal.pop()
        if literal:
            code = inspect.cleandoc("\n".join(literal))
            blocks.append(inline("\n".join(prose), link))
            prose = []
            pad = " " * base
            fence = "\n".join(pad + row if row else row for row in code.splitlines())
            blocks.append(f"{pad}```{_language(code)}\n{fence}\n{pad}```")
            prose.append("")
    blocks.append(inline("\n".join(prose), link))
    text = "\n\n".join(block.strip("\n") for block in blocks if block.strip())
    return re.sub(r"\n{3,}", "\n\n", text)


def first_sentence(doc: str) -> str:
    """The docstring's first paragraph, on one line."""
    return " ".join(inspect.cleandoc(doc).split("\n\n", 1)[0].split())


def type_md(annotation: str) -> str:
    """An annotation for a table cell: one code span, pipes escaped (GitHub's tables split on them)."""
    return code_span(annotation).replace("|", "\\|")
