"""novu_async: an async-first Python SDK for the Novu notifications API.

Public names are imported on first use (PEP 562), so ``import novu_async`` stays cheap: httpx,
tenacity and the models load only when something needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _generated
from ._types import UNSET, Unset
from ._version import __version__

_generated.install()  # a missing generated package says to run `make generate`

if TYPE_CHECKING:
    from ._client import Novu as Novu
    from ._core import NovuCore as NovuCore
    from ._pagination import PageIterator as PageIterator
    from ._pagination import PaginationError as PaginationError
    from ._retry import RetryConfig as RetryConfig
    from ._types import File as File
    from ._types import RequestOptions as RequestOptions
    from ._types import Response as Response
    from .bulk import BulkReport as BulkReport
    from .bulk import BulkTriggerError as BulkTriggerError
    from .bulk import ChunkOutcome as ChunkOutcome
    from .bulk import ChunkReport as ChunkReport
    from .bulk import EventResult as EventResult
    from .bulk import PacingError as PacingError
    from .bulk import create_subscribers_many as create_subscribers_many
    from .bulk import trigger_many as trigger_many
    from .errors import APIConnectionError as APIConnectionError
    from .errors import APIError as APIError
    from .errors import APITimeoutError as APITimeoutError
    from .errors import AuthenticationError as AuthenticationError
    from .errors import BadRequestError as BadRequestError
    from .errors import ClientClosedError as ClientClosedError
    from .errors import ConfigurationError as ConfigurationError
    from .errors import ConflictError as ConflictError
    from .errors import DataValidationError as DataValidationError
    from .errors import InternalServerError as InternalServerError
    from .errors import NotFoundError as NotFoundError
    from .errors import NovuError as NovuError
    from .errors import PermissionDeniedError as PermissionDeniedError
    from .errors import RateLimitError as RateLimitError
    from .errors import ResponseTooLargeError as ResponseTooLargeError
    from .errors import ResponseValidationError as ResponseValidationError
    from .errors import UnprocessableEntityError as UnprocessableEntityError

# public name -> the module that defines it
_LAZY: dict[str, str] = {
    "Novu": "._client",
    "NovuCore": "._core",
    "PageIterator": "._pagination",
    "PaginationError": "._pagination",
    "RetryConfig": "._retry",
    "File": "._types",
    "RequestOptions": "._types",
    "Response": "._types",
    **{
        name: ".bulk"
        for name in (
            "BulkReport",
            "BulkTriggerError",
            "ChunkOutcome",
            "ChunkReport",
            "EventResult",
            "PacingError",
            "create_subscribers_many",
            "trigger_many",
        )
    },
    **{
        name: ".errors"
        for name in (
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
        )
    },
}

__all__ = ["UNSET", "Unset", "__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
