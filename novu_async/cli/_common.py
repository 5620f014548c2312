"""What the CLI's commands share: exit codes, errors, the secret key and its redaction."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Final

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # the server refused something, or something was not sent
EXIT_USAGE: Final = 2  # a bad command line, configuration or input

PROG: Final = "novu-async"
DEFAULT_KEY_ENV: Final = "NOVU_SECRET_KEY"
REDACTED: Final = "***"


class UsageError(Exception):
    """A bad command line, configuration or input: reported on stderr, exit code 2."""


class Redactor:
    """Removes the secret key from any text before it is shown or written."""

    def __init__(self) -> None:
        self.secrets: list[str] = []

    def add(self, secret: str) -> None:
        secret = secret.strip()
        # as is, and as it reads inside a JSON string (a key holding " or \\)
        for form in (secret, json.dumps(secret)[1:-1]):
            if form and form not in self.secrets:
                self.secrets.append(form)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
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


def client_options(args: argparse.Namespace) -> dict[str, Any]:
    """``NovuCore`` keywords from the global options (the key aside)."""
    options: dict[str, Any] = {"server": args.server}
    if args.server_url:
        options["server_url"] = args.server_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.retries is not None:
        options["retries"] = args.retries
    return options


def kind(value: Any) -> str:
    """A JSON value's kind, for messages ("a string", "an object"...)."""
    from .._serde import _kind

    name = _kind(value)
    return name if name == "null" else f"an {name}" if name[0] in "aeiou" else f"a {name}"


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
