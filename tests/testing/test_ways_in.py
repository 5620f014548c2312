"""FakeNovu as an ASGI app, and the helpers a test uses to see, seed and script it."""

from __future__ import annotations

import httpx
import pytest

from novu_async.errors import APIError, NotFoundError
from novu_async.testing import FakeNovu
from tests.testing.support import AUTH, KEY, event

pytestmark = pytest.mark.anyio


async def test_mounted_with_httpx_asgi_transport(fake: FakeNovu) -> None:
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(transport=transport, base_url="http://novu.test", headers=AUTH) as http:
        created = await http.post("/v2/subscribers", json={"subscriberId": "a b"})
        got = await http.get("/v2/subscribers/a%20b", params={"x": "1"})
        keyed = {"idempotency-key": "k"}
        first = await http.post("/v1/events/trigger", json=event(1), headers=keyed)
        again = await http.post("/v1/events/trigger", json=event(1), headers=keyed)
        fake.fail_next("drop_after")
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post("/v1/events/trigger", json=event(2))
        unknown = await http.get("/v1/no-such-resource")  # a path the document does not have
    assert created.status_code == 201
    assert got.json()["data"]["subscriberId"] == "a b"
    assert again.headers["idempotency-replay"] == "true"
    assert again.content == first.content
    assert first.headers["content-length"] == str(len(first.content))
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Cannot GET /v1/no-such-resource"
    assert [entry.event["payload"]["n"] for entry in fake.ledger] == [1, 2]  # drop_after: done, then dropped


async def test_the_sdk_over_the_asgi_app(fake: FakeNovu) -> None:
    from novu_async import Novu

    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="http://novu.test")
    async with Novu(KEY, server_url="http://novu.test", http_client=http) as novu:
        await novu.topics.create({"key": "news", "name": "News"})
        topics = [topic.key async for topic in novu.topics.list_iter()]
        with pytest.raises(NotFoundError):
            await novu.topics.get("missing")
    assert topics == ["news"]


async def test_lifespan_is_accepted(fake: FakeNovu) -> None:
    sent = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, str]:
        return next(messages)

    async def send(message: dict[str, str]) -> None:
        sent.append(message["type"])

    await fake({"type": "lifespan"}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


async def test_faults_by_operation_id_or_function_name(fake: FakeNovu) -> None:
    fake.fail_next("status_500", operation="topics_get")
    fake.fail_next("status_503", operation="SubscribersController_getSubscriber", times=2)
    with pytest.raises(ValueError, match="no path, operationId or function name"):
        fake.fail_next("status_500", operation="topics_nothing")
    with pytest.raises(ValueError, match="not both"):
        fake.fail_next("status_500", path="/v2/topics", operation="topics_list")
    async with fake.client(retries=0) as novu:
        await novu.topics.create({"key": "t"})  # another operation: no fault
        with pytest.raises(APIError) as raised:
            await novu.topics.get("t")
        assert raised.value.status_code == 500
        assert (await novu.topics.get("t")).key == "t"
        for _ in range(2):
            with pytest.raises(APIError):
                await novu.subscribers.retrieve("x")
        with pytest.raises(NotFoundError):
            await novu.subscribers.retrieve("x")


async def test_seed_inspect_and_reset(fake: FakeNovu) -> None:
    fake.add_subscriber("ada", firstName="Ada", email="ada@example.com")
    fake.add_topic("team", name="Team", subscribers=["ada", "bob"])
    workflow = fake.add_workflow("welcome", steps=["in_app", "email"], tags=["onboarding"])
    assert fake.workflows["welcome"] is workflow
    assert not workflow.implicit
    async with fake.client() as novu:
        await novu.trigger({"name": "welcome", "to": {"type": "Topic", "topicKey": "team"}})
        assert (await novu.topics.get("team")).name == "Team"
    assert fake.subscribers["ada"]["firstName"] == "Ada"
    assert fake.topics["team"]["name"] == "Team"
    assert fake.topic_subscribers("team") == ["ada", "bob"]
    assert [m["channel"] for m in fake.messages("ada")] == ["in_app", "email"]
    assert [m["channel"] for m in fake.messages("bob")] == ["in_app"]  # bob has no email address
    assert fake.inbox("ada")[0]["tags"] == ["onboarding"]
    assert len(fake.notifications()) == 2
    assert len(fake.environment_id) == len(fake.organization_id) == 24
    fake.reset()
    assert fake.subscribers == {}
    assert fake.workflows == {}
    assert fake.messages() == []


async def test_implicit_workflows_are_listed_as_such(fake: FakeNovu) -> None:
    async with fake.client() as novu:
        await novu.trigger({"name": "welcome", "to": "ada"})
    assert fake.workflows["welcome"].implicit
    assert [step.type for step in fake.workflows["welcome"].steps] == ["in_app"]
    assert fake.inbox("ada")[0]["body"] == "welcome"
