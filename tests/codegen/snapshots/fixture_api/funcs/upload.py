"""upload: POST /v1/files (FilesController_upload), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.upload import UploadBody, UploadResponse

from novu_async._operation import Operation, ResponseSpec
from novu_async._types import RequestOptions, Response

if TYPE_CHECKING:
    from fixture_api.dicts.upload import UploadBodyDict

    from novu_async._core import NovuCore

__all__ = ["OPERATION", "upload", "upload_response"]

OPERATION = Operation(
    name="upload",
    operation_id="FilesController_upload",
    method="POST",
    path="/v1/files",
    body_type=UploadBody,
    body_kind="multipart",
    body_required=True,
    responses={
        "201": ResponseSpec(UploadResponse),
    },
)


async def upload_response(
    core: NovuCore, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
) -> Response[UploadResponse]:
    """upload.

    ``POST /v1/files`` (FilesController_upload)

    Args:
        body: The request body: a ``UploadBody``, or a dict of its JSON form (``UploadBodyDict``).
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``UploadResponse`` (201).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        body=body,
        options=options,
    )


async def upload(
    core: NovuCore, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
) -> UploadResponse:
    """upload.

    ``POST /v1/files``: returns the parsed body. ``upload_response`` describes the arguments and
    also returns the status and headers.
    """
    response = await upload_response(core, body, options=options)
    return response.data
