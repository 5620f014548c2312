"""What travels: JSON (orjson when installed), error bodies shaped like Novu's, and ``Reply``."""

from __future__ import annotations

import datetime as _dt
import importlib
import json
from collections.abc import Callable
from typing import Any, Final

__all__ = ["ApiError", "Reply", "constraint", "dumps", "error_body", "loads", "now_iso", "number_text"]

JSON_TYPE: Final = ("Content-Type", "application/json; charset=utf-8")

dumps: Callable[[Any], bytes]
loads: Callable[[bytes], Any]
try:
    _orjson: Any = importlib.import_module("orjson")
except ImportError:
    _encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def dumps(value: Any) -> bytes:
        return _encode(value).encode()

    loads = json.loads
else:
    dumps = _orjson.dumps
    loads = _orjson.loads


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
