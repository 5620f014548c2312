"""events_list: GET /v1/events (EventsController_listEvents), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fixture_api.models.events_page import EventsPage

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._pagination import PageIterator, Pagination
from novu_async._types import UNSET, Limits, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "PAGINATION", "events_list", "events_list_iter", "events_list_response"]

OPERATION = Operation(
    name="events_list",
    operation_id="EventsController_listEvents",
    method="GET",
    path="/v1/events",
    query_params=(
        Param("page", "page", kind="float", limits=Limits(minimum=1)),
        Param("limit", "limit", kind="float"),
        Param("after", "after", kind="datetime"),
    ),
    responses={
        "200": ResponseSpec(EventsPage),
    },
)


async def events_list_response(
    core: NovuCore,
    *,
    page: float | Unset = UNSET,
    limit: float | Unset = UNSET,
    after: datetime | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[EventsPage]:
    """List events.

    ``GET /v1/events`` (EventsController_listEvents)

    Page pagination from page 1: page/limit in, data/hasMore/page/pageSize out.

    Args:
        page:
        limit:
        after: A date filter, not a cursor.
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``EventsPage`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        query={
            "page": page,
            "limit": limit,
            "after": after,
        },
        options=options,
    )


async def events_list(
    core: NovuCore,
    *,
    page: float | Unset = UNSET,
    limit: float | Unset = UNSET,
    after: datetime | Unset = UNSET,
    options: RequestOptions | None = None,
) -> EventsPage:
    """List events.

    ``GET /v1/events``: returns the parsed body. ``events_list_response`` describes the
    arguments and also returns the status and headers.
    """
    response = await events_list_response(core, page=page, limit=limit, after=after, options=options)
    return response.data


# a list operation: how it pages, for events_list_iter
PAGINATION = Pagination(
    style="page",
    param="page",
    items="data",
    size_param="limit",
    has_more="has_more",
    first_page=1,
)


def events_list_iter(
    core: NovuCore,
    *,
    limit: float | Unset = UNSET,
    after: datetime | Unset = UNSET,
    max_items: int | None = None,
    options: RequestOptions | None = None,
) -> PageIterator[str]:
    """List events: every item, page after page.

    ``GET /v1/events``. Returns a ``PageIterator`` for ``async for``: it requests the pages of
    ``events_list`` one at a time, as the loop needs them. It sends ``page`` = 1, 2, ..., and
    stops after a page whose ``has_more`` is false or an empty page.

    Takes the arguments of ``events_list_response`` except ``page``, and:

    Args:
        max_items: Stop after this many items, without requesting another page (None: all).
        options: Per-request timeout, retries and extra headers, for every page.
    """
    return PageIterator(
        events_list,
        PAGINATION,
        core,
        {
            "limit": limit,
            "after": after,
            "options": options,
        },
        max_items=max_items,
    )
