"""Channel connections and channel endpoints: their subscribers, integrations, connections, contexts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.errors import NotFoundError
from novu_async.funcs.channel_connections_create import channel_connections_create
from novu_async.funcs.channel_connections_list import channel_connections_list
from novu_async.funcs.channel_endpoints_create import channel_endpoints_create
from novu_async.funcs.channel_endpoints_retrieve import channel_endpoints_retrieve
from novu_async.funcs.channel_endpoints_update import channel_endpoints_update
from novu_async.testing import FakeNovu

pytestmark = pytest.mark.anyio

WORKSPACE = {"id": "T1", "name": "Acme"}
AUTH = {"accessToken": "xoxb-1"}
# identifier -> (provider, channel): the integrations the connections and endpoints below name
INTEGRATIONS = {
    "slack-prod": ("slack", "chat"),
    "slack-eu": ("slack", "chat"),
    "teams": ("msteams", "chat"),
    "discord": ("discord", "chat"),
    "webex-messaging": ("webex-messaging", "chat"),
    "twilio-main": ("twilio", "sms"),
    "hooks": ("chat-webhook", "chat"),
}


@pytest.fixture(autouse=True)
def integrations(fake: FakeNovu) -> None:
    for identifier, (provider, channel) in INTEGRATIONS.items():
        fake.add_integration(provider, channel, identifier=identifier)


def connection(**fields: Any) -> dict[str, Any]:
    return {"integrationIdentifier": "slack-prod", "workspace": WORKSPACE, "auth": AUTH, **fields}


def endpoint(**fields: Any) -> dict[str, Any]:
    body = {"subscriberId": "ada", "integrationIdentifier": "slack-prod", "type": "slack_user"}
    return {**body, "endpoint": {"userId": "U1"}, **fields}


async def listed(client: httpx.AsyncClient, path: str, **query: Any) -> list[str]:
    body = (await client.get(path, params=query)).json()
    return [item["identifier"] for item in body["data"]]


async def test_a_connection_lives_and_dies(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_subscriber("ada")
    created = await client.post("/v1/channel-connections", json=connection(subscriberId="ada"))
    assert created.status_code == 201
    made = created.json()["data"]
    assert made["identifier"].startswith("chconn_")  # generated when not given
    assert (made["providerId"], made["channel"], made["subscriberId"]) == ("slack", "chat", "ada")
    assert (made["workspace"], made["auth"], made["contextKeys"]) == (WORKSPACE, AUTH, [])
    path = f"/v1/channel-connections/{made['identifier']}"
    assert (await client.get(path)).json()["data"] == made
    assert fake.channel_connections[made["identifier"]] == made

    update = {"workspace": {"id": "T2"}, "auth": {"accessToken": "xoxb-2", "refreshToken": "r"}}
    changed = (await client.patch(path, json=update)).json()["data"]
    assert (changed["workspace"], changed["auth"]) == (update["workspace"], update["auth"])
    assert await listed(client, "/v1/channel-connections", subscriberId="ada") == [made["identifier"]]

    assert (await client.delete(path)).status_code == 204
    for response in (
        await client.get(path),
        await client.patch(path, json=update),
        await client.delete(path),
    ):
        assert response.status_code == 404


async def test_one_connection_per_integration_subscriber_and_contexts(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_subscriber("ada")
    assert (
        await client.post("/v1/channel-connections", json=connection(subscriberId="ada"))
    ).status_code == 201
    twice = await client.post("/v1/channel-connections", json=connection(subscriberId="ada"))
    assert twice.status_code == 409
    assert "slack-prod" in twice.json()["message"]
    scoped = connection(subscriberId="ada", context={"tenant": "acme"})
    assert (await client.post("/v1/channel-connections", json=scoped)).status_code == 201  # other contexts
    elsewhere = connection(subscriberId="ada", integrationIdentifier="slack-eu")
    assert (await client.post("/v1/channel-connections", json=elsewhere)).status_code == 201
    same_id = connection(subscriberId="ada", identifier="c1", integrationIdentifier="teams")
    assert (await client.post("/v1/channel-connections", json=same_id)).status_code == 201
    again = connection(subscriberId="ada", identifier="c1", integrationIdentifier="discord")
    assert (await client.post("/v1/channel-connections", json=again)).status_code == 409
    assert "tenant:acme" in fake.contexts  # the context it named was created


async def test_a_shared_connection_belongs_to_a_context(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    shared = connection(connectionMode="shared", subscriberId="ada", context={"tenant": "acme"})
    made = (await client.post("/v1/channel-connections", json=shared)).json()["data"]
    assert (made["subscriberId"], made["contextKeys"]) == (None, ["tenant:acme"])  # no subscriber needed
    alone = await client.post("/v1/channel-connections", json=connection(connectionMode="shared"))
    assert alone.status_code == 400  # neither a subscriber nor a context
    missing = await client.post("/v1/channel-connections", json=connection(subscriberId="nobody"))
    assert missing.status_code == 404
    unknown = connection(subscriberId="ada", context={"tenant": "acme"}, integrationIdentifier="slack-x")
    assert (await client.post("/v1/channel-connections", json=unknown)).status_code == 404  # not held
    assert await listed(client, "/v1/channel-connections", contextKeys=["tenant:acme"]) == [
        made["identifier"]
    ]
    without = (await client.get("/v1/channel-connections?contextKeys=")).json()["data"]
    assert without == []  # contextKeys given empty: the connections without contexts


async def test_an_endpoint_lives_and_dies(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_subscriber("ada")
    conn = (await client.post("/v1/channel-connections", json=connection(subscriberId="ada"))).json()["data"]
    body = endpoint(identifier="ada-dm", connectionIdentifier=conn["identifier"], context={"tenant": "acme"})
    created = await client.post("/v1/channel-endpoints", json=body)
    assert created.status_code == 201
    made = created.json()["data"]
    assert (made["type"], made["endpoint"], made["connectionIdentifier"]) == (
        "slack_user",
        {"userId": "U1"},
        conn["identifier"],
    )
    assert (made["providerId"], made["channel"], made["contextKeys"]) == ("slack", "chat", ["tenant:acme"])
    assert fake.channel_endpoints["ada-dm"] == made
    assert (await client.get("/v1/channel-endpoints/ada-dm")).json()["data"] == made

    changed = await client.patch("/v1/channel-endpoints/ada-dm", json={"endpoint": {"userId": "U2"}})
    assert changed.json()["data"]["endpoint"] == {"userId": "U2"}
    wrong = await client.patch("/v1/channel-endpoints/ada-dm", json={"endpoint": {"channelId": "C1"}})
    assert wrong.status_code == 400  # the endpoint must fit the endpoint's type

    assert (await client.delete("/v1/channel-endpoints/ada-dm")).status_code == 204
    assert (await client.get("/v1/channel-endpoints/ada-dm")).status_code == 404
    assert (await client.delete("/v1/channel-endpoints/ada-dm")).status_code == 404


async def test_endpoints_check_their_subscriber_connection_and_type(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_subscriber("ada")
    absent = await client.post("/v1/channel-endpoints", json=endpoint(subscriberId="nobody"))
    assert absent.status_code == 404
    no_integration = await client.post("/v1/channel-endpoints", json=endpoint(integrationIdentifier="nope"))
    assert no_integration.status_code == 404
    assert no_integration.json()["message"] == "Integration not found: nope"
    unknown = await client.post("/v1/channel-endpoints", json=endpoint(connectionIdentifier="nope"))
    assert unknown.status_code == 404
    shapes = [
        endpoint(type="slack_channel", endpoint={"userId": "U1"}),
        endpoint(type="ms_teams_channel", endpoint={"teamId": "T"}),
        endpoint(type="webhook", endpoint={"url": 5}),
        endpoint(type="pigeon"),
    ]
    for body in shapes:
        response = await client.post("/v1/channel-endpoints", json=body)
        assert response.status_code == 422, body
    webex = endpoint(integrationIdentifier="webex-messaging", type="webex_room", endpoint={"roomId": "R"})
    assert (await client.post("/v1/channel-endpoints", json=webex)).status_code == 400  # needs a connection
    teams = endpoint(type="webex_room", endpoint={"roomId": "R"}, connectionIdentifier="x")
    assert (await client.post("/v1/channel-endpoints", json=teams)).status_code == 400  # slack-prod: no Webex
    await client.post(
        "/v1/channel-connections",
        json=connection(identifier="wx", integrationIdentifier="webex-messaging", subscriberId="ada"),
    )
    other_context = {**webex, "connectionIdentifier": "wx", "context": {"tenant": "acme"}}
    assert (await client.post("/v1/channel-endpoints", json=other_context)).status_code == 400
    assert (
        await client.post("/v1/channel-endpoints", json={**webex, "connectionIdentifier": "wx"})
    ).status_code == 201
    assert (await client.post("/v1/channel-endpoints", json=endpoint(identifier="e"))).status_code == 201
    assert (await client.post("/v1/channel-endpoints", json=endpoint(identifier="e"))).status_code == 409


async def test_endpoint_lists_filter(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    for name in ("ada", "bob"):
        fake.add_subscriber(name)
    await client.post("/v1/channel-connections", json=connection(identifier="c", subscriberId="ada"))
    bodies = [
        endpoint(identifier="e1", connectionIdentifier="c"),
        endpoint(identifier="e2", subscriberId="bob", context={"tenant": "acme"}),
        endpoint(
            identifier="e3", integrationIdentifier="twilio-main", type="phone", endpoint={"phoneNumber": "+1"}
        ),
        endpoint(
            identifier="e4", integrationIdentifier="hooks", type="webhook", endpoint={"url": "https://x"}
        ),
    ]
    for body in bodies:
        assert (await client.post("/v1/channel-endpoints", json=body)).status_code == 201
    path = "/v1/channel-endpoints"
    assert await listed(client, path) == ["e4", "e3", "e2", "e1"]
    assert await listed(client, path, subscriberId="bob") == ["e2"]
    assert await listed(client, path, connectionIdentifier="c") == ["e1"]
    assert await listed(client, path, contextKeys=["tenant:acme"]) == ["e2"]
    assert await listed(client, path, channel="sms") == ["e3"]  # twilio-main: a twilio integration
    assert await listed(client, path, providerId="chat-webhook") == ["e4"]
    assert await listed(client, path, integrationIdentifier="slack-prod", orderDirection="ASC") == [
        "e1",
        "e2",
    ]
    unknown_cursor = await client.get(path, params={"after": "nope"})
    assert unknown_cursor.status_code == 422


async def test_deleting_a_subscriber_or_a_connection_leaves_the_endpoints(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_subscriber("ada")
    await client.post("/v1/channel-connections", json=connection(identifier="c", subscriberId="ada"))
    await client.post("/v1/channel-endpoints", json=endpoint(identifier="e", connectionIdentifier="c"))
    await client.delete("/v1/channel-connections/c")
    await client.delete("/v2/subscribers/ada")
    kept = (await client.get("/v1/channel-endpoints/e")).json()["data"]
    assert (kept["subscriberId"], kept["connectionIdentifier"]) == ("ada", "c")


async def test_the_generated_functions_parse_the_answers(fake: FakeNovu) -> None:
    fake.add_subscriber("ada")
    async with fake.client() as novu:
        made = await channel_connections_create(novu.core, connection(subscriberId="ada", identifier="c"))
        page = await channel_connections_list(novu.core, subscriber_id="ada")
        point = await channel_endpoints_create(novu.core, endpoint(identifier="e", connectionIdentifier="c"))
        moved = await channel_endpoints_update(novu.core, "e", {"endpoint": {"userId": "U9"}})
        again = await channel_endpoints_retrieve(novu.core, "e")
        with pytest.raises(NotFoundError):
            await channel_endpoints_retrieve(novu.core, "nope")
    assert (made.identifier, made.subscriber_id) == ("c", "ada")
    assert [c.identifier for c in page.data] == ["c"]
    assert point.connection_identifier == "c"
    assert moved.endpoint == again.endpoint
