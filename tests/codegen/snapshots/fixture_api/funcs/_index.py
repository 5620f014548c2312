"""The index of Fixture API 0.0.1's operations, read as ``fixture_api.funcs.OPERATIONS`` / ``ITERATORS``.

Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

__all__ = ["ITERATORS", "OPERATIONS"]

# operationId -> function name (its module has the same name)
OPERATIONS: dict[str, str] = {
    "PeopleController_listPeople": "people_list",
    "PeopleController_createPerson": "people_create",
    "PeopleController_tagExists": "people_tags_exists",
    "PeopleController_removeTag": "people_tags_remove",
    "FilesController_upload": "upload",
    "PingController_ping": "ping_ping_controller_ping",
    "TeamsController_listTeams": "teams_list",
    "NotesController_listNotes": "teams_notes_list",
    "PetsController_listPets": "pets_list",
    "EventsController_listEvents": "events_list",
    "EventsController_getCount": "events_retrieve",
}

# operationId -> the iterator over its items' pages (in the same module), for list operations only
ITERATORS: dict[str, str] = {
    "TeamsController_listTeams": "teams_list_iter",
    "NotesController_listNotes": "teams_notes_list_iter",
    "PetsController_listPets": "pets_list_iter",
    "EventsController_listEvents": "events_list_iter",
}
