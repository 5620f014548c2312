"""The contract harness itself, against Prism with raw httpx (not the SDK).

For every operation of each document we generate from (the current one and the legacy v1 one with
our overlays): build a valid request (``requests.py``), check it with
the independent validator (``validator.py``), send it to a Prism mock of the same document and expect
one of the operation's documented 2XX statuses. This proves that the values the SDK contract tests will
reuse are accepted by both judges, so a failure there is the SDK's, not the harness's.

Runs on asyncio only (the module's ``anyio_backend`` below): the requests are raw httpx, so a trio run
would test httpx and not our code, and would double the suite's time.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.contract.contract import Contract, ContractFactory
from tests.contract.document import (
    DOCUMENT_PATHS,
    MULTIPART,
    Document,
    FilePart,
    Operation,
    load_document,
)
from tests.contract.prism import AUTH_HEADERS, only_literal_pattern_defects, request_violations
from tests.contract.requests import (
    VARIANTS,
    RequestBuilder,
    Variant,
    has_full_variant,
    httpx_arguments,
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _operations(key: str) -> list[Operation]:
    path = DOCUMENT_PATHS[key]()
    return list(load_document(path).operations.values()) if path.is_file() else []


OPERATIONS = {key: _operations(key) for key in DOCUMENT_PATHS}


def _cases(*, full: bool, multipart: bool) -> list[Any]:
    """``(document key, operationId)`` of every operation, of each document, that the test applies to.
    Prism does not parse multipart bodies: it answers 422 to every one (DESIGN.md, "Testing notes").
    A missing document gets one case, which fails in the fixtures with "run `make spec`"."""
    cases = []
    for key, operations in OPERATIONS.items():
        if not operations and not multipart:
            cases.append(pytest.param(key, None, id=f"{key}-document-missing"))
        cases += [
            pytest.param(key, op.operation_id, id=f"{key}-{op.operation_id}")
            for op in operations
            if (MULTIPART in op.body_content) == multipart and (not full or has_full_variant(op))
        ]
    return cases


def _failure(op: Operation, response: httpx.Response, sent: dict[str, Any]) -> str:
    return (
        f"{op.method} {op.path} ({op.operation_id}) -> {response.status_code}, "
        f"expected one of {list(op.success_statuses)}\n"
        f"sl-violations: {response.headers.get('sl-violations', '<none>')}\n"
        f"sent: {json.dumps(sent, default=repr)[:2000]}\n"
        f"answer: {response.text[:500]}"
    )


async def _send_and_check(contract: Contract, operation_id: str, variant: Variant) -> None:
    validator = contract.validator
    op = contract.document.operation(operation_id)
    built = contract.builder.request(operation_id, variant)
    report = validator.validate_built(operation_id, built)
    assert report.ok, str(report)

    args = httpx_arguments(op, built)
    # plain HTTP on loopback: verify=False only skips building a TLS context (~30 ms per client)
    async with httpx.AsyncClient(
        base_url=contract.prism_url, headers=AUTH_HEADERS, timeout=10.0, verify=False
    ) as client:
        request = client.build_request(**args)
        # the encoded request, as it goes on the wire, passes the same validator
        wire_report = validator.validate_httpx_request(request)  # found by method and path
        assert wire_report.operation_id == operation_id
        assert wire_report.ok, str(wire_report)
        response = await client.send(request)
    if only_literal_pattern_defects(response):
        # Prism enforces `'/^[A-Za-z][A-Za-z0-9_]*$/'` (a JS regex literal, slashes included) as
        # written, which no string matches: createEnvironmentVariable can never pass it. Prism found
        # nothing else wrong, and our validator checked the pattern as meant (`^[A-Za-z]...$`) above.
        return
    assert response.status_code in op.success_statuses, _failure(op, response, dict(built))
    assert not request_violations(response), _failure(op, response, dict(built))


@pytest.mark.anyio
@pytest.mark.parametrize(("key", "operation_id"), _cases(full=False, multipart=False))
async def test_minimal_request_is_accepted(
    key: str, operation_id: str, contract_for: ContractFactory
) -> None:
    await _send_and_check(contract_for(key), operation_id, "minimal")


@pytest.mark.anyio
@pytest.mark.parametrize(("key", "operation_id"), _cases(full=True, multipart=False))
async def test_full_request_is_accepted(key: str, operation_id: str, contract_for: ContractFactory) -> None:
    await _send_and_check(contract_for(key), operation_id, "full")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("key", "operation_id"), _cases(full=False, multipart=True))
def test_multipart_request_is_valid_without_prism(
    key: str, operation_id: str, variant: Variant, contract_for: ContractFactory
) -> None:
    """NOT sent to Prism: Prism does not parse multipart bodies and answers 422 to every one, valid
    or not (DESIGN.md, "Testing notes"). The request is encoded by httpx exactly as it would be sent
    (a recorded request) and the independent validator decodes and checks that encoding."""
    contract = contract_for(key)
    op = contract.document.operation(operation_id)
    built = contract.builder.request(operation_id, variant)
    assert built["content_type"] == MULTIPART
    assert contract.validator.validate_built(operation_id, built).ok

    with httpx.Client(base_url="http://127.0.0.1:9", headers=AUTH_HEADERS) as client:
        request = client.build_request(**httpx_arguments(op, built))  # built, never sent
    assert request.headers["content-type"].startswith(MULTIPART + "; boundary=")
    report = contract.validator.validate_httpx_request(request, operation_id)
    assert report.ok, str(report)
    parts = [v for value in built["body"].values() for v in (value if isinstance(value, list) else [value])]
    assert any(isinstance(part, FilePart) for part in parts), "an upload without a file tests nothing"


# -- the harness's premises -------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("key", list(DOCUMENT_PATHS))
async def test_prism_rejects_an_invalid_request(key: str, contract_for: ContractFactory) -> None:
    """Prism validates requests (else every test above would pass vacuously), for each document."""
    prism_url = contract_for(key).prism_url
    async with httpx.AsyncClient(base_url=prism_url, headers=AUTH_HEADERS, verify=False) as client:
        response = await client.post("/v1/events/trigger", json={"to": "abc123"})
    assert response.status_code == 422
    assert any(v["code"] == "required" and "'name'" in v["message"] for v in request_violations(response))


@pytest.mark.anyio
async def test_literal_pattern_defect_is_still_there(
    prism_url: str, current_document: Document, request_builder: RequestBuilder
) -> None:
    """The one allowance above (Prism cannot pass the environment variable `key` pattern). When a new
    document fixes the pattern, this fails: drop the allowance then."""
    operation_id = "EnvironmentVariablesController_createEnvironmentVariable"
    op = current_document.operation(operation_id)
    built = request_builder.request(operation_id, "minimal")
    async with httpx.AsyncClient(base_url=prism_url, headers=AUTH_HEADERS, verify=False) as client:
        response = await client.request(**httpx_arguments(op, built))
    assert only_literal_pattern_defects(response), _failure(op, response, dict(built))
