"""Layouts through the API, and what they do to the emails a workflow sends."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

BRAND = "<html><body><header>Acme for {{subscriber.firstName}}</header>{{content}}</body></html>"
PLAIN = "<html><body><pre>{{ content }}</pre></body></html>"
ADA = {"subscriberId": "ada", "firstName": "Ada", "email": "ada@example.com"}


def html(body: str) -> dict[str, Any]:
    return {"email": {"body": body, "editorType": "html"}}


async def make(client: httpx.AsyncClient, layout_id: str, body: str | None = None) -> dict[str, Any]:
    created = await client.post("/v2/layouts", json={"layoutId": layout_id, "name": layout_id.title()})
    assert created.status_code == 201, created.text
    if body is None:
        made: dict[str, Any] = created.json()["data"]
        return made
    updated = await client.put(
        f"/v2/layouts/{layout_id}", json={"name": layout_id.title(), "controlValues": html(body)}
    )
    assert updated.status_code == 200, updated.text
    changed: dict[str, Any] = updated.json()["data"]
    return changed


async def email_of(fake: FakeNovu, client: httpx.AsyncClient, workflow: str) -> str:
    response = await client.post("/v1/events/trigger", json={"name": workflow, "to": ADA})
    assert response.status_code == 201
    body: str = fake.messages("ada", channel="email")[-1]["content"]
    return body


async def test_create_read_change_list_delete(client: httpx.AsyncClient) -> None:
    first = await make(client, "brand")
    second = await make(client, "plain", PLAIN)
    assert (first["isDefault"], second["isDefault"]) == (True, False)
    assert second["controls"]["values"] == html(PLAIN)
    by_id = (await client.get(f"/v2/layouts/{second['_id']}")).json()["data"]
    assert by_id["layoutId"] == "plain"
    listed = (await client.get("/v2/layouts", params={"orderBy": "name", "orderDirection": "ASC"})).json()[
        "data"
    ]
    assert ([x["layoutId"] for x in listed["layouts"]], listed["totalCount"]) == (["brand", "plain"], 2)
    searched = (await client.get("/v2/layouts", params={"query": "PLA"})).json()["data"]
    assert [x["layoutId"] for x in searched["layouts"]] == ["plain"]
    cleared = await client.put("/v2/layouts/plain", json={"name": "Plain", "controlValues": None})
    assert cleared.json()["data"]["controls"]["values"] == {}
    assert (await client.delete("/v2/layouts/brand")).status_code == 409  # the default one
    assert (await client.delete("/v2/layouts/plain")).status_code == 204
    assert (await client.get("/v2/layouts/plain")).status_code == 404
    assert (await client.delete("/v2/layouts/plain")).status_code == 404


async def test_bodies_are_checked_as_novu_checks_them(client: httpx.AsyncClient) -> None:
    await make(client, "brand")

    async def update(body: str, editor: str = "html") -> httpx.Response:
        email = {"email": {"body": body, "editorType": editor}}
        return await client.put("/v2/layouts/brand", json={"name": "Brand", "controlValues": email})

    not_html = await update("<p>{{content}}</p>")
    assert (not_html.status_code, not_html.json()["message"]) == (400, "Content must be a valid HTML content")
    no_content = await update("<html><body>hi</body></html>")
    assert 'should contain the "content" variable' in no_content.json()["message"]
    assert (await update("{}", "block")).status_code == 400
    maily = {
        "type": "doc",
        "content": [{"type": "paragraph", "content": [{"type": "variable", "attrs": {"id": "content"}}]}],
    }
    assert (await update(json.dumps(maily), "block")).status_code == 200


async def test_email_steps_use_the_default_a_named_or_no_layout(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow(
        "default", steps=[{"type": "email", "controlValues": {"subject": "s", "body": "<p>Hi</p>"}}]
    )
    fake.add_workflow(
        "named", steps=[{"type": "email", "controlValues": {"body": "<p>Hi</p>", "layoutId": "plain"}}]
    )
    fake.add_workflow(
        "bare", steps=[{"type": "email", "controlValues": {"body": "<p>Hi</p>", "layoutId": None}}]
    )
    assert await email_of(fake, client, "default") == "<p>Hi</p>"  # no layout yet
    await make(client, "brand", BRAND)
    await make(client, "plain", PLAIN)
    assert (
        await email_of(fake, client, "default")
        == "<html><body><header>Acme for Ada</header><p>Hi</p></body></html>"
    )
    assert await email_of(fake, client, "named") == "<html><body><pre><p>Hi</p></pre></body></html>"
    assert await email_of(fake, client, "bare") == "<p>Hi</p>"
    usage = (await client.get("/v2/layouts/plain/usage")).json()["data"]
    assert usage == {"workflows": [{"name": "named", "workflowId": "named"}]}
    assert (await client.delete("/v2/layouts/plain")).status_code == 204
    assert "layoutId" not in fake.workflows["named"].steps[0].controls  # the step falls back to the default
    assert (await email_of(fake, client, "named")).startswith("<html><body><header>Acme")


async def test_duplicate_copies_controls_and_translations(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await make(client, "brand", BRAND)
    fake.add_translation("brand", "en_US", {"footer": "Bye"}, resource_type="layout")
    copy = await client.post(
        "/v2/layouts/brand/duplicate", json={"name": "Brand Two", "isTranslationEnabled": True}
    )
    assert copy.status_code == 201
    made = copy.json()["data"]
    assert (made["layoutId"], made["isDefault"]) == ("brand-two", False)
    assert made["controls"]["values"] == html(BRAND)
    assert fake.translations("brand-two", resource_type="layout") == {"en_US": {"footer": "Bye"}}
    again = await client.post("/v2/layouts/brand/duplicate", json={"name": "Brand Two"})
    assert again.status_code == 409


async def test_preview_and_layout_translations(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_layout(
        "brand",
        body="<html><body>{{t.hello}} {{subscriber.firstName}}: {{content}}</body></html>",
        translations=True,
    )
    fake.add_translation("brand", "en_US", {"hello": "Hello"}, resource_type="layout")
    fake.add_translation("brand", "fr_FR", {"hello": "Bonjour"}, resource_type="layout")
    fake.add_subscriber("ada", firstName="Ada", email="ada@example.com", locale="fr_FR")
    fake.add_workflow("mail", steps=[{"type": "email", "controlValues": {"body": "x"}}])
    await client.post("/v1/events/trigger", json={"name": "mail", "to": "ada"})
    assert fake.messages("ada")[0]["content"] == "<html><body>Bonjour Ada: x</body></html>"
    preview = await client.post(
        "/v2/layouts/brand/preview", json={"previewPayload": {"subscriber": {"firstName": "Bob"}}}
    )
    result = preview.json()["data"]["result"]
    assert result == {
        "type": "email",
        "preview": {"body": "<html><body> Bob: Dynamic placeholder content</body></html>"},
    }
    assert fake.layouts["brand"].is_default
