"""Auto-pagination: iterate over the items of a list operation across all of its pages.

The generator finds the list operations of the document and writes, per operation, a ``Pagination``
constant (how the operation pages: which argument to drive, which page attributes to read) and a
``NAME_iter`` function that returns a ``PageIterator`` over the operation's ``NAME`` function::

    async for subscriber in subscribers_search_iter(core, limit=100, max_items=500):
        ...

Three styles cover the Novu documents:

* ``cursor``: the iterator sends a cursor argument (``after``) taken from each page's next-cursor
  attribute (``next``), or, when the page has none, from a key of the page's last item (``id``);
* ``offset``: it sends the number of items received so far (``offset``);
* ``page``: it sends page numbers (``page``), from the document's first page up, one at a time.

It stops at the first of: no next cursor; ``hasMore`` false; as many items as ``totalCount``;
a page shorter than the requested page size; an empty page; ``max_items`` items. The signals are
trusted in that order: a short page ends the iteration only when the page has no ``hasMore`` and
no ``totalCount`` (a server may cap the page size), and a next cursor makes the others moot.

A server whose pages do not advance raises ``PaginationError`` instead of looping forever: a
cursor it gave before ends the iteration after that page's items, the same page of items twice in
a row at once (those items are not handed out again).

``PageIterator`` is a plain async iterator, not an async generator: nothing is suspended between
items, so leaving an ``async for`` early (``break``, an exception, a cancelled task) leaves nothing
to finalize, on asyncio and on trio alike. ``aclose()`` and ``async with`` are there all the same,
for code written against async generators (``contextlib.aclosing`` works too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from ._types import Unset
from .errors import NovuError

if TYPE_CHECKING:
    from ._core import NovuCore

__all__ = ["PageIterator", "Pagination", "PaginationError"]

T = TypeVar("T")
Style = Literal["cursor", "offset", "page"]


class PaginationError(NovuError, RuntimeError):
    """The server's pages do not advance: it sent a cursor it had sent before, or the same page of
    items twice in a row. Iterating on would never end, so the iterator stops with this error."""


@attrs.frozen
class Pagination:
    """How one list operation pages, as the generator read it from the document.

    Every name is a Python name: an argument of the operation's function, or an attribute of its
    page model (``items``, ``next_cursor``, ``has_more``, ``total_count``) or of its item model
    (``cursor_key``).

    * ``style``: ``"cursor"``, ``"offset"`` or ``"page"`` (see the module docstring);
    * ``param``: the argument the iterator drives (``after``, ``offset``, ``page``);
    * ``items``: the page attribute that holds the list of items (``data``, ``workflows``...);
    * ``size_param``: the page-size argument (``limit``), left to the caller, or ``None``;
    * ``next_cursor``: cursor style, the page attribute with the next page's cursor (``next``);
    * ``cursor_key``: cursor style without ``next_cursor``, the attribute of the last item whose
      value is the next cursor (``id``);
    * ``has_more`` / ``total_count``: page attributes that say whether more items follow;
    * ``first_page``: page style, the number of the first page (the document's default, else 0).
    """

    style: Style
    param: str
    items: str
    size_param: str | None = None
    next_cursor: str | None = None
    cursor_key: str | None = None
    has_more: str | None = None
    total_count: str | None = None
    first_page: int = 0

    def __attrs_post_init__(self) -> None:
        if self.style == "cursor" and (self.next_cursor is None) == (self.cursor_key is None):
            raise ValueError("a cursor pagination needs exactly one of next_cursor and cursor_key")


def _value(obj: Any, name: str | None) -> Any:
    """An attribute of a page or an item, ``None`` when absent (``UNSET``) or not declared."""
    if name is None:
        return None
    value = getattr(obj, name, None)
    return None if isinstance(value, Unset) else value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class PageIterator(Generic[T]):
    """The items of every page of one list operation, fetched lazily: one request per page, made
    only when the items already received are used up.

    ``fetch`` is the operation's generated function (``subscribers_search``); ``params`` the
    caller's arguments to it, by Python name, without the driven one. ``max_items`` (``None``: no
    limit) stops the iteration after that many items, without requesting another page.

    When a page request fails (an ``APIError``, a connection error...) the error propagates and the
    iterator keeps its place: iterating again requests the same page again. After a
    ``PaginationError``, or ``aclose()``, it is exhausted. One iterator serves one consumer: a
    second ``anext()`` while a page request is running raises ``RuntimeError``.
    """

    __slots__ = (
        "_core",
        "_cursors",
        "_done",
        "_error",
        "_fetch",
        "_index",
        "_items",
        "_max_items",
        "_next",
        "_pagination",
        "_params",
        "_received",
        "_running",
        "_yielded",
    )

    def __init__(
        self,
        fetch: Callable[..., Awaitable[Any]],
        pagination: Pagination,
        core: NovuCore,
        params: Mapping[str, Any],
        *,
        max_items: int | None = None,
    ) -> None:
        if max_items is not None and (isinstance(max_items, bool) or max_items < 0):
            raise ValueError(f"max_items must be None or a number >= 0, got {max_items!r}")
        if pagination.param in params:
            raise TypeError(f"the iterator drives {pagination.param!r} itself")
        self._fetch = fetch
        self._pagination = pagination
        self._core = core
        self._params = dict(params)
        self._max_items = max_items
        self._items: list[T] = []  # the current page's items
        self._index = 0  # the next one of them to hand out
        self._yielded = 0
        self._received = 0  # items on all pages so far
        self._cursors: set[Any] = set()  # cursors sent so far
        self._done = False  # no page left to request
        self._error: PaginationError | None = None  # raised once the current page's items are out
        self._running = False
        # the value of the driven argument for the next request; None: leave it out (first cursor)
        self._next: Any = {"cursor": None, "offset": 0, "page": pagination.first_page}[pagination.style]

    def __repr__(self) -> str:
        name = getattr(self._fetch, "__name__", "?")
        return f"<PageIterator {name} ({self._pagination.style}): {self._yielded} items so far>"

    @property
    def buffered(self) -> int:
        """Items received (the rest of the current page) and not handed out yet: taking one of
        them requests nothing."""
        return len(self._items) - self._index

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._running:
            raise RuntimeError("PageIterator: anext() called while a page request is running")
        while True:
            if self._max_items is not None and self._yielded >= self._max_items:
                self._finish()
            if self._index < len(self._items):
                item = self._items[self._index]
                self._index += 1
                self._yielded += 1
                return item
            if self._done:
                error, self._error = self._error, None
                if error is not None:
                    raise error
                raise StopAsyncIteration
            self._running = True
            try:
                await self._request_page()
            finally:
                self._running = False

    async def aclose(self) -> None:
        """Stop: later iterations end at once and no further page is requested."""
        self._finish()

    async def __aenter__(self) -> PageIterator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._finish()

    def _finish(self) -> None:
        self._done = True
        self._error = None
        self._items = []
        self._index = 0

    def _fail(self, message: str) -> None:
        """No further page: hand out the current page's items, then raise ``PaginationError``."""
        self._done = True
        self._error = PaginationError(f"{self._name()}: {message}")

    async def _request_page(self) -> None:
        spec = self._pagination
        arguments = dict(self._params)
        if self._next is not None:
            arguments[spec.param] = self._next
        page = await self._fetch(self._core, **arguments)
        # the request succeeded: from here on the iterator moves to the next page, whatever follows
        raw = _value(page, spec.items)
        items: list[T] = list(raw) if raw is not None else []
        if not items:
            self._finish()
            return
        if items == self._items:  # these are not new items: none of them is handed out
            self._finish()
            raise PaginationError(
                f"{self._name()}: the server sent the same {len(items)} items for "
                f"{spec.param}={self._next!r} as for the page before; its pages would never end"
            )
        if self._next is not None and spec.style == "cursor":
            self._cursors.add(self._next)
        self._items, self._index = items, 0
        self._received += len(items)
        self._advance(page, items)

    def _advance(self, page: Any, items: list[T]) -> None:
        """Work out the next request's argument, or that there is none."""
        spec = self._pagination
        if spec.style == "cursor" and spec.next_cursor is not None:
            # the page's own next cursor is the whole truth: none means no more pages
            cursor = _value(page, spec.next_cursor)
            if cursor is None or cursor == "":
                self._done = True
            elif self._is_new(cursor, spec.next_cursor):
                self._next = cursor
            return
        if not self._more(page, items):
            self._done = True
            return
        if spec.style == "cursor":
            cursor = _value(items[-1], spec.cursor_key)
            if cursor is None or cursor == "":
                self._fail(f"the page says more items follow, but its last item has no {spec.cursor_key!r}")
            elif self._is_new(cursor, f"the {spec.cursor_key} of the last item"):
                self._next = cursor
        elif spec.style == "offset":
            self._next = self._received
        else:
            self._next += 1

    def _more(self, page: Any, items: list[T]) -> bool:
        """Whether another page may hold items, from the best signal the page gives."""
        spec = self._pagination
        has_more = _value(page, spec.has_more)
        if isinstance(has_more, bool):
            return has_more
        total = _number(_value(page, spec.total_count))
        if total is not None:
            return self._received < total
        size = _number(self._params.get(spec.size_param)) if spec.size_param is not None else None
        if size is not None:
            return len(items) >= size
        return True  # nothing to go by: the next page, empty, will tell

    def _is_new(self, cursor: Any, where: str) -> bool:
        if cursor in self._cursors:
            self._fail(f"the server sent cursor {cursor!r} ({where}) again; its pages would never end")
            return False
        return True

    def _name(self) -> str:
        return str(getattr(self._fetch, "__name__", "a list operation"))
