# pyright: strict
"""User code that type checkers must accept as it is: the async client, its functions, models and
TypedDicts. Never run; checked by tests/typing/test_typing.py with mypy --strict and pyright."""

from __future__ import annotations

from typing_extensions import assert_type

from novu_async import BulkReport, Novu, PageIterator, RequestOptions, Response, Unset
from novu_async.dicts import SubscriberPayloadDtoDict, TriggerEventRequestDtoDict
from novu_async.funcs.trigger import trigger
from novu_async.models import (
    SubscriberPayloadDto,
    SubscriberResponseDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
)


async def dict_bodies(novu: Novu) -> None:
    result = await novu.trigger({"name": "welcome", "to": "user-1", "transactionId": "t-1", "payload": {}})
    assert_type(result, TriggerEventResponseDto)
    assert_type(result.transaction_id, str | Unset)
    # nested TypedDicts, and models inside dicts
    recipient: SubscriberPayloadDtoDict = {"subscriberId": "user-2", "email": "u2@example.com"}
    body: TriggerEventRequestDtoDict = {
        "name": "welcome",
        "to": [recipient, "user-3", SubscriberPayloadDto(subscriber_id="user-4")],
        "overrides": {"email": {"subject": "hi"}},
    }
    response = await novu.trigger_response(body)
    assert_type(response, Response[TriggerEventResponseDto])
    assert_type(response.data, TriggerEventResponseDto)


async def model_bodies(novu: Novu) -> None:
    event = TriggerEventRequestDto(workflow_id="welcome", to="user-1", additional_properties={"beta": True})
    assert_type(event.workflow_id, str)
    assert_type(await trigger(novu.core, event, idempotency_key="k-1"), TriggerEventResponseDto)


async def reads(novu: Novu) -> None:
    subscriber = await novu.subscribers.retrieve("user-1")
    assert_type(subscriber, SubscriberResponseDto)
    # a GET takes no idempotency_key; the header stays reachable through the options
    await novu.subscribers.search(limit=10, options=RequestOptions(headers={"idempotency-key": "k"}))
    pages = novu.subscribers.search_iter(limit=100)
    assert_type(pages, PageIterator[SubscriberResponseDto])
    async for item in pages:
        assert_type(item, SubscriberResponseDto)


async def bulk(novu: Novu, events: list[TriggerEventRequestDtoDict]) -> None:
    report = await novu.trigger_many(events, idempotency_prefix="import-1")
    assert_type(report, BulkReport)
    mixed: list[TriggerEventRequestDto | TriggerEventRequestDtoDict] = [
        TriggerEventRequestDto(workflow_id="w", to="u"),
        {"name": "w", "to": "v"},
    ]
    report = await novu.trigger_many(mixed)
    assert_type(report, BulkReport)
