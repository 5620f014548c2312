"""Helpers of the FakeNovu tests: the key, events, clients, and the document's response schemas."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any, ClassVar

import anyio
import anyio.abc
import httpx

from novu_async._retry import RetryConfig
from novu_async.testing import FakeNovu
from tests.contract.document import Document, current_document_path, load_document
from tests.contract.validator import validator_for

KEY = "sk-test-0123456789abcdef"
AUTH = {"Authorization": f"ApiKey {KEY}"}
# retries as fast as the fake's answers allow (injected Retry-After: 0 in these tests)
FAST_RETRIES = RetryConfig(max_retries=25, initial_wait=0.0, jitter=0.0, max_elapsed=None)


class Clock:
    """A clock a test moves by hand (``clock.now += 60``)."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def event(n: int, name: str = "welcome") -> dict[str, Any]:
    return {"name": name, "to": f"subscriber-{n}", "payload": {"n": n}}


def api(fake: FakeNovu, **kwargs: Any) -> httpx.AsyncClient:
    """A raw httpx client over the fake's transport, with the API key."""
    return httpx.AsyncClient(transport=fake.transport, base_url=fake.url, headers=AUTH, **kwargs)


def ledger_numbers(fake: FakeNovu) -> list[int]:
    return [entry.event["payload"]["n"] for entry in fake.ledger]


class Contract:
    """Checks an answer against what the document declares for its operation and status: the body's
    schema and the headers (required ones present, each one's value fitting its schema).

    Success bodies are checked inside Novu's envelope: ``{"data": X}`` -> X, as the SDK unwraps it.
    Where the document describes an error body that Novu's code does not send, the body is checked
    against what the code sends (``DEFECTS``); an answer to a path the document does not have
    (404) and a 501 for an operation the fake does not model are checked against ``ErrorDto``.
    """

    DEFECTS: ClassVar[dict[tuple[str, int], str]] = {
        # createSubscriber's 409 is documented as SubscriberResponseDto; Novu throws ConflictException
        ("SubscribersController_createSubscriber", 409): "ErrorDto",
        # upsertTopic's 409 (failIfExists) likewise documents the topic; Novu throws a conflict
        ("TopicsController_upsertTopic", 409): "ErrorDto",
        # trigger's 400 is documented as PayloadValidationExceptionDto (payload schema failures only);
        # Novu's other 400s, such as an idempotency key that is too long, are ErrorDto
        ("EventsController_trigger", 400): "ErrorDto",
        ("EventsController_triggerBulk", 400): "ErrorDto",
        ("EventsController_broadcastEventToAll", 400): "ErrorDto",
        # the translation operations document no error status at all (some only 404); Novu's
        # validation pipe answers a bad body 422, its uploads answer 400, a missing resource 404
        ("TranslationController_createTranslationEndpoint", 404): "ErrorDto",
        ("TranslationController_createTranslationEndpoint", 422): "ValidationErrorDto",
        ("TranslationController_getMasterJsonEndpoint", 422): "ValidationErrorDto",
        ("TranslationController_importMasterJsonEndpoint", 422): "ValidationErrorDto",
        ("TranslationController_uploadMasterJsonEndpoint", 400): "ErrorDto",
        ("TranslationController_uploadTranslationFiles", 400): "ErrorDto",
        ("TranslationController_uploadTranslationFiles", 404): "ErrorDto",
        ("TranslationController_uploadTranslationFiles", 422): "ValidationErrorDto",
        # documented as the idempotency conflict's string; a key taken is Novu's ConflictException
        ("EnvironmentVariablesController_createEnvironmentVariable", 409): "ErrorDto",
        # these 404s are documented without a body; Novu's NotFoundException sends an ErrorDto
        ("TranslationController_getSingleTranslation", 404): "ErrorDto",
        ("TranslationController_deleteTranslationEndpoint", 404): "ErrorDto",
        ("TranslationController_getTranslationGroupEndpoint", 404): "ErrorDto",
        ("TranslationController_deleteTranslationGroupEndpoint", 404): "ErrorDto",
        ("IntegrationsController_updateIntegrationById", 404): "ErrorDto",
        ("IntegrationsController_autoConfigureIntegration", 404): "ErrorDto",
        ("IntegrationsController_setIntegrationAsPrimary", 404): "ErrorDto",
        ("EnvironmentVariablesController_getEnvironmentVariable", 404): "ErrorDto",
        ("EnvironmentVariablesController_updateEnvironmentVariable", 404): "ErrorDto",
        ("EnvironmentVariablesController_deleteEnvironmentVariable", 404): "ErrorDto",
        ("EnvironmentVariablesController_getEnvironmentVariableUsage", 404): "ErrorDto",
        # the Agents operations document their 404 with a description and no body; Novu's
        # NotFoundException sends an ErrorDto as for every other 404
        **{
            (operation, 404): "ErrorDto"
            for operation in (
                "AgentsController_getAgent",
                "AgentsController_updateAgent",
                "AgentsController_deleteAgent",
                "AgentsController_updateAgentBridge",
                "AgentIntegrationsController_addAgentIntegration",
                "AgentIntegrationsController_listAgentIntegrations",
                "AgentIntegrationsController_updateAgentIntegration",
                "AgentIntegrationsController_removeAgentIntegration",
                "AgentReplyController_handleAgentReplyHandler",
            )
        },
    }
    ERROR: ClassVar[dict[str, Any]] = {"$ref": "#/components/schemas/ErrorDto"}

    def __init__(self, path: Path | None = None) -> None:
        """Against the current document, or the one at ``path`` (the legacy document)."""
        path = current_document_path() if path is None else path
        if not path.is_file():
            raise RuntimeError(f"{path} is missing: run `make spec`")
        self.document: Document = corrected_document(path)
        self.validator = validator_for(self.document)
        self.seen: set[tuple[str, int]] = set()

    def _documented(self, response: httpx.Response) -> tuple[str, dict[str, Any] | None]:
        """``(operationId, the documented response)``; None for a 404 or 501 off the document."""
        request = response.request
        path = request.url.raw_path.decode().partition("?")[0]
        try:
            operation, _ = self.document.find_operation(request.method, path)
        except LookupError:
            return "unknown route", None
        self.seen.add((operation.operation_id, response.status_code))
        if response.status_code == 501:
            return operation.operation_id, None
        method = self.document.raw["paths"][operation.path][request.method.lower()]
        documented = method["responses"].get(str(response.status_code))
        return operation.operation_id, None if documented is None else self.document.deref(documented)

    def problems(self, response: httpx.Response) -> list[str]:
        """Everything wrong with one answer (empty when it fits the document)."""
        where, documented = self._documented(response)
        label = f"{where} {response.status_code}"
        status = response.status_code
        if (
            documented is None
            and where != "unknown route"
            and status != 501
            and (where, status) not in self.DEFECTS
        ):
            return [f"{label}: the document has no such status for this operation"]
        problems = []
        for name, header in (documented or {}).get("headers", {}).items():
            header = self.document.deref(header)
            value = response.headers.get(name)
            if value is None:
                if header.get("required"):
                    problems.append(f"{label}: required header {name} is missing")
                continue
            problems += self.validator.schema_errors(
                header.get("schema", {}), value, f"{label} header {name}"
            )
        content = (documented or {}).get("content")
        defect = self.DEFECTS.get((where, status))
        if documented is not None and not content and defect is None:
            if response.content:
                problems.append(f"{label}: the document declares no body, got {len(response.content)} bytes")
            return problems
        if not response.headers.get("content-type", "").startswith("application/json"):
            return [*problems, f"{label}: Content-Type is {response.headers.get('content-type')!r}"]
        if defect is not None:
            schema: dict[str, Any] = {"$ref": f"#/components/schemas/{defect}"}
        elif content:
            schema = content["application/json"]["schema"]
        else:
            schema = self.ERROR
        body = json.loads(response.content)
        if response.is_success and isinstance(body, dict) and set(body) == {"data"}:
            body = body["data"]
        return problems + self.validator.schema_errors(schema, body, label)


# The document's diff and publish DTOs name their resource type ``ResourceTypeEnum``, the layouts'
# enum (REGULAR, ECHO, BRIDGE); Novu's code there uses its own enum of that name and answers with it.
SYNC_RESOURCE_TYPE: dict[str, Any] = {
    "type": "string",
    "enum": ["workflow", "step", "localization_group", "layout", "agent"],
}
SYNC_SCHEMAS = (
    "ResourceDiffResultDto",
    "ResourceDiffDto",
    "ResourceDependencyDto",
    "SyncResultDto",
    "SyncedWorkflowDto",
    "FailedWorkflowDto",
    "SkippedWorkflowDto",
    "ResourceToPublishDto",
)


@functools.cache
def corrected_document(path: Path) -> Document:
    """The document with what Novu's answers show it gets wrong corrected (``SYNC_SCHEMAS``)."""
    raw = copy.deepcopy(dict(load_document(path).raw))
    for name in SYNC_SCHEMAS:
        if name in raw["components"]["schemas"]:  # the legacy document has none of them
            raw["components"]["schemas"][name]["properties"]["resourceType"] = SYNC_RESOURCE_TYPE
    return Document(raw, source=f"{path} (corrected)")


async def read_response(stream: anyio.abc.ByteStream, buffer: bytearray) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 answer off a raw connection (``buffer`` keeps what arrived after it)."""
    while b"\r\n\r\n" not in buffer:
        buffer += await stream.receive()
    end = buffer.index(b"\r\n\r\n")
    lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    del buffer[: end + 4]
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(buffer) < length:
        buffer += await stream.receive()
    body = bytes(buffer[:length])
    del buffer[:length]
    return int(lines[0].split(" ")[1]), headers, body
