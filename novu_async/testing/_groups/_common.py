"""What every resource group uses: readers of query and body values that answer 422 naming the field,
the error answers, and the document's two pagination styles.

* ``cursor_page``: the v2 lists (``after`` / ``before`` cursors, ``includeCursor``, ``limit`` 1-100,
  ``orderBy``, ``orderDirection``) -> ``{data, next, previous, totalCount, totalCountCapped}``;
* ``offset_page``: the v1 lists (``page`` from 0, ``limit``) -> ``{data, page, pageSize, hasMore,
  totalCount}``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

from .._clock import iso
from .._routes import Call
from .._wire import ApiError

__all__ = [
    "Args",
    "Fields",
    "conflict",
    "cursor_page",
    "not_found",
    "offset_page",
    "sorted_page",
    "time_or_none",
]

T = TypeVar("T")

MAX_PAGE: Final = 100
TOTAL_COUNT_CAP: Final = 50_000
_MISSING: Final = object()


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def conflict(message: str) -> ApiError:
    return ApiError(409, message)


def time_or_none(timestamp: float | None) -> str | None:
    return None if timestamp is None else iso(timestamp)


class Args:
    """The query of a call, read by name; a bad value is a 422 naming it."""

    def __init__(self, call: Call) -> None:
        self._values = call.args

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def text(self, name: str, default: str | None = None) -> str | None:
        values = self._values.get(name)
        return values[-1] if values else default

    def texts(self, name: str) -> list[str]:
        """Every value of an array parameter (repeated keys; a comma-separated value is split too)."""
        return [part for value in self._values.get(name, ()) for part in value.split(",") if part]

    def number(
        self, name: str, default: float | None = None, low: float = -math.inf, high: float = math.inf
    ) -> float | None:
        text = self.text(name)
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            raise ApiError.invalid(name, f"{name} must be a number from {low:g} to {high:g}", text)
        return value

    def whole(self, name: str, default: int, low: int = 0, high: int | None = None) -> int:
        value = self.number(name)
        if value is None:
            return default
        if not value.is_integer() or value < low or (high is not None and value > high):
            most = "" if high is None else f" to {high}"
            raise ApiError.invalid(name, f"{name} must be a whole number from {low}{most}", self.text(name))
        return int(value)

    def flag(self, name: str) -> bool | None:
        text = self.text(name)
        if text is None:
            return None
        if text not in ("true", "false"):
            raise ApiError.invalid(name, f"{name} must be a boolean value", text)
        return text == "true"

    def choice(self, name: str, options: Sequence[str], default: str | None = None) -> str | None:
        text = self.text(name, default)
        if text is not None and text not in options:
            raise ApiError.invalid(
                name, f"{name} must be one of the following values: {', '.join(options)}", text
            )
        return text


class Fields:
    """A JSON object body (or part of one), read by name; a bad value is a 422 naming its path."""

    def __init__(self, body: Any, prefix: str = "") -> None:
        if not isinstance(body, dict):
            raise ApiError.invalid(
                prefix.rstrip(".") or "body", f"{prefix.rstrip('.') or 'body'} must be an object"
            )
        self.body: dict[str, Any] = body
        self.prefix = prefix

    def __contains__(self, name: str) -> bool:
        return name in self.body

    def _get(self, name: str, required: bool, nullable: bool) -> Any:
        value = self.body.get(name, _MISSING)
        if value is _MISSING or (value is None and not nullable):
            if required:
                raise ApiError.invalid(self.prefix + name, f"{name} should not be empty", None)
            return _MISSING
        return value

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        nullable: bool = False,
        min_length: int = 0,
        max_length: int | None = None,
    ) -> Any:
        """A string (None when null and ``nullable``); ``None`` when absent and not required."""
        value = self._get(name, required, nullable)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str):
            raise ApiError.invalid(self.prefix + name, f"{name} must be a string", value)
        if len(value) < min_length or (required and not value.strip()):
            raise ApiError.invalid(self.prefix + name, f"{name} should not be empty", value)
        if max_length is not None and len(value) > max_length:
            raise ApiError.invalid(
                self.prefix + name, f"{name} must be shorter than or equal to {max_length} characters", value
            )
        return value

    def flag(self, name: str, *, required: bool = False) -> bool | None:
        value = self._get(name, required, False)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            raise ApiError.invalid(self.prefix + name, f"{name} must be a boolean value", value)
        return value

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self._get(name, required, False)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ApiError.invalid(self.prefix + name, f"{name} must be a number", value)
        return float(value)

    def obj(self, name: str, *, required: bool = False, nullable: bool = False) -> Any:
        """An object (None when null and ``nullable``, or absent and not required)."""
        value = self._get(name, required, nullable)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, dict):
            raise ApiError.invalid(self.prefix + name, f"{name} must be an object", None)
        return value

    def array(
        self, name: str, *, required: bool = False, max_items: int | None = None, min_items: int = 0
    ) -> list[Any] | None:
        value = self._get(name, required, False)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            raise ApiError.invalid(self.prefix + name, f"{name} must be an array", None)
        if len(value) < max(min_items, 1 if required else 0):
            raise ApiError.invalid(self.prefix + name, f"{name} should not be empty", None)
        if max_items is not None and len(value) > max_items:
            raise ApiError.invalid(
                self.prefix + name, f"{name} must contain no more than {max_items} elements", None
            )
        return value

    def choice(self, name: str, options: Sequence[str], *, required: bool = False) -> str | None:
        value = self._get(name, required, False)
        if value is _MISSING:
            return None
        if value not in options:
            raise ApiError.invalid(
                self.prefix + name, f"{name} must be one of the following values: {', '.join(options)}", value
            )
        return value  # type: ignore[no-any-return]

    def strings(self, name: str, *, required: bool = False, max_items: int | None = None) -> list[str] | None:
        items = self.array(name, required=required, max_items=max_items)
        if items is None:
            return None
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item:
                raise ApiError.invalid(
                    f"{self.prefix}{name}.{index}", f"each value in {name} must be a string", item
                )
        return items

    def inner(self, name: str, *, required: bool = False) -> Fields | None:
        """A nested object's fields (None when absent and not required)."""
        value = self.obj(name, required=required)
        return None if value is None else Fields(value, f"{self.prefix}{name}.")


# --- pagination


def cursor_page(
    call: Call,
    items: Iterable[T],
    *,
    cursor: Callable[[T], str],
    changed: Callable[[T], int] | None = None,
    keep: Callable[[T], bool] | None = None,
    render: Callable[[T], Any],
    default_limit: int = 10,
) -> dict[str, Any]:
    """One page of a v2 list. ``items`` in creation order; ``cursor`` gives an item's cursor (its
    ``_id``, or the key Novu pages by); ``changed`` a counter of its last change (``orderBy=updatedAt``);
    ``keep`` the query's filters. ``after`` pages forwards from a cursor, ``before`` backwards, each
    leaving the cursor's own item out unless ``includeCursor=true``."""
    args = Args(call)
    limit = args.whole("limit", default_limit, low=1, high=MAX_PAGE)
    direction = args.choice("orderDirection", ("ASC", "DESC"), "DESC")
    order_by = args.choice("orderBy", ("_id", "createdAt", "updatedAt"), "_id")
    after, before = args.text("after") or None, args.text("before") or None
    if after and before:
        raise ApiError.invalid("before", "after and before cannot be used together", before)
    ordered = list(items)
    if order_by == "updatedAt" and changed is not None:
        ordered.sort(key=changed)
    if direction == "DESC":
        ordered.reverse()
    ranks = [rank for rank, item in enumerate(ordered) if keep is None or keep(item)]
    start, end = 0, min(limit, len(ranks))
    mark = after or before
    if mark:
        rank = next((r for r, item in enumerate(ordered) if cursor(item) == mark), None)
        if rank is None:
            raise ApiError.invalid("after" if after else "before", "the cursor is not a known item", mark)
        at = bisect.bisect_left(ranks, rank)  # matching items before the cursor
        on_cursor = at < len(ranks) and ranks[at] == rank
        include = args.flag("includeCursor") is True and on_cursor
        if after:
            start = at if include else at + on_cursor
            end = min(start + limit, len(ranks))
        else:
            end = at + include
            start = max(0, end - limit)
    page = [ordered[r] for r in ranks[start:end]]
    return {
        "data": [render(item) for item in page],
        "next": cursor(page[-1]) if page and end < len(ranks) else None,
        "previous": cursor(page[0]) if page and start > 0 else None,
        "totalCount": min(len(ranks), TOTAL_COUNT_CAP),
        "totalCountCapped": len(ranks) > TOTAL_COUNT_CAP,
    }


def offset_page(
    call: Call,
    items: Sequence[T],
    render: Callable[[T], Any],
    *,
    default_limit: int = 10,
    max_limit: int = MAX_PAGE,
    total: bool = True,
) -> dict[str, Any]:
    """One page of a v1 list: ``page`` (from 0) of ``limit`` items."""
    args = Args(call)
    page = args.whole("page", 0, low=0)
    limit = args.whole("limit", default_limit, low=1, high=max_limit)
    chunk = items[page * limit : (page + 1) * limit]
    answer: dict[str, Any] = {
        "hasMore": len(items) > (page + 1) * limit,
        "data": [render(item) for item in chunk],
        "pageSize": limit,
        "page": page,
    }
    if total:
        answer["totalCount"] = len(items)
    return answer


def sorted_page(
    call: Call,
    items: Iterable[T],
    keys: Mapping[str, Callable[[T], Any]],
    *,
    order_by: str = "createdAt",
    default_limit: int = 10,
) -> tuple[list[T], int]:
    """One page of a v2 list sorted by ``orderBy`` (a name in ``keys``) and ``orderDirection``
    (``DESC`` by default) and paged with ``limit`` and ``offset``; and how many items there are."""
    args = Args(call)
    limit = args.whole("limit", default_limit, low=1, high=MAX_PAGE)
    offset = args.whole("offset", 0, low=0)
    direction = args.choice("orderDirection", ("ASC", "DESC"), "DESC")
    chosen = args.choice("orderBy", tuple(keys), order_by) or order_by
    ordered = sorted(items, key=keys[chosen], reverse=direction == "DESC")
    return ordered[offset : offset + limit], len(ordered)
