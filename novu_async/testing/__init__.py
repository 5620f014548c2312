"""``FakeNovu``: an in-process fake of the Novu API, for your tests and ours (docs/fakenovu.md).

It serves every operation of the document: those it models with state (events, subscribers and
their preferences, credentials and feeds, topics and subscriptions, workflows, messages,
notifications, activity), the others with a 501 naming them. It keeps Novu's envelopes, errors,
idempotency and rate-limit semantics, can misbehave on purpose (dropped connections, 5XX, 429, slow
and malformed answers) deterministically, and records every event it accepts exactly once::

    import pytest
    from novu_async.testing import FakeNovu

    @pytest.mark.anyio
    async def test_welcome_reaches_the_inbox():
        fake = FakeNovu()
        async with fake.client() as novu:                 # a Novu sending through fake.transport
            await novu.trigger({"name": "welcome", "to": "subscriber-1"})
        assert [e.event["name"] for e in fake.ledger] == ["welcome"]
        assert [n["body"] for n in fake.inbox("subscriber-1")] == ["welcome"]

Ways in, all sharing one state: ``fake.transport`` (an httpx transport), ``fake.client()`` (a
``Novu`` over it), the fake itself as an ASGI app (``httpx.ASGITransport(app=fake)``),
``fake.serve()`` (HTTP/1.1 on loopback, asyncio or trio), ``python -m novu_async.testing`` and
``FakeNovuProcess`` (a server process).
"""

from ._clock import Clock
from ._config import FaultKind, Faults, RateLimit
from ._fake import FakeNovu, FakeServer
from ._pipeline import Stats
from ._process import FakeNovuProcess
from ._routes import OperationInfo
from ._store import LedgerEntry
from ._store.workflows import Step, Workflow
from ._transport import FakeTransport
from ._wire import Answer, Reply

__all__ = [
    "Answer",
    "Clock",
    "FakeNovu",
    "FakeNovuProcess",
    "FakeServer",
    "FakeTransport",
    "FaultKind",
    "Faults",
    "LedgerEntry",
    "OperationInfo",
    "RateLimit",
    "Reply",
    "Stats",
    "Step",
    "Workflow",
]
