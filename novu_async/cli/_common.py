"""What the CLI's commands share: exit codes, errors, the connection options, the secret key and its
redaction."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, cast

if TYPE_CHECKING:
    from .._settings import CoreSettings

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # the server refused something, or something was not sent
EXIT_USAGE: Final = 2  # a bad command line, configuration or input

PROG: Final = "novu-async"
DEFAULT_KEY_ENV: Final = "NOVU_SECRET_KEY"
REDACTED: Final = "***"


class UsageError(Exception):
    """A bad command line, configuration or input: reported on stderr, exit code 2."""


class Redactor:
    """Removes the secret key from any text before it is shown or written, by the SDK's rule
    (``novu_async._settings.redactor``: a short test key only where it is a word of its own)."""

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self._replacers: list[Callable[[str], str]] = []

    def add(self, secret: str) -> None:
        from .._settings import redactor

        secret = secret.strip()
        # as is, and as it reads inside a JSON string (a key holding " or \\)
        for form in (secret, json.dumps(secret)[1:-1]):
            if form and form not in self.secrets:
                self.secrets.append(form)
                self._replacers.append(redactor(form, REDACTED))

    def __call__(self, text: str) -> str:
        for replace in self._replacers:
            text = replace(text)
        return text


redact = Redactor()


def error(message: str) -> None:
    """``novu-async: error: message`` on stderr, redacted."""
    print(redact(f"{PROG}: error: {message}"), file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(redact(f"{PROG}: warning: {message}"), file=sys.stderr, flush=True)


def describe(exc: BaseException) -> str:
    """An exception as ``Type: message``, redacted."""
    text = str(exc)
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def secret_key(args: argparse.Namespace) -> str:
    """The secret key from the environment variable the options name; never from the command line."""
    name: str = args.secret_key_env
    key = os.environ.get(name)
    if key is None or not key.strip():
        hint = "" if name != DEFAULT_KEY_ENV else " (or name another variable with --secret-key-env)"
        raise UsageError(f"no Novu secret key: set the {name} environment variable{hint}")
    redact.add(key)
    return key


def int_option(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer from ``low`` (to ``high``)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected an integer from {low} to {high}, got {value}")
        if value < low:
            raise argparse.ArgumentTypeError(f"expected an integer >= {low}, got {value}")
        return value

    return convert


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


# the NovuCore settings (``CoreSettings``) the command line offers: (setting, argparse keywords); the
# option is the setting's name with dashes. Left out, a setting is not passed: the core's default
# (and its environment variable: NOVU_SERVER_URL) applies.
_SETTING_OPTIONS: Final[tuple[tuple[str, dict[str, Any]], ...]] = (
    ("server", {"choices": ("us", "eu"), "help": "Novu's US or EU API (default: $NOVU_SERVER_URL, else us)"}),
    (
        "server_url",
        {
            "metavar": "URL",
            "help": "another base URL (a self-hosted Novu, a mock); takes precedence over --server "
            "(default: $NOVU_SERVER_URL)",
        },
    ),
    (
        "timeout",
        {
            "type": _seconds,
            "metavar": "SECONDS",
            "help": "per request attempt (default: 30 s, 10 s to connect)",
        },
    ),
    (
        "retries",
        {
            "type": int_option(0),
            "metavar": "N",
            "help": "retries per request on connection errors, 408, 429, 5XX and a 409 whose idempotency "
            "key is still in flight (default: 3)",
        },
    ),
)


def add_connection_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes; ``suppress``: on a sub-command, so that they may come after
    it without hiding the value given before it."""
    group = parser.add_argument_group("connection")
    for name, keywords in _SETTING_OPTIONS:
        group.add_argument(
            "--" + name.replace("_", "-"), default=argparse.SUPPRESS if suppress else None, **keywords
        )
    group.add_argument(
        "--secret-key-env",
        metavar="NAME",
        default=argparse.SUPPRESS if suppress else DEFAULT_KEY_ENV,
        help=f"the environment variable holding the secret key (default: {DEFAULT_KEY_ENV})",
    )


def client_options(args: argparse.Namespace) -> CoreSettings:
    """``NovuCore`` settings from the connection options that were given (the key aside)."""
    given = {name: getattr(args, name) for name, _ in _SETTING_OPTIONS}
    return cast("CoreSettings", {name: value for name, value in given.items() if value is not None})


def kind(value: Any) -> str:
    """A JSON value's kind, for messages ("a string", "an object"...)."""
    from .._serde import json_kind

    name = json_kind(value)
    return name if name == "null" else f"an {name}" if name[0] in "aeiou" else f"a {name}"


def dumps(data: Any) -> str:
    """``data`` as compact JSON text: the SDK's encoder."""
    from .._encode import dumps

    return dumps(data).decode()
