"""Events: trigger, bulk trigger, broadcast, cancel.

Accepting is cheap (checks, a status per event, the raw body kept); what a trigger causes is made when
anything else looks (``_store.delivery``). Per event, as Novu's API answers it:

* a workflow the fake holds that is inactive: ``trigger_not_active``; without steps:
  ``no_workflow_steps_defined``; without active steps: ``no_workflow_active_steps_defined``; none of
  these is delivered;
* a workflow the fake does not know while it holds some: a 422 ``workflow_not_found`` (in a bulk
  request: that event's answer is ``status: error``);
* a ``transactionId`` used before (by an event that was delivered): answered ``processed`` with that
  id, and ignored: nothing is delivered again and the ledger does not record it;
* otherwise ``processed``: recorded in the ledger, delivered.

At most 100 recipients in ``to`` and 100 events in a bulk request (422 otherwise, nothing recorded).
A ``context`` must be a context payload (422 otherwise); its contexts are found or created when the
event is delivered, and its notifications and messages carry their keys (``contextKeys``).
"""

from __future__ import annotations

from typing import Any, Final

from .._routes import TRIGGER, Call, Group, Result
from .._store import Kind, State
from .._store.contexts import payload_problem
from .._wire import ApiError, constraint, dumps, loads

__all__ = ["MAX_BULK_EVENTS", "MAX_RECIPIENTS", "check_trigger", "group", "trigger_for"]

group = Group("Events", TRIGGER)

MAX_BULK_EVENTS: Final = 100
MAX_RECIPIENTS: Final = 100
_ACK_HEAD: Final = '{"acknowledged":true,"status":"processed","transactionId":"'
_ACK_TAIL: Final = '"}'
_NOT_FOUND: Final = "workflow_not_found"


_ABSENT: Final[Any] = object()


def _recipient(value: Any) -> bool:
    if type(value) is str:
        return value != ""
    if type(value) is not dict:
        return False
    subscriber_id = value.get("subscriberId")
    if type(subscriber_id) is str and subscriber_id:
        return True
    topic_key = value.get("topicKey")
    return type(topic_key) is str and topic_key != "" and value.get("type") == "Topic"


def event_problems(event: Any, recipients: bool = True) -> dict[str, Any] | None:
    """What is wrong with one trigger event, by field; None when nothing is (the common case, kept cheap)."""
    if type(event) is not dict:
        return {"": constraint("must be an object", None)}
    problems = None
    name = event.get("name")
    if type(name) is not str or not name.strip():
        problems = {"name": constraint("name should not be empty and must be a string", name)}
    if recipients:
        to = event.get("to")
        if type(to) is dict and type(subscriber_id := to.get("subscriberId")) is str and subscriber_id:
            pass  # the common case, without a call
        elif type(to) is list:
            if not to or not all(_recipient(r) for r in to):
                problems = problems or {}
                problems["to"] = constraint(
                    "to should not be empty and each recipient must be a "
                    "subscriberId, a subscriber or a topic",
                    None,
                )
            elif len(to) > MAX_RECIPIENTS:
                problems = problems or {}
                problems["to"] = constraint(f"to must contain no more than {MAX_RECIPIENTS} recipients", None)
        elif not _recipient(to):
            problems = problems or {}
            problems["to"] = constraint("to should not be empty", to)
    payload = event.get("payload", _ABSENT)  # one lookup: most events have a payload
    if payload is not _ABSENT and type(payload) is not dict:
        problems = problems or {}
        problems["payload"] = constraint("payload must be an object", None)
    if "transactionId" in event and type(event["transactionId"]) is not str:
        problems = problems or {}
        problems["transactionId"] = constraint("transactionId must be a string", None)
    if "context" in event:
        problem = payload_problem(event["context"])
        if problem is not None:
            problems = problems or {}
            problems["context"] = constraint(problem, None)
    return problems


def _located(problems: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {f"{prefix}.{field}" if field else prefix: found for field, found in problems.items()}


_UNKNOWN: Final = '{"acknowledged":true,"status":"error","error":["workflow_not_found"]}'


def _refusal(state: State, name: str, now: float) -> str | None:
    """The answer (JSON text) to an event of a workflow that delivers nothing; None when it delivers."""
    workflow = state.workflows.resolve(name)
    if workflow is None:
        return _UNKNOWN
    if not workflow.active:
        status = "trigger_not_active"
    elif not workflow.steps:
        status = "no_workflow_steps_defined"
    else:
        for step in workflow.steps:  # a loop, not any(): this runs for every trigger
            if step.active:
                workflow.last_triggered = now
                return None
        status = "no_workflow_active_steps_defined"
    return f'{{"acknowledged":true,"status":"{status}"}}'


def _quoted(text: str) -> str:
    """A string's JSON text without its quotes (escaped only when it has to be)."""
    if '"' in text or "\\" in text or not text.isprintable():
        return dumps(text).decode()[1:-1]
    return text


_UNSEEN: Final[Any] = object()


def _accept(
    state: State,
    kind: Kind,
    events: list[dict[str, Any]],
    call: Call,
    now: float,
    refusals: dict[str, str | None],
) -> list[str]:
    """Judge and record the events of one request; their answers, as JSON text. ``refusals``:
    workflow name -> ``_refusal``, worked out once per request (some may be known already)."""
    kept: list[str | None] = []
    acks = []
    accepted = state.events
    transactions = accepted.transactions
    made = state.ids.transaction_id
    count = 0
    name: Any = _UNSEEN
    refusal = None
    for event in events:
        if event["name"] != name:  # most requests name one workflow: look it up once
            name = event["name"]
            refusal = refusals.get(name, _UNSEEN)
            if refusal is _UNSEEN:
                refusal = refusals[name] = _refusal(state, name, now)
        if refusal is not None:
            kept.append(None)
            acks.append(refusal)
            continue
        transaction_id = event.get("transactionId")
        if transaction_id:
            ack = _ACK_HEAD + _quoted(transaction_id) + _ACK_TAIL
            if transaction_id in transactions:
                accepted.ignored += 1
                kept.append(None)
                acks.append(ack)
                continue
        else:
            transaction_id = made()
            ack = _ACK_HEAD + transaction_id + _ACK_TAIL
        transactions.add(transaction_id)
        kept.append(transaction_id)
        acks.append(ack)
        count += 1
    accepted.count += count
    accepted.accept(kind, call.raw, call.key, call.number, tuple(kept), now)
    return acks


def _unknown_workflow(state: State, name: str, now: float) -> dict[str, str | None]:
    """422 ``workflow_not_found`` for a name the fake does not know while it holds workflows; else
    the name's ``_refusal`` (for ``_accept``)."""
    refusal = _refusal(state, name, now)
    if refusal is _UNKNOWN:
        raise ApiError(422, _NOT_FOUND, {"name": constraint(_NOT_FOUND, name)})
    return {name: refusal}


@group.operation("EventsController_trigger", settles=False)
def trigger(state: State, call: Call) -> Result:
    problems = event_problems(call.body)
    if problems:
        raise ApiError(422, "Validation Error", _located(problems, "body") if "" in problems else problems)
    now = state.clock.now()
    refusals = _unknown_workflow(state, call.body["name"], now)
    return 201, f'{{"data":{_accept(state, "trigger", [call.body], call, now, refusals)[0]}}}'.encode()


@group.operation("EventsController_triggerBulk", bulk=True, settles=False)
def trigger_bulk(state: State, call: Call) -> Result:
    body = call.body
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not events:
        raise ApiError.invalid("events", "events must be a non-empty array")
    if len(events) > MAX_BULK_EVENTS:
        raise ApiError.invalid("events", f"events must contain no more than {MAX_BULK_EVENTS} elements")
    problems: dict[str, Any] = {}
    for index, event in enumerate(events):
        found = event_problems(event)
        if found:
            problems.update(_located(found, f"events.{index}"))
    if problems:  # all or nothing: no event of a rejected request is recorded
        raise ApiError(422, "Validation Error", problems)
    acks = _accept(state, "bulk", events, call, state.clock.now(), {})
    return 201, f'{{"data":[{",".join(acks)}]}}'.encode()


@group.operation("EventsController_broadcastEventToAll", bulk=True, settles=False)
def broadcast(state: State, call: Call) -> Result:
    body = call.body
    if not isinstance(body, dict):
        raise ApiError.invalid("body", "body must be an object")
    problems = event_problems(body, recipients=False) or {}
    if type(body.get("payload")) is not dict:
        problems["payload"] = constraint("payload must be an object", None)
    if problems:
        raise ApiError(422, "Validation Error", problems)
    now = state.clock.now()
    refusals = _unknown_workflow(state, body["name"], now)
    # Novu's broadcast answers processed whatever the workflow's state, with the id it assigned
    transaction_id = body.get("transactionId") or state.ids.transaction_id()
    _accept(state, "broadcast", [{**body, "transactionId": transaction_id}], call, now, refusals)
    return 201, f'{{"data":{_ACK_HEAD}{_quoted(transaction_id)}{_ACK_TAIL}}}'.encode()


@group.operation("EventsController_cancel")
def cancel(state: State, call: Call) -> Result:
    return 200, state.delivery.cancel(call.params["transactionId"])


def check_trigger(state: State, event: dict[str, Any], field: str) -> None:
    """Check a trigger that another operation carries (an agent reply's trigger signal) as a trigger
    request would be checked (422), its problems named under ``field``."""
    problems = event_problems(event)
    if problems:
        raise ApiError(422, "Validation Error", _located(problems, field))
    if state.workflows.resolve(event["name"]) is None:
        raise ApiError(422, _NOT_FOUND, {f"{field}.workflowId": constraint(_NOT_FOUND, event["name"])})


def trigger_for(state: State, call: Call, event: dict[str, Any]) -> dict[str, Any]:
    """Accept a checked trigger that another operation carries, as a trigger request would be
    accepted (ledger, delivery); its acknowledgement."""
    carried = Call(call.operation, call.path, {}, "", event, dumps(event), None, call.number)
    acks = _accept(state, "trigger", [event], carried, state.clock.now(), {})
    ack: dict[str, Any] = loads(acks[0].encode())
    return ack
