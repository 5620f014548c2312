"""Bad input on the request side: refused before anything is sent, or encoded so it cannot misroute.

* wrong types and missing required values, in bodies and in path / query / header parameters, raise
  ``DataValidationError`` naming the operation and the field, and the transport sees no request;
* the per-request item limits the document states in prose (100 events for ``trigger_bulk``, 500
  subscribers for ``subscribers_create_bulk``) are enforced by the core before sending;
* an unknown server name and an empty secret key fail when the core is made;
* path values are percent-encoded as one segment each (``a/b`` -> ``a%2Fb``, ``%2F`` -> ``%252F``):
  the exact raw path sent is checked, and ``.``, ``..`` and ``""`` (which URL normalisation would
  turn into another endpoint) are refused.

Serialisation does not depend on the event loop: these run on both backends through the suite's
``anyio_backend`` fixture only because they are cheap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from novu_async import ConfigurationError, DataValidationError, NotFoundError, NovuCore
from novu_async.funcs.agents_delete import agents_delete
from novu_async.funcs.agents_list import agents_list
from novu_async.funcs.subscribers_create import subscribers_create
from novu_async.funcs.subscribers_create_bulk import subscribers_create_bulk
from novu_async.funcs.subscribers_notifications_complete_action import (
    subscribers_notifications_complete_action,
)
from novu_async.funcs.subscribers_preferences_bulk_update import subscribers_preferences_bulk_update
from novu_async.funcs.subscribers_retrieve import subscribers_retrieve
from novu_async.funcs.subscribers_search import subscribers_search
from novu_async.funcs.topics_get import topics_get
from novu_async.funcs.topics_subscriptions_delete import topics_subscriptions_delete
from novu_async.funcs.trigger import trigger
from novu_async.funcs.trigger_bulk import trigger_bulk
from novu_async.models import TriggerEventRequestDto
from tests.support.core import Server, error_body, make_core, reply

pytestmark = pytest.mark.anyio

Call = Callable[[NovuCore], Awaitable[Any]]

TRIGGER_OK = {"acknowledged": True, "status": "processed", "transactionId": "tx-1"}


def event(i: int = 0) -> dict[str, Any]:
    return {"name": "welcome", "to": f"sub-{i}"}


async def refused(call: Call, operation: str, field: str, message: str) -> DataValidationError:
    """``call`` raises ``DataValidationError`` naming ``operation`` and ``field``; nothing is sent."""
    server = Server(reply(200, {}))
    core, _ = make_core(server)
    with pytest.raises(DataValidationError) as caught:
        await call(core)
    text = str(caught.value)
    assert operation in text
    assert field in text
    assert message in text
    assert server.requests == [], "nothing may be sent for a refused call"
    return caught.value


# ---------------------------------------------------------------------------------------------- types


BAD_CALLS: list[tuple[str, Call, str, str, str]] = [
    # body: wrong types
    (
        "body-field-int-for-string",
        lambda c: subscribers_create(c, {"subscriberId": 123}),
        "subscribers_create request body",
        "$.subscriberId",
        "expected a string, got integer",
    ),
    (
        "body-not-an-object",
        lambda c: subscribers_create(c, "sub-1"),  # type: ignore[arg-type]
        "subscribers_create request body",
        "$",
        "got string",
    ),
    (
        "body-array-for-string",
        lambda c: trigger(c, {"name": ["welcome"], "to": "sub-1"}),
        "trigger request body",
        "$.name",
        "expected a string, got array",
    ),
    (
        "body-string-for-array",
        lambda c: trigger_bulk(c, {"events": "welcome"}),
        "trigger_bulk request body",
        "$.events",
        "got string",
    ),
    (
        "body-nested-item",
        lambda c: subscribers_create_bulk(c, {"subscribers": [{"subscriberId": "a"}, {"subscriberId": 7}]}),
        "subscribers_create_bulk request body",
        "$.subscribers[1].subscriberId",
        "expected a string",
    ),
    (
        "body-not-json-serialisable",
        lambda c: trigger(c, {"name": "welcome", "to": "sub-1", "payload": {"x": object()}}),
        "trigger request body",
        "$",
        "not JSON serialisable",
    ),
    # body: missing
    (
        "body-missing-required-field",
        lambda c: subscribers_create(c, {"firstName": "Ann"}),
        "subscribers_create request body",
        "$.subscriberId",
        "required",
    ),
    (
        "body-missing-nested-required-field",
        lambda c: trigger_bulk(c, {"events": [event(), {"to": "sub-2"}]}),
        "trigger_bulk request body",
        "$.events[1].name",
        "required",
    ),
    (
        "body-missing",
        lambda c: topics_subscriptions_delete(c, "topic", None),  # type: ignore[arg-type]
        "topics_subscriptions_delete request body",
        "$",
        "required, but not given",
    ),
    # path parameters
    (
        "path-missing",
        lambda c: subscribers_retrieve(c, None),  # type: ignore[arg-type]
        "subscribers_retrieve path parameter",
        "subscriberId",
        "required, but not given",
    ),
    (
        "path-second-of-three-missing",
        lambda c: subscribers_notifications_complete_action(c, "s", None, "primary"),  # type: ignore[arg-type]
        "subscribers_notifications_complete_action path parameter",
        "notificationId",
        "required, but not given",
    ),
    (
        "path-dict",
        lambda c: topics_get(c, {"key": "t"}),  # type: ignore[arg-type]
        "topics_get path parameter",
        "topicKey",
        "got dict",
    ),
    (
        "path-list",
        lambda c: subscribers_retrieve(c, ["a", "b"]),  # type: ignore[arg-type]
        "subscribers_retrieve path parameter",
        "subscriberId",
        "got list",
    ),
    (
        "path-nan",
        lambda c: subscribers_retrieve(c, float("nan")),  # type: ignore[arg-type]
        "subscribers_retrieve path parameter",
        "subscriberId",
        "expected a string, got float",
    ),
    # query parameters
    (
        "query-required-missing",
        lambda c: agents_delete(c, "agent-1", delete_from_provider=None),  # type: ignore[arg-type]
        "agents_delete query parameter",
        "deleteFromProvider",
        "required, but not given",
    ),
    (
        "query-dict",
        lambda c: subscribers_search(c, limit={"n": 10}),  # type: ignore[arg-type]
        "subscribers_search query parameter",
        "limit",
        "got dict",
    ),
    (
        "query-infinity",
        lambda c: subscribers_search(c, limit=float("inf")),  # type: ignore[arg-type]
        "subscribers_search query parameter",
        "limit",
        "finite number",
    ),
    (
        "query-string-for-a-number",
        lambda c: subscribers_search(c, limit="ten"),  # type: ignore[arg-type]
        "subscribers_search query parameter",
        "limit",
        "expected a number, got str",
    ),
    (
        "query-boolean-for-a-number",
        lambda c: subscribers_search(c, limit=True),
        "subscribers_search query parameter",
        "limit",
        "expected a number, got bool",
    ),
    (
        "query-number-for-a-boolean",
        lambda c: agents_list(c, include_cursor=1),  # type: ignore[arg-type]
        "agents_list query parameter",
        "includeCursor",
        "expected a boolean, got int",
    ),
    (
        "query-number-for-an-enum",
        lambda c: subscribers_search(c, order_direction=1),  # type: ignore[arg-type]
        "subscribers_search query parameter",
        "orderDirection",
        "expected a string or enum member, got int",
    ),
    (
        "query-object-in-list",
        lambda c: subscribers_search(c, email=[object()]),  # type: ignore[list-item]
        "subscribers_search query parameter",
        "email",
        "got object",
    ),
    # header parameters
    (
        "header-idempotency-key-too-long",
        lambda c: trigger(c, event(), idempotency_key="k" * 256),
        "trigger header parameter",
        "idempotency-key",
        "1 to 255 characters",
    ),
    (
        "header-idempotency-key-empty",
        lambda c: trigger(c, event(), idempotency_key=""),
        "trigger header parameter",
        "idempotency-key",
        "1 to 255 characters",
    ),
]


@pytest.mark.parametrize(
    ("call", "operation", "field", "message"), [case[1:] for case in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_values_are_refused_before_sending(
    call: Call, operation: str, field: str, message: str
) -> None:
    await refused(call, operation, field, message)


# ---------------------------------------------------------------------------------------------- item limits


async def test_trigger_bulk_takes_at_most_100_events() -> None:
    error = await refused(
        lambda c: trigger_bulk(c, {"events": [event(i) for i in range(101)]}),
        "trigger_bulk request body",
        "$.events",
        "at most 100 items, got 101",
    )
    assert error.problems == [("$.events", "at most 100 items, got 101")]
    # models count the same as dicts
    await refused(
        lambda c: trigger_bulk(
            c, {"events": [TriggerEventRequestDto(workflow_id="welcome", to=f"s{i}") for i in range(150)]}
        ),
        "trigger_bulk",
        "$.events",
        "got 150",
    )


async def test_trigger_bulk_sends_exactly_100_events() -> None:
    server = Server(reply(201, {"data": [TRIGGER_OK] * 100}))
    core, _ = make_core(server)
    results = await trigger_bulk(core, {"events": [event(i) for i in range(100)]})
    assert len(results) == 100
    assert len(server.requests) == 1


async def test_subscribers_create_bulk_takes_at_most_500_subscribers() -> None:
    await refused(
        lambda c: subscribers_create_bulk(
            c, {"subscribers": [{"subscriberId": f"s{i}"} for i in range(501)]}
        ),
        "subscribers_create_bulk request body",
        "$.subscribers",
        "at most 500 items, got 501",
    )


async def test_a_documented_max_items_is_enforced_too() -> None:
    # the one maxItems the upstream document itself sets (the two above come from our overlay)
    preference = {"workflowId": "w", "channels": {"email": True}}
    await refused(
        lambda c: subscribers_preferences_bulk_update(c, "s1", {"preferences": [preference] * 101}),
        "subscribers_preferences_bulk_update request body",
        "$.preferences",
        "at most 100 items, got 101",
    )


# ---------------------------------------------------------------------------------------------- configuration


@pytest.mark.parametrize("server", ["mars", "", "US", "https://api.novu.co"])
def test_an_unknown_server_name_is_refused(server: Any) -> None:
    with pytest.raises(ConfigurationError, match="unknown Novu server"):
        NovuCore("sk-test", server=server)


@pytest.mark.parametrize("key", ["", "   ", "\t\n"])
def test_an_empty_secret_key_is_refused(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="secret key is empty"):
        NovuCore(key)
    monkeypatch.setenv("NOVU_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="secret key is empty"):
        NovuCore()


@pytest.mark.parametrize("key", ["sk test", "sk-\u00e9", "sk-\x00"])
def test_a_secret_key_that_cannot_be_a_header_is_refused(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        NovuCore(key)
    assert key not in str(caught.value)


def test_a_missing_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="no Novu secret key"):
        NovuCore()


# ---------------------------------------------------------------------------------------------- paths

ESCAPED = [
    ("a/b", "a%2Fb"),
    ("../admin", "..%2Fadmin"),
    ("%2F", "%252F"),
    ("%2E%2E", "%252E%252E"),
    ("a b", "a%20b"),
    ("a+b", "a%2Bb"),
    ("a?b=c", "a%3Fb%3Dc"),
    ("a#b", "a%23b"),
    ("a;b", "a%3Bb"),
    ("\u00fcber-\u65e5\u672c", "%C3%BCber-%E6%97%A5%E6%9C%AC"),
    ("\U0001f600", "%F0%9F%98%80"),
    ("line\nbreak", "line%0Abreak"),
    ("...", "..."),
    (".a", ".a"),
    ("user@example.com", "user%40example.com"),
    ("-_.~", "-_.~"),
]

PATH_CALLS: list[tuple[str, Callable[[NovuCore, str], Awaitable[Any]], str]] = [
    ("subscribers_retrieve", lambda c, v: subscribers_retrieve(c, v), "/v2/subscribers/{}"),
    ("topics_get", lambda c, v: topics_get(c, v), "/v2/topics/{}"),
    ("agents_delete", lambda c, v: agents_delete(c, v, delete_from_provider="false"), "/v1/agents/{}"),
    (
        "subscribers_notifications_complete_action",
        lambda c, v: subscribers_notifications_complete_action(c, v, v, "primary"),
        "/v2/subscribers/{0}/notifications/{0}/actions/primary/complete",
    ),
    (
        "topics_subscriptions_delete",
        lambda c, v: topics_subscriptions_delete(c, v, {"subscriptions": [{"subscriberId": "s"}]}),
        "/v2/topics/{}/subscriptions",
    ),
]


@pytest.mark.parametrize(("name", "call", "template"), PATH_CALLS, ids=[p[0] for p in PATH_CALLS])
@pytest.mark.parametrize(("value", "segment"), ESCAPED, ids=[repr(e[0]) for e in ESCAPED])
async def test_path_values_are_percent_encoded_as_one_segment(
    name: str, call: Callable[[NovuCore, str], Awaitable[Any]], template: str, value: str, segment: str
) -> None:
    server = Server(reply(404, error_body(404, "not found")))
    core, _ = make_core(server, retries=0)
    with pytest.raises(NotFoundError):
        await call(core, value)
    [sent] = server.requests
    raw_path = sent.url.raw_path.partition(b"?")[0].decode("ascii")
    assert raw_path == template.format(segment)


@pytest.mark.parametrize(("name", "call", "template"), PATH_CALLS, ids=[p[0] for p in PATH_CALLS])
@pytest.mark.parametrize("value", ["..", ".", ""])
async def test_path_values_that_would_change_the_endpoint_are_refused(
    name: str, call: Callable[[NovuCore, str], Awaitable[Any]], template: str, value: str
) -> None:
    # "/v2/subscribers/.." would be normalised to "/v2/" and "/v2/subscribers/" is the list endpoint
    await refused(lambda c: call(c, value), f"{name} path parameter", "'", "must not be empty, '.' or '..'")
