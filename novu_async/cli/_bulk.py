"""``novu-async bulk``: a JSONL file of events through ``trigger_many``, with a resumable report
(``_report``: its lines, how a run resumes from them).

Every line of the input is checked with ``trigger_many``'s own event check
(``novu_async.bulk.event_problems``) before anything is sent, and every bad line is reported (the
first ``MAX_BAD_LINES``, and how many there are); standard input and pipes are first copied into a
temporary file for that. Then the input is read again, lazily, in a worker thread. Ctrl-C stops
reading at a chunk boundary and waits for the chunks in flight; a second Ctrl-C (or SIGTERM) aborts
them. The summary of a run that stopped early says how much of the input was read, sent,
acknowledged and left.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, cast

from ._common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    UsageError,
    client_options,
    describe,
    dumps,
    error,
    int_option,
    kind,
    redact,
    secret_key,
    warn,
)
from ._report import Previous, ReportWriter, load_previous

if TYPE_CHECKING:
    from ..bulk import BulkReport
    from ..dicts.trigger_event_request_dto import TriggerEventRequestDtoDict

_READ_SIZE: Final = 1 << 16
MAX_BAD_LINES: Final = 20  # the bad lines the pre-check shows; it counts all of them
_PROBLEMS_PER_LINE: Final = 3


class BadLine(UsageError):
    """An input line that is not a trigger event."""


class BadInput(UsageError):
    """The pre-check's findings: the input's bad lines, all counted, the first ``MAX_BAD_LINES``
    shown, one a line."""


class InputChanged(UsageError):
    """The input does not match the report of the run being resumed."""


def add_bulk_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "bulk",
        help="trigger every event of a JSONL file through the bulk endpoint (resumable)",
        description="Send FILE's events (one JSON object a line: name, to, payload...) through the "
        "bulk endpoint in chunks, one idempotency key per chunk, and write a JSONL report, one line "
        "per event. Every line is checked before anything is sent, and every bad line is reported "
        f"(the first {MAX_BAD_LINES}, and how many there are). Run the same command again to resume: "
        "chunks the server acknowledged are not sent again.",
    )
    parser.add_argument("file", metavar="FILE", help="the events, one JSON object a line; - for stdin")
    parser.add_argument(
        "--idempotency-prefix",
        required=True,
        metavar="PREFIX",
        help="chunk i is sent with the idempotency key PREFIX-i: keep it to resume, change it for new input",
    )
    parser.add_argument(
        "--concurrency",
        type=int_option(1, 1000),
        default=8,
        metavar="N",
        help="requests in flight (default: 8)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int_option(1, 100),
        default=100,
        metavar="N",
        help="events per request, 1 to 100 (default: 100); keep it when resuming",
    )
    parser.add_argument(
        "--report",
        metavar="PATH",
        help="the JSONL report, read to resume and rewritten (default: beside FILE, its name without "
        "a .jsonl, .ndjson or .json suffix, then .PREFIX.report.jsonl: events.jsonl with prefix "
        "import-42 gives events.import-42.report.jsonl; ./PREFIX.report.jsonl for stdin)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal; needs rich)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    return parser


# ---------------------------------------------------------------------------------------------- input


def _field_problem(path: str, message: str) -> str:
    field = path.removeprefix("$.")
    if message == "required, but not given":
        return f'missing field "{field}"'
    return f'field "{field}": {message}'


def event_problem(event: Any) -> str | None:
    """What is wrong with one decoded input line, ``None`` when ``trigger_many`` would send it (its
    own check, ``novu_async.bulk.event_problems``: the CLI has no rules of its own)."""
    from ..bulk import event_problems

    if not isinstance(event, dict):
        return f"expected a JSON object (an event), got {kind(event)}"
    problems = event_problems(event)
    if not problems:
        return None
    shown = "; ".join(_field_problem(path, message) for path, message in problems[:_PROBLEMS_PER_LINE])
    more = len(problems) - _PROBLEMS_PER_LINE
    return shown + (f" (and {more} more)" if more > 0 else "")


def decode_line(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """``(event, None)`` for a line ``trigger_many`` would send, else ``(None, what is wrong)``."""
    try:
        event = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    except ValueError as exc:  # not UTF-8
        return None, f"invalid JSON: {exc}"
    problem = event_problem(event)
    return (event, None) if problem is None else (None, problem)


def parse_line(raw: bytes, line: int, source: str) -> dict[str, Any]:
    event, problem = decode_line(raw)
    if event is None:
        raise BadLine(f"{source} line {line}: {problem}")
    return event


def precheck(stream: IO[bytes], source: str) -> int:
    """Check every line of ``stream`` (from where it is, to its end) before anything is sent;
    returns the number of events, or raises ``BadInput`` naming the bad lines."""
    count = 0
    bad: list[str] = []
    bad_lines = 0
    for line, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        _, problem = decode_line(raw)
        if problem is None:
            count += 1
            continue
        bad_lines += 1
        if len(bad) < MAX_BAD_LINES:
            bad.append(f"  line {line}: {problem}")
    if bad_lines:
        lines = "line" if bad_lines == 1 else "lines"
        head = f"{source}: {bad_lines} bad {lines} (of {bad_lines + count}); nothing was sent:"
        tail = [f"  ... and {bad_lines - len(bad)} more bad lines"] if bad_lines > len(bad) else []
        raise BadInput("\n".join([head, *bad, *tail]))
    return count


def checked_input(stream: IO[bytes], stack: contextlib.ExitStack, source: str) -> tuple[IO[bytes], int]:
    """The input, every line checked (``precheck``), ready to be read again from its start; and
    its number of events. What cannot be read twice (standard input, a pipe) is copied into a
    temporary file first: the whole input is known before anything is sent."""
    if not stream.seekable():
        spool = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - closed by the stack
        shutil.copyfileobj(stream, spool, _READ_SIZE)
        spool.seek(0)
        stream = spool
    start = stream.tell()
    total = precheck(stream, source)
    stream.seek(start)
    return stream, total


class EventReader:
    """The input's events, read lazily in a worker thread (a slow pipe does not block the event loop).

    Stops at a chunk boundary once ``stop_requested`` (a first Ctrl-C): chunk i must always hold the
    same events, or its key would be reused for another body.
    """

    def __init__(self, stream: IO[bytes], source: str, chunk_size: int, previous: Previous | None) -> None:
        self.stream = stream
        self.source = source
        self.chunk_size = chunk_size
        self.lines: collections.deque[bytes] = collections.deque()
        self.tail = b""
        self.line = 0
        self.count = 0
        self.eof = False
        self.stop_requested = False
        self.stopped_early = False
        self.expected = previous.events if previous is not None else 0  # the resumed report's

    def __aiter__(self) -> EventReader:
        return self

    async def _fill(self) -> None:
        import anyio.to_thread

        read1 = getattr(self.stream, "read1", self.stream.read)
        data: bytes = await anyio.to_thread.run_sync(read1, _READ_SIZE, abandon_on_cancel=True)
        if not data:
            self.eof = True
            if self.tail:
                self.lines.append(self.tail)
                self.tail = b""
            return
        parts = (self.tail + data).split(b"\n")
        self.tail = parts.pop()
        self.lines.extend(parts)

    async def __anext__(self) -> TriggerEventRequestDtoDict:
        if self.stop_requested and self.count % self.chunk_size == 0:
            self.stopped_early = True
            raise StopAsyncIteration
        while True:
            if not self.lines:
                if self.eof:
                    if self.count < self.expected:
                        raise InputChanged(
                            f"{self.source} has {self.count} events, but the report being resumed has "
                            f"{self.expected}: the input changed. Use a new --idempotency-prefix "
                            "for new input"
                        )
                    raise StopAsyncIteration
                await self._fill()
                continue
            raw = self.lines.popleft()
            self.line += 1
            if not raw.strip():
                continue
            event = parse_line(raw, self.line, self.source)
            self.count += 1
            # a JSON object, as read: trigger_many's lean check looks at every event before sending
            return cast("TriggerEventRequestDtoDict", event)


# ---------------------------------------------------------------------------------------------- progress


def _progress(mode: bool | None, total: int | None) -> tuple[contextlib.AbstractContextManager[Any], Any]:
    """A rich progress bar on stderr and its update function (``update(done_events)``)."""

    def nothing(done: int) -> None:
        return None

    show = mode if mode is not None else sys.stderr.isatty()
    if not show:
        return contextlib.nullcontext(), nothing
    try:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
    except ImportError:
        message = "the progress bar needs rich: pip install 'novu-async[cli]'"
        if mode:
            raise UsageError(message + " (or leave out --progress)") from None
        warn(message + " (--no-progress hides this)")
        return contextlib.nullcontext(), nothing
    bar = Progress(
        TextColumn("bulk"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    task = bar.add_task("events", total=total)

    def update(done: int) -> None:
        bar.update(task, completed=done)

    return bar, update


# ---------------------------------------------------------------------------------------------- run


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def default_report_path(file: str, prefix: str) -> Path:
    safe = _SAFE_NAME.sub("_", prefix)
    if file == "-":
        return Path(f"{safe}.report.jsonl")
    path = Path(file)
    stem = path.name
    for suffix in (".jsonl", ".ndjson", ".json"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return path.with_name(f"{stem}.{safe}.report.jsonl")


def _check_prefix(prefix: str) -> None:
    """``trigger_many``'s own rules for the prefix, as a usage error."""
    from ..bulk import check_prefix as check
    from ..errors import ConfigurationError

    try:
        check(prefix)
    except ConfigurationError as exc:
        raise UsageError(f"--idempotency-prefix: {exc}") from None


class _Run:
    """One bulk run's moving parts, shared with the signal handler."""

    def __init__(self, reader: EventReader, writer: ReportWriter, update: Callable[[int], None]) -> None:
        self.reader = reader
        self.writer = writer
        self.update = update
        self.aborted = False
        self.error: BaseException | None = None

    def on_progress(self, done: int, total: int | None) -> None:
        self.writer.poll()
        self.update(self.writer.done_events)


async def _watch_signals(run: _Run, scope: Any) -> None:
    import anyio

    with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async for signum in signals:
            if signum == signal.SIGINT and not run.reader.stop_requested:
                run.reader.stop_requested = True
                print(
                    f"{PROG}: interrupted: no new chunks; waiting for those in flight "
                    "(Ctrl-C again to abort them)",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                run.reader.stop_requested = True
                run.aborted = True
                print(f"{PROG}: aborting: chunks in flight stay unknown", file=sys.stderr, flush=True)
                scope.cancel()


async def _send(run: _Run, report: BulkReport, args: argparse.Namespace, key: str, skip: list[int]) -> None:
    import anyio

    from .._core import NovuCore
    from ..bulk import trigger_many

    async with NovuCore(key, **client_options(args)) as core, anyio.create_task_group() as tg:
        with anyio.CancelScope() as scope:
            tg.start_soon(_watch_signals, run, scope)
            try:
                await trigger_many(
                    core,
                    run.reader,
                    concurrency=args.concurrency,
                    chunk_size=args.chunk_size,
                    idempotency_prefix=args.idempotency_prefix,
                    on_progress=run.on_progress,
                    report=report,
                    skip_chunks=skip,
                )
            except Exception as exc:  # the input (a bad line) or the run failed: report first
                run.error = exc
        tg.cancel_scope.cancel()


def run_bulk(args: argparse.Namespace) -> int:
    import anyio

    from ..bulk import BulkReport

    prefix: str = args.idempotency_prefix
    _check_prefix(prefix)
    source = "<stdin>" if args.file == "-" else args.file
    report_path = Path(args.report) if args.report else default_report_path(args.file, prefix)
    if args.file != "-" and report_path.resolve() == Path(args.file).resolve():
        raise UsageError("--report must not be the input file")
    key = secret_key(args)

    previous: Previous | None = None
    if report_path.exists() and report_path.stat().st_size > 0:
        previous = load_previous(report_path, prefix, args.chunk_size)

    with contextlib.ExitStack() as stack:
        try:
            stream = sys.stdin.buffer if args.file == "-" else stack.enter_context(Path(args.file).open("rb"))
            stream, total = checked_input(stream, stack, source)
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror}") from None
        if previous is not None and previous.events > total:
            raise InputChanged(
                f"{source} has {total} events, but the report being resumed has {previous.events}: "
                "the input changed. Use a new --idempotency-prefix for new input"
            )
        if previous is not None and previous.short is not None:
            chunk, size = previous.short
            if total != chunk * args.chunk_size + size:
                # a short chunk is skipped only when it is the input's last: else the report may have
                # been cut while it was written, or the input grew. Sent again under its key, the
                # server replays it (or refuses it with 422 if its events changed): never twice
                del previous.carried[chunk]
                previous.short = None
        skip = sorted(previous.carried) if previous is not None else []
        if previous is not None and previous.carried:
            print(
                f"{PROG}: resuming from {report_path}: {len(previous.carried)} chunks "
                f"({previous.skipped_events} events) already acknowledged, not sent again",
                file=sys.stderr,
                flush=True,
            )

        report = BulkReport()
        reader = EventReader(stream, source, args.chunk_size, previous)
        writer = ReportWriter(report_path, report, previous)
        bar, update = _progress(args.progress, total)
        run = _Run(reader, writer, update)
        started = time.perf_counter()
        try:
            with bar:
                anyio.run(_send, run, report, args, key, skip)
                writer.poll()
                update(writer.done_events)
        finally:
            elapsed = time.perf_counter() - started
            totals = writer.finish()
    counts = _input_counts(report, totals, reader.count, total)
    return _summary(args, run, report, totals, elapsed, report_path, counts)


def _input_counts(report: BulkReport, totals: dict[str, int], read: int, total: int) -> dict[str, int]:
    """How far the run got through the input: its events, those read, those in chunks sent (this
    run), those acknowledged (by the server, in this run or an earlier one), those left (not
    accepted yet: a run of the same command sends them)."""
    return {
        "input": total,
        "read": read,
        "sent": sum(chunk.size for chunk in report.chunks if chunk.attempts > 0),
        "acknowledged": totals["skipped"]
        + sum(chunk.size for chunk in report.chunks if chunk.outcome.value == "acknowledged"),
        "left": total - totals["accepted"] - totals["skipped"],
    }


def _how_far(counts: dict[str, int], interrupted: bool) -> str:
    """The summary's line for a run that stopped before the end of its input."""
    return (
        f"{'interrupted' if interrupted else 'stopped'}: {counts['read']} of the input's "
        f"{counts['input']} events read, {counts['sent']} sent, {counts['acknowledged']} acknowledged; "
        f"{counts['left']} left to send (run the same command again)"
    )


def _summary(
    args: argparse.Namespace,
    run: _Run,
    report: BulkReport,
    totals: dict[str, int],
    elapsed: float,
    report_path: Path,
    counts: dict[str, int],
) -> int:
    sent = totals["accepted"] + totals["failed"] + totals["unknown"] + totals["unsent"]
    rate = sent / elapsed if elapsed > 0 else 0.0
    failed = totals["failed"] + totals["unsent"]
    unknown = totals["unknown"]  # may have been delivered: a resumed run settles them
    complete = run.reader.eof and not run.reader.stopped_early and not run.aborted and run.error is None
    complete = complete and report.stopped_by is None
    code = EXIT_OK if complete and failed == 0 and unknown == 0 else EXIT_FAILED
    if isinstance(run.error, UsageError):
        code = EXIT_USAGE
    else:
        from ..errors import DataValidationError

        if isinstance(run.error, DataValidationError):
            code = EXIT_USAGE
    if args.json:
        summary = {
            "events": totals["events"],
            "accepted": totals["accepted"],
            "failed": failed,
            "unknown": unknown,
            "skipped": totals["skipped"],
            "elapsed": round(elapsed, 3),
            "eventsPerSecond": round(rate, 1),
            "complete": complete,
            "report": str(report_path),
            "exitCode": code,
            **counts,
        }
        print(redact(dumps(summary)), flush=True)
    else:
        print(
            redact(
                f"{totals['events']} events: {totals['accepted']} accepted, {failed} failed, "
                f"{unknown} unknown, {totals['skipped']} skipped in {elapsed:.2f} s ({rate:.0f} events/s); "
                f"report: {report_path}"
            ),
            flush=True,
        )
        if not complete:
            print(_how_far(counts, run.reader.stopped_early or run.aborted), flush=True)
    if run.error is not None:
        error(str(run.error) if isinstance(run.error, UsageError) else describe(run.error))
    if report.stopped_by is not None and report.stopped_by is not run.error:
        error(f"the run stopped early: {describe(report.stopped_by)}")
    failed_chunks = [c.index for c in report.chunks if c.outcome.value == "failed"]
    if failed_chunks:
        shown = ", ".join(map(str, failed_chunks[:10])) + (" ..." if len(failed_chunks) > 10 else "")
        error(f"{len(failed_chunks)} chunks failed: {shown}")
    unknown_chunks = [c.index for c in report.chunks if c.outcome.value == "unknown"]
    if unknown_chunks:
        shown = ", ".join(map(str, unknown_chunks[:10])) + (" ..." if len(unknown_chunks) > 10 else "")
        error(
            f"{len(unknown_chunks)} chunks may have been delivered (no definitive answer): {shown}; "
            "run the same command again to settle them (never with a new prefix: they would be sent twice)"
        )
    if run.reader.stopped_early or run.aborted:
        error("interrupted before the end of the input")
    if code == EXIT_FAILED:
        print(
            f"{PROG}: run the same command again to resume: acknowledged chunks are not sent again",
            file=sys.stderr,
        )
    return code
