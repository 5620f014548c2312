"""The route table: every operation of the document is routed, modelled or answered 501 naming it."""

from __future__ import annotations

import re

import httpx
import pytest

from novu_async.funcs import OPERATIONS
from novu_async.testing import FakeNovu, OperationInfo
from novu_async.testing._groups import GROUPS
from novu_async.testing._routes import Group, Router, operations
from tests.testing.support import Contract

pytestmark = pytest.mark.anyio


def concrete(template: str) -> str:
    """A path for a template: each parameter filled with a value no resource has."""
    return re.sub(r"\{([^}]+)\}", lambda found: f"fake-{found[1]}", template)


def test_the_table_is_the_generated_packages(contract: Contract) -> None:
    table = operations()
    assert {op.operation_id for op in table} == set(OPERATIONS) == set(contract.document.operations)
    assert len(table) == 149
    for op in table:
        documented = contract.document.operation(op.operation_id)
        assert (op.method, op.path, op.name) == (
            documented.method,
            documented.path,
            OPERATIONS[op.operation_id],
        )


async def test_every_operation_is_modelled_or_answers_501_naming_it(
    fake: FakeNovu, contract: Contract
) -> None:
    modelled, not_modelled = [], []
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.url) as http:  # no key: 501 first
        for operation, is_modelled in fake.operations:
            response = await http.request(operation.method, concrete(operation.path), json={})
            found, _ = contract.document.find_operation(operation.method, concrete(operation.path))
            assert found.operation_id == operation.operation_id  # the path reaches this operation
            if is_modelled:
                assert response.status_code == 401, operation  # routed to the model, which wants a key
                modelled.append(operation)
            else:
                assert response.status_code == 501, operation
                message = response.json()["message"]
                named = f"{operation.operation_id} ({operation.method} {operation.path})"
                assert message == f"FakeNovu does not implement {named}"
                assert contract.problems(response) == []
                not_modelled.append(operation)
    assert len(modelled) + len(not_modelled) == 149
    assert len(modelled) == 149
    assert fake.stats.not_implemented == {op.operation_id: 1 for op in not_modelled}


async def test_unknown_paths_still_get_nests_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/nothing/here")
    assert response.status_code == 404
    assert response.json()["message"] == "Cannot GET /v2/nothing/here"


def test_a_literal_segment_beats_a_parameter() -> None:
    table = [
        OperationInfo("ById", "by_id", "GET", "/v1/things/{id}"),
        OperationInfo("Active", "active", "GET", "/v1/things/active"),
        OperationInfo("Child", "child", "GET", "/v1/things/{id}/parts/{part}"),
        OperationInfo("Named", "named", "GET", "/v1/things/{id}/parts/main"),
    ]
    router = Router([], table)

    def found(path: str) -> tuple[str, dict[str, str]] | None:
        match = router.find("GET", path)
        return None if match is None else (match[0].operation.operation_id, match[1])

    assert found("/v1/things/active") == ("Active", {})
    assert found("/v1/things/a%2Fb") == ("ById", {"id": "a/b"})
    assert found("/v1/things/x/parts/main") == ("Named", {"id": "x"})
    assert found("/v1/things/x/parts/y") == ("Child", {"id": "x", "part": "y"})
    assert found("/v1/things/") is None
    assert found("/v1/things/x/parts") is None
    assert router.find("POST", "/v1/things/x") is None


def test_groups_register_only_operations_the_document_has() -> None:
    stray = Group("Stray")
    stray.operation("NoSuchController_nothing")(lambda state, call: (200, None))
    with pytest.raises(ValueError, match="NoSuchController_nothing"):
        Router([*GROUPS, stray])
    twice = Group("Twice")
    twice.operation("EventsController_trigger")(lambda state, call: (200, None))
    with pytest.raises(ValueError, match="two groups"):
        Router([*GROUPS, twice])
    with pytest.raises(ValueError, match="registered twice"):
        twice.operation("EventsController_trigger")(lambda state, call: (200, None))
