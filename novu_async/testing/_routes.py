"""Which operation a request is for, and who answers it.

The table comes from the generated package: each ``novu_async.funcs`` module's ``OPERATION`` gives the
operationId, method and path template of one operation of the document, so nothing here is copied
by hand and a new operation in the document is routed (to a 501) as soon as it is generated. The
legacy document's operations (``novu_async.legacy.funcs``) are routed too, named ``legacy.<operationId>``
(their operationIds repeat current ones); one whose method and path a current operation has is that
operation's (``legacy_operations`` and ``FakeNovu.legacy_operations`` call it shared). The
resource groups (``_groups/``) register a handler per operationId; an operation no group handles
answers 501 naming it. A literal path segment beats a template one (``/v1/integrations/active`` is
not ``/v1/integrations/{integrationId}``).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar
from urllib.parse import parse_qs, unquote

import attrs

from ._wire import ApiError

if TYPE_CHECKING:
    from ._store import State

__all__ = [
    "LEGACY",
    "NO_BODY",
    "Call",
    "Group",
    "Handler",
    "Handling",
    "OperationInfo",
    "Result",
    "Route",
    "Router",
    "all_operations",
    "legacy_operations",
    "operations",
]

# rate-limit categories as Novu assigns them: events, subscribers and topics, everything else
TRIGGER: Final = "trigger"
CONFIGURATION: Final = "configuration"
GLOBAL: Final = "global"
# the prefix of a legacy operation's operationId and function name
LEGACY: Final = "legacy."


@attrs.frozen
class OperationInfo:
    """One operation of the document, as the generated package describes it."""

    operation_id: str  # SubscribersController_getSubscriber
    name: str  # the SDK function: subscribers_retrieve
    method: str  # GET
    path: str  # /v2/subscribers/{subscriberId}

    def __str__(self) -> str:
        return f"{self.operation_id} ({self.method} {self.path})"

    @property
    def legacy(self) -> bool:
        """An operation of the legacy (v1) document."""
        return self.operation_id.startswith(LEGACY)


def _read(package: str, prefix: str = "") -> tuple[OperationInfo, ...]:
    table: Mapping[str, str] = importlib.import_module(f"{package}.funcs").OPERATIONS
    found = []
    for operation_id, name in table.items():
        operation = importlib.import_module(f"{package}.funcs.{name}").OPERATION
        found.append(OperationInfo(prefix + operation_id, prefix + name, operation.method, operation.path))
    return tuple(found)


@functools.cache
def operations() -> tuple[OperationInfo, ...]:
    """Every operation of the generated package, in the document's order (imports each function's
    module once: about a third of a second)."""
    return _read("novu_async")


@functools.cache
def legacy_operations() -> tuple[OperationInfo, ...]:
    """Every operation of the legacy package (``novu_async.legacy``), in its document's order, named
    ``legacy.<operationId>`` and ``legacy.<function>``."""
    return _read("novu_async.legacy", LEGACY)


def all_operations() -> tuple[OperationInfo, ...]:
    """The current operations, then the legacy ones no current operation shares a method and path
    with: the default route table."""
    taken = {(op.method, op.path) for op in operations()}
    return operations() + tuple(op for op in legacy_operations() if (op.method, op.path) not in taken)


class Call:
    """What a handler gets: the request, its path parameters (percent-decoded) and its query."""

    __slots__ = ("_args", "body", "key", "number", "operation", "params", "path", "query", "raw")

    def __init__(
        self,
        operation: OperationInfo,
        path: str,
        params: Mapping[str, str],
        query: str,
        body: Any,
        raw: bytes,
        key: str | None,
        number: int,
    ) -> None:
        self.operation = operation
        self.path = path  # as requested, without the query
        self.params = params
        self.query = query  # the raw query string
        self.body = body  # the decoded JSON body, None when there is none
        self.raw = raw  # the body as sent
        self.key = key  # the idempotency key
        self.number = number  # the request number (1 for the first request the fake received)
        self._args: dict[str, list[str]] | None = None

    @property
    def args(self) -> Mapping[str, list[str]]:
        """The query, every value of each key (``?severity=high&severity=low``)."""
        if self._args is None:
            self._args = parse_qs(self.query, keep_blank_values=True)
        return self._args


# A handler's answer: (status, body). The body is a JSON value (sent in Novu's envelope), ``bytes``
# (sent as they are: already encoded, envelope included), or NO_BODY (a 204).
Result = tuple[int, Any]
Handler = Callable[["State", Call], Result]
NO_BODY: Final = object()
H = TypeVar("H", bound=Handler)


@attrs.frozen
class Handling:
    """How one operation is answered: its handler and what the request costs."""

    handler: Handler
    category: str  # rate-limit category
    bulk: bool  # costs RateLimit.bulk_cost tokens
    # deliver the triggers accepted so far first (everything but the triggers themselves, so that
    # accepting events stays cheap and what they cause is there when anything else looks)
    settles: bool
    # the body is not JSON (a multipart upload): the handler reads ``call.raw``
    raw: bool = False


class Group:
    """The handlers of one resource group, registered by operationId with ``@group.operation(...)``."""

    def __init__(self, name: str, category: str = GLOBAL) -> None:
        self.name = name
        self.category = category
        self.handlers: dict[str, Handling] = {}

    def operation(
        self, operation_id: str, *, bulk: bool = False, settles: bool = True, raw: bool = False
    ) -> Callable[[H], H]:
        def register(handler: H) -> H:
            if operation_id in self.handlers:
                raise ValueError(f"{self.name}: {operation_id} is registered twice")
            self.handlers[operation_id] = Handling(handler, self.category, bulk, settles, raw)
            return handler

        return register

    def __repr__(self) -> str:
        return f"Group({self.name!r}, {len(self.handlers)} operations)"


class Route(NamedTuple):
    operation: OperationInfo
    handling: Handling | None  # None: not modelled (501)


def _segments(template: str) -> tuple[str | None, ...]:
    """``/v2/topics/{topicKey}`` -> ``("v2", "topics", None)``: None where a parameter goes."""
    return tuple(None if part.startswith("{") else part for part in template.strip("/").split("/"))


def _names(template: str) -> tuple[str, ...]:
    return tuple(part[1:-1] for part in template.strip("/").split("/") if part.startswith("{"))


class Router:
    """Finds the route of a request: ``find(method, path)`` -> ``(Route, path parameters)`` or None."""

    def __init__(self, groups: Iterable[Group], table: Iterable[OperationInfo] | None = None) -> None:
        table = tuple(all_operations() if table is None else table)
        handlings: dict[str, Handling] = {}
        for group in groups:
            for operation_id, handling in group.handlers.items():
                if operation_id in handlings:
                    raise ValueError(f"{operation_id} is registered by two groups")
                handlings[operation_id] = handling
        known = {operation.operation_id for operation in table}
        unknown = sorted(set(handlings) - known)
        if unknown:
            raise ValueError(f"handlers for operations the document does not have: {', '.join(unknown)}")
        self.routes = tuple(Route(op, handlings.get(op.operation_id)) for op in table)
        self._static: dict[tuple[str, str], Route] = {}
        self._templated: dict[
            tuple[str, int], list[tuple[tuple[str | None, ...], tuple[str, ...], Route]]
        ] = {}
        for route in self.routes:
            template = route.operation.path
            if "{" not in template:
                self._static[route.operation.method, template] = route
                continue
            segments = _segments(template)
            candidates = self._templated.setdefault((route.operation.method, len(segments)), [])
            candidates.append((segments, _names(template), route))
        for candidates in self._templated.values():
            # literal segments first, left to right: the OpenAPI rule for overlapping templates
            candidates.sort(key=lambda candidate: tuple(part is None for part in candidate[0]))

    def find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        route = self._static.get((method, path))
        if route is not None:
            return route, {}
        parts = path.strip("/").split("/") if path.startswith("/") else []
        for segments, names, route in self._templated.get((method, len(parts)), ()):
            values = []
            for part, segment in zip(parts, segments, strict=True):
                if segment is None:
                    if not part:
                        break
                    values.append(unquote(part))
                elif part != segment:
                    break
            else:
                return route, dict(zip(names, values, strict=True))
        return None

    @property
    def modelled(self) -> tuple[OperationInfo, ...]:
        return tuple(route.operation for route in self.routes if route.handling is not None)


def not_implemented(operation: OperationInfo) -> ApiError:
    """The answer to an operation no group models yet (never a 404 lookalike)."""
    return ApiError(501, f"FakeNovu does not implement {operation}")
