"""The settings of a client, listed once: ``NovuCore``, ``Novu``, ``NovuLegacy`` and the blocking
``novu_async.sync.Novu`` take them as keyword arguments typed by these ``TypedDict`` s (PEP 692,
``**settings: Unpack[CoreSettings]``), so a new setting is one line here and one place in the core
that uses it; IDEs and type checkers show each keyword with its type.

Also here: what each setting may hold, checked once when a core is made (and per call, for those
``RequestOptions`` override), where the values come from when they are left out (``NOVU_SECRET_KEY``,
``NOVU_SERVER_URL``), and how the secret key is taken out of text (``redactor``).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict

import httpx

from ._retry import RetryConfig
from .errors import ConfigurationError

if TYPE_CHECKING:
    from ._types import Unset

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MIN_SECRET_KEY_LENGTH",
    "SECRET_KEY_ENV",
    "SERVERS",
    "SERVER_URL_ENV",
    "CoreSettings",
    "Settings",
    "TransportName",
    "attempt_seconds",
    "check_names",
    "checked_deadline",
    "checked_max_response_bytes",
    "checked_retries",
    "checked_timeout",
    "redactor",
    "resolve_secret_key",
    "resolve_server_url",
]

SERVERS: Final[Mapping[str, str]] = {"us": "https://api.novu.co", "eu": "https://eu.api.novu.co"}
SECRET_KEY_ENV: Final = "NOVU_SECRET_KEY"
SERVER_URL_ENV: Final = "NOVU_SERVER_URL"

# the largest answer body read (after decompression): Novu's largest answers (a page of 100 full
# subscribers or workflows) are a few MB
DEFAULT_MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
# Novu's secret keys are 32 hexadecimal characters; anything much shorter is a test key (FakeNovu,
# a mock server), redacted only where it stands as a word of its own (see ``redactor``)
MIN_SECRET_KEY_LENGTH: Final = 16

TransportName = Literal["auto", "httpx", "aiohttp"]


class Settings(TypedDict, total=False):
    """What every client takes besides the secret key (each optional; see ``NovuCore`` for the
    defaults). The blocking client takes exactly these; the async ones also ``http_client``."""

    server: Literal["us", "eu"]
    server_url: str | None
    timeout: float | httpx.Timeout | Unset | None
    retries: RetryConfig | int | None
    deadline: float | None
    max_response_bytes: int | None
    http2: bool
    transport: TransportName


class CoreSettings(Settings, total=False):
    """``Settings`` plus the one that belongs to an event loop: an ``httpx.AsyncClient`` of yours."""

    http_client: httpx.AsyncClient | None


def check_names(given: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    """``TypeError`` for a keyword that is not a setting, as Python says it for a signature."""
    for name in given:
        if name not in allowed:
            raise TypeError(f"{where}() got an unexpected keyword argument {name!r}")


def resolve_secret_key(secret_key: str | None) -> str:
    """The secret key as given, else ``$NOVU_SECRET_KEY``; checked (it goes into a header)."""
    key = secret_key if secret_key is not None else os.environ.get(SECRET_KEY_ENV)
    if key is None:
        raise ConfigurationError(
            f"no Novu secret key: pass secret_key=... or set the {SECRET_KEY_ENV} environment variable"
        )
    key = key.strip()
    if not key:
        raise ConfigurationError("the Novu secret key is empty")
    if any(ord(c) < 0x21 or ord(c) > 0x7E for c in key):
        raise ConfigurationError("the Novu secret key holds spaces, control or non-ASCII characters")
    return key


def resolve_server_url(server: str | None, server_url: str | None) -> str:
    """The base URL, without a trailing slash: ``server_url``, else the URL of ``server``, else
    ``$NOVU_SERVER_URL`` (when set and not empty), else Novu's US server. An argument always wins
    over the environment; ``server_url`` over ``server``."""
    source = "server_url"
    if server_url is None and server is None:
        server_url = os.environ.get(SERVER_URL_ENV, "").strip() or None
        source = f"the {SERVER_URL_ENV} environment variable"
    if server_url is not None:
        try:
            url = httpx.URL(server_url)
        except (httpx.InvalidURL, TypeError):
            url = httpx.URL()
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"{source} must be an http(s) URL, got {server_url!r}")
        return server_url.rstrip("/")
    server = "us" if server is None else server
    if server not in SERVERS:
        raise ConfigurationError(f"unknown Novu server {server!r}: expected one of {', '.join(SERVERS)}")
    return SERVERS[server]


def checked_deadline(deadline: Any) -> float | None:
    if deadline is None:
        return None
    if (
        isinstance(deadline, bool)
        or not isinstance(deadline, (int, float))
        or not 0 < deadline < float("inf")
    ):
        raise ConfigurationError(f"deadline must be a number of seconds > 0 or None, got {deadline!r}")
    return float(deadline)


def checked_timeout(timeout: Any, where: str = "timeout") -> httpx.Timeout:
    """``timeout`` (seconds, an ``httpx.Timeout`` or ``None`` for none) as an ``httpx.Timeout``;
    ``ConfigurationError`` for anything else, or a number that is not > 0 and finite."""
    if isinstance(timeout, httpx.Timeout):
        values = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        if all(v is None or _positive(v) for v in values):
            return timeout
    elif timeout is None or _positive(timeout):
        return httpx.Timeout(timeout)
    raise ConfigurationError(
        f"{where} must be a number of seconds > 0, an httpx.Timeout of such numbers, or None, got {timeout!r}"
    )


def _positive(value: Any) -> bool:
    return (
        not isinstance(value, bool) and isinstance(value, (int, float)) and value > 0 and math.isfinite(value)
    )


def attempt_seconds(timeout: httpx.Timeout) -> float | None:
    """How long one attempt may take in all (waiting for a connection, connecting, sending, the
    answer's headers and body): the largest of the timeout's values; ``None`` (no bound) when one of
    them is ``None``."""
    values = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    if any(v is None for v in values):
        return None
    return max(v for v in values if v is not None)


def checked_max_response_bytes(limit: Any) -> int | None:
    if limit is None or (isinstance(limit, int) and not isinstance(limit, bool) and limit > 0):
        return limit
    raise ConfigurationError(f"max_response_bytes must be a number of bytes > 0 or None, got {limit!r}")


def redactor(secret: str, replacement: str) -> Callable[[str], str]:
    """A function that replaces ``secret`` in a text by ``replacement``: every occurrence of a key of
    at least ``MIN_SECRET_KEY_LENGTH`` characters (it cannot occur by chance, and a server may echo it
    next to anything, percent-encoded...); a shorter one (a test key: ``"test"``) only where it is a
    word of its own, not inside another (``latest-tester`` stays as it is)."""
    if len(secret) >= MIN_SECRET_KEY_LENGTH:

        def replace(text: str) -> str:
            return text.replace(secret, replacement) if secret in text else text

        return replace
    pattern = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(secret)}(?![A-Za-z0-9_-])")

    def replace_words(text: str) -> str:
        return pattern.sub(lambda _: replacement, text) if secret in text else text

    return replace_words


def checked_retries(retries: RetryConfig | int) -> RetryConfig:
    """``retries`` as a ``RetryConfig``: a number is that many retries with the default backoff."""
    if isinstance(retries, RetryConfig):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ConfigurationError(f"retries must be a RetryConfig or a number >= 0, got {retries!r}")
    return RetryConfig(max_retries=retries)
