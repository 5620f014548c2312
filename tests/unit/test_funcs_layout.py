"""The generated functions and resources of the current document: names, signatures, imports."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import textwrap

import pytest

from novu_async.funcs import ITERATORS, OPERATIONS

from .conftest import current_document

HTTP = ("get", "put", "post", "delete", "patch")
ITERATOR_FUNCS = {OPERATIONS[op] for op in ITERATORS}


def document_operation_ids() -> list[str]:
    return [
        op["operationId"]
        for item in current_document()["paths"].values()
        for method, op in item.items()
        if method in HTTP
    ]


def test_one_function_per_operation() -> None:
    ids = document_operation_ids()
    assert len(ids) == 149
    assert sorted(OPERATIONS) == sorted(ids)
    assert len(set(OPERATIONS.values())) == 149


@pytest.mark.parametrize(
    ("operation_id", "func"),
    [
        ("EventsController_trigger", "trigger"),
        ("EventsController_triggerBulk", "trigger_bulk"),
        ("EventsController_broadcastEventToAll", "trigger_broadcast"),
        ("EventsController_cancel", "cancel"),
        ("WorkflowController_create", "workflows_create"),
        ("SubscribersController_getSubscriberNotifications", "subscribers_notifications_list"),
        ("SubscribersController_searchSubscribers", "subscribers_search"),
        ("ContextsController_getContext", "contexts_retrieve"),  # by the document's global rules
        ("TranslationController_importMasterJsonEndpoint", "translations_master_import"),
    ],
)
def test_names_follow_novus_sdks(operation_id: str, func: str) -> None:
    assert OPERATIONS[operation_id] == func


def test_signature_of_a_function() -> None:
    from novu_async.funcs.subscribers_search import subscribers_search

    params = inspect.signature(subscribers_search).parameters
    assert next(iter(params)) == "core"
    assert params["limit"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["options"].default is None
    from novu_async.funcs.subscribers_retrieve import subscribers_retrieve

    params = inspect.signature(subscribers_retrieve).parameters
    assert params["subscriber_id"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


@pytest.mark.parametrize("func", sorted(OPERATIONS.values()))
def test_every_function_module_imports_and_describes_its_operation(func: str) -> None:
    module = importlib.import_module(f"novu_async.funcs.{func}")
    op = module.OPERATION
    assert op.name == func
    assert inspect.iscoroutinefunction(getattr(module, func))
    assert inspect.iscoroutinefunction(getattr(module, f"{func}_response"))
    placeholders = {p.wire for p in op.path_params}
    assert all("{" + wire + "}" in op.path for wire in placeholders)
    assert op.responses, f"{func} declares no 2XX response"
    # list operations also have an iterator: a plain function that returns a PageIterator at once
    iterator = getattr(module, f"{func}_iter", None)
    assert (iterator is not None) == hasattr(module, "PAGINATION") == (func in ITERATOR_FUNCS)
    if iterator is not None:
        assert not inspect.iscoroutinefunction(iterator)
        assert inspect.signature(iterator).parameters["max_items"].default is None


def loaded_modules(statement: str, prefix: str) -> list[str]:
    code = textwrap.dedent(f"""
        import sys
        {statement}
        print("\\n".join(sorted(m for m in sys.modules if m.startswith({prefix!r}))))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_importing_one_function_loads_no_other_operation() -> None:
    statement = "from novu_async.funcs.trigger import trigger"
    # and its error answers (a map shared with trigger_bulk and trigger_broadcast); not the index
    assert loaded_modules(statement, "novu_async.funcs.") == [
        "novu_async.funcs._errors_3",
        "novu_async.funcs.trigger",
    ]
    models = loaded_modules(statement, "novu_async.models.")
    # the request and response models and the error bodies, nothing else
    assert models == [
        "novu_async.models.error_dto",
        "novu_async.models.payload_validation_exception_dto",
        "novu_async.models.trigger_event_request_dto",
        "novu_async.models.trigger_event_response_dto",
        "novu_async.models.validation_error_dto",
    ]
    assert loaded_modules(statement, "novu_async.resources") == []


def test_importing_a_list_operation_loads_no_item_model() -> None:
    # the item model is named in the iterator's annotation only (imported for type checkers)
    statement = "from novu_async.funcs.subscribers_search import subscribers_search_iter"
    models = loaded_modules(statement, "novu_async.models.")
    assert "novu_async.models.list_subscribers_response_dto" in models
    assert "novu_async.models.subscriber_response_dto" not in models


def test_importing_the_client_loads_no_operation_and_no_model() -> None:
    statement = "from novu_async import Novu"
    assert loaded_modules(statement, "novu_async.funcs.") == []
    assert loaded_modules(statement, "novu_async.models.") == []
