"""Every kind of answer FakeNovu gives fits the response schema the document declares for it."""

from __future__ import annotations

import functools

import anyio
import httpx
import pytest

from novu_async.testing import FakeNovu, Faults, RateLimit
from tests.testing.support import AUTH, KEY, Contract, event

pytestmark = pytest.mark.anyio

EXPECTED = {("EventsController_trigger", status) for status in (201, 400, 401, 409, 422, 429, 500, 503)} | {
    ("EventsController_triggerBulk", 201),
    ("EventsController_triggerBulk", 422),
    ("EventsController_broadcastEventToAll", 201),
    ("EventsController_cancel", 200),
    ("SubscribersController_createSubscriber", 201),
    ("SubscribersController_createSubscriber", 409),
    ("SubscribersController_getSubscriber", 200),
    ("SubscribersController_getSubscriber", 404),
    ("SubscribersController_patchSubscriber", 200),
    ("SubscribersController_removeSubscriber", 200),
    ("SubscribersController_searchSubscribers", 200),
    ("SubscribersController_searchSubscribers", 422),
    ("SubscribersV1Controller_bulkCreateSubscribers", 201),
    ("SubscribersV1Controller_bulkCreateSubscribers", 422),
}


async def test_every_answer_fits_the_document(contract: Contract) -> None:
    answers: list[httpx.Response] = []

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        answers.append(response)

    clock = [0.0]
    fake = FakeNovu(KEY, rate_limit=RateLimit(limits={"trigger": 1000}, clock=lambda: clock[0]))
    hooks = {"response": [keep]}
    async with httpx.AsyncClient(
        transport=fake.transport, base_url=fake.url, headers=AUTH, event_hooks=hooks
    ) as http:
        post = http.post
        ack = (await post("/v1/events/trigger", json=event(1))).json()["data"]
        await post("/v1/events/trigger", json={"to": "x"})
        await post("/v1/events/trigger", json=event(1), headers={"idempotency-key": "k" * 256})
        await post("/v1/events/trigger", json=event(1), headers={"Authorization": "ApiKey nope"})
        await post("/v1/events/trigger/bulk", json={"events": [event(n) for n in range(100)]})
        await post("/v1/events/trigger/bulk", json={"events": [event(n) for n in range(101)]})
        await post(
            "/v1/events/trigger/broadcast", json={"name": "news", "payload": {}, "transactionId": "b-1"}
        )
        await http.delete(f"/v1/events/trigger/{ack['transactionId']}")
        for fault in ("status_500", "status_503", "status_429"):
            fake.fail_next(fault)
            await post("/v1/events/trigger", json=event(2))
        fake.faults = Faults(retry_after=0)
        fake.latency = 0.1
        in_flight = functools.partial(
            post, "/v1/events/trigger", json=event(3), headers={"idempotency-key": "f"}
        )
        async with anyio.create_task_group() as group:
            group.start_soon(in_flight)
            await anyio.sleep(0.03)
            await in_flight()
        fake.latency = 0
        fake.rate_limit = RateLimit(limits={"trigger": 1}, burst=0, bulk_cost=1, clock=lambda: clock[0])
        await post("/v1/events/trigger", json=event(4))
        await post("/v1/events/trigger", json=event(4))

        await post(
            "/v2/subscribers", json={"subscriberId": "ada", "firstName": "Ada", "data": {"plan": "pro"}}
        )
        await post("/v2/subscribers", json={"subscriberId": "bob", "email": None, "phone": "+1"})
        await post("/v2/subscribers?failIfExists=true", json={"subscriberId": "bob"})
        await http.get("/v2/subscribers/ada")
        await http.get("/v2/subscribers/nobody")
        await http.patch("/v2/subscribers/bob", json={"lastName": "B", "data": None})
        first = (await http.get("/v2/subscribers", params={"limit": 1})).json()
        await http.get("/v2/subscribers", params={"limit": 1, "after": first["next"]})
        await http.get("/v2/subscribers", params={"limit": 500})
        await post(
            "/v1/subscribers/bulk", json={"subscribers": [{"subscriberId": "ada"}, {"subscriberId": "cy"}]}
        )
        await post("/v1/subscribers/bulk", json={"subscribers": [{}]})
        await http.delete("/v2/subscribers/cy")
        await http.get("/v9/nothing")

    problems = [problem for response in answers for problem in contract.problems(response)]
    assert problems == []
    seen = contract.seen
    assert seen >= EXPECTED, sorted(EXPECTED - seen)
    assert len(answers) == 28


async def test_the_contract_checker_catches_a_wrong_body(contract: Contract) -> None:
    request = httpx.Request("POST", "http://fake-novu.test/v1/events/trigger")
    wrong = httpx.Response(201, json={"data": {"acknowledged": "yes"}}, request=request)
    problems = contract.problems(wrong)
    assert any("status" in p for p in problems)
    assert any("acknowledged" in p for p in problems)
