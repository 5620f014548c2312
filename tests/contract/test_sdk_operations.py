"""Every operation of each generated document, called through the SDK's own function, against Prism.

Both documents we generate from are covered the same way: the current one (``novu_async.funcs``) and
the legacy v1 one with our overlays (``novu_async.legacy.funcs``). For each ``(document, operationId)``
(the list comes from the document, so a new operation without a function fails here), the request
builder makes valid values; they are passed to the generated function by Python name; the request the
SDK puts on the wire is checked by our independent validator AND by a Prism serving that document; the
answer must be a documented 2XX that the SDK parses into the declared type. Multipart uploads go to a
recording transport instead: Prism cannot parse multipart.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import types
import typing
from collections.abc import AsyncIterator
from typing import Any

import anyio
import attrs
import httpx
import pytest

from codegen.config import OVERLAY_DIR, load_config
from novu_async import File, NovuCore, ResponseValidationError, UnprocessableEntityError
from tests.contract.contract import Contract, ContractFactory
from tests.contract.document import DOCUMENT_PATHS, MULTIPART, Document, FilePart, load_document
from tests.contract.prism import only_literal_pattern_defects, request_violations
from tests.contract.validator import RequestValidator

# document key -> the package generated from it, and how many operations that document has
PACKAGES = {"current": "novu_async", "legacy": "novu_async.legacy"}
OPERATION_COUNTS = {"current": 149, "legacy": 89}


def _ids(key: str) -> list[str]:
    path = DOCUMENT_PATHS[key]()
    return sorted(load_document(path).operations) if path.is_file() else []


def _operations_map(key: str) -> dict[str, str]:
    """``OPERATIONS`` (operationId -> function name) of the package generated from document ``key``."""
    mapping: dict[str, str] = importlib.import_module(f"{PACKAGES[key]}.funcs").OPERATIONS
    return mapping


CASES = [pytest.param(key, op_id, id=f"{key}-{op_id}") for key in PACKAGES for op_id in _ids(key)]


@pytest.fixture
def anyio_backend() -> str:
    # the SDK itself runs on both backends in tests/unit; Prism only needs to be reached once
    return "asyncio"


@attrs.define
class Recorder:
    """Keeps every request the SDK sends and every response it gets."""

    sent: list[httpx.Request] = attrs.Factory(list)
    answers: list[httpx.Response] = attrs.Factory(list)

    async def on_request(self, request: httpx.Request) -> None:
        await request.aread()
        self.sent.append(request)

    async def on_response(self, response: httpx.Response) -> None:
        await response.aread()
        self.answers.append(response)


@contextlib.asynccontextmanager
async def recorded(prism_url: str) -> AsyncIterator[tuple[NovuCore, Recorder]]:
    """A core sending to ``prism_url`` without retries, and the recorder of what it sends and gets."""
    recorder = Recorder()
    client = httpx.AsyncClient(
        timeout=15.0, event_hooks={"request": [recorder.on_request], "response": [recorder.on_response]}
    )
    async with client, NovuCore("test-secret", server_url=prism_url, http_client=client, retries=0) as core:
        yield core, recorder


def sdk_arguments(module: Any, built: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The builder's wire-keyed values as the function's positional and keyword arguments."""
    op = module.OPERATION
    args = [built["path"][p.wire] for p in op.path_params]
    kwargs: dict[str, Any] = {}
    for params, values in ((op.query_params, built["query"]), (op.header_params, built["headers"])):
        for param in params:
            if param.wire in values:
                kwargs[param.python] = values[param.wire]
    if op.body_type is not None and built["body"] is not None:
        body = built["body"]
        if built["content_type"] == MULTIPART:
            body = {
                k: [File(i.content, i.filename, i.content_type) for i in v]
                if isinstance(v, list) and v and isinstance(v[0], FilePart)
                else File(v.content, v.filename, v.content_type)
                if isinstance(v, FilePart)
                else v
                for k, v in body.items()
            }
        args.append(body)
    return args, kwargs


def fits(value: Any, tp: Any) -> bool:
    """Whether ``value`` (already parsed by the SDK) is an instance of the declared type, checked
    through unions, lists and maps; a type form this does not know fails rather than passes."""
    if tp is None or tp is type(None):
        return value is None
    if tp is Any:
        return True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return fits(value, args[0])
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(fits(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(fits(item, args[1]) for item in value.values())
    if tp is float:  # JSON numbers: an integral value stays an int
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(tp, type):
        return isinstance(value, tp)
    return False


def response_problems(
    document: Document, validator: RequestValidator, operation_id: str, answer: httpx.Response
) -> list[str]:
    """What the independent validator finds wrong in a 2XX body, against the document's schema."""
    raw = document.raw["paths"]
    schema = None
    for item in raw.values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                content = op["responses"][str(answer.status_code)].get("content", {})
                schema = content.get("application/json", {}).get("schema")
    assert schema is not None, f"{operation_id}: {answer.status_code} has no JSON schema"
    body = answer.json()
    if isinstance(body, dict) and list(body) == ["data"]:
        body = body["data"]
    return validator.schema_errors(schema, body, "$")


def declared_type(module: Any, status: int) -> Any:
    responses = module.OPERATION.responses
    spec = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    assert spec is not None, f"{status} is not a documented status of {module.OPERATION.name}"
    return spec.type


@pytest.mark.parametrize("key", list(PACKAGES))
def test_every_operation_of_the_document_has_a_function(key: str) -> None:
    ids = _ids(key)
    assert len(ids) == OPERATION_COUNTS[key]
    assert sorted(_operations_map(key)) == ids


def test_the_legacy_document_is_upstream_plus_our_five_additions() -> None:
    """Novu's v1 document has 84 operations; ``legacy-additions.json`` adds 5 more, and only those."""
    spec = load_config()["legacy"]
    upstream = set(load_document(spec.upstream_path).operations)
    assert len(upstream) == 84
    added = json.loads((OVERLAY_DIR / "legacy-additions.json").read_text(encoding="utf-8"))
    added_ids = {op["operationId"] for item in added["paths"].values() for op in item.values()}
    assert len(added_ids) == 5
    assert not added_ids & upstream
    assert set(_ids("legacy")) == upstream | added_ids


@pytest.mark.anyio
@pytest.mark.parametrize("variant", ["minimal", "full"])
@pytest.mark.parametrize(("key", "operation_id"), CASES)
async def test_operation_through_the_sdk(
    key: str, operation_id: str, variant: str, contract_for: ContractFactory
) -> None:
    contract = contract_for(key)
    func_name = _operations_map(key)[operation_id]
    module = importlib.import_module(f"{PACKAGES[key]}.funcs.{func_name}")
    built = dict(contract.builder.request(operation_id, variant))  # type: ignore[arg-type]
    args, kwargs = sdk_arguments(module, built)
    if built["content_type"] == MULTIPART:
        await check_multipart(module, args, kwargs, contract.validator, operation_id)
        return
    async with recorded(contract.prism_url) as (core, recorder):
        await call_and_check(contract, operation_id, module, args, kwargs, core, recorder)


async def call_and_check(
    contract: Contract,
    operation_id: str,
    module: Any,
    args: list[Any],
    kwargs: dict[str, Any],
    core: NovuCore,
    recorder: Recorder,
) -> None:
    """Call the operation's ``NAME_response`` through ``core`` (Prism) and judge what went and came."""
    func_name = module.OPERATION.name
    function = getattr(module, f"{func_name}_response")
    try:
        with anyio.fail_after(30):
            response = await function(core, *args, **kwargs)
    except ResponseValidationError as exc:
        # Prism invents bodies for schemas without examples, and for recursive schemas it leaves
        # required properties out. The SDK must refuse exactly such bodies: the independent
        # validator has to find the body invalid against the document too.
        answer = recorder.answers[-1]
        problems = response_problems(contract.document, contract.validator, operation_id, answer)
        assert problems, f"{func_name}: the SDK refused a body the document allows: {exc}"  # noqa: PT017
        return
    except UnprocessableEntityError:
        # see test_harness: Prism enforces a JS regex literal (slashes included) that no value
        # matches; accepted only when that is the ONLY thing Prism found wrong
        assert recorder.answers
        assert only_literal_pattern_defects(recorder.answers[-1])
        return
    assert len(recorder.sent) == 1, "no retries configured: exactly one request"
    sent = recorder.sent[0]
    assert sent.headers["authorization"] == "ApiKey test-secret"
    report = contract.validator.validate_httpx_request(sent)
    assert report.operation_id == operation_id
    assert report.ok, str(report)
    assert not request_violations(recorder.answers[0]), recorder.answers[0].headers.get("sl-violations")
    assert 200 <= response.status_code < 300
    expected = declared_type(module, response.status_code)
    assert fits(response.data, expected), f"{func_name}: {type(response.data).__name__} is not {expected}"
    if sent.method != "GET":
        assert sent.headers.get("idempotency-key"), "every non-GET call carries an idempotency key"


async def check_multipart(
    module: Any, args: list[Any], kwargs: dict[str, Any], validator: RequestValidator, operation_id: str
) -> None:
    """Prism rejects every multipart request (it does not parse them): record and validate instead."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"data": {}})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with client, NovuCore("test-secret", server_url="http://test.invalid", http_client=client) as core:
        function = getattr(module, f"{module.OPERATION.name}_response")
        # the recorded answer may not fit the declared model: only the request counts here
        with contextlib.suppress(ResponseValidationError):
            await function(core, *args, **kwargs)
    assert len(seen) == 1
    seen[0].read()
    report = validator.validate_httpx_request(seen[0], operation_id)
    assert report.ok, str(report)
