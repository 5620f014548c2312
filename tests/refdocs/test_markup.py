"""Docstrings as Markdown (``refdocs.markup``) and what documents a constant (``refdocs.introspect``)."""

from __future__ import annotations

import ast

from refdocs.introspect import statement_doc, value_text
from refdocs.markup import code_span, to_markdown
from tests.support import markdown

LINKS = {"BulkReport": "bulk.md#bulkreport", "trigger_many": "bulk.md#trigger_many"}


def test_a_docstring_becomes_markdown_that_renders_whole() -> None:
    doc = """Summary with ``code``, a ``BulkReport`` and the report <FILE>.<PREFIX>.jsonl.

    Example::

        report = await trigger_many(core, events)

    * ``trigger_many()``: one item, with a span ``across
      two lines``;
    * plain text ::

        novu-async bulk events.jsonl

    The end."""
    text = to_markdown(doc, LINKS.get)
    assert text == (
        "Summary with `code`, a [`BulkReport`](bulk.md#bulkreport) and the report "
        "&lt;FILE>.&lt;PREFIX>.jsonl.\n"
        "\n"
        "Example:\n"
        "\n"
        "```python\n"
        "report = await trigger_many(core, events)\n"
        "```\n"
        "\n"
        "* [`trigger_many()`](bulk.md#trigger_many): one item, with a span `across two lines`;\n"
        "* plain text\n"
        "\n"
        "```text\n"
        "novu-async bulk events.jsonl\n"
        "```\n"
        "\n"
        "The end."
    )
    parsed = markdown.parse({"page.md": text})
    assert markdown.html_leftovers(parsed) == []
    html = markdown.renderer().render(text)
    assert "&lt;FILE&gt;.&lt;PREFIX&gt;.jsonl" in html


def test_code_spans_hold_any_backticks() -> None:
    assert code_span("a") == "`a`"
    assert code_span("a`b") == "`` a`b ``"
    assert code_span("x\n    y") == "`x y`"


def test_a_constant_is_documented_by_the_string_after_it_or_the_comments_before_it() -> None:
    source = '''
# the limits
# of one request
A = 1
B = 2
C = 3  # its own
D = 4
"""Documented after."""

E = 5
'''
    tree = ast.parse(source)
    lines = source.splitlines()
    docs = [
        statement_doc(tree.body, index, lines)
        for index, node in enumerate(tree.body)
        if isinstance(node, ast.Assign)
    ]
    # A and B share the comment above them; E has nothing
    assert docs == [
        "the limits of one request",
        "the limits of one request",
        "its own",
        "Documented after.",
        "",
    ]


def test_values_are_shown_as_source_without_addresses() -> None:
    import anyio

    from novu_async.bulk import ChunkOutcome

    assert value_text(ChunkOutcome.SKIPPED) == "ChunkOutcome.SKIPPED"
    assert value_text(anyio.sleep) == "anyio.sleep"
    assert value_text(object()) == "object(...)"
    assert value_text({"a": 1}) == "{'a': 1}"
