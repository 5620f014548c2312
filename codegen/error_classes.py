"""Which ``APIError`` subclass novu_async raises for an HTTP error status: the one source of that table.

``make generate`` writes it into ``novu_async/_status_errors.py`` (``render``), which
``novu_async/errors.py`` reads at import and resolves to its classes, so the client raises what this
table says; ``make docs`` names the exception of every documented error status from it too. A new
status or class: add it here and define the class in ``novu_async/errors.py``; the runtime refuses
to import with a name it does not define.
"""

from __future__ import annotations

import jinja2

BY_STATUS: dict[int, str] = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
SERVER_ERROR = "InternalServerError"  # every status from 500 up that BY_STATUS does not name
OTHER = "APIError"  # every other error status

RUNTIME_MODULE = "_status_errors.py"  # in the runtime package, beside errors.py


def class_for(status: int) -> str:
    """The name of the class raised for ``status``: as ``novu_async.errors.error_class_for_status``."""
    return BY_STATUS.get(status, SERVER_ERROR if status >= 500 else OTHER)


def render(env: jinja2.Environment) -> str:
    """The source of the runtime's generated table (``novu_async/_status_errors.py``)."""
    return env.get_template("status_errors.py.j2").render(
        by_status=sorted(BY_STATUS.items()), server_error=SERVER_ERROR, other=OTHER
    )
