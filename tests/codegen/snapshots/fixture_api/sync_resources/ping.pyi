"""The blocking twins of the resource classes for ping, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources.ping`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

from fixture_api.models.ping import Ping

from novu_async._types import RequestOptions, Response

__all__ = [
    "SyncPingResource",
]

class SyncPingResource:
    """Operations of ``ping``, blocking: ``fixture_api.resources`` ``PingResource`` without ``await``."""

    def ping_controller_ping(self, *, options: RequestOptions | None = None) -> Ping | bool | None:
        """ping ping controller ping.

        Blocks for ``fixture_api.funcs.ping_ping_controller_ping.ping_ping_controller_ping``,
        which describes the arguments.
        """
        ...

    def ping_controller_ping_response(
        self, *, options: RequestOptions | None = None
    ) -> Response[Ping | bool | None]:
        """ping ping controller ping, with the whole ``Response`` (status, headers, data).

        Blocks for
        ``fixture_api.funcs.ping_ping_controller_ping.ping_ping_controller_ping_response``,
        which describes the arguments.
        """
        ...
