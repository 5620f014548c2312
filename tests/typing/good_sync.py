# pyright: strict
"""The blocking client, as type checkers must see it: the async client's methods without ``await``.
Never run; checked by tests/typing/test_typing.py with mypy --strict and pyright."""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import assert_type

from novu_async import BulkReport, Response
from novu_async.models import (
    SubscriberResponseDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
)
from novu_async.sync import Novu, SyncIterator


def calls(client: Novu) -> None:
    result = client.trigger({"name": "welcome", "to": "user-1", "transactionId": "t-1"})
    assert_type(result, TriggerEventResponseDto)
    assert_type(client.trigger(TriggerEventRequestDto(workflow_id="w", to="u")), TriggerEventResponseDto)
    assert_type(client.trigger_response({"name": "w", "to": "u"}), Response[TriggerEventResponseDto])
    subscriber = client.subscribers.retrieve("user-1")
    assert_type(subscriber, SubscriberResponseDto)
    client.subscribers.credentials.delete("user-1", "slack")


def iterators(client: Novu) -> None:
    items = client.subscribers.search_iter(limit=100)
    assert_type(items, SyncIterator[SubscriberResponseDto])
    iterator: Iterator[SubscriberResponseDto] = items  # a plain iterator, with close()
    for item in iterator:
        assert_type(item, SubscriberResponseDto)
    with client.topics.list_iter(limit=10) as topics:
        for topic in topics:
            assert_type(topic.key, str)


def bulk(client: Novu) -> None:
    report = client.trigger_many([{"name": "welcome", "to": "user-1"}], idempotency_prefix="import-1")
    assert_type(report, BulkReport)
    assert_type(client.create_subscribers_many([{"subscriberId": "user-1"}]), BulkReport)


def legacy_and_lifecycle() -> None:
    with Novu(secret_key="sk", server="eu") as client:
        client.legacy.tenants.list()
    assert_type(client.closed, bool)
