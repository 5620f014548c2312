"""The endpoints FakeNovu serves and the state behind them: the event ledger and the subscribers.

Handlers are synchronous and take a ``Call``; they return ``(status, JSON value or encoded JSON)``
or raise ``ApiError``. Everything around them (auth, rate limits, faults, idempotency) is ``FakeNovu``'s.
Success bodies get Novu's envelope the way its global response interceptor adds it: ``{"data": X}``,
unless X is an object whose own ``data`` is truthy in JavaScript terms (lists of subscribers, and
also a subscriber with custom ``data``), which goes out as it is.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from itertools import repeat
from typing import Any, Final, Literal, NamedTuple
from urllib.parse import parse_qsl, unquote

from ._wire import ApiError, constraint, dumps, loads, now_iso

__all__ = ["Api", "Call", "LedgerEntry", "Route", "find_route"]

MAX_BULK_EVENTS: Final = 100
MAX_BULK_SUBSCRIBERS: Final = 500
MAX_PAGE: Final = 100
TOTAL_COUNT_CAP: Final = 50_000
_TEXT_FIELDS: Final = ("firstName", "lastName", "email", "phone", "avatar", "locale", "timezone")
_ORDER_BY: Final = ("_id", "createdAt", "updatedAt")


Kind = Literal["trigger", "bulk", "broadcast"]


class LedgerEntry(NamedTuple):
    """One accepted event, in acceptance order."""

    event: dict[str, Any]  # as received: name, to, payload, overrides, transactionId...
    transaction_id: str  # the one the event gave, else the one the fake assigned
    idempotency_key: str | None  # of the request that carried it
    request: int  # that request's number (1 for the first request the fake received)
    kind: Kind


class Call(NamedTuple):
    """What a handler gets."""

    path: str  # as requested, without the query
    param: str  # the path parameter, percent-decoded ("" for routes without one)
    query: str  # the raw query string
    body: Any  # the decoded JSON body, None when there is none
    raw: bytes  # the body as sent
    key: str | None  # the idempotency key
    number: int  # the request number


# an accepted request, kept compact (no containers for the garbage collector to walk again and
# again as the ledger grows); its LedgerEntry objects are made when the ledger is read
_Accepted = tuple[Kind, bytes, str | None, int, tuple[str, ...]]
_ACK_HEAD: Final = '{"acknowledged":true,"status":"processed","transactionId":"'
_ACK_TAIL: Final = '"}'


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness of a JSON value."""
    return value is not None and value is not False and value != 0 and value != ""


def _envelope(value: Any) -> Any:
    if isinstance(value, dict) and _truthy(value.get("data")):
        return value
    return {"data": value}


def _object(value: Any, field: str = "body") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError.invalid(field, f"{field} must be an object")
    return value


def _array(body: dict[str, Any], field: str, most: int) -> list[Any]:
    items = body.get(field)
    if not isinstance(items, list) or not items:
        raise ApiError.invalid(field, f"{field} must be a non-empty array")
    if len(items) > most:
        raise ApiError.invalid(field, f"{field} must contain no more than {most} elements")
    return items


def _recipient(value: Any) -> bool:
    return (type(value) is str and value != "") or type(value) is dict


def _event_problems(event: Any, recipients: bool = True) -> dict[str, Any] | None:
    """What is wrong with one trigger event, by field; None when nothing is (the common case, kept cheap)."""
    if type(event) is not dict:
        return {"": constraint("must be an object", None)}
    problems = None
    name = event.get("name")
    if type(name) is not str or not name.strip():
        problems = {"name": constraint("name should not be empty and must be a string", name)}
    to = event.get("to")
    if recipients and not (_recipient(to) or (type(to) is list and to and all(_recipient(r) for r in to))):
        problems = problems or {}
        problems["to"] = constraint("to should not be empty", to)
    if "payload" in event and type(event["payload"]) is not dict:
        problems = problems or {}
        problems["payload"] = constraint("payload must be an object", None)
    if "transactionId" in event and type(event["transactionId"]) is not str:
        problems = problems or {}
        problems["transactionId"] = constraint("transactionId must be a string", None)
    return problems


def _located(problems: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {f"{prefix}.{field}" if field else prefix: found for field, found in problems.items()}


def _query(call: Call) -> dict[str, str]:
    return dict(parse_qsl(call.query, keep_blank_values=True))


def _subscriber_fields(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The writable subscriber fields a body gives (``None`` where it sends null), checked."""
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if name in body:
            value = body[name]
            if value is not None and not isinstance(value, str):
                raise ApiError.invalid(prefix + name, f"{name} must be a string", value)
            fields[name] = value
    if "data" in body:
        if body["data"] is not None and not isinstance(body["data"], dict):
            raise ApiError.invalid(prefix + "data", "data must be an object")
        fields["data"] = body["data"]
    return fields


def _subscriber_id(body: dict[str, Any], prefix: str = "") -> str:
    value = body.get("subscriberId")
    if not isinstance(value, str) or not value.strip():
        raise ApiError.invalid(prefix + "subscriberId", "subscriberId should not be empty", value)
    return value


class Api:
    """The fake's data and its endpoint handlers. ``seed`` makes generated ids reproducible."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        hexes = f"{rng.getrandbits(72):018x}"
        # uuid-shaped (version 4) transaction ids: a per-seed prefix and a counter
        self._transaction_format = f"{hexes[:8]}-{hexes[8:12]}-4{hexes[12:15]}-8{hexes[15:18]}-%012x"
        self._transactions_made = 0
        # 24 hex digits like Mongo ObjectIds, increasing, so they sort in creation order
        self._id_prefix = f"{rng.getrandbits(32):08x}"
        self._changes = 0
        self._organization_id = f"{rng.getrandbits(96):024x}"
        self._environment_id = f"{rng.getrandbits(96):024x}"
        self._accepted: list[_Accepted] = []
        self._entries: list[LedgerEntry] = []
        self.events = 0  # accepted events: len(ledger) without reading the ledger
        self.transactions: set[str] = set()
        self.cancelled: set[str] = set()
        self.subscribers: dict[str, dict[str, Any]] = {}
        # subscriberId -> when it last changed, as a counter: ordering by updatedAt must not depend on
        # two changes falling into different milliseconds
        self._changed: dict[str, int] = {}

    # --- events

    @property
    def ledger(self) -> list[LedgerEntry]:
        """Every accepted event, in order (entries made now for the requests accepted since last time)."""
        for kind, raw, key, number, transaction_ids in self._accepted:
            body = loads(raw)
            events = body["events"] if kind == "bulk" else [body]
            self._entries += map(
                LedgerEntry, events, transaction_ids, repeat(key), repeat(number), repeat(kind)
            )
        self._accepted.clear()
        return self._entries

    def _accept(self, kind: Kind, events: list[dict[str, Any]], call: Call) -> list[str]:
        """Record the events of one request; their acknowledgements, as JSON text."""
        transaction_ids, acks = [], []
        made_format = self._transaction_format
        for event in events:
            transaction_id = event.get("transactionId")
            if transaction_id:
                acks.append(_ACK_HEAD + dumps(transaction_id).decode()[1:-1] + _ACK_TAIL)
            else:
                self._transactions_made += 1
                transaction_id = made_format % self._transactions_made
                acks.append(_ACK_HEAD + transaction_id + _ACK_TAIL)
            transaction_ids.append(transaction_id)
        self._accepted.append((kind, call.raw, call.key, call.number, tuple(transaction_ids)))
        self.transactions.update(transaction_ids)
        self.events += len(events)
        return acks

    def trigger(self, call: Call) -> tuple[int, Any]:
        problems = _event_problems(call.body)
        if problems:
            raise ApiError(
                422, "Validation Error", _located(problems, "body") if "" in problems else problems
            )
        return 201, f'{{"data":{self._accept("trigger", [call.body], call)[0]}}}'.encode()

    def trigger_bulk(self, call: Call) -> tuple[int, Any]:
        events = _array(_object(call.body), "events", MAX_BULK_EVENTS)
        problems: dict[str, Any] = {}
        for index, event in enumerate(events):
            found = _event_problems(event)
            if found:
                problems.update(_located(found, f"events.{index}"))
        if problems:  # all or nothing: no event of a rejected request is recorded
            raise ApiError(422, "Validation Error", problems)
        return 201, f'{{"data":[{",".join(self._accept("bulk", events, call))}]}}'.encode()

    def broadcast(self, call: Call) -> tuple[int, Any]:
        body = _object(call.body)
        problems = _event_problems(body, recipients=False) or {}
        if type(body.get("payload")) is not dict:
            problems["payload"] = constraint("payload must be an object", None)
        if problems:
            raise ApiError(422, "Validation Error", problems)
        return 201, f'{{"data":{self._accept("broadcast", [body], call)[0]}}}'.encode()

    def cancel(self, call: Call) -> tuple[int, Any]:
        found = call.param in self.transactions and call.param not in self.cancelled
        if found:
            self.cancelled.add(call.param)
        return 200, _envelope(found)

    # --- subscribers

    def _new_subscriber(self, subscriber_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        self._changes += 1
        now = now_iso()
        subscriber = {
            "_id": f"{self._id_prefix}{self._changes:016x}",
            "subscriberId": subscriber_id,
            **fields,
            "channels": [],
            "topics": [],
            "isOnline": None,
            "lastOnlineAt": None,
            "_organizationId": self._organization_id,
            "_environmentId": self._environment_id,
            "deleted": False,
            "createdAt": now,
            "updatedAt": now,
        }
        self.subscribers[subscriber_id] = subscriber
        self._changed[subscriber_id] = self._changes
        return subscriber

    def _update(self, subscriber: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        subscriber.update(fields)
        subscriber["updatedAt"] = now_iso()
        self._changes += 1
        self._changed[subscriber["subscriberId"]] = self._changes
        return subscriber

    def _existing(self, call: Call) -> dict[str, Any]:
        subscriber = self.subscribers.get(call.param)
        if subscriber is None:
            raise ApiError(404, f"Subscriber '{call.param}' was not found")
        return subscriber

    def create_subscriber(self, call: Call) -> tuple[int, Any]:
        body = _object(call.body)
        subscriber_id = _subscriber_id(body)
        fields = _subscriber_fields(body)
        existing = self.subscribers.get(subscriber_id)
        if existing is None:
            return 201, _envelope(self._new_subscriber(subscriber_id, fields))
        if _query(call).get("failIfExists") == "true":
            raise ApiError(409, f"Subscriber: {subscriber_id} already exists")
        return 201, _envelope(self._update(existing, fields))

    def get_subscriber(self, call: Call) -> tuple[int, Any]:
        return 200, _envelope(self._existing(call))

    def patch_subscriber(self, call: Call) -> tuple[int, Any]:
        subscriber = self._existing(call)
        return 200, _envelope(self._update(subscriber, _subscriber_fields(_object(call.body))))

    def delete_subscriber(self, call: Call) -> tuple[int, Any]:
        subscriber_id = self._existing(call)["subscriberId"]
        del self.subscribers[subscriber_id], self._changed[subscriber_id]
        return 200, _envelope({"acknowledged": True, "status": "deleted"})

    def bulk_create_subscribers(self, call: Call) -> tuple[int, Any]:
        items = _array(_object(call.body), "subscribers", MAX_BULK_SUBSCRIBERS)
        checked = []
        for index, item in enumerate(items):
            prefix = f"subscribers.{index}."
            item = _object(item, prefix.rstrip("."))
            checked.append((_subscriber_id(item, prefix), _subscriber_fields(item, prefix)))
        created, updated = [], []
        for subscriber_id, fields in checked:
            existing = self.subscribers.get(subscriber_id)
            if existing is None:
                self._new_subscriber(subscriber_id, fields)
                created.append({"subscriberId": subscriber_id})
            else:
                self._update(existing, fields)
                updated.append({"subscriberId": subscriber_id})
        return 201, _envelope({"updated": updated, "created": created, "failed": []})

    def search_subscribers(self, call: Call) -> tuple[int, Any]:
        """Cursor pagination over the subscribers in ``orderBy`` order; cursors are ``_id`` values.

        ``email``, ``phone`` and ``subscriberId`` match exactly, ``name`` is a case-sensitive part of
        "firstName lastName"; ``after``/``before`` (with ``includeCursor``) page forwards/backwards.
        """
        query = _query(call)
        limit = _limit(query.get("limit"))
        direction = query.get("orderDirection", "DESC")
        if direction not in ("ASC", "DESC"):
            raise ApiError.invalid("orderDirection", "orderDirection must be one of ASC, DESC", direction)
        order_by = query.get("orderBy", "_id")
        if order_by not in _ORDER_BY:
            raise ApiError.invalid("orderBy", f"orderBy must be one of {', '.join(_ORDER_BY)}", order_by)
        after, before = query.get("after"), query.get("before")
        if after and before:
            raise ApiError.invalid("before", "after and before cannot be used together", before)

        def key(s: dict[str, Any]) -> tuple[int, str]:
            return (self._changed[s["subscriberId"]] if order_by == "updatedAt" else 0, s["_id"])

        ordered = sorted(self.subscribers.values(), key=key, reverse=direction == "DESC")
        exact = [(field, query[field]) for field in ("email", "phone", "subscriberId") if field in query]
        name = query.get("name")
        ranks = [
            rank
            for rank, s in enumerate(ordered)
            if all(s.get(field) == value for field, value in exact)
            and (name is None or name in f"{s.get('firstName') or ''} {s.get('lastName') or ''}")
        ]
        start, end = 0, min(limit, len(ranks))
        cursor = after or before
        if cursor:
            rank = next((r for r, s in enumerate(ordered) if s["_id"] == cursor), None)
            if rank is None:
                raise ApiError.invalid(
                    "after" if after else "before", "the cursor is not a known subscriber", cursor
                )
            at = bisect.bisect_left(ranks, rank)  # matching subscribers before the cursor
            on_cursor = at < len(ranks) and ranks[at] == rank
            include = query.get("includeCursor") == "true" and on_cursor
            if after:
                start = at if include else at + on_cursor
                end = min(start + limit, len(ranks))
            else:
                end = at + include
                start = max(0, end - limit)
        page = [ordered[r] for r in ranks[start:end]]
        return 200, {
            "data": page,
            "next": page[-1]["_id"] if page and end < len(ranks) else None,
            "previous": page[0]["_id"] if page and start > 0 else None,
            "totalCount": min(len(ranks), TOTAL_COUNT_CAP),
            "totalCountCapped": len(ranks) > TOTAL_COUNT_CAP,
        }


def _limit(text: str | None) -> int:
    if text is None:
        return 10
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value.is_integer() and 1 <= value <= MAX_PAGE):
        raise ApiError.invalid("limit", f"limit must be a whole number from 1 to {MAX_PAGE}", text)
    return int(value)


Handler = Callable[[Api, Call], tuple[int, Any]]


class Route(NamedTuple):
    handler: Handler
    category: str  # rate-limit category
    bulk: bool  # costs RateLimit.bulk_cost tokens


_TRIGGER, _CONFIGURATION = "trigger", "configuration"
_STATIC: Final[dict[tuple[str, str], Route]] = {
    ("POST", "/v1/events/trigger"): Route(Api.trigger, _TRIGGER, False),
    ("POST", "/v1/events/trigger/bulk"): Route(Api.trigger_bulk, _TRIGGER, True),
    ("POST", "/v1/events/trigger/broadcast"): Route(Api.broadcast, _TRIGGER, True),
    ("POST", "/v2/subscribers"): Route(Api.create_subscriber, _CONFIGURATION, False),
    ("GET", "/v2/subscribers"): Route(Api.search_subscribers, _CONFIGURATION, False),
    ("POST", "/v1/subscribers/bulk"): Route(Api.bulk_create_subscribers, _CONFIGURATION, True),
}
_WITH_PARAM: Final[tuple[tuple[str, str, Route], ...]] = (
    ("DELETE", "/v1/events/trigger/", Route(Api.cancel, _TRIGGER, False)),
    ("GET", "/v2/subscribers/", Route(Api.get_subscriber, _CONFIGURATION, False)),
    ("PATCH", "/v2/subscribers/", Route(Api.patch_subscriber, _CONFIGURATION, False)),
    ("DELETE", "/v2/subscribers/", Route(Api.delete_subscriber, _CONFIGURATION, False)),
)


def find_route(method: str, path: str) -> tuple[Route, str] | None:
    """The route of a request and its (percent-decoded) path parameter, or None (404)."""
    route = _STATIC.get((method, path))
    if route is not None:
        return route, ""
    for route_method, prefix, route in _WITH_PARAM:
        if method == route_method and path.startswith(prefix):
            rest = path[len(prefix) :]
            if rest and "/" not in rest:
                return route, unquote(rest)
    return None
