"""Resource classes for teams, from Fixture API 0.0.1.

Each method calls the standalone function of the same operation; nothing more.
Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from novu_async._resource import Resource
from novu_async._types import UNSET, Unset

if TYPE_CHECKING:
    from fixture_api.models.note import Note
    from fixture_api.models.notes_page import NotesPage
    from fixture_api.models.team import Team
    from fixture_api.models.teams_page import TeamsPage

    from novu_async._pagination import PageIterator
    from novu_async._types import RequestOptions, Response

__all__ = [
    "Teams",
    "TeamsNotes",
]


class Teams(Resource):
    """Operations of ``teams``."""

    __slots__ = ()

    @property
    def notes(self) -> TeamsNotes:
        return self._child("notes", TeamsNotes)

    async def list(
        self,
        *,
        after: str | Unset = UNSET,
        before: str | Unset = UNSET,
        limit: float | Unset = UNSET,
        include_cursor: bool | Unset = UNSET,
        name: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> TeamsPage:
        """List teams.

        Calls ``fixture_api.funcs.teams_list.teams_list``; ``teams_list_response`` there
        describes the arguments.
        """
        from fixture_api.funcs.teams_list import teams_list

        return await teams_list(
            self._core,
            after=after,
            before=before,
            limit=limit,
            include_cursor=include_cursor,
            name=name,
            options=options,
        )

    async def list_response(
        self,
        *,
        after: str | Unset = UNSET,
        before: str | Unset = UNSET,
        limit: float | Unset = UNSET,
        include_cursor: bool | Unset = UNSET,
        name: str | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[TeamsPage]:
        """List teams, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.teams_list.teams_list_response``, which describes the
        arguments.
        """
        from fixture_api.funcs.teams_list import teams_list_response

        return await teams_list_response(
            self._core,
            after=after,
            before=before,
            limit=limit,
            include_cursor=include_cursor,
            name=name,
            options=options,
        )

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        name: str | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> PageIterator[Team]:
        """List teams: every item, page after page.

        Calls ``fixture_api.funcs.teams_list.teams_list_iter``, which describes how it pages and
        its arguments.
        """
        from fixture_api.funcs.teams_list import teams_list_iter

        return teams_list_iter(self._core, limit=limit, name=name, max_items=max_items, options=options)


class TeamsNotes(Resource):
    """Operations of ``teams.notes``."""

    __slots__ = ()

    async def list(
        self,
        team_id: str,
        *,
        limit: float | Unset = UNSET,
        after: str | Unset = UNSET,
        offset: float | Unset = UNSET,
        pinned: bool | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> NotesPage:
        """List a team's notes.

        Calls ``fixture_api.funcs.teams_notes_list.teams_notes_list``;
        ``teams_notes_list_response`` there describes the arguments.
        """
        from fixture_api.funcs.teams_notes_list import teams_notes_list

        return await teams_notes_list(
            self._core, team_id, limit=limit, after=after, offset=offset, pinned=pinned, options=options
        )

    async def list_response(
        self,
        team_id: str,
        *,
        limit: float | Unset = UNSET,
        after: str | Unset = UNSET,
        offset: float | Unset = UNSET,
        pinned: bool | Unset = UNSET,
        options: RequestOptions | None = None,
    ) -> Response[NotesPage]:
        """List a team's notes, with the whole ``Response`` (status, headers, data).

        Calls ``fixture_api.funcs.teams_notes_list.teams_notes_list_response``, which describes
        the arguments.
        """
        from fixture_api.funcs.teams_notes_list import teams_notes_list_response

        return await teams_notes_list_response(
            self._core, team_id, limit=limit, after=after, offset=offset, pinned=pinned, options=options
        )

    def list_iter(
        self,
        team_id: str,
        *,
        limit: float | Unset = UNSET,
        pinned: bool | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> PageIterator[Note]:
        """List a team's notes: every item, page after page.

        Calls ``fixture_api.funcs.teams_notes_list.teams_notes_list_iter``, which describes how
        it pages and its arguments.
        """
        from fixture_api.funcs.teams_notes_list import teams_notes_list_iter

        return teams_notes_list_iter(
            self._core, team_id, limit=limit, pinned=pinned, max_items=max_items, options=options
        )
