"""The settings of a client, listed once: ``NovuCore``, ``Novu``, ``NovuLegacy`` and the blocking
``novu_async.sync.Novu`` take them as keyword arguments typed by these ``TypedDict`` s (PEP 692,
``**settings: Unpack[CoreSettings]``), so a new setting is one line here and one place in the core
that uses it; IDEs and type checkers show each keyword with its type.

Also here: what each setting may hold, checked once when a core is made, and where the values come
from when they are left out (``NOVU_SECRET_KEY``, ``NOVU_SERVER_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict

import httpx

from ._retry import RetryConfig
from .errors import ConfigurationError

if TYPE_CHECKING:
    from ._types import Unset

__all__ = [
    "SECRET_KEY_ENV",
    "SERVERS",
    "SERVER_URL_ENV",
    "CoreSettings",
    "Settings",
    "TransportName",
    "check_names",
    "checked_deadline",
    "checked_retries",
    "resolve_secret_key",
    "resolve_server_url",
]

SERVERS: Final[Mapping[str, str]] = {"us": "https://api.novu.co", "eu": "https://eu.api.novu.co"}
SECRET_KEY_ENV: Final = "NOVU_SECRET_KEY"
SERVER_URL_ENV: Final = "NOVU_SERVER_URL"

TransportName = Literal["auto", "httpx", "aiohttp"]


class Settings(TypedDict, total=False):
    """What every client takes besides the secret key (each optional; see ``NovuCore`` for the
    defaults). The blocking client takes exactly these; the async ones also ``http_client``."""

    server: Literal["us", "eu"]
    server_url: str | None
    timeout: float | httpx.Timeout | Unset | None
    retries: RetryConfig | int | None
    deadline: float | None
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


def checked_retries(retries: RetryConfig | int) -> RetryConfig:
    """``retries`` as a ``RetryConfig``: a number is that many retries with the default backoff."""
    if isinstance(retries, RetryConfig):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ConfigurationError(f"retries must be a RetryConfig or a number >= 0, got {retries!r}")
    return RetryConfig(max_retries=retries)
