"""ping_ping_controller_ping: GET /v1/ping (PingController_ping), from Fixture API 0.0.1.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixture_api.models.ping import Ping

from novu_async._operation import Operation, ResponseSpec
from novu_async._types import RequestOptions, Response

if TYPE_CHECKING:
    from novu_async._core import NovuCore

__all__ = ["OPERATION", "ping_ping_controller_ping", "ping_ping_controller_ping_response"]

OPERATION = Operation(
    name="ping_ping_controller_ping",
    operation_id="PingController_ping",
    method="GET",
    path="/v1/ping",
    responses={
        "200": ResponseSpec(Ping | bool),
        "202": ResponseSpec(),
    },
)


async def ping_ping_controller_ping_response(
    core: NovuCore, *, options: RequestOptions | None = None
) -> Response[Ping | bool | None]:
    """ping ping controller ping.

    ``GET /v1/ping`` (PingController_ping)

    Args:
        options: Per-call timeout, retries and extra headers.

    Returns:
        Response: ``status_code``, ``headers`` and ``data``, the body as ``Ping | bool`` (200),
            ``None`` (202: no body).

    Raises:
        APIError: an error status, as its subclass (``NotFoundError`` for 404...).
        APIConnectionError: no answer came (``APITimeoutError``: not in time).
    """
    return await core.request(
        OPERATION,
        options=options,
    )


async def ping_ping_controller_ping(
    core: NovuCore, *, options: RequestOptions | None = None
) -> Ping | bool | None:
    """ping ping controller ping.

    ``GET /v1/ping``: returns the parsed body. ``ping_ping_controller_ping_response`` describes
    the arguments and also returns the status and headers.
    """
    response = await ping_ping_controller_ping_response(core, options=options)
    return response.data
