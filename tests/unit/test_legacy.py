"""The legacy v1 API (``novu_async.legacy``): one core with ``Novu``, closing, repr, topic triggers and
walking list pages (the legacy SDK's ``stream()``), against a mock transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from novu_async import ClientClosedError, Novu
from novu_async import _transport as transport_module
from novu_async.legacy import NovuLegacy
from novu_async.legacy.funcs.subscribers_list import subscribers_list_iter
from novu_async.legacy.models.subscriber_response_dto import SubscriberResponseDto
from novu_async.legacy.models.topic_dto import TopicDto
from novu_async.legacy.models.topic_payload_dto import TopicPayloadDto, TopicPayloadDtoType
from novu_async.legacy.models.trigger_event_response_dto import TriggerEventResponseDto

SECRET = "nv_sk_legacy_test_SECRET_7"
URL = "https://legacy.test"
Handler = Callable[[httpx.Request], httpx.Response]
TOPIC = {"type": "Topic", "topicKey": "release-notes"}
TRIGGERED = {"data": {"acknowledged": True, "status": "processed", "transactionId": "tx-1"}}


def subscriber(n: int) -> dict[str, Any]:
    return {
        "_id": f"id-{n}",
        "subscriberId": f"user-{n}",
        "_organizationId": "org",
        "_environmentId": "env",
        "deleted": False,
        "createdAt": "2024-05-01T00:00:00.000Z",
        "updatedAt": "2024-05-01T00:00:00.000Z",
    }


def topic(n: int) -> dict[str, Any]:
    return {
        "_organizationId": "org",
        "_environmentId": "env",
        "key": f"t-{n}",
        "name": f"T{n}",
        "subscribers": [],
    }


def answer_everything(seen: list[httpx.Request]) -> Handler:
    """Records each request; answers a trigger, a tenants page and a current-API subscriber."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/events/trigger":
            return httpx.Response(201, json=TRIGGERED)
        if request.url.path == "/v1/tenants":
            return httpx.Response(200, json={"data": [], "page": 0, "pageSize": 10, "hasMore": False})
        if request.url.path == "/v2/subscribers/user-1":
            return httpx.Response(200, json={"data": subscriber(1)})
        return httpx.Response(404, json={"statusCode": 404, "message": "no route"})

    return handler


class MadeClients:
    """Replaces ``_transport.make_client``: counts the HTTP clients cores make, all on one handler."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.made: list[httpx.AsyncClient] = []

    def make(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self.handler))
        self.made.append(client)
        return client


def is_closed(client: httpx.AsyncClient) -> bool:
    return client.is_closed  # a call: mypy does not carry an earlier assert on it forward


@pytest.fixture
def made_clients(monkeypatch: pytest.MonkeyPatch) -> Callable[[Handler], MadeClients]:
    def install(handler: Handler) -> MadeClients:
        made = MadeClients(handler)

        def make_client(*args: object) -> httpx.AsyncClient:
            return made.make()

        monkeypatch.setattr(transport_module, "make_client", make_client)
        return made

    return install


# -- one core, one HTTP client -------------------------------------------------------------------


def test_novu_legacy_is_one_object_on_the_novu_core() -> None:
    novu = Novu(SECRET, server_url=URL)
    legacy = novu.legacy
    assert isinstance(legacy, NovuLegacy)
    assert legacy is novu.legacy  # made once, then kept
    assert legacy.core is novu.core
    assert NovuLegacy(core=novu.core).core is novu.core
    assert NovuLegacy(SECRET, server_url=URL).core is not novu.core


@pytest.mark.anyio
async def test_novu_and_its_legacy_api_send_through_one_http_client(
    made_clients: Callable[[Handler], MadeClients],
) -> None:
    seen: list[httpx.Request] = []
    made = made_clients(answer_everything(seen))
    async with Novu(SECRET, server_url=URL, retries=0) as novu:
        current = await novu.subscribers.retrieve("user-1")
        tenants = await novu.legacy.tenants.list()
        triggered = await novu.legacy.trigger({"name": "welcome", "to": ["user-1"]})
        assert current.subscriber_id == "user-1"
        assert tenants.data == []
        assert triggered.transaction_id == "tx-1"
        assert len(made.made) == 1, "the legacy API must not open a second HTTP client"
        assert not is_closed(made.made[0])
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/v2/subscribers/user-1"),
        ("GET", "/v1/tenants"),
        ("POST", "/v1/events/trigger"),
    ]
    assert all(r.headers["authorization"] == f"ApiKey {SECRET}" for r in seen)
    # leaving Novu closes the one client, for the legacy API too
    assert is_closed(made.made[0])
    with pytest.raises(ClientClosedError):
        await novu.legacy.tenants.list()
    assert len(seen) == 3


@pytest.mark.anyio
async def test_novu_legacy_alone_makes_and_closes_its_own_client(
    made_clients: Callable[[Handler], MadeClients],
) -> None:
    seen: list[httpx.Request] = []
    made = made_clients(answer_everything(seen))
    async with NovuLegacy(SECRET, server_url=URL, retries=0) as legacy:
        await legacy.tenants.list()
        await legacy.tenants.list()
        assert len(made.made) == 1
        assert not is_closed(made.made[0])
    assert is_closed(made.made[0])
    with pytest.raises(ClientClosedError):
        await legacy.tenants.list()

    other = NovuLegacy(SECRET, server_url=URL, retries=0)
    await other.tenants.list()
    assert len(made.made) == 2
    await other.aclose()
    await other.aclose()  # a second close is harmless
    assert is_closed(made.made[1])
    with pytest.raises(ClientClosedError):
        await other.tenants.list()
    assert len(seen) == 3


@pytest.mark.anyio
async def test_a_given_http_client_stays_open() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer_everything(seen)))
    async with http:
        async with NovuLegacy(SECRET, server_url=URL, http_client=http) as legacy:
            await legacy.tenants.list()
        assert not is_closed(http)  # the caller's client: the caller closes it
        with pytest.raises(ClientClosedError):
            await legacy.tenants.list()
    assert len(seen) == 1


def test_repr_hides_the_secret_key() -> None:
    for legacy in (NovuLegacy(SECRET, server_url=URL), Novu(SECRET, server_url=URL).legacy):
        for text in (repr(legacy), str(legacy)):
            assert SECRET not in text
            assert "nv_sk" not in text
            assert text.startswith("NovuLegacy(NovuCore(")
            assert URL in text
            assert "<redacted>" in text


# -- a trigger to a topic ------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("to", "wire"),
    [
        pytest.param(TOPIC, TOPIC, id="topic-alone"),
        pytest.param([TOPIC], [TOPIC], id="topic-in-a-list"),
        pytest.param(["user-1", TOPIC], ["user-1", TOPIC], id="subscriber-and-topic"),
        pytest.param(
            [TopicPayloadDto(type=TopicPayloadDtoType.TOPIC, topic_key="release-notes"), "user-1"],
            [TOPIC, "user-1"],
            id="topic-model-and-subscriber",
        ),
    ],
)
async def test_trigger_to_a_topic_puts_it_on_the_wire(to: Any, wire: Any) -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer_everything(seen)))
    async with http, Novu(SECRET, server_url=URL, http_client=http, retries=0) as novu:
        result = await novu.legacy.trigger({"name": "release", "to": to, "payload": {"version": "2.0"}})
    assert isinstance(result, TriggerEventResponseDto)
    assert result.acknowledged is True
    assert result.transaction_id == "tx-1"
    (request,) = seen
    assert (request.method, str(request.url)) == ("POST", f"{URL}/v1/events/trigger")
    assert request.headers["content-type"] == "application/json"
    assert request.headers.get("idempotency-key")
    assert json.loads(request.content) == {"name": "release", "to": wire, "payload": {"version": "2.0"}}


# -- walking the pages of a list (the legacy SDK's stream()) ------------------------------------------


def paged(seen: list[httpx.Request], path: str, pages: list[dict[str, Any]]) -> Handler:
    """Answers ``GET path?page=N`` with ``pages[N]``."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.path == path
        return httpx.Response(200, json=pages[int(request.url.params["page"])])

    return handler


SUBSCRIBER_PAGES = [
    {"page": 0, "pageSize": 2, "hasMore": True, "data": [subscriber(1), subscriber(2)]},
    {"page": 1, "pageSize": 2, "hasMore": True, "data": [subscriber(3), subscriber(4)]},
    {"page": 2, "pageSize": 2, "hasMore": False, "data": [subscriber(5)]},
]


@pytest.mark.anyio
async def test_subscribers_list_iter_walks_every_page_until_has_more_is_false() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(paged(seen, "/v1/subscribers", SUBSCRIBER_PAGES)))
    async with http, Novu(SECRET, server_url=URL, http_client=http, retries=0) as novu:
        items = [item async for item in novu.legacy.subscribers.list_iter(limit=2)]
        by_function = [item async for item in subscribers_list_iter(novu.core, limit=2)]
    assert all(isinstance(item, SubscriberResponseDto) for item in items)
    assert [item.subscriber_id for item in items] == [f"user-{n}" for n in range(1, 6)]
    assert by_function == items
    sent = [(r.url.params["page"], r.url.params["limit"]) for r in seen]
    assert sent == [("0", "2"), ("1", "2"), ("2", "2")] * 2


@pytest.mark.anyio
async def test_list_iter_stops_at_max_items_without_asking_for_another_page() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(paged(seen, "/v1/subscribers", SUBSCRIBER_PAGES)))
    async with http, NovuLegacy(SECRET, server_url=URL, http_client=http, retries=0) as legacy:
        items = [item async for item in legacy.subscribers.list_iter(limit=2, max_items=3)]
    assert [item.subscriber_id for item in items] == ["user-1", "user-2", "user-3"]
    assert [r.url.params["page"] for r in seen] == ["0", "1"]


@pytest.mark.anyio
async def test_topics_list_iter_stops_at_the_total_count() -> None:
    """Topic pages have no ``hasMore``: the iterator stops once it has ``totalCount`` items, even
    though the last page is full."""
    pages = [
        {"page": 0, "pageSize": 2, "totalCount": 4, "data": [topic(1), topic(2)]},
        {"page": 1, "pageSize": 2, "totalCount": 4, "data": [topic(3), topic(4)]},
    ]
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(paged(seen, "/v1/topics", pages)))
    async with http, NovuLegacy(SECRET, server_url=URL, http_client=http, retries=0) as legacy:
        items = [item async for item in legacy.topics.list_iter(page_size=2)]
    assert all(isinstance(item, TopicDto) for item in items)
    assert [item.key for item in items] == ["t-1", "t-2", "t-3", "t-4"]
    assert [(r.url.params["page"], r.url.params["pageSize"]) for r in seen] == [("0", "2"), ("1", "2")]
