"""One module per operation of Fixture API 0.0.1: ``from fixture_api.funcs.NAME import NAME``.

This package imports nothing itself, so importing one function loads only that operation and the
models it uses. Do not edit: `make generate` rewrites this package.
"""

from __future__ import annotations

# operationId -> function name (its module has the same name)
OPERATIONS: dict[str, str] = {
    "PeopleController_listPeople": "people_list",
    "PeopleController_createPerson": "people_create",
    "PeopleController_tagExists": "people_tags_exists",
    "PeopleController_removeTag": "people_tags_remove",
    "FilesController_upload": "upload",
    "PingController_ping": "ping_ping_controller_ping",
}
