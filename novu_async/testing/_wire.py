"""What travels: JSON (orjson when installed), Novu's envelope and error bodies, ``Reply`` and
``Answer``, and ``Responder``: what the ways in (httpx transport, ASGI, the HTTP/1.1 server) need of
a fake, so that none of them depends on ``FakeNovu`` itself."""

from __future__ import annotations

import datetime as _dt
import importlib
import json
from collections.abc import Callable
from typing import Any, Final, Protocol

import anyio

__all__ = [
    "JSON_TYPE",
    "Answer",
    "ApiError",
    "Reply",
    "Responder",
    "answer",
    "canonical",
    "constraint",
    "dumps",
    "envelope",
    "error_body",
    "loads",
    "now_iso",
    "number_text",
]

JSON_TYPE: Final = ("Content-Type", "application/json; charset=utf-8")

dumps: Callable[[Any], bytes]
loads: Callable[[bytes], Any]
try:
    _orjson: Any = importlib.import_module("orjson")
except ImportError:
    _encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    _decode = json.JSONDecoder().decode

    def dumps(value: Any) -> bytes:
        return _encode(value).encode()

    def loads(text: bytes) -> Any:
        # what json.loads does for a UTF-8 body that starts with "{" or "[" (and no zero byte after
        # it, as UTF-16 and -32 have), without its encoding detection: for a single trigger's
        # body, that detection costs a third of the decoding
        if text[:1] in (b"{", b"[") and text[1:2] != b"\x00":
            return _decode(text.decode("utf-8", "surrogatepass"))
        return json.loads(text)
else:
    dumps = _orjson.dumps
    loads = _orjson.loads


def canonical(value: Any) -> str:
    """JSON text that two equal JSON values share whatever their key order and whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness of a JSON value."""
    return value is not None and value is not False and value != 0 and value != ""


def envelope(value: Any) -> Any:
    """A success body the way Novu's response interceptor wraps it: ``{"data": value}``, unless
    ``value`` is an object whose own ``data`` is truthy in JavaScript terms (lists such as
    ``{"data": [...], "next": ...}``, and also a subscriber with custom ``data``), which goes out as
    it is."""
    if isinstance(value, dict) and _truthy(value.get("data")):
        return value
    return {"data": value}


def number_text(value: float) -> str:
    """A number for a header: ``100``, not ``100.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def now_iso() -> str:
    """The current UTC time as Novu writes it: ``2025-01-01T12:00:00.000Z``."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error_body(status: int, path: str, message: str, **extra: Any) -> dict[str, Any]:
    """An ``ErrorDto`` (``ValidationErrorDto`` when ``errors`` is in ``extra``)."""
    return {"statusCode": status, "timestamp": now_iso(), "path": path, "message": message, **extra}


class ApiError(Exception):
    """Raised by a handler: the request fails with this status and an ``ErrorDto`` body."""

    def __init__(self, status: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    @classmethod
    def invalid(cls, field: str, message: str, value: Any = None) -> ApiError:
        """A 422 ``ValidationErrorDto`` about one field."""
        return cls(422, "Validation Error", {field: constraint(message, value)})

    def body(self, path: str) -> dict[str, Any]:
        if self.errors is None:
            return error_body(self.status, path, self.message)
        return error_body(self.status, path, self.message, errors=self.errors)


def constraint(message: str, value: Any) -> dict[str, Any]:
    """A ``ConstraintValidation``: its messages, and the offending value when it is short."""
    found: dict[str, Any] = {"messages": [message]}
    if value is None or isinstance(value, (str, int, float, bool)):
        found["value"] = value
    return found


class Reply:
    """One answer: status, headers (names as Novu sends them), body; ``drop`` closes the connection
    without answering."""

    __slots__ = ("body", "drop", "headers", "status")

    def __init__(self, status: int, body: bytes, headers: list[tuple[str, str]], drop: bool = False) -> None:
        self.status = status
        self.body = body
        self.headers = headers
        self.drop = drop

    def __repr__(self) -> str:
        return f"Reply({self.status}, {len(self.body)} bytes{', dropped' if self.drop else ''})"


class Answer:
    """A reply to send ``delay`` seconds from now; ``complete()`` must be called then (also when the
    client gave up waiting): it stores the reply for its idempotency key."""

    __slots__ = ("_done", "delay", "reply")

    def __init__(self, reply: Reply, delay: float = 0.0, done: Callable[[], None] | None = None) -> None:
        self.reply = reply
        self.delay = delay
        self._done = done

    def complete(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()


class Responder(Protocol):
    """What serves requests: FakeNovu, or anything shaped like it."""

    def respond(
        self, method: str, target: str, authorization: str | None, idempotency_key: str | None, body: bytes
    ) -> Answer:
        """The work done, and the answer to send (``target``: path and query as sent)."""
        ...

    def connected(self) -> None:
        """A server accepted a connection (counted in the stats)."""
        ...


async def answer(
    responder: Responder,
    method: str,
    target: str,
    authorization: str | None,
    idempotency_key: str | None,
    body: bytes,
) -> Reply:
    """``respond`` and its wait: the reply once it is due (``drop`` set: close, answer nothing)."""
    found = responder.respond(method, target, authorization, idempotency_key, body)
    try:
        if found.delay > 0:  # the key stays in flight meanwhile: a retry now gets 409
            await anyio.sleep(found.delay)
    finally:  # also when the client gave up waiting: the work is done
        found.complete()
    return found.reply
