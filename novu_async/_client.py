"""``Novu``: the client class. Every method is a generated resource method over the same functions."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Literal

from ._types import UNSET, Unset
from .resources._root import Resources

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Awaitable, Callable, Iterable

    import httpx

    from ._core import NovuCore, TransportName
    from ._retry import RetryConfig
    from ._types import RequestOptions
    from .bulk import BulkEvent, BulkReport, InvalidEvents, ProgressCallback
    from .legacy import NovuLegacy


class Novu(Resources):
    """The Novu API as a class: ``novu.trigger(...)``, ``novu.subscribers.create(...)``.

    Takes the same settings as ``NovuCore`` (the secret key falls back to ``NOVU_SECRET_KEY``), or
    an existing ``core=`` to share one connection pool between several objects. Use it as an async
    context manager, or call ``aclose()``, to close the HTTP client it created::

        async with Novu() as novu:
            await novu.trigger({"name": "welcome", "to": "subscriber-1"})
    """

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

    @property
    def legacy(self) -> NovuLegacy:
        """The legacy v1 API (``novu_async.legacy``) on this client's core: ``novu.legacy.tenants.list()``."""
        legacy = self._children.get("legacy")
        if legacy is None:
            from .legacy import NovuLegacy

            legacy = self._children["legacy"] = NovuLegacy(core=self._core)
        return legacy

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
        )

    async def aclose(self) -> None:
        await self._core.aclose()

    async def __aenter__(self) -> Novu:
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
        return f"Novu({self._core!r})"
