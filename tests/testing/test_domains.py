"""Domains: their lifecycle, verification by the fake's DNS, auto-configuration, routes and route tests."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.errors import ConflictError, NotFoundError
from novu_async.funcs.domains_create import domains_create
from novu_async.funcs.domains_routes_create import domains_routes_create
from novu_async.funcs.domains_routes_test import domains_routes_test
from novu_async.funcs.domains_verify import domains_verify
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

MAIL = {"from": {"address": "bob@example.org", "name": "Bob"}, "subject": "Help", "text": "It broke"}


def answer(response: httpx.Response) -> Any:
    body = response.json()
    return body["data"] if set(body) == {"data"} else body


async def agent(client: httpx.AsyncClient, identifier: str) -> dict[str, Any]:
    response = await client.post("/v1/agents", json={"name": identifier.title(), "identifier": identifier})
    assert response.status_code == 201
    made: dict[str, Any] = response.json()["data"]
    return made


async def test_a_domain_lives_and_dies(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/domains", json={"name": "Mail.Example.COM"})
    assert created.status_code == 201
    domain = answer(created)
    assert (domain["name"], domain["status"], domain["mxRecordConfigured"]) == (
        "mail.example.com",
        "pending",
        False,
    )
    [record] = domain["expectedDnsRecords"]
    assert (record["type"], record["name"], record["priority"]) == ("MX", "mail.example.com", 10)
    assert fake.domains["mail.example.com"] == domain
    assert answer(await client.get("/v1/domains/mail.example.com")) == domain
    assert answer(await client.get(f"/v1/domains/{domain['_id']}")) == domain  # by _id too

    same = await client.post("/v1/domains", json={"name": "mail.example.com"})
    assert same.status_code == 409
    for name in ("localhost", "bad_name.com", "a.b.123", "*.example.com", "example.com."):
        assert (await client.post("/v1/domains", json={"name": name})).status_code == 422, name

    changed = answer(await client.patch("/v1/domains/mail.example.com", json={"data": {"team": "ops"}}))
    assert changed["data"] == {"team": "ops"}
    kept = answer(await client.patch("/v1/domains/mail.example.com", json={}))
    assert kept["data"] == {"team": "ops"}  # without data, the data stays
    too_much = {"data": {f"k{n}": "v" for n in range(11)}}
    assert (await client.patch("/v1/domains/mail.example.com", json=too_much)).status_code == 422

    await client.post("/v1/domains", json={"name": "other.example.org"})
    names = [d["name"] for d in answer(await client.get("/v1/domains"))["data"]]
    assert names == ["other.example.org", "mail.example.com"]
    filtered = answer(await client.get("/v1/domains", params={"name": "MAIL"}))
    assert [d["name"] for d in filtered["data"]] == ["mail.example.com"]

    assert (await client.delete("/v1/domains/mail.example.com")).status_code == 204
    assert "mail.example.com" not in fake.domains
    for response in (
        await client.get("/v1/domains/mail.example.com"),
        await client.patch("/v1/domains/mail.example.com", json={}),
        await client.delete("/v1/domains/mail.example.com"),
        await client.post("/v1/domains/mail.example.com/verify"),
    ):
        assert response.status_code == 404


async def test_verify_follows_the_fakes_dns(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    await client.post("/v1/domains", json={"name": "example.com"})
    assert answer(await client.post("/v1/domains/example.com/verify"))["status"] == "pending"
    diagnosis = answer(await client.post("/v1/domains/example.com/diagnose"))
    assert diagnosis["ok"] is False
    assert [issue["code"] for issue in diagnosis["issues"]] == ["mx_missing"]

    fake.set_mx_record("example.com")
    assert (
        answer(await client.get("/v1/domains/example.com"))["status"] == "pending"
    )  # a read does not verify
    verified = answer(await client.post("/v1/domains/example.com/verify"))
    assert (verified["status"], verified["mxRecordConfigured"]) == ("verified", True)
    assert answer(await client.post("/v1/domains/example.com/diagnose"))["ok"] is True

    fake.set_mx_record("example.com", configured=False)
    assert answer(await client.post("/v1/domains/example.com/verify"))["status"] == "pending"
    with pytest.raises(KeyError):
        fake.set_mx_record("nope.example.com")


async def test_auto_configuration_applies_the_records(client: httpx.AsyncClient) -> None:
    await client.post("/v1/domains", json={"name": "example.com"})
    status = answer(await client.get("/v1/domains/example.com/auto-configure"))
    assert status["available"] is True
    assert status["manualRecords"][0]["type"] == "MX"
    started = answer(
        await client.post(
            "/v1/domains/example.com/auto-configure/start",
            json={"redirectUri": "https://app.example.com/done"},
        )
    )
    assert started["redirectUri"] == "https://app.example.com/done"
    assert "example.com" in started["applyUrl"]
    assert answer(await client.post("/v1/domains/example.com/verify"))["status"] == "verified"


async def test_routes_live_and_die_and_deleting_the_domain_takes_them(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    support = await agent(client, "support")
    await client.post("/v1/domains", json={"name": "example.com"})
    routes = "/v1/domains/example.com/routes"
    created = await client.post(routes, json={"address": "help", "type": "agent", "agentId": "support"})
    assert created.status_code == 201
    route = answer(created)
    assert (route["address"], route["type"], route["agentId"]) == ("help", "agent", support["_id"])
    assert answer(await client.get(f"{routes}/help")) == route
    duplicate = await client.post(routes, json={"address": "help", "type": "webhook"})
    assert duplicate.status_code == 409
    assert (await client.post(routes, json={"address": "x", "type": "agent"})).status_code == 400
    assert (
        await client.post(routes, json={"address": "x", "type": "agent", "agentId": "no"})
    ).status_code == 404
    for address in ("a@b", " x", "x" * 65, ".x"):
        assert (await client.post(routes, json={"address": address, "type": "webhook"})).status_code == 422
    await client.post(routes, json={"address": "*", "type": "webhook"})

    assert [r["address"] for r in answer(await client.get(routes))["data"]] == ["*", "help"]
    assert [
        r["address"] for r in answer(await client.get(routes, params={"agentId": "support"}))["data"]
    ] == ["help"]
    assert answer(await client.get(routes, params={"agentId": "nobody"}))["data"] == []

    webhook = answer(await client.patch(f"{routes}/help", json={"type": "webhook"}))
    assert (webhook["type"], "agentId" in webhook) == ("webhook", False)
    assert (await client.patch(f"{routes}/help", json={"type": "agent"})).status_code == 400
    back = answer(await client.patch(f"{routes}/help", json={"type": "agent", "agentId": "support"}))
    assert back["agentId"] == support["_id"]

    assert (await client.delete(f"{routes}/*")).status_code == 204
    assert (await client.get(f"{routes}/*")).status_code == 404
    await client.delete("/v1/domains/example.com")
    await client.post("/v1/domains", json={"name": "example.com"})
    assert answer(await client.get(routes))["data"] == []  # the old domain's routes went with it


async def test_a_route_test_matches_the_address_or_the_wildcard(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    await agent(client, "support")
    await client.post("/v1/domains", json={"name": "example.com"})
    routes = "/v1/domains/example.com/routes"
    unmatched = answer(await client.post(f"{routes}/help/test", json=MAIL))
    assert unmatched == {
        "matched": False,
        "dryRun": False,
        "domainStatus": "pending",
        "mxRecordConfigured": False,
    }
    await client.post(routes, json={"address": "help", "type": "agent", "agentId": "support"})
    await client.post(routes, json={"address": "*", "type": "webhook"})

    preview = answer(await client.post(f"{routes}/help/test", json={**MAIL, "dryRun": True}))
    assert (preview["matched"], preview["type"], preview["wouldDeliverTo"]) == (
        True,
        "agent",
        "agent support",
    )
    assert preview["payload"]["mail"]["to"] == [{"address": "help@example.com", "name": ""}]
    assert fake.inbound_mail == ()  # a dry run delivers nothing

    delivered = answer(await client.post(f"{routes}/help/test", json=MAIL))
    assert delivered["agent"]["httpStatus"] == 200
    caught = answer(await client.post(f"{routes}/sales/test", json=MAIL))
    assert (caught["type"], caught["webhook"]["skipped"]) == ("webhook", False)
    assert [(m["type"], m["mail"]["to"][0]["address"]) for m in fake.inbound_mail] == [
        ("agent", "help@example.com"),
        ("webhook", "sales@example.com"),
    ]
    assert (await client.post(f"{routes}/help/test", json={"subject": "x"})).status_code == 422


async def test_the_generated_functions_parse_the_answers(fake: FakeNovu) -> None:
    fake.add_subscriber("ada")
    async with fake.client() as novu:
        made = await domains_create(novu.core, {"name": "example.com", "data": {"team": "ops"}})
        with pytest.raises(ConflictError):
            await domains_create(novu.core, {"name": "example.com"})
        fake.set_mx_record("example.com")
        verified = await domains_verify(novu.core, "example.com")
        route = await domains_routes_create(novu.core, "example.com", {"address": "*", "type": "webhook"})
        tested = await domains_routes_test(novu.core, "example.com", "anyone", MAIL)
        with pytest.raises(NotFoundError):
            await domains_verify(novu.core, "nope.example.com")
    assert made.data == {"team": "ops"}
    assert verified.status.value == "verified"
    assert route.address == "*"
    assert tested.matched is True
