"""The legacy (v1) document's operations on FakeNovu: the ones that map to the fake's state, through
the SDK's legacy client (``novu.legacy``), each answer checked against the legacy document; the ones
a current operation shares; and a 501 naming every other one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from novu_async import Novu
from novu_async.errors import ConflictError, NotFoundError, UnprocessableEntityError
from novu_async.testing import FakeNovu
from tests.contract.document import legacy_document_path
from tests.testing.support import KEY, Contract

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def legacy_contract() -> Contract:
    return Contract(legacy_document_path())


@pytest.fixture
async def novu(fake: FakeNovu, contract: Contract, legacy_contract: Contract) -> AsyncIterator[Novu]:
    """A client of the fake whose every success is checked against the document of the operation
    that answered it: the legacy one (which declares no error body and few error statuses: the
    errors are checked by their SDK type), or the current one for a shared operation."""
    problems: list[str] = []

    async def check(response: httpx.Response) -> None:
        await response.aread()
        if not response.is_success:
            return
        try:
            contract.document.find_operation(response.request.method, response.request.url.path)
        except LookupError:
            problems.extend(legacy_contract.problems(response))
        else:
            problems.extend(contract.problems(response))

    http = httpx.AsyncClient(transport=fake.transport, base_url=fake.url, event_hooks={"response": [check]})
    async with http, Novu(secret_key=KEY, server_url=fake.url, http_client=http, retries=0) as client:
        yield client
    assert problems == []


def concrete(template: str) -> str:
    return re.sub(r"\{([^}]+)\}", lambda found: f"fake-{found[1]}", template)


def test_the_legacy_operations_are_all_listed(fake: FakeNovu) -> None:
    listed = fake.legacy_operations
    assert len(listed) == 89
    assert all(operation.operation_id.startswith("legacy.") for operation, _ in listed)
    counts = Counter(status for _, status in listed)
    assert counts == {"served": 17, "shared": 27, "501": 45}
    current = {(op.method, op.path) for op, _ in fake.operations}
    for operation, status in listed:
        assert ((operation.method, operation.path) in current) == (status == "shared"), operation


async def test_every_unmodelled_legacy_operation_answers_501_naming_it(fake: FakeNovu) -> None:
    answered = Counter()
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.url) as http:  # no key: 501 first
        for operation, status in fake.legacy_operations:
            response = await http.request(operation.method, concrete(operation.path), json={})
            answered[status] += 1
            if status == "501":
                assert response.status_code == 501, operation
                named = f"{operation.operation_id} ({operation.method} {operation.path})"
                assert response.json()["message"] == f"FakeNovu does not implement {named}"
            else:  # routed to a model (legacy or current), which wants the key first
                assert response.status_code == 401, operation
    assert answered["501"] == 45
    unmodelled = {op.operation_id: 1 for op, status in fake.legacy_operations if status == "501"}
    assert fake.stats.not_implemented == unmodelled


async def test_legacy_subscribers_are_the_current_ones(fake: FakeNovu, novu: Novu) -> None:
    legacy = novu.legacy
    made = await legacy.subscribers.create({"subscriberId": "ada", "email": "ada@example.com"})
    assert (made.subscriber_id, made.email) == ("ada", "ada@example.com")
    await legacy.subscribers.create({"subscriberId": "bob"})
    assert (await novu.subscribers.retrieve("ada")).email == "ada@example.com"  # the current API sees it
    changed = await legacy.subscribers.update("ada", {"firstName": "Ada", "data": {"plan": "pro"}})
    assert (changed.first_name, changed.email) == ("Ada", "ada@example.com")  # the rest stays
    assert (await legacy.subscribers.retrieve("ada")).first_name == "Ada"
    first = await legacy.subscribers.list(page=0, limit=1)
    assert ([s.subscriber_id for s in first.data], first.has_more, first.page_size) == (["ada"], True, 1)
    assert [s.subscriber_id async for s in legacy.subscribers.list_iter(limit=1)] == ["ada", "bob"]
    deleted = await legacy.subscribers.delete("bob")
    assert (deleted.acknowledged, deleted.status) == (True, "deleted")
    with pytest.raises(NotFoundError):
        await legacy.subscribers.retrieve("bob")
    with pytest.raises(NotFoundError):
        await novu.subscribers.retrieve("bob")
    with pytest.raises(UnprocessableEntityError):
        await legacy.subscribers.create({"subscriberId": ""})
    assert list(fake.subscribers) == ["ada"]


async def test_legacy_topics_fan_out_triggers(fake: FakeNovu, novu: Novu) -> None:
    fake.add_workflow("news")
    legacy = novu.legacy
    for sid in ("ada", "bob"):
        await legacy.subscribers.create({"subscriberId": sid})
    made = await legacy.topics.create({"key": "readers", "name": "Readers"})
    assert made.key == "readers"
    with pytest.raises(ConflictError):
        await legacy.topics.create({"key": "readers", "name": "Again"})
    await legacy.topics.subscribers.assign("readers", {"subscribers": ["ada", "bob", "nobody"]})
    topic = await legacy.topics.retrieve("readers")
    assert (topic.name, topic.subscribers) == ("Readers", ["ada", "bob"])  # nobody does not exist
    assert (await legacy.topics.subscribers.retrieve("readers", "ada")).external_subscriber_id == "ada"
    assert (await novu.topics.get("readers")).name == "Readers"  # the current API's topic
    await novu.trigger({"name": "news", "to": {"type": "Topic", "topicKey": "readers"}})
    assert [len(fake.inbox(sid)) for sid in ("ada", "bob")] == [1, 1]

    renamed = await legacy.topics.rename("readers", {"name": "All readers"})
    assert renamed.name == "All readers"
    listed = await legacy.topics.list(key="readers")
    assert ([t.key for t in listed.data], listed.total_count) == (["readers"], 1)
    with pytest.raises(ConflictError):  # it has subscribers
        await legacy.topics.delete("readers")
    await legacy.topics.subscribers.delete("readers", {"subscribers": ["ada", "bob"]})
    assert (await legacy.topics.retrieve("readers")).subscribers == []
    await legacy.topics.delete("readers")
    for missing in (legacy.topics.retrieve("readers"), legacy.topics.delete("readers")):
        with pytest.raises(NotFoundError):
            await missing
    with pytest.raises(NotFoundError):
        await legacy.topics.subscribers.assign("readers", {"subscribers": ["ada"]})


async def test_tenants(fake: FakeNovu, novu: Novu, client: httpx.AsyncClient) -> None:
    tenants = novu.legacy.tenants
    made = await tenants.create({"identifier": "acme", "name": "Acme", "data": {"tier": 1}})
    assert (made.identifier, made.name, made.data) == ("acme", "Acme", {"tier": 1})
    await tenants.create({"identifier": "globex", "name": "Globex"})
    with pytest.raises(ConflictError):
        await tenants.create({"identifier": "acme", "name": "Acme again"})
    unnamed = await client.post("/v1/tenants", json={"identifier": "initech"})  # the SDK would refuse it
    assert (unnamed.status_code, list(unnamed.json()["errors"])) == (422, ["name"])
    assert (await tenants.retrieve("acme")).data == {"tier": 1}
    assert [t.identifier async for t in tenants.list_iter(limit=1)] == ["acme", "globex"]
    with pytest.raises(ConflictError):
        await tenants.update("acme", {"identifier": "globex"})
    moved = await tenants.update("acme", {"identifier": "acme-corp", "name": "Acme Corp"})
    assert (moved.identifier, moved.name, moved.data) == ("acme-corp", "Acme Corp", {"tier": 1})
    with pytest.raises(NotFoundError):
        await tenants.retrieve("acme")
    page = await tenants.list()
    assert [t.identifier for t in page.data] == ["acme-corp", "globex"]  # the renamed one keeps its place
    await tenants.delete("globex")
    for missing in (tenants.retrieve("globex"), tenants.delete("globex"), tenants.update("globex", {})):
        with pytest.raises(NotFoundError):
            await missing


async def test_shared_operations_answer_the_legacy_client(fake: FakeNovu, novu: Novu) -> None:
    """A legacy operation with a current one's method and path is answered by it."""
    fake.add_workflow("welcome")
    legacy = novu.legacy
    result = await legacy.trigger({"name": "welcome", "to": "ada", "payload": {"n": 1}})
    assert result.acknowledged is True
    assert [entry.event["name"] for entry in fake.ledger] == ["welcome"]
    assert (await legacy.subscribers.retrieve("ada")).subscriber_id == "ada"  # made by the trigger
    await legacy.subscribers.properties.update_online_flag("ada", {"isOnline": True})
    assert fake.subscribers["ada"]["isOnline"] is True
