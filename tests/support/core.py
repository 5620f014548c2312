"""Shared pieces of the ``NovuCore`` tests: hand-written operations over real generated models, a
scripted mock server, and a core whose retries record their waits instead of sleeping."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio.lowlevel
import httpx

from novu_async._core import NovuCore
from novu_async._operation import Operation, Param, ResponseSpec
from novu_async.models import (
    ErrorDto,
    ListSubscribersResponseDto,
    SubscriberResponseDto,
    TriggerEventRequestDto,
    TriggerEventResponseDto,
    ValidationErrorDto,
)

SECRET = "nv_sk_live_TOPSECRET_8f3c2a91d7"

TRIGGER = Operation(
    name="trigger",
    operation_id="EventsController_trigger",
    method="POST",
    path="/v1/events/trigger",
    header_params=(Param("idempotency-key", "idempotency_key"),),
    body_type=TriggerEventRequestDto,
    body_kind="json",
    body_required=True,
    responses={"201": ResponseSpec(TriggerEventResponseDto)},
    errors={
        "400": ResponseSpec(ErrorDto),
        "404": ResponseSpec(ErrorDto),
        "409": ResponseSpec(ErrorDto),
        "422": ResponseSpec(ValidationErrorDto),
        "500": ResponseSpec(ErrorDto),
    },
)

GET_SUBSCRIBER = Operation(
    name="subscribers_retrieve",
    operation_id="SubscribersController_getSubscriber",
    method="GET",
    path="/v2/subscribers/{subscriberId}",
    path_params=(Param("subscriberId", "subscriber_id", True),),
    header_params=(Param("idempotency-key", "idempotency_key"),),
    responses={"200": ResponseSpec(SubscriberResponseDto)},
    errors={"404": ResponseSpec(ErrorDto)},
)

LIST_SUBSCRIBERS = Operation(
    name="subscribers_search",
    operation_id="SubscribersController_searchSubscribers",
    method="GET",
    path="/v2/subscribers",
    query_params=(Param("limit", "limit"), Param("tags", "tags"), Param("includeCursor", "include_cursor")),
    responses={"200": ResponseSpec(ListSubscribersResponseDto)},
)

TRIGGER_OK = {"acknowledged": True, "status": "processed", "transactionId": "tx-1"}

SUBSCRIBER = {
    "_id": "64f0c0ffee",
    "subscriberId": "sub-1",
    "firstName": "Ann",
    "_organizationId": "org-1",
    "_environmentId": "env-1",
    "deleted": False,
    "createdAt": "2024-05-01T12:00:00.000Z",
    "updatedAt": "2024-05-01T12:00:00.000Z",
}

TRIGGER_BODY = {"name": "welcome", "to": "sub-1", "payload": {"plan": "pro"}}


def error_body(status: int, message: Any, **extra: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "timestamp": "2024-05-01T12:00:00.000Z",
        "path": "/v1/x",
        "message": message,
        **extra,
    }


def reply(
    status: int, body: Any = None, headers: dict[str, str] | None = None, *, text: str | None = None
) -> httpx.Response:
    """A response: ``body`` as JSON, or ``text`` as it is, or nothing."""
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def envelope(data: Any) -> dict[str, Any]:
    return {"data": data}


Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Server:
    """A scripted ``httpx.MockTransport`` handler: answers with each step in turn (the last one
    repeats) and records every request it sees."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        step = self.steps[len(self.requests) - 1] if len(self.requests) <= len(self.steps) else self.steps[-1]
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        # a fresh copy: an httpx.Response can be read once per client
        return httpx.Response(step.status_code, headers=step.headers, content=step.content)

    @property
    def keys(self) -> list[str | None]:
        return [r.headers.get("idempotency-key") for r in self.requests]


def make_core(server: Server, **kwargs: Any) -> tuple[NovuCore, list[float]]:
    """A core sending to ``server``; its retry waits are recorded in the returned list, not slept."""
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    core = NovuCore(SECRET, http_client=client, **kwargs)
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        await anyio.lowlevel.checkpoint()

    core.sleep = fake_sleep
    return core, waits
