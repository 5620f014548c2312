"""The retry decision (``novu_async._retry``): ``RetryConfig.next_wait`` and the rules it reads, as
a table of outcomes. How the core runs it is in ``test_core_retry.py``; how a bulk run does, in
``test_bulk.py``."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from novu_async._retry import RetryConfig, requested_wait, reset_seconds, retry_after_seconds, should_retry

EXACT = RetryConfig(jitter=0)


def response(status: int, text: str = "", **headers: str) -> httpx.Response:
    return httpx.Response(status, text=text, headers={k.replace("_", "-"): v for k, v in headers.items()})


def refused() -> httpx.Request:
    return httpx.Request("POST", "https://api.novu.co/v1/events/trigger")


@pytest.mark.parametrize(
    ("outcome", "wait"),
    [
        (response(500), 0.5),
        (response(408), 0.5),
        (response(429), 0.5),
        (response(429, retry_after="3"), 3.0),
        (response(503, retry_after_ms="1500", retry_after="30"), 1.5),
        (response(429, ratelimit_reset="12"), 12.0),  # a 429 without Retry-After: until the reset
        (response(503, ratelimit_reset="12"), 0.5),  # only a 429 reads RateLimit-Reset
        (response(429, retry_after="61"), None),  # longer than max_retry_after: give up now
        (response(429, ratelimit_reset="600"), None),
        (response(429, retry_after="61", x_should_retry="true"), 0.5),  # the server's word wins
        (response(503, x_should_retry="false"), None),
        (response(400, x_should_retry="true"), 0.5),
        (response(409, '{"message": "Subscriber already exists"}'), None),  # a business conflict
        (response(409, '{"message": "Request with this idempotency key is being processed"}'), 0.5),
        (response(409, retry_after="2"), 2.0),
        (response(400), None),
        (response(404), None),
        (response(200), None),
        (httpx.ConnectError("refused", request=refused()), 0.5),
        (httpx.ReadTimeout("slow", request=refused()), 0.5),
        (httpx.RemoteProtocolError("dropped", request=refused()), 0.5),
        (httpx.UnsupportedProtocol("ftp", request=refused()), None),  # a URL no attempt can use
        (ValueError("not a transport error"), None),
    ],
)
def test_what_each_outcome_gets(outcome: httpx.Response | BaseException, wait: float | None) -> None:
    assert EXACT.next_wait(1, outcome) == wait


def test_backoff_grows_per_attempt_to_its_cap_and_jitter_only_shortens() -> None:
    failed = response(503)
    assert [EXACT.next_wait(n, failed) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    capped = RetryConfig(max_retries=10, jitter=0)
    assert [capped.next_wait(n, failed) for n in (5, 6, 7)] == [8.0, 8.0, 8.0]
    jittered = RetryConfig(jitter=0.25)
    assert all(0.375 <= (jittered.next_wait(1, failed) or 0) <= 0.5 for _ in range(50))


def test_the_bounds_attempts_elapsed_time_and_deadline() -> None:
    failed = response(503)
    assert EXACT.next_wait(3, failed) == 2.0
    assert EXACT.next_wait(4, failed) is None  # max_retries=3: four attempts in all
    assert RetryConfig(max_retries=0).next_wait(1, failed) is None
    assert EXACT.next_wait(1, failed, elapsed=59.5) == 0.5  # ends at 60 s: max_elapsed allows it
    assert EXACT.next_wait(1, failed, elapsed=59.6) is None
    assert RetryConfig(jitter=0, max_elapsed=None).next_wait(1, failed, elapsed=1e6) == 0.5
    assert EXACT.next_wait(1, failed, elapsed=1.0, deadline=1.6) == 0.5
    assert EXACT.next_wait(1, failed, elapsed=1.0, deadline=1.5) is None  # would end at the deadline
    assert EXACT.next_wait(1, response(429, retry_after="3"), elapsed=0.0, deadline=2.0) is None


def test_reset_seconds_and_requested_wait() -> None:
    assert reset_seconds("30") == 30.0
    assert reset_seconds("1700000100", now=1700000000.0) == 100.0  # a Unix time
    assert reset_seconds("1700000000", now=1700000100.0) == 0.0
    assert reset_seconds("soon") is None
    assert reset_seconds("-1") is None
    assert reset_seconds("inf") is None
    assert reset_seconds(None) is None
    assert requested_wait(response(429, retry_after="2", ratelimit_reset="30")) == 2.0
    assert requested_wait(response(429, ratelimit_reset="30")) == 30.0
    assert requested_wait(response(500, ratelimit_reset="30")) is None


def test_retry_after_parsing() -> None:
    def parse(**headers: str) -> float | None:
        return retry_after_seconds(
            httpx.Headers({k.replace("_", "-"): v for k, v in headers.items()}), now=1000.0
        )

    assert parse() is None
    assert parse(retry_after="2.5") == 2.5
    assert parse(retry_after="-1") is None
    assert parse(retry_after="soon") is None
    assert parse(retry_after="nan") is None
    assert parse(retry_after_ms="250") == 0.25
    assert parse(retry_after_ms="bad", retry_after="4") == 4.0
    assert parse(retry_after=email.utils.formatdate(1030, usegmt=True)) == 30.0
    assert parse(retry_after=email.utils.formatdate(900, usegmt=True)) == 0.0


def test_should_retry_decisions() -> None:
    config = RetryConfig()

    def decide(status: int, text: str = "", **headers: str) -> bool:
        return should_retry(httpx.Response(status, text=text, headers=headers), config)

    assert not decide(200)
    assert not decide(409, '{"message": "Topic exists"}')
    assert decide(409, '{"message": "A request with this idempotency key is in progress"}')
    assert decide(409, "", **{"retry-after": "1"})
    assert not decide(429, "", **{"retry-after": "3600"})
    assert decide(429, "", **{"retry-after": "3600", "x-should-retry": "true"})
