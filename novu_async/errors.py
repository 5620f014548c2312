"""The exceptions novu_async raises. Every one derives from ``NovuError``.

Three families, told apart by what the caller may do next:

* nothing was sent: ``ConfigurationError`` (the client is set up wrongly), ``ClientClosedError``,
  ``DataValidationError`` (a request value does not fit its schema); fix the call and send it;
* the server answered with an error: ``APIError`` and one subclass per status family; it carries the
  status, the headers, the body and the idempotency key the request was sent with;
* no usable answer came: ``APIConnectionError`` / ``APITimeoutError`` / ``ResponseTooLargeError``
  (the connection failed, broke, timed out, or the answer was malformed or too large). Unless
  ``request_sent`` is false, the request may or may not have taken effect: send it again with the
  same ``idempotency_key`` (the error carries it) and the server replays the first result instead of
  doing the work twice;
* the server said yes but its body does not fit the documented type: ``ResponseValidationError``.
  The request took effect; do not send it again.

No message, ``str`` or ``repr`` of these errors ever contains the secret key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import _status_errors

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DataValidationError",
    "InternalServerError",
    "NotFoundError",
    "NovuError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "error_class_for_status",
]


class NovuError(Exception):
    """Base class of every error novu_async raises."""


class ConfigurationError(NovuError, ValueError):
    """The client cannot work as configured: no secret key, an unknown server, a missing extra..."""


class ClientClosedError(NovuError, RuntimeError):
    """A request was made through a ``NovuCore`` after ``aclose()``."""


class DataValidationError(NovuError, ValueError):
    """A value does not fit its schema.

    ``problems`` lists ``(JSON path, message)`` pairs, e.g. ``("$.to[0].subscriberId",
    "expected a string, got integer")``; ``what`` says which value (a request body, a response...).
    """

    def __init__(self, what: str, problems: Sequence[tuple[str, str]]) -> None:
        self.what = what
        self.problems = list(problems)
        shown = "; ".join(f"{path}: {message}" for path, message in self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"{what} is invalid: {shown}{more}")


class APIError(NovuError):
    """The server answered with a status that is not a success.

    * ``message``: ``str(error)``: the operation, the status and the server's own message, if any;
    * ``status_code``, ``headers``: of the final response (after any retries);
    * ``body``: the parsed JSON body, or its text when it is not JSON, or ``None`` when empty;
    * ``parsed``: the body structured into the type the document declares for this status
      (``ErrorDto``, ``ValidationErrorDto``...), ``None`` when none is declared or it does not fit;
    * ``operation``: the operation's function name (``workflows_create``);
    * ``idempotency_key``: the key the request carried (send again with it to get a replay);
    * ``request_id``: the server's request identifier when a response header gives one;
    * ``response``: the raw ``httpx.Response``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        parsed: Any = None,
        operation: str | None = None,
        idempotency_key: str | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.body = body
        self.parsed = parsed
        self.operation = operation
        self.idempotency_key = idempotency_key
        self.request_id = request_id
        self.response = response


class BadRequestError(APIError):
    """HTTP 400."""


class AuthenticationError(APIError):
    """HTTP 401: the secret key is missing, wrong or revoked."""


class PermissionDeniedError(APIError):
    """HTTP 403."""


class NotFoundError(APIError):
    """HTTP 404."""


class ConflictError(APIError):
    """HTTP 409: a business conflict (the subscriber already exists...), or an idempotent request still
    in flight that did not finish within the retry budget."""


class UnprocessableEntityError(APIError):
    """HTTP 422: the server rejected the values; also the same idempotency key sent with another body.

    ``validation`` is the body structured into the operation's declared 422 type (usually
    ``ValidationErrorDto``, whose ``errors`` map names each bad field), ``None`` when it does not fit.
    """

    @property
    def validation(self) -> Any:
        return self.parsed


class RateLimitError(APIError):
    """HTTP 429. ``retry_after``: seconds the server asked to wait, when it said (``Retry-After``,
    ``retry-after-ms``). Raised at once when that wait is longer than the retry policy accepts."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIError):
    """HTTP 500 and above."""


class APIConnectionError(NovuError):
    """No usable answer: the connection failed or broke, or the answer was malformed (a garbage
    status line, a broken header or body...). ``attempts`` says how many attempts were made.

    ``request_sent``: ``False`` when the last attempt certainly never reached the server (the
    connection was refused, could not be made in time, no pooled connection came free); then nothing
    of it happened there. ``True`` otherwise: the request may have reached the server, and sending it
    again with ``idempotency_key`` is safe (the server replays what it did).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        idempotency_key: str | None = None,
        attempts: int = 1,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.idempotency_key = idempotency_key
        self.attempts = attempts
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """No answer within the timeout (each attempt's ``timeout``, or the call's ``deadline``)."""


class ResponseTooLargeError(APIConnectionError):
    """The answer's body is larger than ``max_response_bytes`` (after decompression): the rest was not
    read, and the call is not retried. ``status_code`` is the answer's status, ``limit`` the limit.
    The server did answer: a 2XX status means it did the work."""

    def __init__(self, message: str, *, status_code: int, limit: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code
        self.limit = limit


class ResponseValidationError(NovuError):
    """A success response whose body is not JSON or does not fit the documented type.

    The server accepted the request: sending it again would do the work twice. ``body`` is the raw
    body (parsed JSON, or text when not JSON), ``problems`` lists ``(JSON path, message)`` pairs.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        problems: Sequence[tuple[str, str]],
        operation: str | None = None,
        headers: Mapping[str, str] | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.problems = list(problems)
        self.operation = operation
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.response = response


def _named(name: str) -> type[APIError]:
    found = globals().get(name)
    if not (isinstance(found, type) and issubclass(found, APIError)):
        raise ImportError(
            f"novu_async/_status_errors.py names {name!r}, which is not an APIError class of "
            "novu_async.errors: define it, or fix codegen/error_classes.py and run `make generate`"
        )
    return found


# status -> class, generated from codegen/error_classes.py (the reference pages name the same classes)
_BY_STATUS = {status: _named(name) for status, name in _status_errors.BY_STATUS.items()}
_SERVER_ERROR = _named(_status_errors.SERVER_ERROR)
_OTHER = _named(_status_errors.OTHER)


def error_class_for_status(status_code: int) -> type[APIError]:
    """The ``APIError`` subclass raised for ``status_code``."""
    found = _BY_STATUS.get(status_code)
    if found is not None:
        return found
    return _SERVER_ERROR if status_code >= 500 else _OTHER
