"""``python -m codegen docs``: the markdown reference covers every operation of every document.

The real documents need ``make spec`` (openapi/upstream/); without them those tests are skipped.
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest

from codegen import ir
from codegen.config import load_config
from codegen.docs import (
    DocsRenderer,
    build_docs,
    client_prefix,
    error_class,
    escape_markup,
    model_pages,
    page_of,
    render_docs,
    write_pages,
)
from codegen.generate import Result
from codegen.load import load_document
from codegen.parse import build_api
from novu_async.errors import error_class_for_status
from tests.support import markdown

from .conftest import PACKAGE, fixture_document

ENTRY = re.compile(r'^<a id="([^"]+)"></a>\n### `([^`]+)`\n', re.MULTILINE)
CODE = re.compile(r"```python\n(.*?)\n```", re.DOTALL)
SPECS = {key: spec for key, spec in load_config().items() if spec.generate}


def entries(files: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Operation anchor -> [(page, the entry's text up to the next anchor)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for page, text in files.items():
        for match in ENTRY.finditer(text):
            end = text.find('\n<a id="', match.end())  # the next operation or section
            block = text[match.start() : end if end != -1 else len(text)]
            found.setdefault(match.group(1), []).append((page, block))
    return found


def stub(header: str) -> str:
    """A signature (one line or wrapped) as a comparable AST dump."""
    return ast.dump(ast.parse(f"{header}\n    pass\n"))


def check_every_operation(api: ir.Api, files: dict[str, str]) -> None:
    renderer = DocsRenderer(api, "test")
    found = entries(files)
    assert sorted(found) == sorted(op.func for op in api.operations), "one entry per operation"
    prefix = client_prefix(api.package)
    for op in api.operations:
        [(page, block)] = found[op.func]
        assert page == f"{page_of(op.group)}.md"
        call = ".".join([prefix, *op.group, op.method_name])
        assert block.startswith(f'<a id="{op.func}"></a>\n### `{call}`\n'), op.func
        assert f"`{op.http_method} {op.path}`" in block
        assert f"`from {api.package}.funcs.{op.func} import {op.func}`" in block
        # the signature: the generator's own parameter list and return type, whatever the wrapping
        types = renderer.ops.new_types()
        sig = renderer.ops.signature(op, types)
        codes = CODE.findall(block)
        expected = f"async def {op.func}(core: NovuCore, {sig['params']}) -> {sig['returns']}:"
        assert stub(codes[0]) == stub(expected), op.func
        for param in op.params:
            row = f"| `{param.python}` | `{param.wire}` | {param.location} | "
            assert block.count(row) == 1, (op.func, row)
        if op.body is not None:
            assert block.count("| `body` |  | body | ") == 1, op.func
        for response in op.responses:
            assert f"\n| {response.status} | " in block, (op.func, response.status)
        for error in op.errors:
            raised = (
                error_class_for_status(int(error.status)).__name__
                if error.status.isdigit()
                else error_class(error.status)
            )
            assert f"\n| {error.status} | `{raised}` | " in block, (op.func, error.status)
        if op.pagination is None:
            assert len(codes) == 1
            assert "_iter" not in block
        else:
            iter_sig = renderer.ops.signature(op, types, iterator=True)
            iter_expected = (
                f"def {op.func}_iter(core: NovuCore, {iter_sig['params']}) -> {iter_sig['returns']}:"
            )
            assert len(codes) == 2
            assert stub(codes[1]) == stub(iter_expected), op.func
            assert f"**Pagination** ({op.pagination.style} style, drives `{op.pagination.param}`)" in block
            assert f"`{call}_iter(...)`" in block
    # every resource page and every operation count is in the index
    index = files["index.md"]
    for page in files:
        if page != "index.md" and not page.startswith("models"):
            assert f"]({page})" in index
    check_every_definition(api, files)


def check_every_definition(api: ir.Api, files: dict[str, str]) -> None:
    """Each model and enum is described on exactly one models page, the one ``model_pages`` names,
    and listed in the models index."""
    pages = model_pages(api)
    for definition in api.definitions:
        entry = f'<a id="{definition.name.lower()}"></a>\n## `{definition.name}`'
        holding = [page for page, text in files.items() if entry in text]
        assert holding == [f"{pages[definition.name]}.md"], definition.name
        assert (
            f"- [`{definition.name}`]({pages[definition.name]}.md#{definition.name.lower()})"
            in files["models.md"]
        )


# ---------------------------------------------------------------- the fixture document


def test_fixture_docs_cover_every_operation(fixture_result: Result) -> None:
    files = render_docs(fixture_result.api, "Fixture API 0.0.1")
    check_every_operation(fixture_result.api, files)


def test_fixture_signatures_are_the_generated_text(fixture_result: Result) -> None:
    """Not only equivalent: the signature blocks are the generated modules' text, byte for byte."""
    files = render_docs(fixture_result.api, "Fixture API 0.0.1")
    found = entries(files)
    for op in fixture_result.api.operations:
        [(_, block)] = found[op.func]
        source = fixture_result.files[f"funcs/{op.func}.py"]
        for code in CODE.findall(block):
            assert f"\n{code}\n" in source, (op.func, code)


def test_fixture_spot_check(fixture_result: Result) -> None:
    files = render_docs(fixture_result.api, "Fixture API 0.0.1")
    page = files["people.md"]
    [(_, block)] = entries(files)["people_tags_remove"]
    assert block.startswith('<a id="people_tags_remove"></a>\n### `client.people.tags.remove`\n')
    assert "`DELETE /v1/people/{personId}/tags/{tag}`" in block
    assert "| `person_id` | `personId` | path | `str` | yes | " in block
    assert "\n| 400 | `BadRequestError` | " in block
    assert "\n| 429 | `RateLimitError` | " in block
    assert "## `client.people.tags`" in page  # sub-resources are sections of their resource's page
    resources = {"client.md", "events.md", "people.md", "pets.md", "ping.md", "teams.md"}
    assert {page for page in files if not page.startswith("models")} == {"index.md"} | resources
    assert "models.md" in files
    assert {page.removeprefix("models-") for page in files if page.startswith("models-")} <= resources | {
        "common.md",
        "other.md",
    }
    assert "[`client`](client.md#client) (1)" in files["index.md"]
    [(_, teams)] = entries(files)["teams_list"]
    assert "**Pagination** (cursor style, drives `after`)" in teams
    assert "It does not take `before`, `include_cursor`." in teams


def test_docs_are_deterministic_and_written_only_when_changed(tmp_path: Path) -> None:
    first = build_docs(fixture_document(), PACKAGE, tmp_path / "ref")
    assert first.written == len(first.files)
    assert first.removed == 0
    stale = tmp_path / "ref" / "gone.md"
    stale.write_text("old\n")
    mtimes = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "ref").glob("*.md")}
    second = build_docs(fixture_document(), PACKAGE, tmp_path / "ref")
    assert (second.written, second.removed) == (0, 1)
    assert second.files == first.files
    assert not stale.exists()
    for path in (tmp_path / "ref").glob("*.md"):
        assert path.stat().st_mtime_ns == mtimes[path.name]
    assert write_pages(tmp_path / "ref", second.files) == (0, 0)


def test_error_classes_come_from_the_client_mapping() -> None:
    assert error_class("404") == "NotFoundError"
    assert error_class("503") == error_class_for_status(503).__name__ == "InternalServerError"
    assert error_class("5XX") == "InternalServerError"
    assert error_class("default").startswith("APIError")
    assert client_prefix("novu_async") == "novu"
    assert client_prefix("novu_async.legacy") == "novu.legacy"


# ---------------------------------------------------------------- the real documents


@pytest.fixture(scope="module", params=sorted(SPECS))
def real(request: pytest.FixtureRequest) -> tuple[str, ir.Api, dict[str, str], float]:
    spec = SPECS[request.param]
    if not spec.upstream_path.is_file():
        pytest.skip(f"{spec.upstream_path} is missing: run `make spec`")
    document = load_document(spec.upstream_path, spec.overlay_paths)
    started = time.perf_counter()
    api = build_api(document, spec.package)
    files = render_docs(api, "test")
    return spec.key, api, files, time.perf_counter() - started


def test_real_docs_cover_every_operation(real: tuple[str, ir.Api, dict[str, str], float]) -> None:
    key, api, files, elapsed = real
    assert len(api.operations) == {"current": 149, "legacy": 89}.get(key, len(api.operations))
    check_every_operation(api, files)
    assert elapsed < 5


def test_real_docs_spot_check(real: tuple[str, ir.Api, dict[str, str], float]) -> None:
    key, _, files, _ = real
    if key == "current":
        [(page, block)] = entries(files)["subscribers_search"]
        assert page == "subscribers.md"
        assert block.startswith('<a id="subscribers_search"></a>\n### `novu.subscribers.search`\n')
        assert "`GET /v2/subscribers`" in block
        assert "from novu_async.funcs.subscribers_search import subscribers_search" in block
        assert "| `subscriber_id` | `subscriberId` | query | `str` | no | " in block
        assert "| `idempotency_key` |" not in block, "a GET does not offer the idempotency key"
        assert (
            "| 200 | [`ListSubscribersResponseDto`](models-subscribers.md#listsubscribersresponsedto) | "
            in block
        )
        assert "\n| 422 | `UnprocessableEntityError` | [`ValidationErrorDto`]" in block
        assert "**Pagination** (cursor style, drives `after`)" in block
        assert "def subscribers_search_iter(\n    core: NovuCore,\n" in block
        assert "## `novu.subscribers.credentials`" in files["subscribers.md"]
    elif key == "legacy":
        [(page, block)] = entries(files)["tenants_create"]
        assert page == "tenants.md"
        assert block.startswith('<a id="tenants_create"></a>\n### `novu.legacy.tenants.create`\n')
        assert "`POST /v1/tenants`" in block
        assert "from novu_async.legacy.funcs.tenants_create import tenants_create" in block
        assert (
            "| `body` |  | body | [`CreateTenantRequestDto`](models-tenants.md#createtenantrequestdto) \\| "
            "[`CreateTenantRequestDtoDict`](models-tenants.md#createtenantrequestdto) | yes" in block
        )
        assert "\n| 409 | `ConflictError` | " in block
        assert (
            '<a id="createtenantrequestdto"></a>\n## `CreateTenantRequestDto`' in files["models-tenants.md"]
        )
        assert "[Models](models-tenants.md)" in files["tenants.md"]  # the page's own models


def test_real_pages_render_whole_and_their_links_resolve(
    real: tuple[str, ir.Api, dict[str, str], float],
) -> None:
    """Through a CommonMark renderer: no raw HTML but the anchors (an upstream ``<Inbox />`` would
    vanish), every relative link names a page and an anchor of it, and no page is huge any more."""
    key, _, files, _ = real
    parsed = markdown.parse(files)
    assert markdown.html_leftovers(parsed) == []
    broken, checked = markdown.broken_links(parsed)
    assert broken == []
    assert checked > 500
    largest = max(files, key=lambda page: len(files[page]))
    assert len(files[largest]) < 150_000, largest
    assert max(len(text) for page, text in files.items() if page.startswith("models")) < 150_000
    if key == "current":  # TriggerEventToAllRequestDto.payload: "... available in <Inbox />"
        [page] = [page for page, text in files.items() if "## `TriggerEventToAllRequestDto`" in text]
        html = markdown.renderer().render(files[page])
        assert "payload data are also available in &lt;Inbox /&gt;" in html


# ---------------------------------------------------------------- upstream text


def test_raw_html_in_upstream_text_is_escaped_and_code_kept() -> None:
    assert escape_markup("available in <Inbox />") == "available in &lt;Inbox />"
    assert escape_markup("a <br> b <!-- note -->") == "a &lt;br> b &lt;!-- note -->"
    assert escape_markup("to `<address>@<domain>` now") == "to `<address>@<domain>` now"
    assert escape_markup("``a ` <b>`` and <i>") == "``a ` <b>`` and &lt;i>"
    assert escape_markup("see <https://docs.novu.co> and 3 < 4") == "see <https://docs.novu.co> and 3 &lt; 4"
    assert escape_markup("an unclosed ` then <x>") == "an unclosed ` then &lt;x>"


MARKUP_DOCUMENT = {
    "openapi": "3.0.0",
    "info": {"title": "Markup", "version": "1"},
    "paths": {
        "/v1/things": {
            "post": {
                "operationId": "ThingsController_create",
                "summary": "Create a <Thing />",
                "description": "Shown in the <Inbox /> component.<br>Second line.",
                "x-speakeasy-group": "things",
                "x-speakeasy-name-override": "create",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingDto"}}},
                },
                "responses": {
                    "201": {
                        "description": "made, <b>once</b>",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ThingDto"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "ThingDto": {
                "type": "object",
                "description": "A thing for <Inbox />; `<code>` stays code.",
                "properties": {"name": {"type": "string", "description": "x <!-- hidden --> y | z"}},
                "required": ["name"],
            },
            "UnusedDto": {
                "type": "object",
                "properties": {"thing": {"$ref": "#/components/schemas/ThingDto"}},
            },
        }
    },
}


def test_no_upstream_markup_disappears_when_rendered() -> None:
    files = render_docs(build_api(MARKUP_DOCUMENT, "markup_api"), "Markup 1")
    parsed = markdown.parse(files)
    assert markdown.html_leftovers(parsed) == []
    assert markdown.broken_links(parsed)[0] == []
    md = markdown.renderer()
    text = "".join(md.render(page) for page in files.values())
    for shown in (
        "Create a &lt;Thing /&gt;",
        "Shown in the &lt;Inbox /&gt; component.&lt;br&gt;Second line.",
        "made, &lt;b&gt;once&lt;/b&gt;",
        "A thing for &lt;Inbox /&gt;; <code>&lt;code&gt;</code> stays code.",
        "x &lt;!-- hidden --&gt; y | z",
    ):
        assert shown in text
    # ThingDto is used by the one resource page, UnusedDto by no operation
    assert model_pages(build_api(MARKUP_DOCUMENT, "markup_api")) == {
        "ThingDto": "models-things",
        "UnusedDto": "models-other",
    }
    assert "[Models](models-things.md)" in files["things.md"]


def test_fixture_pages_render_whole_and_their_links_resolve(fixture_result: Result) -> None:
    files = render_docs(fixture_result.api, "Fixture API 0.0.1")
    parsed = markdown.parse(files)
    assert markdown.html_leftovers(parsed) == []
    broken, checked = markdown.broken_links(parsed)
    assert broken == []
    assert checked > 50
