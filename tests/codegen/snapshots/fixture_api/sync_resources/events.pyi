"""The blocking twins of the resource classes for events, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources.events`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

from datetime import datetime

from fixture_api.models.event_count import EventCount
from fixture_api.models.events_page import EventsPage

from novu_async._types import UNSET, RequestOptions, Response, Unset
from novu_async.sync import SyncIterator

__all__ = [
    "SyncEvents",
]

class SyncEvents:
    """Operations of ``events``, blocking: ``fixture_api.resources`` ``Events`` without ``await``."""

    def list(
        self,
        *,
        page: float | Unset = UNSET,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> EventsPage:
        """List events.

        Blocks for ``fixture_api.funcs.events_list.events_list``, which describes the arguments.
        """
        ...

    def list_response(
        self,
        *,
        page: float | Unset = UNSET,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[EventsPage]:
        """List events, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.events_list.events_list_response``, which describes the
        arguments.
        """
        ...

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        after: datetime | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> SyncIterator[str]:
        """List events: every item, page after page, as a plain iterator.

        Blocks for ``fixture_api.funcs.events_list.events_list_iter``, which describes the
        arguments.
        """
        ...

    def retrieve(self, *, limit: float | Unset = UNSET, options: RequestOptions | None = None) -> EventCount:
        """Count events.

        Blocks for ``fixture_api.funcs.events_retrieve.events_retrieve``, which describes the
        arguments.
        """
        ...

    def retrieve_response(
        self, *, limit: float | Unset = UNSET, options: RequestOptions | None = None
    ) -> Response[EventCount]:
        """Count events, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.events_retrieve.events_retrieve_response``, which
        describes the arguments.
        """
        ...
