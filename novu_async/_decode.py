"""Response decoding: a response to the operation's documented result, or to the typed error for its
status.

* the documented response for a status: the exact code, else its ``2XX``-style range, else
  ``default`` (for a 2XX the document does not list, whatever success it does list);
* the body: JSON (empty is ``None``), with the ``{"data": ...}`` envelope removed as Novu's SDKs do,
  unless the declared schema is itself that envelope (``ResponseSpec.unwrap``), then structured into
  the declared type (``ResponseValidationError`` when it does not fit: the server did the work); a
  large body with the cyclic garbage collector paused (``LARGE_BODY``);
* an error status: the ``APIError`` subclass for it, carrying status, headers, body (raw, and
  structured into the declared error type when it fits), the server's message, the request id and
  the idempotency key; a ``RateLimitError`` also the wait the server asked for.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Mapping
from typing import Any, Final

import httpx

from . import _serde
from ._encode import loads
from ._operation import Operation, ResponseSpec
from ._retry import retry_after_seconds
from ._types import Response
from .errors import (
    APIError,
    DataValidationError,
    RateLimitError,
    ResponseValidationError,
    error_class_for_status,
)

__all__ = ["api_error", "json_body", "payload", "request_id", "result", "server_message", "spec_for"]

# Decoding a body makes only trees (dicts, lists, models: no reference cycles), which reference counting
# frees; the cyclic collector finds nothing in them, but it runs through them all the same, every 700
# new objects, and now and then through the whole heap (the larger the program's heap, the more that
# costs): a 696 KiB list of 1,000 subscribers decodes in 1.56x the time of `json.loads` with the
# collector paused, 1.75x without (benchmarks/parse.py). Such a body is decoded with the collector
# paused; it runs again right after. (Another thread turning the collector off in those
# milliseconds would find it on again.)
LARGE_BODY: Final = 64 * 1024

_REQUEST_ID_HEADERS: Final = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")
_MAX_MESSAGE: Final = 500


def spec_for(specs: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    """The documented response for ``status``: exact code, else ``2XX``-style range, else default."""
    spec = specs.get(str(status))
    if spec is None:
        spec = specs.get(f"{status // 100}XX") or specs.get(f"{status // 100}xx") or specs.get("default")
    return spec


def _success_spec(specs: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    spec = spec_for(specs, status)
    if spec is None:
        # a 2XX the document does not list: use whatever success it does list
        spec = next((s for code, s in specs.items() if code.startswith("2")), None)
    return spec


def _unwrap(spec: ResponseSpec, body: Any) -> Any:
    if spec.unwrap and type(body) is dict and len(body) == 1 and "data" in body:
        return body["data"]
    return body


def json_body(response: httpx.Response) -> tuple[bool, Any]:
    """``(True, JSON value)``, ``(True, None)`` for an empty body, ``(False, text)`` when not JSON
    (or nested too deeply for the parser: ``json`` raises ``RecursionError`` then)."""
    content = response.content
    if not content.strip():
        return True, None
    try:
        return True, loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, response.text


def payload(op: Operation, response: httpx.Response) -> Any:
    """A success response's JSON without its envelope (as the operation's spec for the status says),
    not structured; ``None`` when the body is empty or not JSON. For callers that read the few keys
    they need straight from the JSON (``trigger_many``'s answers)."""
    is_json, body = json_body(response)
    if not is_json:
        return None
    spec = _success_spec(op.responses, response.status_code)
    return body if spec is None else _unwrap(spec, body)


def result(op: Operation, response: httpx.Response) -> Response[Any]:
    """A success response as the operation's ``Response``: the body structured into its type."""
    if len(response.content) >= LARGE_BODY and gc.isenabled():
        gc.disable()
        try:
            return _result(op, response)
        finally:
            gc.enable()
    return _result(op, response)


def _result(op: Operation, response: httpx.Response) -> Response[Any]:
    spec = _success_spec(op.responses, response.status_code)
    data: Any = None
    if spec is None or spec.type is not None:
        is_json, body = json_body(response)
        if spec is not None and is_json and body is None and not response.content.strip():
            is_json, body = False, response.text  # a body is declared: empty is not one
        if not is_json:
            empty = not body.strip()
            raise ResponseValidationError(
                f"{op.name}: HTTP {response.status_code} response body "
                + ("is empty" if empty else "is not JSON (or is nested too deeply to parse)"),
                status_code=response.status_code,
                body=body,
                problems=[("$", "empty, but a JSON body is declared" if empty else "not JSON")],
                operation=op.name,
                headers=response.headers,
                response=response,
            )
        if spec is None:
            data = body
        else:
            try:
                data = _serde.structure(
                    _unwrap(spec, body),
                    spec.type,
                    what=f"{op.name} response body (HTTP {response.status_code})",
                )
            except DataValidationError as exc:
                raise ResponseValidationError(
                    f"{exc} (the server accepted the request: sending it again would repeat it)",
                    status_code=response.status_code,
                    body=body,
                    problems=exc.problems,
                    operation=op.name,
                    headers=response.headers,
                    response=response,
                ) from exc
    return Response(status_code=response.status_code, headers=response.headers, data=data, raw=response)


def server_message(body: Any) -> str | None:
    """What the server said went wrong, from an ``ErrorDto``-like body or a legacy string body."""
    if isinstance(body, str):
        return body.strip() or None
    if not isinstance(body, dict):
        return None
    message = body.get("message", body.get("error"))
    if isinstance(message, list):
        text = "; ".join(m if isinstance(m, str) else json.dumps(m, default=str) for m in message)
    elif isinstance(message, str):
        text = message
    elif message is not None:
        text = json.dumps(message, default=str)
    else:
        text = ""
    errors = body.get("errors")
    if isinstance(errors, dict):  # ValidationErrorDto: field -> {"messages": [...]}
        details = []
        for field, detail in list(errors.items())[:10]:
            messages = detail.get("messages") if isinstance(detail, dict) else None
            if isinstance(messages, list) and messages:
                details.append(f"{field}: {', '.join(str(m) for m in messages)}")
            else:
                details.append(str(field))
        if details:
            text = f"{text} ({'; '.join(details)})" if text else "; ".join(details)
    return text or None


def request_id(headers: httpx.Headers) -> str | None:
    """The server's identifier of the request, from the first response header that gives one."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    """A JSON value with ``redact`` applied to every string in it, keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    if isinstance(value, dict):
        return {redact(key): _redacted(item, redact) for key, item in value.items()}
    return value


def api_error(
    op: Operation, response: httpx.Response, idempotency_key: str | None, redact: Callable[[str], str]
) -> APIError:
    """The error an error status raises; ``redact`` clears the secret key out of its message and
    its body (a server may echo the request's headers)."""
    status = response.status_code
    _, body = json_body(response)
    if body is not None:
        text = response.text
        if redact(text) != text:
            try:
                body = _redacted(body, redact)
            except RecursionError:  # nested too deeply to walk: the text, redacted
                body = redact(text)
    parsed: Any = None
    spec = spec_for(op.errors, status)
    if spec is not None and spec.type is not None and body is not None:
        try:
            parsed = _serde.structure(_unwrap(spec, body), spec.type, what=f"{op.name} error body")
        except DataValidationError:
            parsed = None
    found_id = request_id(response.headers)
    message = f"{op.name}: HTTP {status}"
    if response.reason_phrase:
        message += f" {response.reason_phrase}"
    said = server_message(body)
    if said:
        # redacted before it is cut: a key across the cut would leave its first characters
        said = redact(said)
        if len(said) > _MAX_MESSAGE:
            said = said[:_MAX_MESSAGE] + "..."
        message += f": {said}"
    if found_id:
        message += f" (request id {found_id})"
    cls = error_class_for_status(status)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "headers": response.headers,
        "body": body,
        "parsed": parsed,
        "operation": op.name,
        "idempotency_key": idempotency_key,
        "request_id": found_id,
        "response": response,
    }
    if issubclass(cls, RateLimitError):
        retry_after = retry_after_seconds(response.headers)
        if retry_after is not None:
            message += f" (retry after {retry_after:g} s)"
        return cls(redact(message), retry_after=retry_after, **kwargs)
    return cls(redact(message), **kwargs)
