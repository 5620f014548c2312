"""Reading the server's per-item answers to an acknowledged bulk chunk into its ``ChunkReport``.

* a trigger chunk: one object per event, in order (``transactionId``, ``status``, ``acknowledged``,
  ``error``), read with C-level loops over the chunk;
* a subscriber chunk: ``{created, updated, failed}`` lists of ``{subscriberId}`` (failed ones with a
  ``message``), matched to the chunk's subscribers by id.

The server accepted the chunk either way: an answer that does not give per-item results still counts
its items as accepted, and keeps a ``ResponseValidationError`` saying what was missing.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

import httpx

from .. import _serde
from ..errors import ResponseValidationError
from ..funcs.subscribers_create_bulk import OPERATION as SUBSCRIBERS_BULK
from ..funcs.trigger_bulk import OPERATION as TRIGGER_BULK
from ._report import ChunkReport, keep_answers, pack_ids, pack_statuses

__all__ = ["read_events", "read_subscribers"]

_OP_NAME: Final = TRIGGER_BULK.name


def _unlisted(
    chunk: ChunkReport, raw: httpx.Response, body: Any, operation: str, what: str, got: str, expected: str
) -> ResponseValidationError:
    """The error kept by an acknowledged chunk whose answer did not give per-item results."""
    return ResponseValidationError(
        f"{operation}: HTTP {raw.status_code} for chunk {chunk.index} {what} (got {got}); the server "
        "accepted the chunk: per-item results unknown",
        status_code=raw.status_code,
        body=body,
        problems=[("$", f"expected {expected}, got {got}")],
        operation=operation,
        headers=raw.headers,
        response=raw,
    )


def read_events(chunk: ChunkReport, body: Any, raw: httpx.Response) -> int:
    """Keep a trigger chunk's per-event results (one object per event, in order); returns how many
    events the server acknowledged."""
    size = chunk.size
    accepted = size
    ids: list[Any] | None = None
    if type(body) is list and len(body) == size:
        try:
            ids = list(map(dict.get, body, itertools.repeat("transactionId")))
        except TypeError:  # not a list of objects
            ids = None
    if ids is None:
        got = f"{len(body)} results" if type(body) is list else _serde.json_kind(body)
        if type(body) is list and len(body) == size:
            got = "an array of other things than objects"
        error = _unlisted(
            chunk,
            raw,
            body,
            _OP_NAME,
            f"({size} events) did not list one result per event",
            got,
            f"an array of {size} results",
        )
        keep_answers(chunk, error=error)
        return accepted
    refused: frozenset[int] = frozenset()
    acks = list(map(dict.get, body, itertools.repeat("acknowledged")))
    if acks.count(True) != size:
        refused = frozenset(i for i, ack in enumerate(acks) if ack is not True)
        accepted = size - len(refused)
    messages: dict[int, tuple[str, ...]] | None = None
    errors = list(map(dict.get, body, itertools.repeat("error")))
    if errors.count(None) != size:
        messages = {
            i: tuple(str(m) for m in r["error"]) if isinstance(r["error"], list) else (str(r["error"]),)
            for i, r in enumerate(body)
            if r.get("error")
        }
    keep_answers(
        chunk,
        ids=pack_ids(ids),
        statuses=pack_statuses(list(map(dict.get, body, itertools.repeat("status")))),
        refused=refused,
        messages=messages,
    )
    return accepted


_SUBSCRIBER_LISTS: Final = ("created", "updated", "failed")


def _failure_messages(entry: dict[str, Any]) -> tuple[str, ...]:
    message = entry.get("message")
    if message is None:
        return ()
    if type(message) is list:
        return tuple(map(str, message))
    return (str(message),)


_ACCEPTED_SUBSCRIBER: Final = frozenset({"created", "updated"})


def read_subscribers(chunk: ChunkReport, body: Any, raw: httpx.Response) -> int:
    """Keep a subscriber chunk's per-subscriber results from ``{created, updated, failed}`` (lists of
    ``{subscriberId}``, ``failed`` ones with a ``message``), matched by subscriber id; returns how many
    the server created or updated. A subscriber the answer does not name is not accepted; the
    messages of failures that name no subscriber go to every such one."""
    size = chunk.size
    answers: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    unattributed: list[str] = []
    got: str | None = None
    if type(body) is not dict:
        got = _serde.json_kind(body)
    else:
        for kind in _SUBSCRIBER_LISTS:
            entries = body.get(kind)
            if entries is None:
                continue
            if type(entries) is not list:
                got = f"{kind}: {_serde.json_kind(entries)}"
                break
            if any(type(e) is not dict for e in entries):
                got = f"{kind}: an array of other things than objects"
                break
            for entry in entries:
                said = _failure_messages(entry) if kind == "failed" else ()
                subscriber_id = entry.get("subscriberId")
                if type(subscriber_id) is str:
                    answers.setdefault(subscriber_id, []).append((kind, said))
                else:
                    unattributed.extend(said)
    if got is not None:
        error = _unlisted(
            chunk,
            raw,
            body,
            SUBSCRIBERS_BULK.name,
            f"({size} subscribers) did not give created, updated and failed arrays of objects",
            got,
            "an object of created, updated and failed arrays of objects",
        )
        keep_answers(chunk, error=error)
        return size
    statuses: list[str | None] = []
    refused: list[int] = []
    messages: dict[int, tuple[str, ...]] = {}
    nobody = tuple(unattributed)
    for offset, subscriber_id in enumerate(chunk.subscriber_ids()):
        found = answers.get(subscriber_id) if subscriber_id is not None else None
        status: str | None
        if found:
            # the same id twice in a chunk: its answers in order, the last one for any extra
            status, said = found.pop(0) if len(found) > 1 else found[0]
        else:
            status, said = None, nobody
        statuses.append(status)
        if status not in _ACCEPTED_SUBSCRIBER:
            refused.append(offset)
        if said:
            messages[offset] = said
    keep_answers(
        chunk,
        ids=None,
        statuses=pack_statuses(statuses),
        refused=frozenset(refused),
        messages=messages or None,
    )
    return size - len(refused)
