"""Resource classes for people, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from novu_async._resource import Resource
from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from datetime import datetime

    from fixture_api.dicts.person import PersonDict
    from fixture_api.models.channel_enum import ChannelEnum
    from fixture_api.models.data_boolean import DataBoolean
    from fixture_api.models.person import Person
    from fixture_api.models.sort_order import SortOrder

    from novu_async._types import RequestOptions, Response

__all__ = [
    "People",
    "PeopleTags",
]


class People(Resource):
    """Operations of ``people``."""

    __slots__ = ()

    @property
    def tags(self) -> PeopleTags:
        return self._child("tags", PeopleTags)

    async def list(
        self,
        *,
        order: SortOrder | str,
        limit: float | Unset = UNSET,
        channels: builtins.list[ChannelEnum | str] | Unset = UNSET,
        since: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> builtins.list[Person]:
        """List people.

        Calls ``fixture_api.funcs.people_list.people_list``; ``people_list_response`` there
        describes the arguments.
        """
        from fixture_api.funcs.people_list import people_list

        return await people_list(
            self._core, order=order, limit=limit, channels=channels, since=since, options=options
        )

    async def list_response(
        self,
        *,
        order: SortOrder | str,
        limit: float | Unset = UNSET,
        channels: builtins.list[ChannelEnum | str] | Unset = UNSET,
        since: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[builtins.list[Person]]:
        """List people, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.people_list.people_list_response``, which describes the
        arguments.
        """
        from fixture_api.funcs.people_list import people_list_response

        return await people_list_response(
            self._core, order=order, limit=limit, channels=channels, since=since, options=options
        )

    async def create(
        self,
        body: Person | PersonDict,
        *,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Person:
        """Create a person.

        Calls ``fixture_api.funcs.people_create.people_create``; ``people_create_response``
        there describes the arguments.
        """
        from fixture_api.funcs.people_create import people_create

        return await people_create(self._core, body, idempotency_key=idempotency_key, options=options)

    async def create_response(
        self,
        body: Person | PersonDict,
        *,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[Person]:
        """Create a person, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.people_create.people_create_response``, which describes the
        arguments.
        """
        from fixture_api.funcs.people_create import people_create_response

        return await people_create_response(
            self._core, body, idempotency_key=idempotency_key, options=options
        )


class PeopleTags(Resource):
    """Operations of ``people.tags``."""

    __slots__ = ()

    async def exists(self, person_id: str, tag: str, *, options: RequestOptions | None = None) -> DataBoolean:
        """people tags exists.

        Calls ``fixture_api.funcs.people_tags_exists.people_tags_exists``;
        ``people_tags_exists_response`` there describes the arguments.
        """
        from fixture_api.funcs.people_tags_exists import people_tags_exists

        return await people_tags_exists(self._core, person_id, tag, options=options)

    async def exists_response(
        self, person_id: str, tag: str, *, options: RequestOptions | None = None
    ) -> Response[DataBoolean]:
        """people tags exists, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.people_tags_exists.people_tags_exists_response``, which
        describes the arguments.
        """
        from fixture_api.funcs.people_tags_exists import people_tags_exists_response

        return await people_tags_exists_response(self._core, person_id, tag, options=options)

    async def remove(
        self,
        person_id: str,
        tag: str,
        *,
        body_param: bool | Unset = UNSET,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> None:
        """people tags remove.

        Calls ``fixture_api.funcs.people_tags_remove.people_tags_remove``;
        ``people_tags_remove_response`` there describes the arguments.
        """
        from fixture_api.funcs.people_tags_remove import people_tags_remove

        return await people_tags_remove(
            self._core,
            person_id,
            tag,
            body_param=body_param,
            idempotency_key=idempotency_key,
            options=options,
        )

    async def remove_response(
        self,
        person_id: str,
        tag: str,
        *,
        body_param: bool | Unset = UNSET,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[None]:
        """people tags remove, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.people_tags_remove.people_tags_remove_response``, which
        describes the arguments.
        """
        from fixture_api.funcs.people_tags_remove import people_tags_remove_response

        return await people_tags_remove_response(
            self._core,
            person_id,
            tag,
            body_param=body_param,
            idempotency_key=idempotency_key,
            options=options,
        )
