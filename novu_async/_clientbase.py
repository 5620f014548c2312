"""What the client classes share: settings to a ``NovuCore``, the bulk helpers, closing.

``novu_async.Novu`` (the current API) and ``novu_async.legacy.NovuLegacy`` (the v1 API) are this plus
their generated resources.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Literal, TypeVar

from ._resource import Resource
from ._types import UNSET, Unset

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Awaitable, Callable, Collection, Iterable

    import httpx

    from ._core import NovuCore, TransportName
    from ._retry import RetryConfig
    from ._types import RequestOptions
    from .bulk import BulkEvent, BulkReport, BulkSubscriber, InvalidEvents, ProgressCallback

__all__ = ["ClientBase"]

_Client = TypeVar("_Client", bound="ClientBase")


class ClientBase(Resource):
    """Takes the settings of ``NovuCore`` (the secret key falls back to ``NOVU_SECRET_KEY``), or an
    existing ``core=`` to share one connection pool between several objects. Use it as an async
    context manager, or call ``aclose()``, to close the HTTP client its core created."""

    __slots__ = ()

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        server: Literal["us", "eu"] = "us",
        server_url: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        retries: RetryConfig | int | None = None,
        deadline: float | None = None,
        http_client: httpx.AsyncClient | None = None,
        http2: bool = False,
        transport: TransportName = "auto",
        core: NovuCore | None = None,
    ) -> None:
        from ._core import NovuCore

        if core is None:
            core = NovuCore(
                secret_key,
                server=server,
                server_url=server_url,
                timeout=timeout,
                retries=retries,
                deadline=deadline,
                http_client=http_client,
                http2=http2,
                transport=transport,
            )
        super().__init__(core)

    @property
    def core(self) -> NovuCore:
        """The ``NovuCore`` this client sends through; pass it to the standalone functions too."""
        return self._core

    async def trigger_many(
        self,
        events: Iterable[BulkEvent] | AsyncIterable[BulkEvent],
        *,
        concurrency: int = 8,
        chunk_size: int = 100,
        idempotency_prefix: str | None = None,
        on_progress: ProgressCallback | None = None,
        report: BulkReport | None = None,
        invalid_events: InvalidEvents = "raise",
        options: RequestOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        skip_chunks: Collection[int] = (),
    ) -> BulkReport:
        """Trigger any number of events through the bulk endpoint, in chunks of up to 100, with
        ``concurrency`` requests in flight and one idempotency key per chunk; returns a ``BulkReport``.

        ``novu_async.bulk.trigger_many`` on this client's core: see it for every argument::

            report = await novu.trigger_many(events(), idempotency_prefix="import-42")
            report.raise_for_failures()
        """
        from .bulk import trigger_many

        return await trigger_many(
            self._core,
            events,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_prefix=idempotency_prefix,
            on_progress=on_progress,
            report=report,
            invalid_events=invalid_events,
            options=options,
            sleep=sleep,
            clock=clock,
            skip_chunks=skip_chunks,
        )

    async def create_subscribers_many(
        self,
        subscribers: Iterable[BulkSubscriber] | AsyncIterable[BulkSubscriber],
        *,
        concurrency: int = 8,
        chunk_size: int = 500,
        idempotency_prefix: str | None = None,
        on_progress: ProgressCallback | None = None,
        report: BulkReport | None = None,
        invalid: InvalidEvents = "raise",
        options: RequestOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        skip_chunks: Collection[int] = (),
    ) -> BulkReport:
        """Create (or update) any number of subscribers through ``POST /v1/subscribers/bulk``, in
        chunks of up to 500, with ``concurrency`` requests in flight and one idempotency key per chunk;
        returns a ``BulkReport`` (per subscriber: ``created``, ``updated`` or ``failed``).

        ``novu_async.bulk.create_subscribers_many`` on this client's core: see it for every argument::

            report = await novu.create_subscribers_many(users(), idempotency_prefix="users-42")
            report.raise_for_failures()
        """
        from .bulk import create_subscribers_many

        return await create_subscribers_many(
            self._core,
            subscribers,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_prefix=idempotency_prefix,
            on_progress=on_progress,
            report=report,
            invalid=invalid,
            options=options,
            sleep=sleep,
            clock=clock,
            skip_chunks=skip_chunks,
        )

    async def aclose(self) -> None:
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
