"""Auto-pagination: ``NAME_iter`` for every list operation of the current document.

Each list operation is iterated through an ``httpx.MockTransport`` server that pages the way the
operation's parameters say (a reference server per style, written from the document, not from the
generator's reading of it), over items built from the operation's response schema. The tests check
the items and their order, the paging parameters of every request, ``max_items``, early exits and
what happens when a server's pages do not advance. The second half tests ``PageIterator`` itself.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import anyio
import anyio.lowlevel
import attrs
import httpx
import pytest

from novu_async import Novu, NovuCore, _serde
from novu_async._pagination import PageIterator, Pagination, PaginationError
from novu_async._types import UNSET
from novu_async.funcs import ITERATORS, OPERATIONS
from tests.contract.document import Document
from tests.contract.requests import RequestBuilder, build_request, render_path

from .conftest import current_document

pytestmark = pytest.mark.anyio

SECRET = "nv_sk_pagination_test_SECRET"
SERVER = "https://novu.test"
SERVER_PAGE_SIZE = 10  # what the reference servers send when no limit is asked for

CURSOR, ITEM_CURSOR, OFFSET, PAGE = "cursor", "item cursor", "offset", "page"

# Every list operation of the current document, with how it pages and where its items are, read
# off the document by hand: query parameters -> response properties.
LIST_OPERATIONS: dict[str, tuple[str, str]] = {
    # after/before/limit -> data/next/previous/totalCount
    "ContextsController_listContexts": (CURSOR, "data"),
    "SubscribersController_searchSubscribers": (CURSOR, "data"),
    "SubscribersController_listSubscriberTopics": (CURSOR, "data"),
    "TopicsController_listTopics": (CURSOR, "data"),
    "TopicsController_listTopicSubscriptions": (CURSOR, "data"),
    "AgentsController_listAgents": (CURSOR, "data"),
    "AgentIntegrationsController_listAgentIntegrations": (CURSOR, "data"),
    "ChannelConnectionsController_listChannelConnections": (CURSOR, "data"),
    "ChannelEndpointsController_listChannelEndpoints": (CURSOR, "data"),
    "DomainsController_listDomains": (CURSOR, "data"),
    "DomainsController_listDomainRoutes": (CURSOR, "data"),
    # limit/offset -> the items and totalCount
    "LayoutsController_list": (OFFSET, "layouts"),
    "WorkflowController_searchWorkflows": (OFFSET, "workflows"),
    # page/limit -> data/hasMore/page/pageSize[/totalCount]
    "MessagesController_getMessages": (PAGE, "data"),
    "NotificationsController_listNotifications": (PAGE, "data"),
    "SubscribersV1Controller_getNotificationsFeed": (PAGE, "data"),
    # limit/after/offset -> data/hasMore: `after` is the id of the last notification seen
    "SubscribersController_getSubscriberNotifications": (ITEM_CURSOR, "data"),
}
CURSOR_OPERATIONS = sorted(op for op, (style, _) in LIST_OPERATIONS.items() if style == CURSOR)


# ------------------------------------------------------------------------------------------- cases


@cache
def builder() -> RequestBuilder:
    return RequestBuilder(Document(current_document()))


@dataclass(frozen=True)
class Case:
    """One list operation: its generated module, a page body to fill, an item to vary."""

    operation_id: str
    style: str
    items: str  # the wire name of the items property
    module: ModuleType
    path_args: dict[str, Any]  # Python name -> value
    path: str  # the request path those values make
    page: dict[str, Any]  # a valid page body, its items left to the server
    properties: frozenset[str]  # the page's declared properties
    item: dict[str, Any]  # a valid item
    key: str  # the item property that tells items apart ("id" for the item cursor)

    @property
    def func(self) -> str:
        return OPERATIONS[self.operation_id]

    def iterate(self, core: NovuCore, **kwargs: Any) -> PageIterator[Any]:
        function: Callable[..., PageIterator[Any]] = getattr(self.module, f"{self.func}_iter")
        return function(core, **self.path_args, **kwargs)

    def make_item(self, n: int) -> dict[str, Any]:
        return {**self.item, self.key: f"item-{n}"}

    def expected(self, raws: list[dict[str, Any]]) -> list[Any]:
        """``raws`` as the SDK structures them, through the operation's own page type."""
        page_type = self.module.OPERATION.responses["200"].type
        page = _serde.structure({**self.page, self.items: raws}, page_type, what="expected page")
        return list(getattr(page, self.items))


@cache
def case(operation_id: str) -> Case:
    style, items = LIST_OPERATIONS[operation_id]
    document = builder().document
    operation = document.operation(operation_id)
    raw = document.raw["paths"][operation.path][operation.method.lower()]
    page_schema = builder().flatten(raw["responses"]["200"]["content"]["application/json"]["schema"])
    item_schema = builder().flatten(builder().flatten(page_schema["properties"][items])["items"])
    module = importlib.import_module(f"novu_async.funcs.{OPERATIONS[operation_id]}")
    wire_path = build_request(document, operation_id)["path"]
    python = {p.wire: p.python for p in module.OPERATION.path_params}
    plain = [
        name
        for name in item_schema.get("required", [])
        if {"type": "string"}.items() <= builder().flatten(item_schema["properties"][name]).items()
        and not {"enum", "format", "pattern"} & builder().flatten(item_schema["properties"][name]).keys()
    ]
    key = next((k for k in ("id", "_id") if k in plain), plain[0])
    assert style != ITEM_CURSOR or key == "id"
    return Case(
        operation_id=operation_id,
        style=style,
        items=items,
        module=module,
        path_args={python[wire]: value for wire, value in wire_path.items()},
        path=render_path(operation, wire_path),
        page=builder().value(page_schema),
        properties=frozenset(page_schema["properties"]),
        item=builder().value(item_schema),
        key=key,
    )


# ----------------------------------------------------------------------------------------- servers


class Server:
    """One list endpoint over ``total`` items, paging as its style says.

    ``misbehave``: ``"stuck"`` ignores the paging parameters (every answer is the first page, and
    says more follow); ``"repeat"`` pages right but always names the same next cursor.
    """

    def __init__(self, the_case: Case, total: int, *, misbehave: str | None = None) -> None:
        self.case = the_case
        self.rows = [the_case.make_item(n) for n in range(total)]
        self.misbehave = misbehave
        self.requests: list[httpx.Request] = []

    @property
    def queries(self) -> list[dict[str, str]]:
        return [dict(request.url.params) for request in self.requests]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert (request.method, request.url.path) == ("GET", self.case.path)
        query = request.url.params
        size = int(query.get("limit", SERVER_PAGE_SIZE))
        total = len(self.rows)
        style = self.case.style
        if style == CURSOR:
            after = query.get("after")
            start = int(after.removeprefix("cursor-")) if after else 0
        elif style == ITEM_CURSOR:
            after = query.get("after")
            ids = [row[self.case.key] for row in self.rows]
            start = ids.index(after) + 1 if after else int(query.get("offset", 0))
        elif style == OFFSET:
            start = int(query.get("offset", 0))
        else:
            start = int(query.get("page", 0)) * size
        if self.misbehave == "stuck":
            start = 0
        end = min(start + size, total)
        more = end < total or self.misbehave == "stuck"
        signals: dict[str, Any] = {
            "next": f"cursor-{end}" if more else None,
            "previous": f"cursor-{start}" if start else None,
            "hasMore": more,
            "totalCount": total * 10 if self.misbehave == "stuck" else total,
            "page": start // size,
            "pageSize": size,
        }
        if self.misbehave == "repeat":
            signals["next"] = f"cursor-{size}"
        body = {
            **self.case.page,
            **{name: value for name, value in signals.items() if name in self.case.properties},
            self.case.items: self.rows[start:end],
        }
        if "data" not in body:  # Novu wraps a body that has no `data` of its own
            body = {"data": body}
        return httpx.Response(200, json=body)


@contextlib.asynccontextmanager
async def serving(server: Server) -> AsyncIterator[NovuCore]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as http:
        yield NovuCore(SECRET, server_url=SERVER, http_client=http, retries=0)


async def drain(iterator: PageIterator[Any], into: list[Any]) -> None:
    """Iterate to the end, keeping every item in ``into`` (also those before an error)."""
    async for item in iterator:
        into.append(item)


def paging_queries(style: str, limit: int | None, pages: int) -> list[dict[str, str]]:
    """The query of each request an iterator should make, page by page."""
    if pages == 0:
        return []
    sent = {} if limit is None else {"limit": str(limit)}
    size = limit or SERVER_PAGE_SIZE
    if style == CURSOR:
        return [sent, *({**sent, "after": f"cursor-{k * size}"} for k in range(1, pages))]
    if style == ITEM_CURSOR:
        return [sent, *({**sent, "after": f"item-{k * size - 1}"} for k in range(1, pages))]
    if style == OFFSET:
        return [{**sent, "offset": str(k * size)} for k in range(pages)]
    return [{**sent, "page": str(k)} for k in range(pages)]


# ---------------------------------------------------------------------------- every list operation


def test_every_list_operation_has_an_iterator_and_nothing_else_has() -> None:
    assert {op: f"{OPERATIONS[op]}_iter" for op in LIST_OPERATIONS} == ITERATORS
    # a limit, but a count comes back
    assert "SubscribersV1Controller_getUnseenCount" not in ITERATORS
    # iterators are not operations
    assert not any(func.endswith("_iter") for func in OPERATIONS.values())


@pytest.mark.parametrize("operation_id", sorted(LIST_OPERATIONS))
def test_generated_description_matches_the_document(operation_id: str) -> None:
    the_case = case(operation_id)
    pagination: Pagination = the_case.module.PAGINATION
    expected_style = CURSOR if the_case.style == ITEM_CURSOR else the_case.style
    assert (pagination.style, pagination.items) == (expected_style, the_case.items)
    assert pagination.size_param == "limit"
    parameters = list(inspect_signature(the_case, "_iter"))
    assert parameters[-2:] == ["max_items", "options"]
    assert "limit" in parameters
    driven = {"include_cursor", "offset", "page", "idempotency_key"}
    if operation_id == "NotificationsController_listNotifications":
        # there `after` and `before` are date filters, not cursors: the iterator keeps them
        assert {"after", "before"} <= set(parameters)
    else:
        driven |= {"after", "before"}
    assert not driven & set(parameters)


def inspect_signature(the_case: Case, suffix: str) -> list[str]:
    return list(inspect.signature(getattr(the_case.module, the_case.func + suffix)).parameters)


@pytest.mark.parametrize(("limit", "total"), [(3, 7), (3, 9), (None, 25), (None, 30)])
@pytest.mark.parametrize("operation_id", sorted(LIST_OPERATIONS))
async def test_all_pages_in_order(operation_id: str, limit: int | None, total: int) -> None:
    the_case = case(operation_id)
    server = Server(the_case, total)
    async with serving(server) as core:
        kwargs = {} if limit is None else {"limit": limit}
        iterator = the_case.iterate(core, **kwargs)
        assert server.requests == [], "nothing is requested before the first item is asked for"
        items = [item async for item in iterator]
    # the rows differ in one property each, so equality also checks the order
    assert items == the_case.expected(server.rows)
    assert len({repr(item) for item in items}) == total
    # three pages, and no request past the last one (9 and 30 end on a full page)
    assert server.queries == paging_queries(the_case.style, limit, 3)
    assert all(request.headers["authorization"] == f"ApiKey {SECRET}" for request in server.requests)
    assert not any("idempotency-key" in request.headers for request in server.requests)


@pytest.mark.parametrize(
    ("max_items", "count", "pages"), [(0, 0, 0), (5, 5, 2), (6, 6, 2), (7, 7, 3), (100, 20, 7)]
)
@pytest.mark.parametrize("operation_id", sorted(LIST_OPERATIONS))
async def test_max_items_requests_no_page_it_does_not_need(
    operation_id: str, max_items: int, count: int, pages: int
) -> None:
    the_case = case(operation_id)
    server = Server(the_case, 20)
    async with serving(server) as core:
        items = [item async for item in the_case.iterate(core, limit=3, max_items=max_items)]
    assert items == the_case.expected(server.rows[:count])
    assert server.queries == paging_queries(the_case.style, 3, pages)


@pytest.mark.parametrize("operation_id", sorted(LIST_OPERATIONS))
async def test_breaking_out_early_leaves_nothing_behind(operation_id: str) -> None:
    the_case = case(operation_id)
    server = Server(the_case, 20)
    async with serving(server) as core:
        iterator = the_case.iterate(core, limit=3)
        seen = []
        async for item in iterator:
            seen.append(item)
            if len(seen) == 4:
                break
        await anyio.lowlevel.checkpoint()
        assert len(server.requests) == 2
        # the same iterator carries on where the loop left it, without asking for page 2 again
        assert await iterator.__anext__() == the_case.expected(server.rows[4:5])[0]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            del iterator
            gc.collect()
        # closed explicitly, or by `async with` / `contextlib.aclosing`: nothing more is requested
        async with the_case.iterate(core, limit=3) as closing:
            first = await closing.__anext__()
        assert [item async for item in closing] == []
        async with contextlib.aclosing(the_case.iterate(core, limit=3)) as closing:
            assert await closing.__anext__() == first
        await closing.aclose()
        assert [item async for item in closing] == []
    assert len(server.requests) == 4
    assert seen == the_case.expected(server.rows[:4])


@pytest.mark.parametrize("operation_id", sorted(LIST_OPERATIONS))
async def test_a_server_whose_pages_do_not_advance_raises(operation_id: str) -> None:
    the_case = case(operation_id)
    server = Server(the_case, 20, misbehave="stuck")
    seen = []
    async with serving(server) as core:
        iterator = the_case.iterate(core, limit=3)
        with pytest.raises(PaginationError, match="same 3 items") as caught:
            await drain(iterator, seen)
        assert [item async for item in iterator] == [], "it is exhausted"
    assert the_case.func in str(caught.value)
    assert seen == the_case.expected(server.rows[:3]), "the repeated page is not handed out"
    assert len(server.requests) == 2


@pytest.mark.parametrize("operation_id", CURSOR_OPERATIONS)
async def test_a_repeated_cursor_raises_after_that_pages_items(operation_id: str) -> None:
    the_case = case(operation_id)
    server = Server(the_case, 20, misbehave="repeat")
    seen = []
    async with serving(server) as core:
        with pytest.raises(PaginationError, match=r"cursor 'cursor-3' .* again"):
            await drain(the_case.iterate(core, limit=3), seen)
    assert seen == the_case.expected(server.rows[:6])
    assert server.queries == paging_queries(CURSOR, 3, 2)


RESOURCE_METHODS: dict[str, Callable[[Novu], Any]] = {
    "SubscribersController_searchSubscribers": lambda novu: novu.subscribers.search_iter,
    "SubscribersController_getSubscriberNotifications": lambda novu: novu.subscribers.notifications.list_iter,
    "LayoutsController_list": lambda novu: novu.layouts.list_iter,
    "MessagesController_getMessages": lambda novu: novu.messages.retrieve_iter,
}


@pytest.mark.parametrize("operation_id", sorted(RESOURCE_METHODS))
async def test_resource_methods_iterate_the_same_way(operation_id: str) -> None:
    the_case = case(operation_id)
    server = Server(the_case, 7)
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as http:
        novu = Novu(SECRET, server_url=SERVER, http_client=http, retries=0)
        method = RESOURCE_METHODS[operation_id](novu)
        items = [item async for item in method(**the_case.path_args, limit=3, max_items=6)]
    assert items == the_case.expected(server.rows[:6])
    assert server.queries == paging_queries(the_case.style, 3, 2)


# ------------------------------------------------------------------------------------ PageIterator


@attrs.define
class FakePage:
    data: Any = UNSET
    next: Any = UNSET
    has_more: Any = UNSET
    total_count: Any = UNSET


class FakeOperation:
    """A stand-in for a generated function: serves scripted pages, records its arguments."""

    def __init__(self, *pages: FakePage | BaseException) -> None:
        self.pages = list(pages)
        self.calls: list[dict[str, Any]] = []
        self.__name__ = "fake_list"

    async def __call__(self, core: Any, **kwargs: Any) -> FakePage:
        self.calls.append(kwargs)
        await anyio.lowlevel.checkpoint()
        page = self.pages.pop(0)
        if isinstance(page, BaseException):
            raise page
        return page


OFFSET_BY_SIZE = Pagination(style="offset", param="offset", items="data", size_param="limit")


async def test_a_short_page_ends_the_iteration_only_when_nothing_better_is_said() -> None:
    fetch = FakeOperation(FakePage([1, 2, 3]), FakePage([4, 5]))
    items = [i async for i in PageIterator(fetch, OFFSET_BY_SIZE, None, {"limit": 3})]
    assert items == [1, 2, 3, 4, 5]
    assert [call["offset"] for call in fetch.calls] == [0, 3]
    # a server that caps the page size below the limit asked for: the total keeps the iteration going
    by_total = Pagination(
        style="offset", param="offset", items="data", size_param="limit", total_count="total_count"
    )
    fetch = FakeOperation(FakePage([1, 2], total_count=5), FakePage([3, 4], total_count=5), FakePage([5]))
    items = [i async for i in PageIterator(fetch, by_total, None, {"limit": 100})]
    assert items == [1, 2, 3, 4, 5]
    assert [call["offset"] for call in fetch.calls] == [0, 2, 4]
    # with no page size and no signal, an empty page ends it
    bare = Pagination(style="page", param="page", items="data", first_page=1)
    fetch = FakeOperation(FakePage([1]), FakePage([2]), FakePage([]))
    assert [i async for i in PageIterator(fetch, bare, None, {})] == [1, 2]
    assert [call["page"] for call in fetch.calls] == [1, 2, 3]


async def test_a_failed_page_request_can_be_retried_by_iterating_again() -> None:
    cursor = Pagination(style="cursor", param="after", items="data", next_cursor="next")
    fetch = FakeOperation(FakePage([1, 2], next="c2"), ConnectionError("down"), FakePage([3], next=None))
    iterator: PageIterator[int] = PageIterator(fetch, cursor, None, {"limit": 2})
    assert [await iterator.__anext__(), await iterator.__anext__()] == [1, 2]
    with pytest.raises(ConnectionError):
        await iterator.__anext__()
    assert [i async for i in iterator] == [3]
    assert fetch.calls == [{"limit": 2}, {"limit": 2, "after": "c2"}, {"limit": 2, "after": "c2"}]


async def test_a_cancelled_page_request_leaves_the_iterator_in_place() -> None:
    started = anyio.Event()

    class Slow(FakeOperation):
        async def __call__(self, core: Any, **kwargs: Any) -> FakePage:
            if not self.calls:
                self.calls.append(kwargs)
                started.set()
                await anyio.sleep_forever()
            return await super().__call__(core, **kwargs)

    cursor = Pagination(style="cursor", param="after", items="data", next_cursor="next")
    fetch = Slow(FakePage([1], next=None))
    iterator: PageIterator[int] = PageIterator(fetch, cursor, None, {})
    with anyio.move_on_after(5) as scope:
        async with anyio.create_task_group() as group:
            group.start_soon(iterator.__anext__)
            await started.wait()
            group.cancel_scope.cancel()
    assert not scope.cancelled_caught
    assert [i async for i in iterator] == [1]


async def test_one_consumer_at_a_time() -> None:
    release = anyio.Event()

    class Held(FakeOperation):
        async def __call__(self, core: Any, **kwargs: Any) -> FakePage:
            await release.wait()
            return await super().__call__(core, **kwargs)

    cursor = Pagination(style="cursor", param="after", items="data", next_cursor="next")
    iterator: PageIterator[int] = PageIterator(Held(FakePage([1], next=None)), cursor, None, {})
    got: list[int] = []

    async def first() -> None:
        got.append(await iterator.__anext__())

    async with anyio.create_task_group() as group:
        group.start_soon(first)
        await anyio.wait_all_tasks_blocked()  # the first is waiting for its page
        with pytest.raises(RuntimeError, match="while a page request is running"):
            await iterator.__anext__()
        release.set()
    assert got == [1]


def test_arguments_are_checked() -> None:
    cursor = Pagination(style="cursor", param="after", items="data", next_cursor="next")
    with pytest.raises(ValueError, match="max_items"):
        PageIterator(FakeOperation(), cursor, None, {}, max_items=-1)
    with pytest.raises(TypeError, match="after"):
        PageIterator(FakeOperation(), cursor, None, {"after": "x"})
    with pytest.raises(ValueError, match="exactly one"):
        Pagination(style="cursor", param="after", items="data")
    with pytest.raises(ValueError, match="exactly one"):
        Pagination(style="cursor", param="after", items="data", next_cursor="next", cursor_key="id")


async def test_an_item_cursor_without_a_value_raises_after_the_page() -> None:
    by_item = Pagination(style="cursor", param="after", items="data", cursor_key="id", has_more="has_more")

    @attrs.define
    class Item:
        id: Any

    fetch = FakeOperation(FakePage([Item("a"), Item(UNSET)], has_more=True))
    seen = []
    with pytest.raises(PaginationError, match="no 'id'"):
        await drain(PageIterator(fetch, by_item, None, {}), seen)
    assert [item.id for item in seen] == ["a", UNSET]
    assert len(fetch.calls) == 1
