"""The blocking twins of the resource classes for pets, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources.pets`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

from fixture_api.models.person import Person
from fixture_api.models.pets_page import PetsPage

from novu_async._types import UNSET, RequestOptions, Response, Unset
from novu_async.sync import SyncIterator

__all__ = [
    "SyncPets",
]

class SyncPets:
    """Operations of ``pets``, blocking: ``fixture_api.resources`` ``Pets`` without ``await``."""

    def list(
        self,
        *,
        limit: float | Unset = UNSET,
        offset: float | Unset = UNSET,
        query: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> PetsPage:
        """List pets.

        Blocks for ``fixture_api.funcs.pets_list.pets_list``, which describes the arguments.
        """
        ...

    def list_response(
        self,
        *,
        limit: float | Unset = UNSET,
        offset: float | Unset = UNSET,
        query: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[PetsPage]:
        """List pets, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.pets_list.pets_list_response``, which describes the
        arguments.
        """
        ...

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        query: str | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> SyncIterator[Person]:
        """List pets: every item, page after page, as a plain iterator.

        Blocks for ``fixture_api.funcs.pets_list.pets_list_iter``, which describes the
        arguments.
        """
        ...
