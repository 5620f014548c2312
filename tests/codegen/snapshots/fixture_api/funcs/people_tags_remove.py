"""people_tags_remove: DELETE /v1/people/{personId}/tags/{tag} (PeopleController_removeTag), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.funcs._errors_1 import ERRORS

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import UNSET, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "people_tags_remove", "people_tags_remove_response"]

OPERATION = Operation(
    name="people_tags_remove",
    operation_id="PeopleController_removeTag",
    method="DELETE",
    path="/v1/people/{personId}/tags/{tag}",
    path_params=(
        Param("personId", "person_id", required=True, kind="str"),
        Param("tag", "tag", required=True, kind="str"),
    ),
    query_params=(Param("body", "body_param", kind="bool"),),
    header_params=(Param("idempotency-key", "idempotency_key", kind="str"),),
    responses={
        "204": ResponseSpec(),
    },
    errors=ERRORS,
)


async def people_tags_remove_response(
    core: NovuCore,
    person_id: str,
    tag: str,
    *,
    body_param: bool | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[None]:
    """people tags remove.

    ``DELETE /v1/people/{personId}/tags/{tag}`` (PeopleController_removeTag)

    Args:
        person_id:
        tag:
        body_param:
        idempotency_key:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``None`` (204: no body).

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
        query={
            "body": body_param,
        },
        headers={
            "idempotency-key": idempotency_key,
        },
        options=options,
    )


async def people_tags_remove(
    core: NovuCore,
    person_id: str,
    tag: str,
    *,
    body_param: bool | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> None:
    """people tags remove.

    ``DELETE /v1/people/{personId}/tags/{tag}``: returns the parsed body.
    ``people_tags_remove_response`` describes the arguments and also returns the status and
    headers.
    """
    response = await people_tags_remove_response(
        core, person_id, tag, body_param=body_param, idempotency_key=idempotency_key, options=options
    )
    return response.data
