"""The blocking twins of the resource classes for teams, from Fixture API 0.0.1: types only.

``novu_async.sync.Novu`` forwards each call to ``fixture_api.resources.teams`` in its event
loop thread and blocks for the result. Do not edit: `make generate` rewrites this file.
"""

from fixture_api.models.note import Note
from fixture_api.models.notes_page import NotesPage
from fixture_api.models.team import Team
from fixture_api.models.teams_page import TeamsPage

from novu_async._types import UNSET, RequestOptions, Response, Unset
from novu_async.sync import SyncIterator

__all__ = [
    "SyncTeams",
    "SyncTeamsNotes",
]

class SyncTeams:
    """Operations of ``teams``, blocking: ``fixture_api.resources`` ``Teams`` without ``await``."""

    @property
    def notes(self) -> SyncTeamsNotes: ...
    def list(
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

        Blocks for ``fixture_api.funcs.teams_list.teams_list``, which describes the arguments.
        """
        ...

    def list_response(
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

        Blocks for ``fixture_api.funcs.teams_list.teams_list_response``, which describes the
        arguments.
        """
        ...

    def list_iter(
        self,
        *,
        limit: float | Unset = UNSET,
        name: str | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> SyncIterator[Team]:
        """List teams: every item, page after page, as a plain iterator.

        Blocks for ``fixture_api.funcs.teams_list.teams_list_iter``, which describes the
        arguments.
        """
        ...

class SyncTeamsNotes:
    """Operations of ``teams.notes``, blocking: ``fixture_api.resources`` ``TeamsNotes`` without ``await``."""

    def list(
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

        Blocks for ``fixture_api.funcs.teams_notes_list.teams_notes_list``, which describes the
        arguments.
        """
        ...

    def list_response(
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

        Blocks for ``fixture_api.funcs.teams_notes_list.teams_notes_list_response``, which
        describes the arguments.
        """
        ...

    def list_iter(
        self,
        team_id: str,
        *,
        limit: float | Unset = UNSET,
        pinned: bool | Unset = UNSET,
        max_items: int | None = None,
        options: RequestOptions | None = None,
    ) -> SyncIterator[Note]:
        """List a team's notes: every item, page after page, as a plain iterator.

        Blocks for ``fixture_api.funcs.teams_notes_list.teams_notes_list_iter``, which describes
        the arguments.
        """
        ...
