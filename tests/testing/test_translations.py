"""Translations through the API (the uploads through the SDK, as multipart), and what they do to a
workflow's content for a subscriber's locale."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from novu_async.errors import NotFoundError
from novu_async.funcs.translations_master_upload import translations_master_upload
from novu_async.funcs.translations_upload import translations_upload
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

GREETING = {"type": "in_app", "controlValues": {"subject": "{{t.title}}", "body": "{{t.welcome.message}}"}}


def translate(resource_id: str, locale: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"resourceId": resource_id, "resourceType": "workflow", "locale": locale, "content": content}


async def inbox_of(fake: FakeNovu, client: httpx.AsyncClient, subscriber: dict[str, Any]) -> tuple[str, str]:
    await client.post(
        "/v1/events/trigger", json={"name": "welcome", "to": subscriber, "payload": {"name": "Ada"}}
    )
    shown = fake.inbox(subscriber["subscriberId"])[0]
    return shown["subject"], shown["body"]


async def test_create_read_group_delete(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("welcome", name="Welcome", steps=[GREETING], translations=True)
    made = await client.post("/v2/translations", json=translate("welcome", "en_US", {"title": "Hi"}))
    assert made.status_code == 200
    assert made.json()["data"]["content"] == {"title": "Hi"}
    await client.post("/v2/translations", json=translate("welcome", "de_DE", {"title": "Hallo"}))
    replaced = await client.post("/v2/translations", json=translate("welcome", "de_DE", {"title": "Servus"}))
    assert replaced.json()["data"]["content"] == {"title": "Servus"}  # create is an upsert
    got = await client.get("/v2/translations/workflow/welcome/de_DE")
    assert got.json()["data"]["content"] == {"title": "Servus"}
    group = (await client.get("/v2/translations/group/workflow/welcome")).json()["data"]
    assert (group["resourceName"], group["locales"]) == ("Welcome", ["en_US", "de_DE"])
    assert "outdatedLocales" not in group
    fake.advance(1)
    await client.post("/v2/translations", json=translate("welcome", "en_US", {"title": "Hello"}))
    group = (await client.get("/v2/translations/group/workflow/welcome")).json()["data"]
    assert group["outdatedLocales"] == ["de_DE"]  # the default locale changed since
    assert (await client.delete("/v2/translations/workflow/welcome/de_DE")).status_code == 204
    assert (await client.get("/v2/translations/workflow/welcome/de_DE")).status_code == 404
    assert (await client.delete("/v2/translations/workflow/welcome")).status_code == 204
    assert (await client.get("/v2/translations/group/workflow/welcome")).status_code == 404
    unknown = await client.post("/v2/translations", json=translate("nope", "en_US", {}))
    assert unknown.status_code == 404


async def test_a_trigger_renders_the_subscribers_locale_or_the_default(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("welcome", steps=[GREETING], translations=True)
    texts_en = {"title": "Welcome", "welcome.message": "Hello {{payload.name}}"}
    texts_fr = {"title": "Bienvenue", "welcome": {"message": "Bonjour {{payload.name}}"}}  # nested keys too
    await client.post("/v2/translations", json=translate("welcome", "en_US", texts_en))
    await client.post("/v2/translations", json=translate("welcome", "fr_FR", texts_fr))
    assert await inbox_of(fake, client, {"subscriberId": "marie", "locale": "fr_FR"}) == (
        "Bienvenue",
        "Bonjour Ada",
    )
    assert await inbox_of(fake, client, {"subscriberId": "hans", "locale": "de_DE"}) == (
        "Welcome",
        "Hello Ada",
    )
    assert await inbox_of(fake, client, {"subscriberId": "ada"}) == ("Welcome", "Hello Ada")
    renamed = {"name": "Welcome", "workflowId": "hello", "steps": [{**GREETING, "name": "Inbox"}]}
    await client.put("/v2/workflows/welcome", json={**renamed, "preferences": {}, "origin": "novu-cloud"})
    assert set(fake.translations("hello")) == {"en_US", "fr_FR"}  # the translations follow the workflow
    await client.patch("/v2/workflows/hello", json={"isTranslationEnabled": False})
    await client.post(
        "/v1/events/trigger", json={"name": "hello", "to": {"subscriberId": "zoe", "locale": "fr_FR"}}
    )
    assert (fake.inbox("zoe")[0]["subject"], fake.inbox("zoe")[0]["body"]) == ("", "")


async def test_master_json_export_and_import(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("welcome", translations=True)
    fake.add_workflow("receipt")
    fake.add_layout("brand", body="<html><body>{{content}}</body></html>")
    master = {"workflows": {"welcome": {"a": "A"}, "missing": {"b": "B"}}, "layouts": {"brand": {"c": "C"}}}
    imported = await client.post(
        "/v2/translations/master-json", json={"locale": "es_ES", "masterJson": master}
    )
    answer = imported.json()["data"]
    assert (answer["success"], answer["successful"], answer["failed"]) == (
        True,
        ["welcome", "brand"],
        ["missing"],
    )
    exported = (await client.get("/v2/translations/master-json", params={"locale": "es_ES"})).json()["data"]
    assert exported == {"workflows": {"welcome": {"a": "A"}}, "layouts": {"brand": {"c": "C"}}}
    empty = (await client.get("/v2/translations/master-json")).json()["data"]  # en_US by default
    assert empty == {"workflows": {}, "layouts": {}}
    nothing = await client.post("/v2/translations/master-json", json={"locale": "es_ES", "masterJson": {}})
    assert nothing.json()["data"] == {
        "success": False,
        "message": "No supported resources found in master JSON",
    }
    bad = await client.get("/v2/translations/master-json", params={"locale": "spanish"})
    assert bad.status_code == 422


async def test_uploads_through_the_sdk_are_multipart(fake: FakeNovu) -> None:
    fake.add_workflow("welcome", steps=[GREETING], translations=True)
    english = json.dumps({"title": "Hello 👋", "welcome.message": "Hi"}, ensure_ascii=False).encode()
    async with fake.client() as novu:
        uploaded = await translations_upload(
            novu.core,
            {
                "resourceId": "welcome",
                "resourceType": "workflow",
                "files": [("en_US.json", english), ("it_IT.json", b"{not json")],
            },
        )
        master = json.dumps({"workflows": {"welcome": {"title": "Hola"}}}).encode()
        imported = await translations_master_upload(novu.core, {"file": ("es_ES.json", master)})
        with pytest.raises(NotFoundError):
            await translations_upload(
                novu.core,
                {"resourceId": "nope", "resourceType": "workflow", "files": [("en_US.json", b"{}")]},
            )
    assert (uploaded.total_files, uploaded.successful_uploads, uploaded.failed_uploads) == (2, 1, 1)
    assert "it_IT.json" in uploaded.errors[0]
    assert imported.success is True
    assert imported.successful == ["welcome"]
    assert fake.translations("welcome") == {
        "en_US": {"title": "Hello 👋", "welcome.message": "Hi"},
        "es_ES": {"title": "Hola"},
    }


async def test_bad_uploads_are_refused(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("welcome")
    form = {"resourceId": "welcome", "resourceType": "workflow"}
    misnamed = await client.post(
        "/v2/translations/upload", data=form, files=[("files", ("english.json", b"{}"))]
    )
    assert misnamed.status_code == 400
    assert "english.json" in misnamed.json()["message"]
    none_valid = await client.post(
        "/v2/translations/upload", data=form, files=[("files", ("en_US.json", b"[]"))]
    )
    assert (
        none_valid.status_code,
        none_valid.json()["message"].startswith("No valid translation files"),
    ) == (
        400,
        True,
    )
    two = [("file", ("en_US.json", b"{}")), ("file", ("fr_FR.json", b"{}"))]
    assert (await client.post("/v2/translations/master-json/upload", files=two)).status_code == 400
    not_a_form = await client.post("/v2/translations/master-json/upload", content=b"{}")
    assert not_a_form.status_code == 400
    assert fake.translations("welcome") == {}
