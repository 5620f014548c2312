"""``novu-async``: trigger Novu workflows from the command line, one event or a JSONL file of them.

::

    export NOVU_SECRET_KEY=...
    novu-async trigger welcome --to subscriber-1 --payload '{"name": "Ada"}'
    novu-async bulk events.jsonl --idempotency-prefix import-42 --concurrency 8

``bulk`` sends a file of events (one JSON object a line, ``-`` for stdin) through the bulk endpoint,
in chunks, one idempotency key per chunk, and writes a JSONL report, one line per event. It checks
every line before sending anything and reports all the bad ones at once. Run the same command again
(same input, same prefix, same report) after an interruption or failures: chunks the server
acknowledged are not sent again, the rest are (under the same keys, so the server replays anything it
did meanwhile instead of doing it twice). The summary of an interrupted run says how much of the
input was read, sent, acknowledged and left.

The secret key comes from ``$NOVU_SECRET_KEY`` (or the variable ``--secret-key-env`` names), never
from the command line, where ``ps`` would show it; it never appears in any output or report. The
server is ``--server`` or ``--server-url``, else ``$NOVU_SERVER_URL``, else Novu's US API.

Exit codes: 0 every event accepted; 1 something failed or was not sent; 2 a usage, configuration or
input error (nothing sent for it). The progress bar needs rich: ``pip install 'novu-async[cli]'``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from .._version import __version__
from ._common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    UsageError,
    add_connection_options,
    client_options,
    describe,
    dumps,
    error,
    kind,
    redact,
    secret_key,
)

if TYPE_CHECKING:
    from ..dicts.trigger_event_request_dto import TriggerEventRequestDtoDict

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The ``novu-async`` argument parser: every command and option (the reference pages read it too)."""
    from ._bulk import add_bulk_parser

    root = argparse.ArgumentParser(
        prog=PROG,
        description="Trigger Novu workflows: one event, or a JSONL file of events through the bulk "
        "endpoint (resumable). The secret key comes from $NOVU_SECRET_KEY, the server from --server or "
        "--server-url, else $NOVU_SERVER_URL.",
        epilog="exit codes: 0 every event accepted, 1 something failed or was not sent, "
        "2 usage, configuration or input error",
    )
    root.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_connection_options(root, suppress=False)
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)

    trigger = commands.add_parser(
        "trigger",
        help="trigger a workflow for one or more subscribers",
        description="Trigger WORKFLOW for the subscribers --to names; prints the transaction id and "
        "status (exit 1 unless the server acknowledged it).",
    )
    trigger.add_argument("workflow", metavar="WORKFLOW", help="the workflow's identifier")
    trigger.add_argument(
        "--to",
        action="append",
        required=True,
        metavar="SUBSCRIBER",
        help="a subscriber id, or a JSON object (a subscriber with subscriberId, or a topic with "
        "topicKey and type); repeat for several",
    )
    trigger.add_argument("--payload", metavar="JSON", help="the payload, a JSON object")
    trigger.add_argument("--transaction-id", metavar="ID", help="the event's transaction id")
    trigger.add_argument("--json", action="store_true", help="print the server's answer as JSON")
    add_connection_options(trigger, suppress=True)

    bulk = add_bulk_parser(commands)
    add_connection_options(bulk, suppress=True)
    return root


# ---------------------------------------------------------------------------------------------- trigger


def _json_object(option: str, text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{option}: invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{option}: expected a JSON object, got {kind(value)}")
    return value


def _recipient(text: str) -> str | dict[str, Any]:
    if text.lstrip().startswith("{"):
        value = _json_object("--to", text)
        if isinstance(value.get("subscriberId"), str) or (
            isinstance(value.get("topicKey"), str) and isinstance(value.get("type"), str)
        ):
            return value
        raise UsageError("--to: an object needs subscriberId (a subscriber) or topicKey and type (a topic)")
    if not text.strip():
        raise UsageError("--to: empty subscriber id")
    return text


def _trigger_body(args: argparse.Namespace) -> dict[str, Any]:
    recipients = [_recipient(text) for text in args.to]
    body: dict[str, Any] = {
        "name": args.workflow,
        "to": recipients[0] if len(recipients) == 1 else recipients,
    }
    if args.payload is not None:
        body["payload"] = _json_object("--payload", args.payload)
    if args.transaction_id is not None:
        body["transactionId"] = args.transaction_id
    return body


async def _trigger(args: argparse.Namespace, body: dict[str, Any], key: str) -> int:
    from .._client import Novu

    async with Novu(key, **client_options(args)) as novu:
        # a dict from the command line: the core checks it against the schema before sending
        result = await novu.trigger(cast("TriggerEventRequestDtoDict", body))
    status = getattr(result.status, "value", result.status)
    transaction_id = result.transaction_id if isinstance(result.transaction_id, str) else None
    messages = [str(m) for m in result.error] if isinstance(result.error, list) else []
    if args.json:
        answer: dict[str, Any] = {
            "acknowledged": result.acknowledged,
            "status": status,
            "transactionId": transaction_id,
        }
        if messages:
            answer["error"] = messages
        print(redact(dumps(answer)), flush=True)
    else:
        print(redact(f"{transaction_id or '-'} {status}"), flush=True)
        for message in messages:
            print(redact(f"{PROG}: server: {message}"), file=sys.stderr)
    return EXIT_OK if result.acknowledged else EXIT_FAILED


def _run_trigger(args: argparse.Namespace) -> int:
    import anyio

    body = _trigger_body(args)  # usage errors before the key is even looked at
    key = secret_key(args)
    return anyio.run(_trigger, args, body, key)


# ---------------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``novu-async`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse printed them
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    from ..errors import ConfigurationError, DataValidationError, NovuError

    try:
        if args.command == "trigger":
            return _run_trigger(args)
        from ._bulk import run_bulk

        return run_bulk(args)
    except (UsageError, ConfigurationError, DataValidationError) as exc:
        error(str(exc))
        return EXIT_USAGE
    except NovuError as exc:
        error(describe(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_FAILED
