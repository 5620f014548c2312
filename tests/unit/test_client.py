"""The ``Novu`` class: generated resources over the same functions, one core, lazy everything."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest

from novu_async import Novu, NovuCore
from novu_async.funcs.subscribers_retrieve import subscribers_retrieve
from novu_async.funcs.trigger import trigger
from novu_async.models import SubscriberResponseDto, TriggerEventResponseDto
from novu_async.resources.subscribers import Subscribers, SubscribersCredentials

SECRET = "nv_sk_client_test_SECRET_42"
SUBSCRIBER = {
    "_id": "6f1",
    "subscriberId": "user-1",
    "_organizationId": "o",
    "_environmentId": "e",
    "deleted": False,
    "createdAt": "2026-01-01T00:00:00.000Z",
    "updatedAt": "2026-01-01T00:00:00.000Z",
}


def mock_client(seen: list[httpx.Request]) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/events/trigger":
            return httpx.Response(
                201, json={"data": {"acknowledged": True, "status": "processed", "transactionId": "t-1"}}
            )
        if request.url.path.startswith("/v2/subscribers/"):
            return httpx.Response(200, json={"data": SUBSCRIBER})
        return httpx.Response(404, json={"statusCode": 404, "message": "no route"})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


@pytest.mark.anyio
async def test_methods_and_functions_send_the_same_request() -> None:
    seen: list[httpx.Request] = []
    async with mock_client(seen) as http, Novu(SECRET, http_client=http, retries=0) as novu:
        by_method = await novu.subscribers.retrieve("user-1")
        by_function = await subscribers_retrieve(novu.core, "user-1")
        assert isinstance(by_method, SubscriberResponseDto)
        assert by_method == by_function
        sent = await novu.trigger({"name": "welcome", "to": "user-1"}, idempotency_key="k-1")
        assert isinstance(sent, TriggerEventResponseDto)
        assert sent.transaction_id == "t-1"
        response = await novu.subscribers.retrieve_response("user-1")
        assert response.status_code == 200
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/v2/subscribers/user-1"),
        ("GET", "/v2/subscribers/user-1"),
        ("POST", "/v1/events/trigger"),
        ("GET", "/v2/subscribers/user-1"),
    ]
    assert seen[0].headers["authorization"] == f"ApiKey {SECRET}"
    assert seen[2].headers["idempotency-key"] == "k-1"
    assert json.loads(seen[2].content) == {"name": "welcome", "to": "user-1"}


def test_resources_are_made_lazily_once_and_share_the_core() -> None:
    novu = Novu(SECRET)
    assert novu._children == {}
    subscribers = novu.subscribers
    assert isinstance(subscribers, Subscribers)
    assert novu.subscribers is subscribers
    credentials = subscribers.credentials
    assert isinstance(credentials, SubscribersCredentials)
    assert credentials._core is novu.core is subscribers._core


def test_a_shared_core_is_used_as_given() -> None:
    core = NovuCore(SECRET)
    assert Novu(core=core).core is core


def signature_without_first(func: Any) -> list[tuple[str, Any, Any]]:
    params = list(inspect.signature(func).parameters.values())[1:]
    return [(p.name, p.kind, p.default) for p in params]


@pytest.mark.parametrize(
    ("method", "func"),
    [(lambda n: n.trigger, trigger), (lambda n: n.subscribers.retrieve, subscribers_retrieve)],
)
def test_methods_have_the_functions_signatures(method: Any, func: Any) -> None:
    bound = method(Novu(SECRET))
    assert signature_without_first(func) == [
        (p.name, p.kind, p.default) for p in inspect.signature(bound).parameters.values()
    ]
    assert inspect.signature(bound).return_annotation == inspect.signature(func).return_annotation


@pytest.mark.anyio
async def test_closing_the_client_closes_only_what_it_made() -> None:
    seen: list[httpx.Request] = []
    http = mock_client(seen)
    async with Novu(SECRET, http_client=http) as novu:
        await novu.subscribers.retrieve("user-1")
    assert not http.is_closed, "a client the caller passed in stays open"
    await http.aclose()


def test_repr_hides_the_secret() -> None:
    novu = Novu(SECRET)
    assert SECRET not in repr(novu)
    assert SECRET not in repr(novu.subscribers)
