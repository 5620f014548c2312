"""The blocking twins of the resource classes for people, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources.people`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

import builtins
from datetime import datetime

from fixture_api.dicts.person import PersonDict
from fixture_api.models.channel_enum import ChannelEnum
from fixture_api.models.data_boolean import DataBoolean
from fixture_api.models.person import Person
from fixture_api.models.sort_order import SortOrder

from novu_async._types import UNSET, RequestOptions, Response, Unset

__all__ = [
    "SyncPeople",
    "SyncPeopleTags",
]

class SyncPeople:
    """Operations of ``people``, blocking: ``fixture_api.resources`` ``People`` without ``await``."""

    @property
    def tags(self) -> SyncPeopleTags: ...
    def list(
        self,
        *,
        order: SortOrder | str,
        limit: float | Unset = UNSET,
        channels: builtins.list[ChannelEnum | str] | Unset = UNSET,
        since: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> builtins.list[Person]:
        """List people.

        Blocks for ``fixture_api.funcs.people_list.people_list``, which describes the arguments.
        """
        ...

    def list_response(
        self,
        *,
        order: SortOrder | str,
        limit: float | Unset = UNSET,
        channels: builtins.list[ChannelEnum | str] | Unset = UNSET,
        since: datetime | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[builtins.list[Person]]:
        """List people, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.people_list.people_list_response``, which describes the
        arguments.
        """
        ...

    def create(
        self,
        body: Person | PersonDict,
        *,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Person:
        """Create a person.

        Blocks for ``fixture_api.funcs.people_create.people_create``, which describes the
        arguments.
        """
        ...

    def create_response(
        self,
        body: Person | PersonDict,
        *,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[Person]:
        """Create a person, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.people_create.people_create_response``, which describes
        the arguments.
        """
        ...

class SyncPeopleTags:
    """Operations of ``people.tags``, blocking: ``fixture_api.resources`` ``PeopleTags`` without ``await``."""

    def exists(self, person_id: str, tag: str, *, options: RequestOptions | None = None) -> DataBoolean:
        """people tags exists.

        Blocks for ``fixture_api.funcs.people_tags_exists.people_tags_exists``, which describes
        the arguments.
        """
        ...

    def exists_response(
        self, person_id: str, tag: str, *, options: RequestOptions | None = None
    ) -> Response[DataBoolean]:
        """people tags exists, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.people_tags_exists.people_tags_exists_response``, which
        describes the arguments.
        """
        ...

    def remove(
        self,
        person_id: str,
        tag: str,
        *,
        body_param: bool | Unset = UNSET,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> None:
        """people tags remove.

        Blocks for ``fixture_api.funcs.people_tags_remove.people_tags_remove``, which describes
        the arguments.
        """
        ...

    def remove_response(
        self,
        person_id: str,
        tag: str,
        *,
        body_param: bool | Unset = UNSET,
        idempotency_key: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[None]:
        """people tags remove, with the whole ``Response`` (status, headers, data).

        Blocks for ``fixture_api.funcs.people_tags_remove.people_tags_remove_response``, which
        describes the arguments.
        """
        ...
