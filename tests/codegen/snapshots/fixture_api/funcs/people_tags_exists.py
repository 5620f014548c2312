"""people_tags_exists: GET /v1/people/{personId}/tags/{tag} (PeopleController_tagExists), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.data_boolean import DataBoolean

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import RequestOptions, Response

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "people_tags_exists", "people_tags_exists_response"]

OPERATION = Operation(
    name="people_tags_exists",
    operation_id="PeopleController_tagExists",
    method="GET",
    path="/v1/people/{personId}/tags/{tag}",
    path_params=(
        Param("personId", "person_id", required=True, kind="str"),
        Param("tag", "tag", required=True, kind="str"),
    ),
    responses={
        "200": ResponseSpec(DataBoolean, unwrap=False),
    },
)


async def people_tags_exists_response(
    core: NovuCore, person_id: str, tag: str, *, options: RequestOptions | None = None
) -> Response[DataBoolean]:
    """people tags exists.

    ``GET /v1/people/{personId}/tags/{tag}`` (PeopleController_tagExists)

    Args:
        person_id:
        tag:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``DataBoolean`` (200).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        path={
            "personId": person_id,
            "tag": tag,
        },
        options=options,
    )


async def people_tags_exists(
    core: NovuCore, person_id: str, tag: str, *, options: RequestOptions | None = None
) -> DataBoolean:
    """people tags exists.

    ``GET /v1/people/{personId}/tags/{tag}``: returns the parsed body.
    ``people_tags_exists_response`` describes the arguments and also returns the status and
    headers.
    """
    response = await people_tags_exists_response(core, person_id, tag, options=options)
    return response.data
