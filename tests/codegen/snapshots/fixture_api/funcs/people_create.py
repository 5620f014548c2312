"""people_create: POST /v1/people (PeopleController_createPerson), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.funcs._errors_1 import ERRORS
from fixture_api.models.person import Person

from novu_async._operation import Operation, Param, ResponseSpec
from novu_async._types import UNSET, RequestOptions, Response, Unset

if TYPE_CHECKING:
    from fixture_api.dicts.person import PersonDict

    from novu_async._core import NovuCore

__all__ = ["OPERATION", "people_create", "people_create_response"]

OPERATION = Operation(
    name="people_create",
    operation_id="PeopleController_createPerson",
    method="POST",
    path="/v1/people",
    header_params=(Param("idempotency-key", "idempotency_key", kind="str"),),
    body_type=Person,
    body_kind="json",
    body_required=True,
    body_max_items={
        "nicknames": 3,
    },
    responses={
        "201": ResponseSpec(Person),
    },
    errors=ERRORS,
)


async def people_create_response(
    core: NovuCore,
    body: Person | PersonDict,
    *,
    idempotency_key: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Response[Person]:
    """Create a person.

    ``POST /v1/people`` (PeopleController_createPerson)

    Creates one.

    Args:
        body: The person.
        idempotency_key:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``Person`` (201).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        headers={
            "idempotency-key": idempotency_key,
        },
        body=body,
        options=options,
    )


async def people_create(
    core: NovuCore,
    body: Person | PersonDict,
    *,
    idempotency_key: str | Unset = UNSET,
    options: RequestOptions | None = None,
) -> Person:
    """Create a person.

    ``POST /v1/people``: returns the parsed body. ``people_create_response`` describes the
    arguments and also returns the status and headers.
    """
    response = await people_create_response(core, body, idempotency_key=idempotency_key, options=options)
    return response.data
