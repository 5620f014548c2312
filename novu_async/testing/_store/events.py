"""Accepted triggers: the ledger, and the queue of events not yet delivered.

Accepting an event costs the request path next to nothing: the request's raw body is kept with the
transaction id of each of its events (None for an event that is not delivered: a repeated
transactionId, an inactive workflow...). Ledger entries and deliveries are made from it later, when
someone looks, so that millions of recorded events cost the request path nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from typing import Any, Literal, NamedTuple

from .._wire import loads

__all__ = ["Events", "Kind", "LedgerEntry"]

Kind = Literal["trigger", "bulk", "broadcast"]


class LedgerEntry(NamedTuple):
    """One accepted event, in acceptance order."""

    event: dict[str, Any]  # as received: name, to, payload, overrides, transactionId...
    transaction_id: str  # the one the event gave, else the one the fake assigned
    idempotency_key: str | None  # of the request that carried it
    request: int  # that request's number (1 for the first request the fake received)
    kind: Kind


class Pending(NamedTuple):
    """An event to deliver."""

    event: dict[str, Any]
    transaction_id: str
    kind: Kind
    at: float  # when it was accepted, by the fake's clock


# (kind, raw body, idempotency key, request number, transaction id per event or None, accepted at):
# plain tuples of bytes, strings and numbers, which the garbage collector stops tracking however many
# there are
_Accepted = tuple[Kind, bytes, str | None, int, tuple[str | None, ...], float]


def _events(kind: Kind, raw: bytes) -> list[dict[str, Any]]:
    body = loads(raw)
    events: list[dict[str, Any]] = body["events"] if kind == "bulk" else [body]
    return events


class Events:
    def __init__(self) -> None:
        self._accepted: list[_Accepted] = []
        self._ledgered = 0  # _accepted[:_ledgered] have ledger entries
        self._delivered = 0  # _accepted[:_delivered] were delivered
        self._entries: list[LedgerEntry] = []
        self.count = 0  # events in the ledger: len(ledger) without making it
        self.ignored = 0  # events whose transactionId had been used already
        self.transactions: set[str] = set()

    def accept(
        self,
        kind: Kind,
        raw: bytes,
        key: str | None,
        number: int,
        transaction_ids: tuple[str | None, ...],
        at: float,
    ) -> None:
        self._accepted.append((kind, raw, key, number, transaction_ids, at))

    @property
    def ledger(self) -> list[LedgerEntry]:
        """Every delivered-or-to-be-delivered event, in order (entries made now for the requests
        accepted since last time)."""
        accepted = self._accepted
        for kind, raw, key, number, transaction_ids, _ in accepted[self._ledgered :]:
            kept = [(e, t) for e, t in zip(_events(kind, raw), transaction_ids, strict=True) if t is not None]
            self._entries += map(
                LedgerEntry,
                (e for e, _ in kept),
                (t for _, t in kept),
                repeat(key),
                repeat(number),
                repeat(kind),
            )
        self._ledgered = len(accepted)
        self._forget()
        return self._entries

    def undelivered(self) -> Iterator[Pending]:
        """The events accepted since the last call, in order; each is given out once."""
        while self._delivered < len(self._accepted):
            kind, raw, _, _, transaction_ids, at = self._accepted[self._delivered]
            self._delivered += 1
            if any(t is not None for t in transaction_ids):
                for event, transaction_id in zip(_events(kind, raw), transaction_ids, strict=True):
                    if transaction_id is not None:
                        yield Pending(event, transaction_id, kind, at)
        self._forget()

    @property
    def waiting(self) -> int:
        """Requests accepted but not delivered yet."""
        return len(self._accepted) - self._delivered

    def _forget(self) -> None:
        """Drop the raw bodies both the ledger and the deliveries are done with."""
        done = min(self._ledgered, self._delivered)
        if done == len(self._accepted) and done:
            self._accepted.clear()
            self._ledgered = self._delivered = 0
