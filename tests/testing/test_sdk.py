"""The generated SDK functions parse FakeNovu's answers into their models (through ``fake.client()``)."""

from __future__ import annotations

import pytest

from novu_async.errors import ConflictError, NotFoundError, UnprocessableEntityError
from novu_async.funcs.cancel import cancel
from novu_async.funcs.subscribers_create import subscribers_create
from novu_async.funcs.subscribers_create_bulk import subscribers_create_bulk
from novu_async.funcs.subscribers_delete import subscribers_delete
from novu_async.funcs.subscribers_patch import subscribers_patch
from novu_async.funcs.subscribers_retrieve import subscribers_retrieve
from novu_async.funcs.subscribers_search import subscribers_search
from novu_async.funcs.trigger import trigger, trigger_response
from novu_async.funcs.trigger_broadcast import trigger_broadcast
from novu_async.funcs.trigger_bulk import trigger_bulk
from novu_async.models.trigger_event_response_dto import TriggerEventResponseDtoStatus
from novu_async.testing import FakeNovu
from tests.testing.support import event, ledger_numbers

pytestmark = pytest.mark.anyio


async def test_events_through_the_generated_functions(fake: FakeNovu) -> None:
    delayed = [{"type": "delay", "controlValues": {"amount": 1, "unit": "hours"}}, "in_app"]
    fake.add_workflow("welcome", steps=delayed)  # so that the cancel finds pending work
    fake.add_workflow("news")
    async with fake.client() as novu:
        single = await trigger(novu.core, event(1))
        bulk = await trigger_bulk(novu.core, {"events": [event(2), event(3)]})
        broadcast = await trigger_broadcast(novu.core, {"name": "news", "payload": {"n": 4}})
        assert isinstance(single.transaction_id, str)
        cancelled = await cancel(novu.core, single.transaction_id)
        replayed = await trigger_response(novu.core, event(1), idempotency_key="key-1")
        again = await trigger_response(novu.core, event(1), idempotency_key="key-1")
        with pytest.raises(UnprocessableEntityError) as invalid:
            await trigger(novu.core, {"name": "x", "to": []})
    assert single.acknowledged is True
    assert single.status is TriggerEventResponseDtoStatus.PROCESSED
    assert [ack.transaction_id for ack in bulk] == [e.transaction_id for e in fake.ledger[1:3]]
    assert broadcast.transaction_id == fake.ledger[3].transaction_id
    assert cancelled is True
    assert fake.cancelled == {single.transaction_id}
    assert (replayed.replayed, again.replayed) == (False, True)
    assert again.data == replayed.data
    assert again.idempotency_key == "key-1"
    assert "to" in str(invalid.value)
    assert ledger_numbers(fake) == [1, 2, 3, 4, 1]


async def test_subscribers_through_the_generated_functions_and_the_class(fake: FakeNovu) -> None:
    async with fake.client() as novu:
        created = await subscribers_create(
            novu.core, {"subscriberId": "ada", "firstName": "Ada", "data": {"k": 1}}
        )
        plain = await subscribers_create(novu.core, {"subscriberId": "bob", "email": "bob@x.io"})
        with pytest.raises(ConflictError):
            await subscribers_create(novu.core, {"subscriberId": "bob"}, fail_if_exists=True)
        patched = await subscribers_patch(novu.core, "ada", {"lastName": "Lovelace", "firstName": None})
        retrieved = await subscribers_retrieve(novu.core, "ada")
        page = await subscribers_search(novu.core, limit=1, order_direction="ASC")
        assert page.next is not None
        following = await subscribers_search(novu.core, limit=1, order_direction="ASC", after=page.next)
        every = [s.subscriber_id async for s in novu.subscribers.search_iter(limit=1)]
        bulk = await subscribers_create_bulk(
            novu.core, {"subscribers": [{"subscriberId": "bob"}, {"subscriberId": "cy"}]}
        )
        removed = await subscribers_delete(novu.core, "cy")
        with pytest.raises(NotFoundError):
            await subscribers_retrieve(novu.core, "cy")
    assert created.subscriber_id == "ada"
    assert created.first_name == "Ada"
    assert created.data == {"k": 1}
    assert plain.email == "bob@x.io"
    assert plain.id
    assert plain.deleted is False
    assert (patched.first_name, patched.last_name) == (None, "Lovelace")
    assert retrieved == patched
    assert [s.subscriber_id for s in page.data] == ["ada"]
    assert page.total_count == 2
    assert [s.subscriber_id for s in following.data] == ["bob"]
    assert following.next is None
    assert every == ["bob", "ada"]
    assert [s.subscriber_id for s in bulk.created] == ["cy"]
    assert [s.subscriber_id for s in bulk.updated] == ["bob"]
    assert removed.acknowledged is True
    assert removed.status == "deleted"
    assert set(fake.subscribers) == {"ada", "bob"}
