"""Resource classes for _root, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from novu_async._resource import Resource

if TYPE_CHECKING:
    from fixture_api.dicts.upload import UploadBodyDict
    from fixture_api.models.upload import UploadBody, UploadResponse

    from novu_async._types import RequestOptions, Response

    from .events import Events
    from .people import People
    from .pets import Pets
    from .ping import PingResource
    from .teams import Teams

__all__ = [
    "Resources",
]


class Resources(Resource):
    """Operations of ``(client)``."""

    __slots__ = ()

    @property
    def events(self) -> Events:
        from .events import Events

        return self._child("events", Events)

    @property
    def people(self) -> People:
        from .people import People

        return self._child("people", People)

    @property
    def pets(self) -> Pets:
        from .pets import Pets

        return self._child("pets", Pets)

    @property
    def ping(self) -> PingResource:
        from .ping import PingResource

        return self._child("ping", PingResource)

    @property
    def teams(self) -> Teams:
        from .teams import Teams

        return self._child("teams", Teams)

    async def upload(
        self, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
    ) -> UploadResponse:
        """upload.

        Calls ``fixture_api.funcs.upload.upload``; ``upload_response`` there describes the
        arguments.
        """
        from fixture_api.funcs.upload import upload

        return await upload(self._core, body, options=options)

    async def upload_response(
        self, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
    ) -> Response[UploadResponse]:
        """upload, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.upload.upload_response``, which describes the arguments.
        """
        from fixture_api.funcs.upload import upload_response

        return await upload_response(self._core, body, options=options)
