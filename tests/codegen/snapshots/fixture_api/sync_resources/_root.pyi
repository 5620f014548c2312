"""The blocking twins of the resource classes for _root, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources._root`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

from fixture_api.dicts.upload import UploadBodyDict
from fixture_api.models.upload import UploadBody, UploadResponse

from novu_async._types import RequestOptions, Response

from .events import SyncEvents
from .people import SyncPeople
from .pets import SyncPets
from .ping import SyncPingResource
from .teams import SyncTeams

__all__ = [
    "SyncResources",
]

class SyncResources:
    """Operations of ``(client)``, blocking: ``fixture_api.resources`` ``Resources`` without ``await``."""

    @property
    def events(self) -> SyncEvents: ...
    @property
    def people(self) -> SyncPeople: ...
    @property
    def pets(self) -> SyncPets: ...
    @property
    def ping(self) -> SyncPingResource: ...
    @property
    def teams(self) -> SyncTeams: ...
    def upload(
        self, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
    ) -> UploadResponse:
        """upload.

        Blocks for ``fixture_api.funcs.upload.upload``, which describes the arguments.
        """
        ...

    def upload_response(
        self, body: UploadBody | UploadBodyDict, *, options: RequestOptions | None = None
    ) -> Response[UploadResponse]:
        """upload, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.upload.upload_response``, which describes the arguments.
        """
        ...
