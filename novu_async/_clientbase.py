"""What the client classes share: settings to a ``NovuCore``, the bulk helpers, closing.

``novu_async.Novu`` (the current API) and ``novu_async.legacy.NovuLegacy`` (the v1 API) are this plus
their generated resources.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from ._resource import Resource

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Iterable

    from typing_extensions import Unpack

    from ._core import NovuCore
    from ._settings import CoreSettings
    from .bulk import BulkEvent, BulkReport, BulkSettings, BulkSubscriber, TriggerManySettings

__all__ = ["ClientBase"]

_Client = TypeVar("_Client", bound="ClientBase")


class ClientBase(Resource):
    """Takes the settings of ``NovuCore`` (``CoreSettings``; the secret key falls back to
    ``NOVU_SECRET_KEY``), or an existing ``core=`` to share one connection pool between several
    objects. Use it as an async context manager, or call ``aclose()``, to close the HTTP client its
    core created."""

    __slots__ = ()

    def __init__(
        self, secret_key: str | None = None, *, core: NovuCore | None = None, **settings: Unpack[CoreSettings]
    ) -> None:
        if core is None:
            from ._core import NovuCore

            core = NovuCore(secret_key, **settings)
        super().__init__(core)

    @property
    def core(self) -> NovuCore:
        """The ``NovuCore`` this client sends through; pass it to the standalone functions too."""
        return self._core

    async def trigger_many(
        self,
        events: Iterable[BulkEvent] | AsyncIterable[BulkEvent],
        **settings: Unpack[TriggerManySettings],
    ) -> BulkReport:
        """Trigger any number of events through the bulk endpoint, in chunks of up to 100, with
        ``concurrency`` requests in flight and one idempotency key per chunk; returns a ``BulkReport``.

        ``novu_async.bulk.trigger_many`` on this client's core: see it for every setting::

            report = await novu.trigger_many(events(), idempotency_prefix="import-42")
            report.raise_for_failures()
        """
        from .bulk import trigger_many

        return await trigger_many(self._core, events, **settings)

    async def create_subscribers_many(
        self,
        subscribers: Iterable[BulkSubscriber] | AsyncIterable[BulkSubscriber],
        **settings: Unpack[BulkSettings],
    ) -> BulkReport:
        """Create (or update) any number of subscribers through ``POST /v1/subscribers/bulk``, in
        chunks of up to 500, with ``concurrency`` requests in flight and one idempotency key per chunk;
        returns a ``BulkReport`` (per subscriber: ``created``, ``updated`` or ``failed``).

        ``novu_async.bulk.create_subscribers_many`` on this client's core: see it for every setting::

            report = await novu.create_subscribers_many(users(), idempotency_prefix="users-42")
            report.raise_for_failures()
        """
        from .bulk import create_subscribers_many

        return await create_subscribers_many(self._core, subscribers, **settings)

    async def aclose(self) -> None:
        """Close the HTTP client the core made (one passed in as ``http_client`` stays open)."""
        await self._core.aclose()

    async def __aenter__(self: _Client) -> _Client:
        await self._core.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._core.__aexit__(exc_type, exc, traceback)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._core!r})"
