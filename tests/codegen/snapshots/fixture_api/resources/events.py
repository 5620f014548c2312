"""Resource classes for events, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from novu_async._resource import Resource
from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from datetime import datetime

    from fixture_api.models.event_count import EventCount
    from fixture_api.models.events_page import EventsPage

    from novu_async._pagination import PageIterator
    from novu_async._types import RequestOptions, Response

__all__ = [
    "Events",
]


class Events(Resource):
    """Operations of ``events``."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: float | Unset = UNSET,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> EventsPage:
        """List events.

        Calls ``fixture_api.funcs.events_list.events_list``; ``events_list_response`` there
        describes the arguments.
        """
        from fixture_api.funcs.events_list import events_list

        return await events_list(self._core, page=page, limit=limit, after=after, options=options)

    async def list_response(
        self,
        *,
        page: float | Unset = UNSET,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[EventsPage]:
        """List events, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.events_list.events_list_response``, which describes the
        arguments.
        """
        from fixture_api.funcs.events_list import events_list_response

        return await events_list_response(self._core, page=page, limit=limit, after=after, options=options)

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> PageIterator[str]:
        """List events: every item, page after page.

        Calls ``fixture_api.funcs.events_list.events_list_iter``, which describes how it pages
        and its arguments.
        """
        from fixture_api.funcs.events_list import events_list_iter

        return events_list_iter(self._core, limit=limit, after=after, max_items=max_items, options=options)

    async def retrieve(
        self, *, limit: float | Unset = UNSET, options: RequestOptions | None = None
    ) -> EventCount:
        """Count events.

        Calls ``fixture_api.funcs.events_retrieve.events_retrieve``;
        ``events_retrieve_response`` there describes the arguments.
        """
        from fixture_api.funcs.events_retrieve import events_retrieve

        return await events_retrieve(self._core, limit=limit, options=options)

    async def retrieve_response(
        self, *, limit: float | Unset = UNSET, options: RequestOptions | None = None
    ) -> Response[EventCount]:
        """Count events, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.events_retrieve.events_retrieve_response``, which describes
        the arguments.
        """
        from fixture_api.funcs.events_retrieve import events_retrieve_response

        return await events_retrieve_response(self._core, limit=limit, options=options)
