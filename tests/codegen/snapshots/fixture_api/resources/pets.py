"""Resource classes for pets, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from novu_async._resource import Resource
from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from fixture_api.models.person import Person
    from fixture_api.models.pets_page import PetsPage

    from novu_async._pagination import PageIterator
    from novu_async._types import RequestOptions, Response

__all__ = [
    "Pets",
]


class Pets(Resource):
    """Operations of ``pets``."""

    __slots__ = ()

    async def list(
        self,
        *,
        limit: float | Unset = UNSET,
        offset: float | Unset = UNSET,
        query: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> PetsPage:
        """List pets.

        Calls ``fixture_api.funcs.pets_list.pets_list``; ``pets_list_response`` there describes
        the arguments.
        """
        from fixture_api.funcs.pets_list import pets_list

        return await pets_list(self._core, limit=limit, offset=offset, query=query, options=options)

    async def list_response(
        self,
        *,
        limit: float | Unset = UNSET,
        offset: float | Unset = UNSET,
        query: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[PetsPage]:
        """List pets, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.pets_list.pets_list_response``, which describes the arguments.
        """
        from fixture_api.funcs.pets_list import pets_list_response

        return await pets_list_response(self._core, limit=limit, offset=offset, query=query, options=options)

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        query: str | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> PageIterator[Person]:
        """List pets: every item, page after page.

        Calls ``fixture_api.funcs.pets_list.pets_list_iter``, which describes how it pages and
        its arguments.
        """
        from fixture_api.funcs.pets_list import pets_list_iter

        return pets_list_iter(self._core, limit=limit, query=query, max_items=max_items, options=options)
