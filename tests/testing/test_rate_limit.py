"""Token buckets with a clock moved by hand: headers, 429 with Retry-After, bulk cost, refill."""

from __future__ import annotations

import httpx
import pytest

from novu_async.errors import RateLimitError
from novu_async.funcs.trigger import trigger
from novu_async.testing import FakeNovu, RateLimit
from tests.testing.support import KEY, Clock, api, event

pytestmark = pytest.mark.anyio


def limits(response: httpx.Response) -> tuple[str, str, str]:
    headers = response.headers
    return headers["ratelimit-limit"], headers["ratelimit-remaining"], headers["ratelimit-reset"]


async def test_buckets_empty_refill_and_say_so() -> None:
    clock = Clock()
    fake = FakeNovu(KEY, rate_limit=RateLimit(limits={"trigger": 10}, burst=0.0, bulk_cost=5, clock=clock))
    async with api(fake) as http:
        answers = [await http.post("/v1/events/trigger", json=event(n)) for n in range(11)]
        assert [r.status_code for r in answers] == [201] * 10 + [429]
        assert [limits(r)[1] for r in answers] == ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "0"]
        assert limits(answers[0]) == ("10", "9", "0")
        assert limits(answers[9]) == ("10", "0", "1")
        assert answers[0].headers["ratelimit-policy"] == (
            '10;w=1;burst=10;comment="token bucket";category="trigger";cost="single"'
        )
        refused = answers[10]
        assert refused.headers["retry-after"] == "1"
        assert refused.json() == "API rate limit exceeded"
        assert len(fake.ledger) == 10
        assert fake.stats.rate_limited == 1

        clock.now += 0.4  # 4 tokens: not enough for a bulk request (5)
        bulk = await http.post("/v1/events/trigger/bulk", json={"events": [event(0)]})
        assert bulk.status_code == 429
        assert bulk.headers["ratelimit-policy"].endswith('cost="bulk"')
        clock.now += 0.1
        bulk = await http.post("/v1/events/trigger/bulk", json={"events": [event(0)]})
        assert bulk.status_code == 201
        assert limits(bulk) == ("10", "0", "1")

        clock.now += 60  # a full bucket, no more
        assert limits(await http.post("/v1/events/trigger", json=event(0)))[1] == "9"
        unlimited = await http.post("/v2/subscribers", json={"subscriberId": "s"})
        assert unlimited.status_code == 201
        assert "ratelimit-limit" not in unlimited.headers


async def test_burst_window_and_categories() -> None:
    clock = Clock()
    config = RateLimit(
        limits={"trigger": 50, "configuration": 2}, window=2, burst=0.5, bulk_cost=100, clock=clock
    )
    fake = FakeNovu(KEY, rate_limit=config)
    async with api(fake) as http:
        first = await http.post("/v1/events/trigger/bulk", json={"events": [event(0)]})
        # 150 tokens; a bulk request costs 100; 50 more come in 1 s
        assert limits(first) == ("100", "50", "1")
        assert first.headers["ratelimit-policy"].startswith("100;w=2;burst=150;")
        # a 6-token bucket: a bulk request takes it all
        bulk = await http.post("/v1/subscribers/bulk", json={"subscribers": [{"subscriberId": "s"}]})
        assert bulk.status_code == 201
        assert limits(bulk) == ("4", "0", "3")
        assert (await http.get("/v2/subscribers")).status_code == 429
        clock.now += 3
        assert [(await http.get("/v2/subscribers")).status_code for _ in range(7)] == [200] * 6 + [429]


async def test_the_sdk_sees_a_rate_limit_error_with_retry_after() -> None:
    clock = Clock()
    fake = FakeNovu(KEY, rate_limit=RateLimit(limits={"trigger": 1}, burst=0, bulk_cost=1, clock=clock))
    async with fake.client(retries=0) as novu:
        await trigger(novu.core, event(1))
        with pytest.raises(RateLimitError) as raised:
            await trigger(novu.core, event(2))
    assert raised.value.retry_after == 1.0
    assert len(fake.ledger) == 1


async def test_a_new_configuration_starts_full() -> None:
    clock = Clock()
    fake = FakeNovu(KEY, rate_limit=RateLimit(limits={"trigger": 1}, burst=0, bulk_cost=1, clock=clock))
    async with api(fake) as http:
        assert (await http.post("/v1/events/trigger", json=event(1))).status_code == 201
        assert (await http.post("/v1/events/trigger", json=event(2))).status_code == 429
        fake.rate_limit = RateLimit(limits={"trigger": 1}, burst=0, bulk_cost=1, clock=clock)
        assert (await http.post("/v1/events/trigger", json=event(3))).status_code == 201
        fake.rate_limit = None
        assert "ratelimit-limit" not in (await http.post("/v1/events/trigger", json=event(4))).headers
