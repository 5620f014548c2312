"""teams_list: GET /v1/teams (TeamsController_listTeams), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.teams_page import TeamsPage

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._pagination import PageIterator, Pagination
from novu_async._types import UNSET, Limits, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from fixture_api.models.team import Team

    from novu_async._core import NovuCore

__all__ = ["OPERATION", "PAGINATION", "teams_list", "teams_list_iter", "teams_list_response"]

OPERATION = Operation(
    name="teams_list",
    operation_id="TeamsController_listTeams",
    method="GET",
    path="/v1/teams",
    query_params=(
        Param("after", "after", kind="str"),
        Param("before", "before", kind="str"),
        Param("limit", "limit", kind="float", limits=Limits(maximum=100)),
        Param("includeCursor", "include_cursor", kind="bool"),
        Param("name", "name", kind="str"),
    ),
    responses={
        "200": ResponseSpec(TeamsPage),
    },
)


async def teams_list_response(
    core: NovuCore,
    *,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    limit: float | Unset = UNSET,
    include_cursor: bool | Unset = UNSET,
    name: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[TeamsPage]:
    """List teams.

    ``GET /v1/teams`` (TeamsController_listTeams)

    Cursor pagination: after/before/limit in, data/next/previous out.

    Args:
        after: Cursor of the page to start after.
        before: Cursor of the page to end before.
        limit: Items per page.
        include_cursor: Include the cursor's own item.
        name: Filter by name.
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``TeamsPage`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        query={
            "after": after,
            "before": before,
            "limit": limit,
            "includeCursor": include_cursor,
            "name": name,
        },
        options=options,
    )


async def teams_list(
    core: NovuCore,
    *,
    after: str | Unset = UNSET,
    before: str | Unset = UNSET,
    limit: float | Unset = UNSET,
    include_cursor: bool | Unset = UNSET,
    name: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> TeamsPage:
    """List teams.

    ``GET /v1/teams``: returns the parsed body. ``teams_list_response`` describes the arguments
    and also returns the status and headers.
    """
    response = await teams_list_response(
        core,
        after=after,
        before=before,
        limit=limit,
        include_cursor=include_cursor,
        name=name,
        options=options,
    )
    return response.data


# a list operation: how it pages, for teams_list_iter
PAGINATION = Pagination(
    style="cursor",
    param="after",
    items="data",
    size_param="limit",
    next_cursor="next",
    total_count="total_count",
)


def teams_list_iter(
    core: NovuCore,
    *,
    limit: float | Unset = UNSET,
    name: str | Unset = UNSET,
    max_items: int | None = None,
    options: RequestOptions | None = None,
) -> PageIterator[Team]:
    """List teams: every item, page after page.

    ``GET /v1/teams``. Returns a ``PageIterator`` for ``async for``: it requests the pages of
    ``teams_list`` one at a time, as the loop needs them. It sends each page's ``next`` cursor
    as ``after``, and stops after a page without a next cursor or an empty page.

    Takes the arguments of ``teams_list_response`` except ``after``, ``before``,
    ``include_cursor``, and:

    Args:
        max_items: Stop after this many items, without requesting another page (None: all).
        options: Per-request timeout, retries and extra headers, for every page.
    """
    return PageIterator(
        teams_list,
        PAGINATION,
        core,
        {
            "limit": limit,
            "name": name,
            "options": options,
        },
        max_items=max_items,
    )
