"""``python -m novu_async.testing``: FakeNovu as a standalone HTTP server (benchmarks, the CLI).

Prints one line, the base URL, once it listens; serves until SIGTERM or SIGINT; with ``--stats``
prints the final counters as one JSON line on stderr. Runs on uvloop when it is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import anyio

from ._config import GENEROUS, Faults, RateLimit
from ._fake import FakeNovu
from ._http1 import PARSERS, connection_type

T = TypeVar("T")


def _option(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse ``type`` whose errors show the parser's own message."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _rate_limit(text: str) -> RateLimit | None:
    return None if text.strip() == "off" else RateLimit.parse(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m novu_async.testing",
        description="Serve an in-memory fake of the Novu API over HTTP/1.1 (docs/fakenovu.md).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: a free port)")
    parser.add_argument(
        "--secret-key",
        default=os.environ.get("NOVU_FAKE_SECRET_KEY"),
        help="accept only this API key (default: $NOVU_FAKE_SECRET_KEY, else any key)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_option(_rate_limit),
        default=GENEROUS,
        metavar="SPEC",
        help='token buckets, e.g. "trigger=100,configuration=20,window=1,burst=0.1,bulk_cost=100"; '
        '"off": no limits and no RateLimit-* headers (default: a million tokens a second per category)',
    )
    parser.add_argument(
        "--faults",
        type=_option(Faults.parse),
        metavar="SPEC",
        help='fault probabilities, e.g. "drop_after=0.03,status_503=0.03,slow=0.01,slow_seconds=2"',
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault draws and generated ids")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added before every answer")
    parser.add_argument(
        "--parser",
        choices=PARSERS,
        help="what reads the requests (default: httptools when installed, else h11)",
    )
    parser.add_argument("--stats", action="store_true", help="print the counters as JSON on stderr at exit")
    return parser


async def _serve(fake: FakeNovu, host: str, port: int, parser: str | None) -> None:
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async with fake.serve(host, port, parser=parser) as server:
            print(server.url, flush=True)
            async for _ in signals:
                break


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        fake = FakeNovu(
            args.secret_key,
            rate_limit=args.rate_limit,
            faults=args.faults,
            seed=args.seed,
            latency=args.latency,
        )
    except ValueError as exc:
        print(f"python -m novu_async.testing: {exc}", file=sys.stderr)
        return 2
    options: dict[str, Any] = {}
    if importlib.util.find_spec("uvloop") is not None:
        options["backend_options"] = {"use_uvloop": True}
    try:
        connection_type(args.parser)
    except ValueError as exc:
        print(f"python -m novu_async.testing: {exc}", file=sys.stderr)
        return 2
    anyio.run(_serve, fake, args.host, args.port, args.parser, **options)
    if args.stats:
        print(json.dumps(fake.summary()), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
