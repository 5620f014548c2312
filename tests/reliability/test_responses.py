"""Response fuzzing: every operation's success body, valid or not, through ``NovuCore.request``.

For each operation of ``novu_async.funcs.OPERATIONS`` a ``httpx.MockTransport`` answers with the
operation's documented success status and a body drawn from the operation's raw schema
(``tests/support/strategies.py``, written against the document rather than our IR):

* bodies the document allows, with unknown enum values, unknown keys, optional fields left out and
  ``null`` in nullable fields, must parse into the declared type;
* bodies that break it (a wrong JSON type at the top or in a required field, a required field left
  out, text that is not JSON, truncated JSON, JSON nested deeper than a parser can follow, an empty
  body where one is declared) must raise ``ResponseValidationError`` carrying the raw body, and
  nothing else, within a few seconds.

Parsing does not depend on the event loop, so the fuzzing runs on asyncio only (each example under
``anyio.run``, which keeps hypothesis away from async fixtures); ``test_trio_smoke`` runs one valid and
one invalid body on both backends. Examples are few per operation (``max_examples`` below) to keep
the file well under a minute; the ``ci`` profile makes them the same on every run.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from novu_async import NovuCore, ResponseValidationError
from novu_async._operation import Operation, ResponseSpec
from novu_async.funcs import OPERATIONS
from novu_async.models import ActivityNotificationStepResponseDto, UiSchemaProperty
from tests.contract.document import current_document_path, load_document
from tests.contract.requests import RequestBuilder
from tests.contract.test_sdk_operations import fits, sdk_arguments
from tests.support.strategies import SchemaStrategies

Schema = dict[str, Any]

FEW = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
HANG = 10  # seconds: a parse that takes longer than this is a hang

DOCUMENT = load_document(current_document_path())
STRATEGIES = SchemaStrategies(DOCUMENT.raw)
BUILDER = RequestBuilder(DOCUMENT)


@dataclass(frozen=True)
class Case:
    """One operation: its generated function, success status, declared type and raw schema."""

    operation_id: str
    name: str
    op: Operation
    status: int
    spec: ResponseSpec
    schema: Schema | None  # the JSON schema of the success body, None when no body is declared
    call: Callable[[NovuCore], Any]

    def __repr__(self) -> str:
        return self.name


def _raw_operation(operation_id: str) -> Schema:
    for item in DOCUMENT.raw["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise LookupError(operation_id)


def _case(operation_id: str) -> Case:
    name = OPERATIONS[operation_id]
    module = importlib.import_module(f"novu_async.funcs.{name}")
    op: Operation = module.OPERATION
    code = next(c for c in op.responses if c.startswith("2"))
    content = _raw_operation(operation_id)["responses"][code].get("content") or {}
    schema = content.get("application/json", {}).get("schema")
    built = dict(BUILDER.request(operation_id, "minimal"))
    args, kwargs = sdk_arguments(module, built)
    function = getattr(module, f"{name}_response")

    def call(core: NovuCore) -> Any:
        return function(core, *args, **kwargs)

    return Case(operation_id, name, op, int(code.replace("X", "0")), op.responses[code], schema, call)


CASES = [_case(operation_id) for operation_id in sorted(OPERATIONS)]
WITH_BODY = [c for c in CASES if c.schema is not None]


# ---------------------------------------------------------------------------------------------- schemas


def _deref(schema: Any) -> Schema:
    return DOCUMENT.deref(schema) if isinstance(schema, dict) else {}


def kinds(schema: Any) -> set[str] | None:
    """The JSON kinds a schema accepts at its top, None when it accepts any."""
    schema = _deref(schema)
    if "allOf" in schema:
        schema = STRATEGIES.merged(schema)
    out: set[str] = {"null"} if schema.get("nullable") else set()
    for key in ("oneOf", "anyOf"):
        if key in schema:
            for member in schema[key]:
                member_kinds = kinds(member)
                if member_kinds is None:
                    return None
                out |= member_kinds
            return out
    kind = schema.get("type")
    if kind == "number":
        return out | {"number", "integer"}
    if isinstance(kind, str):
        return out | {kind}
    if "enum" in schema:
        return out | {"string"}
    if "properties" in schema or "additionalProperties" in schema:
        return out | {"object"}
    return None


WRONG = (("object", {"zz": 1}), ("array", [1]), ("string", "zz-wrong"), ("integer", 12345), ("number", 1.5))


def wrong_value(schema: Any) -> Any:
    """A value of a JSON kind the schema does not accept (``NOTHING`` when it accepts any)."""
    accepted = kinds(schema)
    if accepted is None:
        return NOTHING
    return next((value for kind, value in WRONG if kind not in accepted), NOTHING)


NOTHING = object()


def object_schema(schema: Any) -> Schema | None:
    """The object schema under a body schema (an array's items), when it is a plain object."""
    schema = _deref(schema)
    if schema.get("type") == "array":
        schema = _deref(schema.get("items"))
    if "allOf" in schema:
        schema = STRATEGIES.merged(schema)
    if any(k in schema for k in ("oneOf", "anyOf")) or "properties" not in schema:
        return None
    return schema


def required_fields(schema: Any) -> list[str]:
    """Required properties of the body's object schema whose value can be made wrong."""
    obj = object_schema(schema)
    if obj is None:
        return []
    return sorted(
        name
        for name in obj.get("required", [])
        if name in obj["properties"] and wrong_value(obj["properties"][name]) is not NOTHING
    )


# ---------------------------------------------------------------------------------------------- running


def wrap(case: Case, payload: Any) -> Any:
    return {"data": payload} if case.spec.unwrap else payload


def run(case: Case, content: bytes) -> tuple[Any, list[httpx.Request]]:
    """Call the operation once against a server answering ``content``; the result or the error."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(case.status, content=content, headers={"content-type": "application/json"})

    async def main() -> Any:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with client, NovuCore("sk-test", http_client=client, retries=0) as core:
            with anyio.fail_after(HANG):
                try:
                    return await case.call(core)
                except ResponseValidationError as exc:
                    return exc

    return anyio.run(main, backend="asyncio"), seen


def expect_refused(case: Case, content: bytes, body: Any) -> ResponseValidationError:
    result, seen = run(case, content)
    assert len(seen) == 1, "a refused body is never sent again"
    assert isinstance(result, ResponseValidationError), f"{case.name} accepted {content[:200]!r}: {result!r}"
    assert result.status_code == case.status
    assert result.operation == case.name
    assert result.body == body
    assert result.problems
    return result


# ---------------------------------------------------------------------------------------------- valid


@pytest.mark.parametrize("case", CASES, ids=repr)
@FEW
@given(data=st.data())
def test_valid_bodies_parse(case: Case, data: st.DataObject) -> None:
    if case.schema is None:
        result, _ = run(case, b"")
        assert not isinstance(result, ResponseValidationError), result
        assert result.data is None
        return
    payload = data.draw(STRATEGIES.of(case.schema), label="payload")
    result, _ = run(case, json.dumps(wrap(case, payload)).encode())
    assert not isinstance(result, ResponseValidationError), f"{result}\nbody: {payload!r}"
    assert fits(result.data, case.spec.type), f"{type(result.data).__name__} is not {case.spec.type}"


# ---------------------------------------------------------------------------------------------- invalid


NOT_JSON = [
    "<html><body>502 Bad Gateway</body></html>",
    "OK",
    "{'data': 1}",
    '{"data": [1, 2,]}',
    "\x00\x01binary",
]


@pytest.mark.parametrize("case", WITH_BODY, ids=repr)
def test_text_that_is_not_json_is_refused(case: Case) -> None:
    for text in NOT_JSON:
        expect_refused(case, text.encode(), text)
    # bytes that are not even UTF-8: kept as the text httpx decodes them to
    raw = b"\xff\xfe\xfa garbage"
    expect_refused(case, raw, httpx.Response(200, content=raw).text)


@pytest.mark.parametrize("case", WITH_BODY, ids=repr)
@pytest.mark.parametrize("content", [b"", b"  \r\n"], ids=["empty", "blank"])
def test_an_empty_body_where_one_is_declared_is_refused(case: Case, content: bytes) -> None:
    expect_refused(case, content, content.decode())


@pytest.mark.parametrize("case", WITH_BODY[:3] + [c for c in WITH_BODY if c.name == "subscribers_retrieve"])
def test_json_nested_too_deeply_is_refused(case: Case) -> None:
    text = "[" * 100_000 + "]" * 100_000
    result = expect_refused(case, text.encode(), text)
    assert "not JSON" in str(result)


@pytest.mark.parametrize("case", WITH_BODY, ids=repr)
@FEW
@given(data=st.data())
def test_truncated_json_is_refused(case: Case, data: st.DataObject) -> None:
    assert case.schema is not None
    payload = data.draw(STRATEGIES.of(case.schema), label="payload")
    text = json.dumps(wrap(case, payload))
    cut = data.draw(st.integers(min_value=1, max_value=max(1, len(text) - 1)), label="cut")
    truncated = text[:cut]
    try:
        json.loads(truncated)
    except ValueError:
        pass
    else:  # "123" cut to "12" is still JSON
        return
    expect_refused(case, truncated.encode(), truncated)


@pytest.mark.parametrize("case", [c for c in WITH_BODY if wrong_value(c.schema) is not NOTHING], ids=repr)
def test_a_body_of_the_wrong_json_type_is_refused(case: Case) -> None:
    body = wrap(case, wrong_value(case.schema))
    expect_refused(case, json.dumps(body).encode(), body)
    if case.spec.type is not None and kinds(case.schema) and "null" not in (kinds(case.schema) or ()):
        expect_refused(case, b"null", None)


def _mutated(case: Case, data: st.DataObject, mutate: Callable[[dict[str, Any], str, Schema], None]) -> Any:
    """A valid payload with one required field of its object (or of its array's first item) broken."""
    assert case.schema is not None
    obj = object_schema(case.schema)
    assert obj is not None
    obj = {k: v for k, v in obj.items() if k != "nullable"}  # the object itself, not null
    name = data.draw(st.sampled_from(required_fields(case.schema)), label="field")
    item = data.draw(STRATEGIES.of(obj), label="object")
    mutate(item, name, obj["properties"][name])
    if _deref(case.schema).get("type") == "array":
        rest = data.draw(st.lists(STRATEGIES.of(obj), max_size=1), label="rest")
        return [item, *rest]
    return item


MUTABLE = [c for c in WITH_BODY if required_fields(c.schema)]


@pytest.mark.parametrize("case", MUTABLE, ids=repr)
@FEW
@given(data=st.data())
def test_a_required_field_of_the_wrong_type_is_refused(case: Case, data: st.DataObject) -> None:
    def mutate(item: dict[str, Any], name: str, schema: Schema) -> None:
        item[name] = wrong_value(schema)

    body = wrap(case, _mutated(case, data, mutate))
    expect_refused(case, json.dumps(body).encode(), body)


@pytest.mark.parametrize("case", MUTABLE, ids=repr)
@FEW
@given(data=st.data())
def test_a_missing_required_field_is_refused(case: Case, data: st.DataObject) -> None:
    def mutate(item: dict[str, Any], name: str, schema: Schema) -> None:
        del item[name]

    body = wrap(case, _mutated(case, data, mutate))
    expect_refused(case, json.dumps(body).encode(), body)


# ---------------------------------------------------------------------------------------------- trio


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_trio_smoke(anyio_backend: str) -> None:
    """The same parsing on both event loops: one valid body, one that is not JSON."""
    from novu_async.funcs.subscribers_retrieve import subscribers_retrieve

    answers = [
        {
            "data": {
                "_id": "1",
                "subscriberId": "s",
                "_organizationId": "o",
                "_environmentId": "e",
                "deleted": False,
                "createdAt": "2024-01-01T00:00:00Z",
                "updatedAt": "2024-01-01T00:00:00Z",
                "zz-unknown": [1],
            }
        },
        "not json",
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        answer = answers.pop(0)
        content = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
        return httpx.Response(200, content=content)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with client, NovuCore("sk-test", http_client=client, retries=0) as core:
        with anyio.fail_after(HANG):
            subscriber = await subscribers_retrieve(core, "s")
            assert subscriber.subscriber_id == "s"
            with pytest.raises(ResponseValidationError) as caught:
                await subscribers_retrieve(core, "s")
    assert caught.value.body == "not json"


# ---------------------------------------------------------------------------------------------- recursion


def _nested_ui(depth: int, *, bad: bool) -> dict[str, Any]:
    value: dict[str, Any] = {"component": 5 if bad else "TEXT_FIELD"}
    for _ in range(depth):
        value = {"component": "TEXT_FIELD", "properties": {"x": value, "y": {"component": "TEXT_FIELD"}}}
    return value


def _nested_step(depth: int, *, bad: bool) -> dict[str, Any]:
    value: dict[str, Any] = {"_id": 5 if bad else "s", "active": True, "filters": [], "_templateId": "t"}
    leaf = {"_id": "s", "active": True, "filters": [], "_templateId": "t"}
    for _ in range(depth):
        value = {**leaf, "variants": [value, leaf]}
    return value


UI = Operation(
    name="ui_schema_property",
    operation_id="Test_ui",
    method="GET",
    path="/v1/test",
    responses={"200": ResponseSpec(UiSchemaProperty)},
)
STEP = Operation(
    name="activity_step",
    operation_id="Test_step",
    method="GET",
    path="/v1/test",
    responses={"200": ResponseSpec(ActivityNotificationStepResponseDto)},
)


def run_op(op: Operation, body: Any) -> Any:
    content = json.dumps({"data": body}).encode()

    async def main() -> Any:
        client = httpx.AsyncClient(
            transport=httpx.MockTransport(lambda _: httpx.Response(200, content=content))
        )
        async with client, NovuCore("sk-test", http_client=client, retries=0) as core:
            try:
                return (await core.request(op)).data
            except ResponseValidationError as exc:
                return exc

    return anyio.run(main, backend="asyncio")


@pytest.mark.parametrize(("op", "nested"), [(UI, _nested_ui), (STEP, _nested_step)], ids=["dict", "list"])
def test_an_invalid_recursive_body_is_refused_in_linear_time(
    op: Operation, nested: Callable[..., dict[str, Any]]
) -> None:
    # structuring a container's items a second time to report the failing one made this exponential
    # in the depth: about 10 s at 15 levels, hours at 18
    started = time.perf_counter()
    result = run_op(op, nested(18, bad=True))
    assert isinstance(result, ResponseValidationError)
    assert result.problems
    assert result.problems[0][0].startswith("$.")
    assert time.perf_counter() - started < 5
    assert isinstance(run_op(op, nested(18, bad=False)), op.responses["200"].type)


@pytest.mark.parametrize("depth", [150, 400])
def test_a_recursive_body_too_deep_to_structure_is_refused(depth: int) -> None:
    # deeper than the recursion limit lets the converter go: refused, never a RecursionError
    result = run_op(UI, _nested_ui(depth, bad=False))
    assert isinstance(result, (UiSchemaProperty, ResponseValidationError))
    if depth <= 150:
        assert isinstance(result, UiSchemaProperty)
