"""Which operations are list operations, how each pages, and what the generator writes for them.

The fixture document has one list operation per style (tests/codegen/fixture.json): ``/v1/teams``
(cursor: after/before/limit -> data/next), ``/v1/teams/{teamId}/notes`` (cursor from the last item:
limit/after/offset -> data/hasMore), ``/v1/pets`` (offset: limit/offset -> pets/totalCount),
``/v1/events`` (pages from 1: page/limit -> data/hasMore/page/pageSize), and ``/v1/events/count``,
which takes a ``limit`` but answers with a number.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen import ir
from codegen.config import load_config
from codegen.generate import Result
from codegen.load import load_document
from codegen.parse import GenerationError, build_api

from .conftest import PACKAGE, fixture_document


def paginations(document: dict[str, Any]) -> dict[str, ir.Pagination | None]:
    return {op.operation_id: op.pagination for op in build_api(document, PACKAGE).operations}


def test_each_style_is_detected(fixture_result: Result) -> None:
    found = {op.operation_id: op.pagination for op in fixture_result.api.operations}
    assert found["TeamsController_listTeams"] == ir.Pagination(
        style="cursor",
        param="after",
        # before (backwards) and includeCursor (repeats items) are not offered (nor is the idempotency
        # key: no GET operation offers it)
        dropped=("after", "before", "include_cursor"),
        items="data",
        item_type=ir.Named("Team", is_enum=False),
        size_param="limit",
        next_cursor="next",
        total_count="total_count",
    )
    assert found["NotesController_listNotes"] == ir.Pagination(
        style="cursor",
        param="after",
        dropped=("after", "offset"),
        items="data",
        item_type=ir.Named("Note", is_enum=False),
        size_param="limit",
        cursor_key="id",
        has_more="has_more",
    )
    assert found["PetsController_listPets"] == ir.Pagination(
        style="offset",
        param="offset",
        dropped=("offset",),
        items="pets",  # not `data`: the only array property
        item_type=ir.Named("Person", is_enum=False),
        size_param="limit",
        total_count="total_count",
    )
    assert found["EventsController_listEvents"] == ir.Pagination(
        style="page",
        param="page",
        dropped=("page",),  # `after` here is a date filter: no next cursor comes back, it stays
        items="data",
        item_type=ir.Prim("str"),
        size_param="limit",
        has_more="has_more",
        first_page=1,  # the parameter's default
    )
    not_lists = {op_id for op_id, pagination in found.items() if pagination is None}
    assert not_lists == {
        "PeopleController_listPeople",  # a limit, but a bare array and nothing to page by
        "PeopleController_createPerson",
        "PeopleController_tagExists",
        "PeopleController_removeTag",
        "FilesController_upload",
        "PingController_ping",
        "EventsController_getCount",  # a limit, but a count comes back
    }


def test_detection_ignores_names_and_follows_the_schemas() -> None:
    document = fixture_document()
    teams = document["paths"]["/v1/teams"]["get"]
    teams["operationId"] = "Whatever_fetchSomething"
    teams["x-speakeasy-name-override"] = "fetch"
    assert paginations(document)["Whatever_fetchSomething"] is not None
    # without a next cursor in the page, `after` is just a filter and nothing tells when to stop
    del document["components"]["schemas"]["TeamsPage"]["properties"]["next"]
    document["components"]["schemas"]["TeamsPage"]["required"].remove("next")
    assert paginations(document)["Whatever_fetchSomething"] is None


def test_only_gets_are_list_operations() -> None:
    document = fixture_document()
    document["paths"]["/v1/pets"]["post"] = document["paths"]["/v1/pets"].pop("get")
    assert paginations(document)["PetsController_listPets"] is None


def test_page_style_needs_a_stop_signal_and_takes_its_first_page_from_the_schema() -> None:
    document = fixture_document()
    events = document["paths"]["/v1/events"]["get"]
    page_param = events["parameters"][0]
    del page_param["schema"]["default"]  # the minimum (1) then gives the first page
    found = paginations(document)["EventsController_listEvents"]
    assert found is not None
    assert found.first_page == 1
    del page_param["schema"]["minimum"]
    found = paginations(document)["EventsController_listEvents"]
    assert found is not None
    assert found.first_page == 0
    # like the legacy /v1/notifications: a page number and hasMore, no page size
    events["parameters"] = [p for p in events["parameters"] if p["name"] != "limit"]
    found = paginations(document)["EventsController_listEvents"]
    assert found is not None
    assert (found.style, found.size_param, found.has_more) == ("page", None, "has_more")
    # and with nothing that says when to stop, it is not a list operation
    schema = document["components"]["schemas"]["EventsPage"]
    del schema["properties"]["hasMore"]
    schema["required"].remove("hasMore")
    assert paginations(document)["EventsController_listEvents"] is None


def test_an_item_cursor_needs_items_with_an_id() -> None:
    document = fixture_document()
    note = document["components"]["schemas"]["Note"]
    note["required"].remove("id")  # an id that may be absent cannot carry the cursor
    found = paginations(document)["NotesController_listNotes"]
    # what is left: `offset` with hasMore
    assert found is not None
    assert (found.style, found.param, found.dropped) == ("offset", "offset", ("offset",))


def test_iterator_names_that_collide_fail_generation() -> None:
    document = fixture_document()
    document["paths"]["/v1/pets/iter"] = {
        "get": {
            "operationId": "PetsController_listIter",
            "tags": ["Pets"],
            "x-speakeasy-name-override": "list_iter",
            "responses": {"204": {"description": "none"}},
        }
    }
    with pytest.raises(GenerationError, match="pets_list_iter"):
        build_api(document, PACKAGE)
    document = fixture_document()
    document["paths"]["/v1/pets"]["get"]["parameters"].append(
        {"name": "max_items", "in": "query", "schema": {"type": "number"}}
    )
    with pytest.raises(GenerationError, match="max_items"):
        build_api(document, PACKAGE)


def test_generated_iterator_function_and_method(fixture_result: Result, fixture_root: Path) -> None:
    import sys

    sys.path.insert(0, str(fixture_root))
    try:
        from fixture_api.funcs import ITERATORS, OPERATIONS
        from fixture_api.funcs import teams_list as module
        from fixture_api.resources.teams import Teams
    finally:
        sys.path.remove(str(fixture_root))
    assert isinstance(module, ModuleType)
    assert ITERATORS == {
        "TeamsController_listTeams": "teams_list_iter",
        "NotesController_listNotes": "teams_notes_list_iter",
        "PetsController_listPets": "pets_list_iter",
        "EventsController_listEvents": "events_list_iter",
    }
    assert set(ITERATORS) <= set(OPERATIONS)
    assert "teams_list_iter" not in OPERATIONS.values()
    from novu_async._pagination import Pagination

    assert (
        Pagination(
            style="cursor",
            param="after",
            items="data",
            size_param="limit",
            next_cursor="next",
            total_count="total_count",
        )
        == module.PAGINATION
    )
    function = inspect.signature(module.teams_list_iter)
    assert list(function.parameters) == ["core", "limit", "name", "max_items", "options"]
    assert function.parameters["max_items"].default is None
    assert function.return_annotation == "PageIterator[Team]"
    assert not inspect.iscoroutinefunction(module.teams_list_iter)  # returns the iterator at once
    method = inspect.signature(Teams.list_iter)
    assert list(method.parameters) == ["self", *list(function.parameters)[1:]]
    assert method.return_annotation == function.return_annotation


def test_the_item_model_is_imported_for_type_checkers_only(fixture_result: Result) -> None:
    source = fixture_result.files["funcs/teams_list.py"]
    runtime, _, type_checking = source.partition("if TYPE_CHECKING:")
    assert "from fixture_api.models.teams_page import TeamsPage" in runtime
    assert "fixture_api.models.team import Team" not in runtime
    assert "from fixture_api.models.team import Team" in type_checking.split("\n\n\n")[0]


def test_legacy_document_list_operations() -> None:
    """The legacy (v1) document with our overlays: its page-style lists."""
    spec = load_config()["legacy"]
    if not spec.upstream_path.is_file():
        pytest.skip(f"{spec.upstream_path} is missing: run `make spec`")
    api = build_api(load_document(spec.upstream_path, spec.overlay_paths), spec.package)
    found = {
        op.operation_id: (p.style, p.param, p.size_param, p.has_more, p.total_count)
        for op in api.operations
        if (p := op.pagination) is not None
    }
    assert found == {
        "WorkflowController_listWorkflows": ("page", "page", "limit", None, "total_count"),
        "NotificationsController_listNotifications": ("page", "page", None, "has_more", None),
        "ChangesController_getChanges": ("page", "page", "limit", None, "total_count"),
        "SubscribersController_listSubscribers": ("page", "page", "limit", "has_more", None),
        "SubscribersController_getNotificationsFeed": ("page", "page", "limit", "has_more", None),
        "MessagesController_getMessages": ("page", "page", "limit", "has_more", "total_count"),
        "LayoutsController_listLayouts": ("page", "page", "page_size", None, "total_count"),
        "TopicsController_listTopics": ("page", "page", "page_size", None, "total_count"),
        "TenantController_listTenants": ("page", "page", "limit", "has_more", None),
    }
    # not a list: the unseen count answers with a number
    ids = {op.operation_id for op in api.operations}
    assert "SubscribersController_getUnseenCount" in ids


def test_pagination_text_is_written_from_the_detected_pagination(fixture_result: Result) -> None:
    """Detection gives ``ir.Pagination``; ``codegen.prose`` words it, for docstrings and docs alike."""
    from codegen import prose

    found = {op.func: op.pagination for op in fixture_result.api.operations if op.pagination}
    sentences = {func: prose.pagination(p) for func, p in found.items()}
    assert sentences == {
        "teams_list": "It sends each page's ``next`` cursor as ``after``, and stops after a page without "
        "a next cursor or an empty page.",
        "teams_notes_list": "It sends the ``id`` of each page's last item as ``after``, and stops after a "
        "page whose ``has_more`` is false or an empty page.",
        "pets_list": "It sends the number of items received so far as ``offset``, and stops after "
        "``total_count`` items or an empty page.",
        "events_list": "It sends ``page`` = 1, 2, ..., and stops after a page whose ``has_more`` is "
        "false or an empty page.",
    }
    for func, sentence in sentences.items():
        # the iterator's docstring says it (wrapped), and so does the reference page
        source = " ".join(fixture_result.files[f"funcs/{func}.py"].split())
        assert sentence in source, func
