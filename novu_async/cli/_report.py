"""The report of ``novu-async bulk``, and how a run resumes from it.

The report (``--report``, by default ``<input>.<prefix>.report.jsonl`` beside the input) has one JSON
line per event, in input order once the run is over::

    {"index": 0, "chunk": 0, "key": "import-42-0", "chunkSize": 100, "outcome": "acknowledged",
     "accepted": true, "transactionId": "...", "status": "processed"}

plus ``"messages"`` (the server's, for that event) or ``"error"`` (why its chunk failed, or is
unknown) when there are any. ``outcome`` is the chunk's: ``acknowledged``, ``failed`` (not done: fix
and send again), ``unknown`` (may have been delivered: the retries ran out without a definitive
answer), ``in_flight`` (sent, no answer: the run was aborted), ``not_sent`` or ``skipped``
(acknowledged by an earlier run: its line is carried over, nothing was sent this time). Resuming
settles ``unknown`` and ``in_flight`` chunks: they are sent again under their own keys, and the
server replays what it did or does it once.

While the run goes, each chunk's lines are appended as soon as the chunk has its final answer (in
the order answers come), so even a killed run leaves a report of what the server acknowledged. When
the run ends (or is interrupted with Ctrl-C or SIGTERM) the report is rewritten in input order.

Resuming: the same command again (same input, prefix, chunk size and report) reads the report, and
every chunk whose events were all accepted is passed to ``trigger_many`` as ``skip_chunks``: read and
numbered, not sent. Everything else is sent under the same idempotency keys, so a chunk the server
did take without the report knowing (in flight when the run was killed) is replayed, not repeated.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from json.encoder import encode_basestring as _quote
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from ._common import PROG, UsageError, describe, dumps, redact

if TYPE_CHECKING:
    from ..bulk import BulkReport, ChunkReport

__all__ = ["Previous", "ReportWriter", "chunk_lines", "load_previous"]

_FINAL: Final = frozenset({"acknowledged", "failed", "unknown", "skipped"})


class Previous:
    """What the report of an earlier run says: the chunks whose events were all accepted."""

    def __init__(self) -> None:
        self.carried: dict[int, list[str]] = {}  # skippable chunk -> its lines, marked skipped
        self.short: tuple[int, int] | None = None  # a skippable chunk shorter than chunk_size
        self.events = 0  # the highest event index in the report, plus one
        self.chunks_seen = 0

    @property
    def skipped_events(self) -> int:
        return sum(len(lines) for lines in self.carried.values())


def _line_fields(line: Any) -> tuple[int, int, str, int, bool] | None:
    if not isinstance(line, dict):
        return None
    index, chunk, key, size, accepted = (
        line.get("index"),
        line.get("chunk"),
        line.get("key"),
        line.get("chunkSize"),
        line.get("accepted"),
    )
    if (
        type(index) is not int
        or type(chunk) is not int
        or type(size) is not int
        or not isinstance(key, str)
        or type(accepted) is not bool
        or index < 0
        or chunk < 0
    ):
        return None
    return index, chunk, key, size, accepted


def load_previous(path: Path, prefix: str, chunk_size: int) -> Previous:
    """Read an earlier run's report; refuse one made with another prefix or chunk size."""
    chunks: dict[int, dict[int, tuple[bool, str]]] = {}
    previous = Previous()
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read the report {path}: {exc.strerror}") from None
    with stream:
        for number, raw in enumerate(stream, 1):
            text = raw.strip()
            if not text:
                continue
            try:
                line = json.loads(text)
            except ValueError:
                if not raw.endswith(b"\n"):  # the last line, cut short by a kill: its chunk is redone
                    continue
                raise UsageError(
                    f"the report {path} is damaged (line {number} is not JSON): "
                    "fix or remove it, or use another --report"
                ) from None
            fields = _line_fields(line)
            if fields is None:
                raise UsageError(
                    f"{path} line {number} is not a line of a {PROG} bulk report: "
                    "remove it or use another --report"
                )
            index, chunk, key, size, accepted = fields
            if key != f"{prefix}-{chunk}":
                theirs = key.rsplit("-", 1)[0]
                raise UsageError(
                    f"the report {path} belongs to the idempotency prefix {theirs!r}, not {prefix!r}: "
                    "resume with that prefix, or use another --report for a new run"
                )
            if size != chunk_size:
                raise UsageError(
                    f"the report {path} was written with --chunk-size {size}: resume with the same "
                    "chunk size (chunk i must hold the same events under the same key), or start a "
                    "new run with a new --idempotency-prefix"
                )
            if index // chunk_size != chunk:
                raise UsageError(
                    f"the report {path} is damaged (line {number}: event {index} in chunk {chunk})"
                )
            chunks.setdefault(chunk, {})[index] = (accepted, text.decode())
            previous.events = max(previous.events, index + 1)
    previous.chunks_seen = len(chunks)
    last = max(chunks, default=-1)
    for chunk, events in chunks.items():
        size = len(events)
        start = chunk * chunk_size
        if not all(accepted for accepted, _ in events.values()) or max(events) != start + size - 1:
            continue
        if size < chunk_size:
            if chunk != last:
                continue
            previous.short = (chunk, size)
        previous.carried[chunk] = [_as_skipped(events[i][1]) for i in range(start, start + size)]
    return previous


def _as_skipped(text: str) -> str:
    line = json.loads(text)
    line["outcome"] = "skipped"
    return dumps(line)


def chunk_lines(report: BulkReport, chunk: ChunkReport) -> Iterator[tuple[bool, str]]:
    """``(accepted, report line)`` for each of one chunk's events, in order (not yet redacted)."""
    from ..bulk import BulkReport

    # results() unpacks a chunk's columns once (result(i) would do it for every event): a report
    # holding only this chunk reads it in one pass
    view = BulkReport()
    view.chunk_size = report.chunk_size
    view.chunks = [chunk]
    # the same for every event of the chunk; the lines are made by hand: json.dumps of a dict per
    # event would cost more than everything else the CLI does
    head = f'"key":{_quote(chunk.key)},"chunkSize":{report.chunk_size},"outcome":"{chunk.outcome.value}"'
    error = "" if chunk.error is None else ',"error":' + dumps(describe(chunk.error))
    for result in view.results():
        transaction_id = "null" if result.transaction_id is None else _quote(result.transaction_id)
        status = "null" if result.status is None else _quote(result.status)
        accepted = "true" if result.accepted else "false"
        line = (
            f'{{"index":{result.index},"chunk":{result.chunk},{head},"accepted":{accepted},'
            f'"transactionId":{transaction_id},"status":{status}'
        )
        if result.messages:
            line += ',"messages":' + dumps([str(m) for m in result.messages])
        if result.error is not None:
            line += error
        yield result.accepted, line + "}"


class ReportWriter:
    """Appends each chunk's lines once it has its final answer; ``finish`` rewrites in input order."""

    def __init__(self, path: Path, report: BulkReport, previous: Previous | None) -> None:
        self.path = path
        self.report = report
        self.carried = previous.carried if previous is not None else {}
        self.seen = 0
        self.pending: dict[int, ChunkReport] = {}
        self.done_events = 0  # events whose chunk has a final outcome in this run (skipped ones too)
        self.tmp = path.with_name(path.name + ".tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file: IO[str] | None = self.tmp.open("w", encoding="utf-8")
        # the earlier run's acknowledged chunks first: a kill at any point leaves them in the report
        for chunk in sorted(self.carried):
            self.file.write("".join(line + "\n" for line in self.carried[chunk]))
        self.file.flush()
        os.replace(self.tmp, path)  # the open file is the report from here on

    def poll(self) -> None:
        """Write the chunks that got their final answer since the last call."""
        chunks = self.report.chunks
        while self.seen < len(chunks):
            self.pending[self.seen] = chunks[self.seen]
            self.seen += 1
        done = [chunk for chunk in self.pending.values() if chunk.outcome.value in _FINAL]
        if not done:
            return
        parts: list[str] = []
        for chunk in done:
            del self.pending[chunk.index]
            self.done_events += chunk.size
            if chunk.outcome.value == "skipped" and chunk.index in self.carried:
                continue  # written at the start
            parts.extend(line + "\n" for _, line in chunk_lines(self.report, chunk))
        if parts and self.file is not None:
            self.file.write(redact("".join(parts)))  # one write per poll: a kill cuts at most the last line
            self.file.flush()

    def finish(self) -> dict[str, int]:
        """Rewrite the report in input order; the totals."""
        self.poll()
        if self.file is not None:
            self.file.close()
            self.file = None
        report = self.report
        # unknown: may have been delivered (unknown, or in flight when the run was aborted)
        totals = {"events": 0, "accepted": 0, "skipped": 0, "failed": 0, "unknown": 0, "unsent": 0}
        count = max(len(report.chunks), max(self.carried, default=-1) + 1)
        with self.tmp.open("w", encoding="utf-8") as out:
            for index in range(count):
                chunk = report.chunks[index] if index < len(report.chunks) else None
                carried = self.carried.get(index)
                if carried is not None and (chunk is None or chunk.outcome.value != "acknowledged"):
                    out.write("".join(line + "\n" for line in carried))
                    totals["events"] += len(carried)
                    totals["skipped"] += len(carried)
                    continue
                if chunk is None:
                    continue  # not read this time, not acknowledged before: the report has a gap
                lines = list(chunk_lines(report, chunk))
                out.write(redact("".join(line + "\n" for _, line in lines)))
                totals["events"] += len(lines)
                if chunk.outcome.value == "acknowledged":
                    accepted = sum(ok for ok, _ in lines)
                    totals["accepted"] += accepted
                    totals["failed"] += len(lines) - accepted
                elif chunk.outcome.value == "failed":
                    totals["failed"] += len(lines)
                elif chunk.outcome.value in ("unknown", "in_flight"):
                    totals["unknown"] += len(lines)
                else:
                    totals["unsent"] += len(lines)
        os.replace(self.tmp, self.path)
        return totals
