"""teams_notes_list: GET /v1/teams/{teamId}/notes (NotesController_listNotes), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.notes_page import NotesPage

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._pagination import PageIterator, Pagination
from novu_async._types import UNSET, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from fixture_api.models.note import Note

    from novu_async._core import NovuCore

__all__ = [
    "OPERATION",
    "PAGINATION",
    "teams_notes_list",
    "teams_notes_list_iter",
    "teams_notes_list_response",
]

OPERATION = Operation(
    name="teams_notes_list",
    operation_id="NotesController_listNotes",
    method="GET",
    path="/v1/teams/{teamId}/notes",
    path_params=(Param("teamId", "team_id", required=True, kind="str"),),
    query_params=(
        Param("limit", "limit", kind="float"),
        Param("after", "after", kind="str"),
        Param("offset", "offset", kind="float"),
        Param("pinned", "pinned", kind="bool"),
    ),
    responses={
        "200": ResponseSpec(NotesPage),
    },
)


async def teams_notes_list_response(
    core: NovuCore,
    team_id: str,
    *,
    limit: float | Unset = UNSET,
    after: str | Unset = UNSET,
    offset: float | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[NotesPage]:
    """List a team's notes.

    ``GET /v1/teams/{teamId}/notes`` (NotesController_listNotes)

    The cursor is the id of the last item seen; hasMore says whether more follow.

    Args:
        team_id:
        limit:
        after:
        offset:
        pinned:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``NotesPage`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        path={
            "teamId": team_id,
        },
        query={
            "limit": limit,
            "after": after,
            "offset": offset,
            "pinned": pinned,
        },
        options=options,
    )


async def teams_notes_list(
    core: NovuCore,
    team_id: str,
    *,
    limit: float | Unset = UNSET,
    after: str | Unset = UNSET,
    offset: float | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    options: RequestOptions | None = None,
) -> NotesPage:
    """List a team's notes.

    ``GET /v1/teams/{teamId}/notes``: returns the parsed body. ``teams_notes_list_response``
    describes the arguments and also returns the status and headers.
    """
    response = await teams_notes_list_response(
        core, team_id, limit=limit, after=after, offset=offset, pinned=pinned, options=options
    )
    return response.data


# a list operation: how it pages, for teams_notes_list_iter
PAGINATION = Pagination(
    style="cursor",
    param="after",
    items="data",
    size_param="limit",
    cursor_key="id",
    has_more="has_more",
)


def teams_notes_list_iter(
    core: NovuCore,
    team_id: str,
    *,
    limit: float | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    max_items: int | None = None,
    options: RequestOptions | None = None,
) -> PageIterator[Note]:
    """List a team's notes: every item, page after page.

    ``GET /v1/teams/{teamId}/notes``. Returns a ``PageIterator`` for ``async for``: it requests
    the pages of ``teams_notes_list`` one at a time, as the loop needs them. It sends the ``id``
    of each page's last item as ``after``, and stops after a page whose ``has_more`` is false or
    an empty page.

    Takes the arguments of ``teams_notes_list_response`` except ``after``, ``offset``, and:

    Args:
        max_items: Stop after this many items, without requesting another page (None: all).
        options: Per-request timeout, retries and extra headers, for every page.
    """
    return PageIterator(
        teams_notes_list,
        PAGINATION,
        core,
        {
            "team_id": team_id,
            "limit": limit,
            "pinned": pinned,
            "options": options,
        },
        max_items=max_items,
    )
