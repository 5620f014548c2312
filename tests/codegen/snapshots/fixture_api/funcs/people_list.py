"""people_list: GET /v1/people (PeopleController_listPeople), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fixture_api.funcs._errors_1 import ERRORS
from fixture_api.models.channel_enum import ChannelEnum
from fixture_api.models.person import Person
from fixture_api.models.sort_order import SortOrder

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import UNSET, Limits, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "people_list", "people_list_response"]

OPERATION = Operation(
    name="people_list",
    operation_id="PeopleController_listPeople",
    method="GET",
    path="/v1/people",
    query_params=(
        Param("order", "order", required=True, kind="enum"),
        Param("limit", "limit", kind="float", limits=Limits(minimum=1, maximum=100)),
        Param("channels", "channels", kind="enum"),
        Param("since", "since", kind="datetime"),
    ),
    responses={
        "200": ResponseSpec(list[Person]),
    },
    errors=ERRORS,
)


async def people_list_response(
    core: NovuCore,
    *,
    order: SortOrder | str,
    limit: float | Unset = UNSET,
    channels: list[ChannelEnum | str] | Unset = UNSET,
    since: datetime | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[list[Person]]:
    """List people.

    ``GET /v1/people`` (PeopleController_listPeople)

    Args:
        order:
        limit:
        channels:
        since:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``list[Person]`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        query={
            "order": order,
            "limit": limit,
            "channels": channels,
            "since": since,
        },
        options=options,
    )


async def people_list(
    core: NovuCore,
    *,
    order: SortOrder | str,
    limit: float | Unset = UNSET,
    channels: list[ChannelEnum | str] | Unset = UNSET,
    since: datetime | Unset = UNSET,
    options: RequestOptions | None = None,
) -> list[Person]:
    """List people.

    ``GET /v1/people``: returns the parsed body. ``people_list_response`` describes the
    arguments and also returns the status and headers.
    """
    response = await people_list_response(
        core, order=order, limit=limit, channels=channels, since=since, options=options
    )
    return response.data
