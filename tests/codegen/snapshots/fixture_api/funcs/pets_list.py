"""pets_list: GET /v1/pets (PetsController_listPets), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.funcs._errors_2 import ERRORS
from fixture_api.models.pets_page import PetsPage

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._pagination import PageIterator, Pagination
from novu_async._types import UNSET, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from fixture_api.models.person import Person

    from novu_async._core import NovuCore

__all__ = ["OPERATION", "PAGINATION", "pets_list", "pets_list_iter", "pets_list_response"]

OPERATION = Operation(
    name="pets_list",
    operation_id="PetsController_listPets",
    method="GET",
    path="/v1/pets",
    query_params=(
        Param("limit", "limit", kind="float"),
        Param("offset", "offset", kind="float"),
        Param("query", "query", kind="str"),
    ),
    responses={
        "200": ResponseSpec(PetsPage),
    },
    errors=ERRORS,
)


async def pets_list_response(
    core: NovuCore,
    *,
    limit: float | Unset = UNSET,
    offset: float | Unset = UNSET,
    query: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[PetsPage]:
    """List pets.

    ``GET /v1/pets`` (PetsController_listPets)

    Offset pagination: limit/offset in, the items and their total count out.

    Args:
        limit:
        offset:
        query:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``PetsPage`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        query={
            "limit": limit,
            "offset": offset,
            "query": query,
        },
        options=options,
    )


async def pets_list(
    core: NovuCore,
    *,
    limit: float | Unset = UNSET,
    offset: float | Unset = UNSET,
    query: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> PetsPage:
    """List pets.

    ``GET /v1/pets``: returns the parsed body. ``pets_list_response`` describes the arguments
    and also returns the status and headers.
    """
    response = await pets_list_response(core, limit=limit, offset=offset, query=query, options=options)
    return response.data


# a list operation: how it pages, for pets_list_iter
PAGINATION = Pagination(
    style="offset",
    param="offset",
    items="pets",
    size_param="limit",
    total_count="total_count",
)


def pets_list_iter(
    core: NovuCore,
    *,
    limit: float | Unset = UNSET,
    query: str | Unset = UNSET,
    max_items: int | None = None,
    options: RequestOptions | None = None,
) -> PageIterator[Person]:
    """List pets: every item, page after page.

    ``GET /v1/pets``. Returns a ``PageIterator`` for ``async for``: it requests the pages of
    ``pets_list`` one at a time, as the loop needs them. It sends the number of items received
    so far as ``offset``, and stops after ``total_count`` items or an empty page.

    Takes the arguments of ``pets_list_response`` except ``offset``, and:

    Args:
        max_items: Stop after this many items, without requesting another page (None: all).
        options: Per-request timeout, retries and extra headers, for every page.
    """
    return PageIterator(
        pets_list,
        PAGINATION,
        core,
        {
            "limit": limit,
            "query": query,
            "options": options,
        },
        max_items=max_items,
    )
