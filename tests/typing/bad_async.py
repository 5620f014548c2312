# pyright: strict
"""User code with mistakes type checkers must catch: every line marked ``# E`` must get an error
from mypy --strict and from pyright, and no other line may. Never run."""

from __future__ import annotations

from novu_async import Novu
from novu_async.dicts import TriggerEventRequestDtoDict
from novu_async.models import TriggerEventRequestDto


async def key_typo(novu: Novu) -> None:
    await novu.trigger({"nmae": "welcome", "to": "user-1"})  # E


async def snake_case_key(novu: Novu) -> None:
    await novu.trigger({"name": "welcome", "to": "user-1", "transaction_id": "t-1"})  # E


async def wrong_value_type(novu: Novu) -> None:
    await novu.trigger({"name": 123, "to": "user-1"})  # E


async def missing_required_key(novu: Novu) -> None:
    await novu.trigger({"to": "user-1"})  # E


async def nested_key_typo(novu: Novu) -> None:
    body: TriggerEventRequestDtoDict = {"name": "welcome", "to": {"subscriberid": "user-1"}}  # E
    await novu.trigger(body)


async def old_attribute_name(novu: Novu) -> None:
    await novu.trigger(TriggerEventRequestDto(name="welcome", to="user-1"))  # E


async def any_dict(novu: Novu, body: dict[str, object]) -> None:
    await novu.trigger(body)  # E


async def wrong_result_type(novu: Novu) -> None:
    result = await novu.trigger({"name": "welcome", "to": "user-1"})
    count: int = result.transaction_id  # E
    print(count)


async def unknown_method(novu: Novu) -> None:
    await novu.subscribers.craete({"subscriberId": "user-1"})  # E


async def get_with_idempotency_key(novu: Novu) -> None:
    await novu.subscribers.search(idempotency_key="k-1")  # E


async def bulk_event_typo(novu: Novu) -> None:
    await novu.trigger_many([{"nmae": "welcome", "to": "user-1"}])  # E
