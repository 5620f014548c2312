"""The lean checks and encoding of bulk items: fit for a hot path (C-level loops over a chunk for the
common shapes, event by event only when those do not fit), then one JSON encoding of the chunk.

An event is a ``TriggerEventRequestDto`` (turned into JSON data once) or a mapping; ``name`` is a
string; ``to`` is a string, a subscriber object (``subscriberId`` a string), a topic object
(``topicKey`` and ``type`` strings) or a list of those; when present, ``payload``, ``overrides`` and
``context`` are objects, ``transactionId`` and ``bridgeUrl`` strings, ``actor`` and ``tenant`` a string
or an object. A subscriber is a ``CreateSubscriberRequestDto`` or a mapping whose ``subscriberId`` is a
string that is not blank. As for a single request (``novu_async._validate``), a dict may not hold a key
its schema does not declare (the event, its recipients, actor, tenant, overrides, context, nested
ones too: the error names the closest declared key), and the document's bounds hold (a recipient id
is not empty). Other types are left to the server; the whole item must encode as JSON. A bad item
raises ``DataValidationError`` naming the operation, its index and field.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any, Final

from .. import _serde
from .._encode import EncodedBody, dumps
from .._validate import json_problems, known_keys, limit_problems
from ..errors import DataValidationError
from ..funcs.subscribers_create_bulk import OPERATION as SUBSCRIBERS_BULK
from ..funcs.trigger_bulk import OPERATION as TRIGGER_BULK
from ..models.create_subscriber_request_dto import CreateSubscriberRequestDto
from ..models.subscriber_payload_dto import SubscriberPayloadDto
from ..models.trigger_event_request_dto import TriggerEventRequestDto
from ._report import ChunkReport, keep_subscriber_ids

__all__ = ["check_each", "common_shapes", "encode_events", "encode_subscribers", "event_problems"]

_OP_NAME: Final = TRIGGER_BULK.name
_SUBSCRIBER_KEYS: Final = known_keys(CreateSubscriberRequestDto)
_SUBSCRIBERS_OP_NAME: Final = SUBSCRIBERS_BULK.name

_OPTIONAL_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "payload": (dict,),
    "overrides": (dict,),
    "context": (dict,),
    "transactionId": (str,),
    "bridgeUrl": (str,),
    "actor": (str, dict),
    "tenant": (str, dict),
}
_LABELS: Final[Mapping[tuple[type, ...], str]] = {
    (dict,): "an object",
    (str,): "a string",
    (str, dict): "a string or an object",
}


def _recipient_ok(value: Any) -> bool:
    """A subscriber id, a subscriber object or a topic object."""
    if type(value) is str:
        return True
    if type(value) is not dict:
        return False
    return type(value.get("subscriberId")) is str or (
        type(value.get("topicKey")) is str and type(value.get("type")) is str
    )


def _to_ok(value: Any) -> bool:
    if type(value) is list:
        return all(_recipient_ok(v) for v in value)
    return _recipient_ok(value)


def _optional_ok(event: dict[str, Any]) -> bool:
    for key, value in event.items():
        types = _OPTIONAL_TYPES.get(key)
        if types is not None and not isinstance(value, types):
            return False
    return True


def _recipient_problem(value: Any, path: str) -> tuple[str, str] | None:
    if type(value) is str:
        return None
    if type(value) is not dict:
        return (
            path,
            f"expected a subscriber id, a subscriber or a topic object, got {_serde.json_kind(value)}",
        )
    if "subscriberId" in value:
        if type(value["subscriberId"]) is not str:
            return f"{path}.subscriberId", f"expected a string, got {_serde.json_kind(value['subscriberId'])}"
        return None
    if "topicKey" in value or "type" in value:
        for key in ("topicKey", "type"):
            if key not in value:
                return f"{path}.{key}", "required, but not given"
            if type(value[key]) is not str:
                return f"{path}.{key}", f"expected a string, got {_serde.json_kind(value[key])}"
        return None
    return path, "a recipient object needs subscriberId (a subscriber) or topicKey and type (a topic)"


def event_problems(event: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything the lean check finds wrong with one event (a dict with the wire names), as
    ``(JSON path, message)`` pairs: ``[]`` when ``trigger_many`` would send it. The CLI checks its
    input lines with it too."""
    problems = _shape_problems(event)
    problems.extend(p for p in json_problems(TriggerEventRequestDto, event) if p not in problems)
    return problems


def _shape_problems(event: dict[str, Any]) -> list[tuple[str, str]]:
    """The types the lean check looks at: ``name``, the recipients, the optional fields."""
    problems: list[tuple[str, str]] = []
    if "name" not in event:
        problems.append(("$.name", "required, but not given"))
    elif type(event["name"]) is not str:
        problems.append(("$.name", f"expected a string, got {_serde.json_kind(event['name'])}"))
    if "to" not in event:
        problems.append(("$.to", "required, but not given"))
    else:
        to = event["to"]
        if type(to) is list:
            for i, recipient in enumerate(to):
                problem = _recipient_problem(recipient, f"$.to[{i}]")
                if problem is not None:
                    problems.append(problem)
        else:
            problem = _recipient_problem(to, "$.to")
            if problem is not None:
                problems.append(problem)
    for key, types in _OPTIONAL_TYPES.items():
        if key in event and not isinstance(event[key], types):
            problems.append((f"$.{key}", f"expected {_LABELS[types]}, got {_serde.json_kind(event[key])}"))
    return problems


def _item_error(
    operation: str, noun: str, chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]
) -> DataValidationError:
    return DataValidationError(
        f"{operation} {noun} {chunk.start + offset} (chunk {chunk.index}, key {chunk.key!r}; not sent)",
        problems,
    )


def _event_error(chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]) -> DataValidationError:
    return _item_error(_OP_NAME, "event", chunk, offset, problems)


def _dump(
    field: str,
    chunk: ChunkReport,
    items: list[Any],
    error: Callable[[ChunkReport, int, list[tuple[str, str]]], DataValidationError],
) -> EncodedBody:
    """The request body ``{field: items}``, or ``error`` for the first item that does not encode."""
    try:
        return EncodedBody(content=dumps({field: items}))
    except (TypeError, ValueError):
        pass
    for offset, item in enumerate(items):  # find the item that does not encode
        try:
            dumps(item)
        except (TypeError, ValueError) as exc:
            raise error(chunk, offset, [("$", f"not JSON serialisable: {exc}")]) from None
    raise AssertionError("a chunk that does not encode has an item that does not")  # pragma: no cover


def _as_data(
    chunk: ChunkReport,
    offset: int,
    item: Any,
    model: type,
    error: Callable[[ChunkReport, int, list[tuple[str, str]]], DataValidationError],
) -> dict[str, Any]:
    """A model or mapping item as a JSON-shaped dict (the slow path: dicts do not come here)."""
    if isinstance(item, model):
        data: Any = _serde.unstructure(item)
        return dict(data)
    if isinstance(item, Mapping):
        return dict(item)
    raise error(chunk, offset, [("$", f"expected a {model.__name__} or a dict, got {type(item).__name__}")])


_STR: Final = frozenset({str})
_DICT: Final = frozenset({dict})
_NONE: Final = type(None)
# the keys of a subscriber object in ``to`` that hold no object of a schema of its own (``channels``
# does: an event with it is checked event by event)
_FLAT_RECIPIENT_KEYS: Final = known_keys(SubscriberPayloadDto) - {"channels"}
_EVENT_KEYS: Final = known_keys(TriggerEventRequestDto)
# the keys of an event that may hold an object of a schema of its own (``payload`` is free-form)
_OBJECT_KEYS: Final = ("actor", "tenant", "overrides", "context")


def _nothing_nested(event: dict[str, Any]) -> bool:
    """True when ``json_problems`` could find nothing: every key declared, the recipients plain
    non-empty ids, no object besides the payload. Cheaper than asking it, for the common shapes."""
    if not _EVENT_KEYS.issuperset(event):
        return False
    to = event.get("to")
    if type(to) is list:
        if "" in to or set(map(type, to)) != _STR:
            return False
    elif type(to) is not str or not to:
        return False
    return not any(type(event.get(key)) is dict for key in _OBJECT_KEYS)


def common_shapes(events: list[Any]) -> bool:
    """True when every event is a dict of the common shapes, checked with C-level loops (``map``):
    ``name`` a string; ``to`` a non-empty string, or a subscriber object with a non-empty string
    ``subscriberId`` and no key a subscriber does not declare; besides those at most a ``payload``
    object and a ``transactionId`` string. False: look event by event (that says which event is
    wrong, or accepts the rarer shapes)."""
    count = len(events)
    try:
        if set(map(type, map(dict.get, events, itertools.repeat("name")))) != _STR:
            return False
    except TypeError:  # not all dicts
        return False
    to: list[Any] = list(map(dict.get, events, itertools.repeat("to")))
    kinds = set(map(type, to))
    if kinds == _STR:
        if "" in to:  # minLength 1
            return False
    elif kinds == _DICT:
        ids = list(map(dict.get, to, itertools.repeat("subscriberId")))
        if set(map(type, ids)) != _STR or "" in ids or not all(map(_FLAT_RECIPIENT_KEYS.issuperset, to)):
            return False
    else:
        return False
    extra = sum(map(len, events)) - 2 * count  # keys besides name and to
    for key, kind in (("payload", dict), ("transactionId", str)):
        if not extra:
            return True
        values = list(map(dict.get, events, itertools.repeat(key)))
        present = count - values.count(None)
        if present:
            kinds = set(map(type, values))
            kinds.discard(_NONE)
            if kinds != {kind}:
                return False
            extra -= present
    return not extra


def encode_events(chunk: ChunkReport, events: list[Any]) -> EncodedBody:
    """Check a chunk's events and encode the request body; ``events`` is the run's own list, reused.

    Raises ``DataValidationError`` for the first bad event.
    """
    if not common_shapes(events):
        check_each(chunk, events)
    return _dump("events", chunk, events, _event_error)


def check_each(chunk: ChunkReport, events: list[Any]) -> None:
    """The lean check, event by event; models and other mappings become dicts in place (a model's
    ``additional_properties`` are sent as given: of a model, the bounds are checked, not the keys)."""
    for offset, event in enumerate(events):
        model = None
        if type(event) is not dict:
            if isinstance(event, TriggerEventRequestDto):
                model = event
            event = events[offset] = _as_data(chunk, offset, event, TriggerEventRequestDto, _event_error)
        to = event.get("to")
        if (
            type(event.get("name")) is not str
            or (
                type(to) is not str
                # a subscriber object inline, the other shapes in a call
                and not (type(to) is dict and type(to.get("subscriberId")) is str)
                and not _to_ok(to)
            )
            or (
                len(event) > 2
                # the common {name, to, payload} shape without a loop; anything else key by key
                and not (len(event) == 3 and type(event.get("payload")) is dict)
                and not _optional_ok(event)
            )
            # undeclared keys (here and in the event's objects) and the document's bounds
            or (
                limit_problems(model)
                if model is not None
                else not _nothing_nested(event) and json_problems(TriggerEventRequestDto, event)
            )
        ):
            if model is None:
                problems = event_problems(event)
            else:
                problems = [*_shape_problems(event), *limit_problems(model)]
            raise _event_error(chunk, offset, problems or [("$", "not a trigger event")])


def _subscriber_error(
    chunk: ChunkReport, offset: int, problems: list[tuple[str, str]]
) -> DataValidationError:
    return _item_error(_SUBSCRIBERS_OP_NAME, "subscriber", chunk, offset, problems)


def _subscriber_problems(subscriber: dict[str, Any], *, model: bool = False) -> list[tuple[str, str]]:
    """What the lean check finds wrong with one subscriber: its ``subscriberId``, and undeclared keys
    (``model``: it was a model, whose ``additional_properties`` are sent as given)."""
    problems = [] if model else json_problems(CreateSubscriberRequestDto, subscriber)
    if "subscriberId" not in subscriber:
        return [("$.subscriberId", "required, but not given"), *problems]
    value = subscriber["subscriberId"]
    if type(value) is not str:
        return [("$.subscriberId", f"expected a string, got {_serde.json_kind(value)}"), *problems]
    if not value.strip():
        return [("$.subscriberId", "must not be empty or blank"), *problems]
    return problems


def encode_subscribers(chunk: ChunkReport, subscribers: list[Any]) -> EncodedBody:
    """Check a chunk's subscribers, keep their ids in the chunk and encode the request body;
    ``subscribers`` is the run's own list, reused (models and other mappings become dicts in place).

    Raises ``DataValidationError`` for the first bad subscriber.
    """
    ids: list[Any] | None
    try:
        ids = list(map(dict.get, subscribers, itertools.repeat("subscriberId")))
    except TypeError:  # not all dicts
        ids = None
    if (
        ids is None
        or set(map(type, ids)) != _STR
        or not all(map(str.strip, ids))
        or not all(map(_SUBSCRIBER_KEYS.issuperset, subscribers))
    ):
        ids = []
        for offset, subscriber in enumerate(subscribers):
            model = isinstance(subscriber, CreateSubscriberRequestDto)
            if type(subscriber) is not dict:
                subscriber = subscribers[offset] = _as_data(
                    chunk, offset, subscriber, CreateSubscriberRequestDto, _subscriber_error
                )
            problems = _subscriber_problems(subscriber, model=model)
            if problems:
                raise _subscriber_error(chunk, offset, problems)
            ids.append(subscriber["subscriberId"])
    body = _dump("subscribers", chunk, subscribers, _subscriber_error)
    keep_subscriber_ids(chunk, ids)
    return body
