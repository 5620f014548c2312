"""The settings of a bulk run, listed once (``BulkSettings``, for ``trigger_many``,
``create_subscribers_many`` and the client methods that call them), and their checks: every one
is checked before anything is read or sent.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict

import attrs

from .._encode import IDEMPOTENCY_HEADER, MAX_IDEMPOTENCY_KEY, header_problem
from .._retry import RetryConfig
from .._settings import check_names, checked_deadline, checked_timeout
from .._types import RequestOptions, Unset
from ..errors import ConfigurationError
from ._report import BulkReport

if TYPE_CHECKING:
    from .._core import NovuCore

__all__ = [
    "MAX_PREFIX_LENGTH",
    "BulkSettings",
    "InvalidItems",
    "ProgressCallback",
    "RunSettings",
    "TriggerManySettings",
    "check_prefix",
    "resolve",
]

ProgressCallback = Callable[[int, "int | None"], object]
"""``on_progress(done, total)``: the items done so far, and the input's length (``None`` when it has none)."""
InvalidItems = Literal["raise", "fail_chunk"]
"""What a bad item does (``invalid=``): raise ``DataValidationError``, or fail its chunk and go on."""

_INDEX_ROOM: Final = 11  # "-" and a chunk index of up to 10 digits
MAX_PREFIX_LENGTH: Final = MAX_IDEMPOTENCY_KEY - _INDEX_ROOM
"""The longest ``idempotency_prefix``: room is left for ``-<chunk index>`` within Novu's 255 characters."""
_NO_RETRIES: Final = RetryConfig(max_retries=0)


class BulkSettings(TypedDict, total=False):
    """How a bulk run goes; every one is optional (``trigger_many`` says what each does)."""

    concurrency: int
    chunk_size: int
    idempotency_prefix: str | None
    on_progress: ProgressCallback | None
    report: BulkReport | None
    invalid: InvalidItems
    options: RequestOptions | None
    sleep: Callable[[float], Awaitable[None]] | None
    clock: Callable[[], float] | None
    skip_chunks: Collection[int]
    deadline: float | None


class TriggerManySettings(BulkSettings, total=False):
    """``BulkSettings``, and the name ``trigger_many`` gave ``invalid`` before (deprecated)."""

    invalid_events: InvalidItems


_NAMES: Final = frozenset(TriggerManySettings.__optional_keys__)


@attrs.frozen
class RunSettings:
    """``BulkSettings`` checked, with the defaults filled in."""

    concurrency: int
    chunk_size: int
    prefix: str
    report: BulkReport
    invalid: InvalidItems
    skip: frozenset[int]
    config: RetryConfig  # the retry policy of each chunk
    options: RequestOptions  # what each request carries: the core retries nothing itself
    on_progress: ProgressCallback | None
    sleep: Callable[[float], Awaitable[None]]
    clock: Callable[[], float] | None
    deadline: float | None  # seconds the whole run may take


def check_prefix(prefix: str) -> str:
    """An idempotency prefix as ``trigger_many`` takes it; ``ConfigurationError`` otherwise."""
    if not isinstance(prefix, str):
        raise ConfigurationError(f"idempotency_prefix must be a string, got {type(prefix).__name__}")
    if not 0 < len(prefix) <= MAX_PREFIX_LENGTH:
        raise ConfigurationError(
            f"idempotency_prefix must be 1 to {MAX_PREFIX_LENGTH} characters (the key "
            f"'<prefix>-<chunk index>' must fit Novu's {MAX_IDEMPOTENCY_KEY}), got {len(prefix)}"
        )
    if any(not 0x21 <= ord(c) <= 0x7E for c in prefix):
        raise ConfigurationError(
            "idempotency_prefix must be printable ASCII without spaces (it goes into a header)"
        )
    return prefix


def _check_int(name: str, value: Any, low: int, high: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        bounds = f"{low} to {high}" if high is not None else f">= {low}"
        raise ConfigurationError(f"{name} must be an integer {bounds}, got {value!r}")
    return value


def _check_skip(skip_chunks: Any) -> frozenset[int]:
    if isinstance(skip_chunks, (str, bytes, Mapping)) or not isinstance(skip_chunks, Collection):
        raise ConfigurationError(
            f"skip_chunks must be a collection of chunk indices, got {type(skip_chunks).__name__}"
        )
    for index in skip_chunks:
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ConfigurationError(f"skip_chunks must hold chunk indices (integers >= 0), got {index!r}")
    return frozenset(skip_chunks)


def _invalid(settings: Mapping[str, Any], function: str) -> tuple[str, Any]:
    """The ``invalid`` setting and the name it was given under (``invalid_events``: deprecated)."""
    if "invalid_events" not in settings:
        return "invalid", settings.get("invalid", "raise")
    if function != "trigger_many":
        raise TypeError(f"{function}() got an unexpected keyword argument 'invalid_events'")
    warnings.warn(
        "trigger_many(invalid_events=...) is deprecated: use invalid=... (the name both bulk functions take)",
        DeprecationWarning,
        stacklevel=5,
    )
    value = settings["invalid_events"]
    if "invalid" in settings and settings["invalid"] != value:
        raise ConfigurationError("invalid and invalid_events (its old name) disagree: give only invalid")
    return "invalid_events", value


def resolve(
    core: NovuCore, settings: Mapping[str, Any], *, function: str, max_chunk_size: int
) -> RunSettings:
    """``settings`` of a run of ``function`` checked, defaults filled in (the core's retry policy
    and sleep among them)."""
    check_names(settings, _NAMES, function)
    concurrency = _check_int("concurrency", settings.get("concurrency", 8), 1)
    chunk_size = _check_int("chunk_size", settings.get("chunk_size", max_chunk_size), 1, max_chunk_size)
    given_prefix = settings.get("idempotency_prefix")
    prefix = check_prefix(given_prefix) if given_prefix is not None else f"bulk-{uuid.uuid4().hex}"
    name, invalid = _invalid(settings, function)
    if invalid not in ("raise", "fail_chunk"):
        raise ConfigurationError(f"{name} must be 'raise' or 'fail_chunk', got {invalid!r}")
    skip = _check_skip(settings.get("skip_chunks", ()))
    config = core.retry_config
    request_options = RequestOptions(retries=_NO_RETRIES)
    options: RequestOptions | None = settings.get("options")
    if options is not None:
        if isinstance(options.retries, RetryConfig):
            config = options.retries
        elif not isinstance(options.retries, Unset):
            config = RetryConfig(max_retries=_check_int("options.retries", options.retries, 0))
        if not isinstance(options.headers, Unset):
            for name, value in options.headers.items():
                if isinstance(name, str) and name.lower() == IDEMPOTENCY_HEADER:
                    raise ConfigurationError(
                        f"options.headers must not set idempotency-key: {function} gives each chunk its own "
                        "(use idempotency_prefix)"
                    )
                problem = header_problem(name, value)
                if problem is not None:
                    raise ConfigurationError(f"options.headers[{name!r}]: {problem}")
        if not isinstance(options.timeout, Unset):
            checked_timeout(options.timeout, "options.timeout")
        request_options = RequestOptions(
            retries=_NO_RETRIES, timeout=options.timeout, headers=options.headers, deadline=options.deadline
        )
    report: BulkReport | None = settings.get("report")
    sleep = settings.get("sleep")
    return RunSettings(
        concurrency=concurrency,
        chunk_size=chunk_size,
        prefix=prefix,
        report=report if report is not None else BulkReport(),
        invalid=invalid,
        skip=skip,
        config=config,
        options=request_options,
        on_progress=settings.get("on_progress"),
        sleep=sleep if sleep is not None else core.sleep,
        clock=settings.get("clock"),
        deadline=checked_deadline(settings.get("deadline")),
    )
