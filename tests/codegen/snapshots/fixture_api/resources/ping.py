"""Resource classes for ping, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from novu_async._resource import Resource

if TYPE_CHECKING:
    from fixture_api.models.ping import Ping

    from novu_async._types import RequestOptions, Response

__all__ = [
    "PingResource",
]


class PingResource(Resource):
    """Operations of ``ping``."""

    __slots__ = ()

    async def ping_controller_ping(self, *, options: RequestOptions | None = None) -> Ping | bool | None:
        """ping ping controller ping.

        Calls ``fixture_api.funcs.ping_ping_controller_ping.ping_ping_controller_ping``;
        ``ping_ping_controller_ping_response`` there describes the arguments.
        """
        from fixture_api.funcs.ping_ping_controller_ping import ping_ping_controller_ping

        return await ping_ping_controller_ping(self._core, options=options)

    async def ping_controller_ping_response(
        self, *, options: RequestOptions | None = None
    ) -> Response[Ping | bool | None]:
        """ping ping controller ping, with the whole ``Response`` (status, headers, data).

        Calls
        ``fixture_api.funcs.ping_ping_controller_ping.ping_ping_controller_ping_response``,
        which describes the arguments.
        """
        from fixture_api.funcs.ping_ping_controller_ping import ping_ping_controller_ping_response

        return await ping_ping_controller_ping_response(self._core, options=options)
