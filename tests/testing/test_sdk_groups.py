"""The generated SDK functions parse FakeNovu's layouts, translations, integrations, environments and
environment variables answers into their models, and get its errors as typed errors."""

from __future__ import annotations

import pytest

from novu_async.errors import BadRequestError, ConflictError, NotFoundError
from novu_async.funcs.environment_variables_create import environment_variables_create
from novu_async.funcs.environment_variables_delete import environment_variables_delete
from novu_async.funcs.environment_variables_retrieve import environment_variables_retrieve
from novu_async.funcs.environment_variables_usage import environment_variables_usage
from novu_async.funcs.environments_create import environments_create
from novu_async.funcs.environments_diff import environments_diff
from novu_async.funcs.environments_list import environments_list
from novu_async.funcs.environments_publish import environments_publish
from novu_async.funcs.integrations_create import integrations_create
from novu_async.funcs.integrations_delete import integrations_delete
from novu_async.funcs.integrations_list import integrations_list
from novu_async.funcs.integrations_set_as_primary import integrations_set_as_primary
from novu_async.funcs.layouts_create import layouts_create
from novu_async.funcs.layouts_delete import layouts_delete
from novu_async.funcs.layouts_list import layouts_list
from novu_async.funcs.layouts_retrieve import layouts_retrieve
from novu_async.funcs.layouts_update import layouts_update
from novu_async.funcs.translations_create import translations_create
from novu_async.funcs.translations_groups_retrieve import translations_groups_retrieve
from novu_async.funcs.translations_retrieve import translations_retrieve
from novu_async.funcs.trigger import trigger
from novu_async.funcs.workflows_sync import workflows_sync
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

BODY = "<html><body>[{{content}}]</body></html>"


async def test_layouts_and_translations(fake: FakeNovu) -> None:
    fake.add_workflow(
        "welcome", steps=[{"type": "email", "controlValues": {"body": "{{t.hi}}"}}], translations=True
    )
    async with fake.client() as novu:
        made = await layouts_create(novu.core, {"layoutId": "brand", "name": "Brand"})
        changed = await layouts_update(
            novu.core,
            "brand",
            {"name": "Brand", "controlValues": {"email": {"body": BODY, "editorType": "html"}}},
        )
        page = await layouts_list(novu.core, query="bra")
        with pytest.raises(BadRequestError):
            await layouts_update(
                novu.core,
                "brand",
                {"name": "Brand", "controlValues": {"email": {"body": "x", "editorType": "html"}}},
            )
        created = await translations_create(
            novu.core,
            {"resourceId": "welcome", "resourceType": "workflow", "locale": "en_US", "content": {"hi": "Hi"}},
        )
        got = await translations_retrieve(novu.core, "workflow", "welcome", "en_US")
        group = await translations_groups_retrieve(novu.core, "workflow", "welcome")
        await trigger(novu.core, {"name": "welcome", "to": {"subscriberId": "ada", "email": "a@example.com"}})
        with pytest.raises(ConflictError):
            await layouts_delete(novu.core, "brand")  # the default one
        await layouts_create(novu.core, {"layoutId": "other", "name": "Other"})
        await layouts_delete(novu.core, "other")
        with pytest.raises(NotFoundError):
            await layouts_retrieve(novu.core, "other")
    assert (made.layout_id, made.is_default) == ("brand", True)
    assert changed.controls.values.email is not None
    assert changed.controls.values.email.body == BODY
    assert [x.layout_id for x in page.layouts] == ["brand"]
    assert created.content == {"hi": "Hi"} == got.content
    assert group.locales == ["en_US"]
    assert fake.messages("ada")[0]["content"] == "<html><body>[Hi]</body></html>"


async def test_integrations_environments_and_variables(fake: FakeNovu) -> None:
    fake.add_workflow("welcome", steps=[{"type": "in_app", "controlValues": {"body": "{{env.SITE}}"}}])
    async with fake.client() as novu:
        mail = await integrations_create(
            novu.core, {"providerId": "sendgrid", "channel": "email", "active": True}
        )
        primary = await integrations_set_as_primary(novu.core, mail.id)
        listed = await integrations_list(novu.core)
        remaining = await integrations_delete(novu.core, mail.id)
        environments = await environments_list(novu.core)
        staging = await environments_create(novu.core, {"name": "Staging", "color": "#00ff00"})
        synced = await workflows_sync(novu.core, "welcome", {"targetEnvironmentId": staging.id})
        diff = await environments_diff(novu.core, staging.id, {})
        published = await environments_publish(
            novu.core, staging.id, {"resources": [{"resourceType": "workflow", "resourceId": "welcome"}]}
        )
        value = [{"_environmentId": fake.environment_id, "value": "https://acme.test"}]
        variable = await environment_variables_create(
            novu.core, {"key": "SITE", "isSecret": True, "values": value}
        )
        shown = await environment_variables_retrieve(novu.core, "SITE")
        usage = await environment_variables_usage(novu.core, "SITE")
        await trigger(novu.core, {"name": "welcome", "to": "ada"})
        await environment_variables_delete(novu.core, "SITE")
        with pytest.raises(NotFoundError):
            await environment_variables_retrieve(novu.core, "SITE")
    assert (primary.primary, primary.provider_id) == (True, "sendgrid")
    assert [i.provider_id for i in listed] == ["novu", "novu-email", "novu-sms", "sendgrid"]
    assert mail.id not in [i.id for i in remaining]
    assert [e.name for e in environments] == ["Development", "Production"]
    assert (synced.workflow_id, staging.name) == ("welcome", "Staging")
    assert diff.summary.has_changes is False  # just synced
    assert published.results[1].resource_type == "workflow"  # Novu's value, an open enum's str
    assert [s.reason for s in published.results[1].skipped] == ["No changes detected"]
    assert variable.values[0].value == shown.values[0].value == "••••••••"
    assert [w.workflow_id for w in usage.workflows] == ["welcome"]
    assert fake.inbox("ada")[0]["body"] == "https://acme.test"
