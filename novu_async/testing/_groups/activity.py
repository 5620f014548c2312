"""Activity: delivery providers' webhooks (``/v2/inbound-webhooks/delivery-providers/...``).

The fake knows no provider's webhook format, so it takes one of its own: an object, or a list of
objects, each ``{"messageId": <a message's _id>, "status": <an EventBody status>, "date": <ISO
date, optional>}``. Each item naming a message the fake holds is answered as a ``WebhookResultDto``;
anything else is left out (an empty list for a payload it does not read). Events for another
environment than the fake's (``FakeNovu.environment_id``) are not its own: the answer is an empty list
too (the document gives this operation no error status).
"""

from __future__ import annotations

from typing import Any, Final

from novu_async.models.event_body import EventBodyStatus

from .._routes import Call, Group, Result
from .._store import State

__all__ = ["group"]

group = Group("Activity")

_STATUSES: Final = frozenset(member.value for member in EventBodyStatus)


@group.operation("InboundWebhooksController_handleWebhook")
def handle_webhook(state: State, call: Call) -> Result:
    if call.params["environmentId"] != state.ids.environment_id:
        return 200, []
    body = call.body
    items: list[Any] = body if isinstance(body, list) else [body]
    results = []
    for item in items:
        if not isinstance(item, dict):
            continue
        message = state.inbox.messages.get(item.get("messageId"))  # type: ignore[arg-type]
        status = item.get("status")
        if message is None or status not in _STATUSES:
            continue
        date = item.get("date") if isinstance(item.get("date"), str) else state.clock.iso()
        results.append(
            {"id": message.id, "event": {"status": status, "date": date, "externalId": message.id}}
        )
    return 200, results
