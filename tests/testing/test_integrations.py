"""Integrations through the API, and how their active and primary state decides whether a channel
step can deliver and through which provider."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

ADA = {"subscriberId": "ada", "email": "ada@example.com", "phone": "+15550100"}


async def integration(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/v1/integrations", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["data"]
    return made


async def send(fake: FakeNovu, client: httpx.AsyncClient, workflow: str, **extra: Any) -> list[str]:
    """The job statuses of one trigger to Ada."""
    response = await client.post("/v1/events/trigger", json={"name": workflow, "to": ADA, **extra})
    transaction = response.json()["data"]["transactionId"]
    return [job["status"] for job in fake.notifications(transaction)[0]["jobs"]]


async def test_novus_defaults_and_create_read_change_delete(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/v1/integrations")).json()["data"]
    assert [(i["providerId"], i["channel"], i["active"], i["primary"]) for i in listed] == [
        ("novu", "in_app", True, False),
        ("novu-email", "email", True, True),
        ("novu-sms", "sms", True, True),
    ]
    assert all("credentials" not in i for i in listed)
    made = await integration(client, providerId="sendgrid", channel="email", credentials={"apiKey": "k"})
    assert (made["name"], made["active"], made["primary"]) == ("SendGrid", False, False)
    assert made["identifier"].startswith("sendgrid-")
    active = (await client.get("/v1/integrations/active")).json()["data"]
    assert made["_id"] not in [i["_id"] for i in active]
    renamed = await client.put(f"/v1/integrations/{made['_id']}", json={"name": "Mail", "identifier": "mail"})
    assert (renamed.json()["data"]["name"], renamed.json()["data"]["identifier"]) == ("Mail", "mail")
    taken = await client.put(f"/v1/integrations/{made['_id']}", json={"identifier": "novu-sms"})
    assert taken.status_code == 409
    remaining = (await client.delete(f"/v1/integrations/{made['_id']}")).json()["data"]
    assert [i["providerId"] for i in remaining] == ["novu", "novu-email", "novu-sms"]
    assert (await client.put(f"/v1/integrations/{made['_id']}", json={"name": "x"})).status_code == 404
    assert (await client.delete(f"/v1/integrations/{made['_id']}")).status_code == 404


async def test_email_needs_an_active_primary_integration(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("receipt", steps=["email", "sms"])
    assert await send(fake, client, "receipt") == ["completed", "completed"]
    assert [m["providerId"] for m in fake.messages("ada")] == ["novu-email", "novu-sms"]
    novu_email = fake.integrations["novu-email"]
    await client.put(f"/v1/integrations/{novu_email.id}", json={"active": False})
    assert novu_email.primary is False  # deactivating takes the primary flag
    assert await send(fake, client, "receipt") == ["failed", "completed"]
    job = fake.notifications()[-1]["jobs"][0]
    assert job["executionDetails"][0]["detail"] == "Subscriber does not have an active integration"
    sendgrid = await integration(client, providerId="sendgrid", channel="email", active=True)
    assert sendgrid["primary"] is True  # the channel had no primary one
    assert await send(fake, client, "receipt") == ["completed", "completed"]
    assert fake.messages("ada", channel="email")[-1]["providerId"] == "sendgrid"
    await client.post(f"/v1/integrations/{novu_email.id}/set-primary")  # activates it too
    assert (novu_email.active, novu_email.primary, fake.integrations[sendgrid["identifier"]].primary) == (
        True,
        True,
        False,
    )
    await send(fake, client, "receipt")
    assert fake.messages("ada", channel="email")[-1]["providerId"] == "novu-email"
    overrides = {"email": {"integrationIdentifier": sendgrid["identifier"]}}
    await send(fake, client, "receipt", overrides=overrides)  # a trigger may name the integration
    assert fake.messages("ada", channel="email")[-1]["providerId"] == "sendgrid"


async def test_in_app_needs_an_active_in_app_integration(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("hello")
    inbox = fake.integrations["novu"]
    await client.put(f"/v1/integrations/{inbox.id}", json={"active": False})
    assert await send(fake, client, "hello") == ["failed"]
    assert fake.inbox("ada") == []
    await client.put(f"/v1/integrations/{inbox.id}", json={"active": True})
    assert await send(fake, client, "hello") == ["completed"]
    assert (
        await client.post("/v1/integrations", json={"providerId": "novu", "channel": "in_app"})
    ).status_code == 400


async def test_push_goes_through_an_active_integration_of_the_credentials(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("ping", steps=["push"])
    fake.add_subscriber("ada")
    tokens = {"providerId": "fcm", "credentials": {"deviceTokens": ["t1"]}}
    assert (await client.put("/v1/subscribers/ada/credentials", json=tokens)).status_code == 200
    assert await send(fake, client, "ping") == ["completed"]  # no push integration held: as before
    assert fake.messages("ada")[-1]["providerId"] == "fcm"
    apns = fake.add_integration("apns", "push", identifier="apns-1")
    assert await send(fake, client, "ping") == ["failed"]  # push integrations exist, none for fcm
    fcm = fake.add_integration("fcm", "push", identifier="fcm-1", active=False)
    assert await send(fake, client, "ping") == ["failed"]
    await client.put(f"/v1/integrations/{fcm.id}", json={"active": True})
    assert await send(fake, client, "ping") == ["completed"]
    await client.put("/v1/subscribers/ada/credentials", json={**tokens, "integrationIdentifier": "apns-1"})
    channels = (await client.get("/v2/subscribers/ada")).json()["data"]["channels"]
    assert channels[1]["_integrationId"] == apns.id  # credentials point to the integration they name


async def test_set_up_links(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_subscriber("ada")
    fake.add_integration("slack", "chat", identifier="slack", credentials={"clientId": "abc"})
    fake.add_integration("telegram", "chat", identifier="tg", credentials={"user": "AcmeBot"})
    oauth = await client.post(
        "/v1/integrations/channel-connections/oauth", json={"integrationIdentifier": "slack"}
    )
    assert oauth.json()["data"]["url"].startswith("https://slack.com/oauth/v2/authorize?client_id=abc&")
    link = await client.post(
        "/v1/integrations/channel-endpoints/link", json={"integrationIdentifier": "tg", "subscriberId": "ada"}
    )
    shown = link.json()["data"]
    assert shown["url"].startswith("https://t.me/AcmeBot?start=")
    assert shown["providerMetadata"]["botUsername"] == "AcmeBot"
    hook = (await client.post("/v1/integrations/tg/webhook/configure")).json()["data"]
    assert hook["botUsername"] == "AcmeBot"
    assert fake.integrations["tg"].configurations["webhookUrl"] == hook["webhookUrl"]
    refused = await client.post("/v1/integrations/slack/mobile-link", json={})
    assert refused.status_code == 400
