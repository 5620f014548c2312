"""events_retrieve: GET /v1/events/count (EventsController_getCount), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.event_count import EventCount

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import UNSET, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "events_retrieve", "events_retrieve_response"]

OPERATION = Operation(
    name="events_retrieve",
    operation_id="EventsController_getCount",
    method="GET",
    path="/v1/events/count",
    query_params=(Param("limit", "limit", kind="float"),),
    responses={
        "200": ResponseSpec(EventCount),
    },
)


async def events_retrieve_response(
    core: NovuCore, *, limit: float | Unset = UNSET, options: RequestOptions | None = None
) -> Response[EventCount]:
    """Count events.

    ``GET /v1/events/count`` (EventsController_getCount)

    Takes a limit but answers with a number: not a list operation.

    Args:
        limit:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``EventCount`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        query={
            "limit": limit,
        },
        options=options,
    )


async def events_retrieve(
    core: NovuCore, *, limit: float | Unset = UNSET, options: RequestOptions | None = None
) -> EventCount:
    """Count events.

    ``GET /v1/events/count``: returns the parsed body. ``events_retrieve_response`` describes
    the arguments and also returns the status and headers.
    """
    response = await events_retrieve_response(core, limit=limit, options=options)
    return response.data
