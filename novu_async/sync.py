"""``novu_async.sync.Novu``: the same client, blocking, for scripts and synchronous frameworks.

Django views, Flask handlers, Celery tasks and plain scripts call it without ``await``::

    from novu_async.sync import Novu

    with Novu() as novu:                                  # settings as novu_async.Novu's
        novu.trigger({"name": "welcome", "to": "subscriber-1"})
        subscriber = novu.subscribers.retrieve("subscriber-1")
        for s in novu.subscribers.search_iter(limit=100):  # a plain iterator, pages fetched lazily
            ...
        report = novu.trigger_many(events, idempotency_prefix="import-42")
        novu.legacy.tenants.list()

There is no second implementation: the facade runs one event loop in a background thread (an anyio
blocking portal, asyncio by default, ``backend="trio"`` too), makes a ``novu_async.Novu`` inside it
(so its HTTP client and connection pool belong to that loop) and forwards every attribute:

* a resource (``novu.subscribers``, ``novu.legacy``, ``novu.subscribers.credentials``...) comes back
  as a proxy that forwards in turn;
* calling a method runs it in the loop thread and blocks until it is done: a coroutine method
  returns its result (the same models, ``Response`` objects and errors as the async client, e.g.
  ``novu_async.errors.NotFoundError``); a method that returns an async iterator (the ``*_iter``
  methods and their ``PageIterator``) returns a plain iterator instead, which requests each page
  through the loop only when the items before it are used up;
* other attributes are returned as they are (``novu.core`` is a proxy too: ``novu.core.server_url``).

A ``next()`` that needs a new page makes one trip through the loop and brings back the rest of that
page with it (items already received; nothing more is requested), so iterating costs one trip per
page, not per item. Ctrl-C while a call waits cancels that call in the loop too.

Threads: one ``Novu`` may be shared by any number of threads (a web server's workers): their calls
all go to the one loop, where they run concurrently over one connection pool. One iterator serves
one thread at a time, like ``PageIterator``.

Arguments are handed to the async method as they are, and whatever it calls back runs in the loop
thread: ``trigger_many`` reads a plain iterable of events there (a slow one, such as a blocking
database cursor, holds up every other call meanwhile), calls ``on_progress(done, total)`` there, and
awaits ``sleep`` (so it must still be an async function). A callback must not call the sync client
itself (it would wait for the loop it is running in): doing so raises ``AsyncContextError``.

``close()`` (or leaving the ``with`` block) waits for the calls in flight, closes the async client
and stops the loop's thread; afterwards every call raises ``ClientClosedError``. A client dropped
without ``close()`` is closed when it is garbage-collected or at interpreter exit.

Processes: the loop's thread does not survive ``fork``. A client made before a fork (a Celery
prefork worker, gunicorn with ``--preload``) raises ``ClientClosedError`` in the child instead of
hanging: make one per process (Celery's ``worker_process_init`` signal, or lazily on first use).

Not from async code: inside a running event loop every call raises ``AsyncContextError``; use
``novu_async.Novu`` there (``await novu.trigger(...)``).

Typing: the forwarding is dynamic, but type checkers see what it gives, to the same depth as the
async client: the generator writes the blocking twin of every resource class as a stub
(``novu_async/sync_resources/*.pyi``: ``SyncSubscribers``..., each coroutine method returning its
result, each ``*_iter`` a ``SyncIterator[T]``), and ``Novu`` below declares them (with ``legacy``,
``trigger_many`` and ``create_subscribers_many``) for type checkers only. A misspelt resource,
method or argument is a type error; at run time there is still one code path, the forwarding.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
import weakref
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import sniffio

from ._resource import Resource
from ._settings import Settings, check_names
from .errors import ClientClosedError, ConfigurationError, NovuError

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Iterable

    from anyio.from_thread import BlockingPortal
    from typing_extensions import Unpack

    from ._client import Novu as AsyncNovu
    from .bulk import BulkEvent, BulkReport, BulkSettings, BulkSubscriber, TriggerManySettings
    from .legacy.sync_resources._root import SyncResources as SyncLegacyResources
    from .sync_resources._root import SyncResources

    class _ClientMethods:
        """What the client classes add to their resources (``ClientBase``), blocking."""

        @property
        def core(self) -> Any:
            """The async client's ``NovuCore``, forwarded: its attributes as they are, its
            methods blocking."""

        def trigger_many(
            self,
            events: Iterable[BulkEvent] | AsyncIterable[BulkEvent],
            **settings: Unpack[TriggerManySettings],
        ) -> BulkReport:
            """``novu_async.Novu.trigger_many``, blocking: the ``BulkReport`` of the run."""

        def create_subscribers_many(
            self,
            subscribers: Iterable[BulkSubscriber] | AsyncIterable[BulkSubscriber],
            **settings: Unpack[BulkSettings],
        ) -> BulkReport:
            """``novu_async.Novu.create_subscribers_many``, blocking: the ``BulkReport`` of the run."""

    class SyncLegacy(_ClientMethods, SyncLegacyResources):
        """``novu.legacy`` of the blocking client: the legacy v1 API, blocking."""

    class _Typed(_ClientMethods, SyncResources):
        """What ``Novu`` forwards, as type checkers see it."""

        @property
        def legacy(self) -> SyncLegacy:
            """The legacy v1 API on the same client, blocking: ``novu.legacy.tenants.list()``."""
else:
    _Typed = object

T = TypeVar("T")

__all__ = ["AsyncContextError", "Novu", "SyncIterator"]

Backend = Literal["asyncio", "trio"]
_BACKENDS: tuple[str, ...] = ("asyncio", "trio")
_SETTINGS: frozenset[str] = frozenset(Settings.__optional_keys__)
# names a proxy does not forward: closing the async client behind the facade's back would leave its
# loop thread running; close() does both
_REFUSED: Mapping[str, str] = {
    "aclose": "use close() on the novu_async.sync.Novu client (or a with block)",
}


class AsyncContextError(NovuError, RuntimeError):
    """The blocking client was used from inside a running event loop (async code, or a callback the
    client's own loop runs): it would block that loop, or wait for itself. Use ``novu_async.Novu``
    and ``await`` there."""


def _running_loop_library() -> str | None:
    """The async library whose event loop runs in this thread, or None."""
    try:
        return sniffio.current_async_library()
    except sniffio.AsyncLibraryNotFoundError:
        pass
    try:  # a plain callback of an asyncio loop has no current task, so sniffio does not see it
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    return "asyncio"


def _refuse_in_event_loop(what: str) -> None:
    library = _running_loop_library()
    if library is not None:
        raise AsyncContextError(
            f"novu_async.sync.Novu: {what} was called inside a running {library} event loop, where it "
            "would block the loop (or wait for itself); use the async client there: "
            "`async with novu_async.Novu(...) as novu: await novu...`"
        )


class _Runtime:
    """The portal thread, the async client in it, and the calls in flight through it."""

    def __init__(self, backend: str, backend_options: Mapping[str, Any] | None) -> None:
        from anyio.from_thread import start_blocking_portal

        self.backend = backend
        self._pid = os.getpid()
        options = dict(backend_options) if backend_options else None
        self._portal_cm: AbstractContextManager[BlockingPortal]
        try:
            self._portal_cm = start_blocking_portal(backend, options, name=f"novu-sync-{backend}")
        except TypeError:  # pragma: no cover - an anyio without thread names
            self._portal_cm = start_blocking_portal(backend, options)
        self._portal: BlockingPortal | None = self._portal_cm.__enter__()
        self.client: AsyncNovu | None = None
        self._lock = threading.Condition(threading.Lock())
        self._close_lock = threading.Lock()
        self._in_flight = 0
        self._open = True

    @property
    def closed(self) -> bool:
        return not self._open

    def call(self, func: Callable[[], Any], what: str) -> Any:
        """Run ``func()`` in the loop thread (awaiting it when it returns an awaitable) and block for
        the result. An interrupt (Ctrl-C) while waiting cancels the call in the loop."""
        _refuse_in_event_loop(what)
        if os.getpid() != self._pid:
            raise ClientClosedError(
                f"novu_async.sync.Novu: cannot call {what}: this client was made in process "
                f"{self._pid}, before a fork, and its event loop thread does not exist here; "
                "make one per process"
            )
        with self._lock:
            if not self._open or self._portal is None:
                raise ClientClosedError(f"novu_async.sync.Novu is closed: cannot call {what}")
            portal = self._portal
            self._in_flight += 1
        try:
            future = portal.start_task_soon(func)
            try:
                return future.result()
            except BaseException:
                future.cancel()
                raise
        finally:
            with self._lock:
                self._in_flight -= 1
                if not self._in_flight:
                    self._lock.notify_all()

    def close(self) -> None:
        """Refuse new calls, wait for those in flight, close the async client, stop the thread."""
        if os.getpid() != self._pid:  # a forked child: the loop's thread is the parent's, leave it
            self._open = False
            return
        with self._close_lock:
            with self._lock:
                if self._portal is None:
                    return
                self._open = False
                while self._in_flight:
                    self._lock.wait()
                portal = self._portal
            try:
                if self.client is not None:
                    portal.call(self.client.aclose)
            finally:
                self._portal = None
                self._portal_cm.__exit__(None, None, None)

    def finalize(self) -> None:
        """``close()`` for a client nobody closed, when it is collected or at exit. Never raises;
        where closing would block an event loop (the collection ran in one) it closes from a
        short-lived thread of its own."""
        if _running_loop_library() is not None:
            threading.Thread(target=self.finalize, name="novu-sync-close", daemon=True).start()
            return
        with contextlib.suppress(Exception):  # best effort: nobody to report to
            self.close()


def _adapt(runtime: _Runtime, owner: Any, value: Any) -> Any:
    """What the facade hands out for ``value``, found on or returned by the async client."""
    if isinstance(value, Resource) or _is_core(value):
        return _Proxy(runtime, owner, value)
    if hasattr(value, "__anext__"):
        return SyncIterator(runtime, owner, value)
    return value


def _is_core(value: Any) -> bool:
    from ._core import NovuCore

    return isinstance(value, NovuCore)


class _Proxy:
    """A resource (or the core) of the async client, with blocking methods."""

    __slots__ = ("__weakref__", "_attrs", "_owner", "_runtime", "_target")

    def __init__(self, runtime: _Runtime, owner: Any, target: Any) -> None:
        self._runtime = runtime
        self._owner = owner  # the facade: kept alive while any of its proxies is
        self._target = target
        self._attrs: dict[str, Any] = {}

    if not TYPE_CHECKING:  # type checkers see the generated stubs' attributes, not Any

        def __getattr__(self, name: str) -> Any:
            return self._forward(name)

    def _forward(self, name: str) -> Any:
        """The async target's attribute ``name``, adapted: what ``__getattr__`` hands out."""
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._attrs.get(name)
        if value is not None:
            return value
        if name in _REFUSED:
            raise AttributeError(f"{name}: {_REFUSED[name]}")
        target = self._target
        value = getattr(target, name)
        if callable(value) and not isinstance(value, type):
            value = self._blocking(name, value)
        else:
            value = _adapt(self._runtime, self._owner, value)
        # resources and methods are cached (the same object every time); plain values are read anew
        if isinstance(value, _Proxy) or callable(value):
            self._attrs[name] = value
        return value

    def _blocking(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        runtime, owner = self._runtime, self._owner
        what = f"{type(self._target).__name__}.{name}()"

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            result = runtime.call(functools.partial(method, *args, **kwargs), what)
            return _adapt(runtime, owner, result)

        return call

    def __dir__(self) -> list[str]:
        return sorted(n for n in dir(self._target) if not n.startswith("_") and n not in _REFUSED)

    def __repr__(self) -> str:
        return f"<sync {self._target!r}>"


def _in_hand(iterator: Any) -> bool:
    """Whether the next item of ``iterator`` is already received (a ``PageIterator`` between two
    page requests), so taking it sends nothing."""
    from ._pagination import PageIterator

    return isinstance(iterator, PageIterator) and iterator.buffered > 0


class SyncIterator(Iterator[T]):
    """An async iterator of the async client (a ``PageIterator``) as a plain iterator.

    Pages are requested lazily, one at a time, exactly when ``async for`` would request them: a
    ``next()`` that needs an item not yet received makes one trip through the client's loop, which
    brings back that item and the rest of its page (items already received, so nothing more is
    sent); the following ``next()`` calls hand those out without leaving the calling thread.
    ``close()`` (or a ``with`` block) stops it early. One iterator serves one thread at a time.
    """

    __slots__ = ("_buffer", "_iterator", "_owner", "_runtime")

    def __init__(self, runtime: _Runtime, owner: Any, iterator: Any) -> None:
        self._runtime = runtime
        self._owner = owner
        self._iterator = iterator
        self._buffer: deque[T] = deque()

    def __iter__(self) -> SyncIterator[T]:
        return self

    def __next__(self) -> T:
        if self._buffer:
            return self._buffer.popleft()
        items: list[T] = self._runtime.call(self._take, "next() of an iterator")
        if not items:
            raise StopIteration
        self._buffer.extend(items[1:])
        return items[0]

    async def _take(self) -> list[T]:
        """The next item and those received with it; empty at the end."""
        iterator: AsyncIterator[T] = self._iterator
        try:
            items = [await iterator.__anext__()]
        except StopAsyncIteration:
            return []
        while _in_hand(iterator):
            try:
                items.append(await iterator.__anext__())
            except StopAsyncIteration:  # max_items reached
                break
        return items

    def close(self) -> None:
        """Stop early: drop the items received and close the async iterator in the loop."""
        self._buffer.clear()
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None and not self._runtime.closed:
            self._runtime.call(aclose, "close() of an iterator")

    def __enter__(self) -> SyncIterator[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<sync {self._iterator!r}>"


class Novu(_Proxy, _Typed):
    """The Novu API, blocking: ``novu.trigger(...)``, ``novu.subscribers.create(...)``, every method
    of ``novu_async.Novu`` with the same arguments and results, without ``await``.

    ``Novu(secret_key=None, *, backend="asyncio", backend_options=None, **settings)``: the settings
    of ``novu_async.Novu`` (``Settings``: ``server``, ``server_url``, ``timeout``, ``retries``,
    ``deadline``, ``max_response_bytes``, ``http2``, ``transport``; the secret key falls back to
    ``NOVU_SECRET_KEY``, the server to ``NOVU_SERVER_URL``), plus the event loop to run in a
    background thread: ``backend`` ``"asyncio"`` or ``"trio"``, and ``backend_options`` for
    ``anyio.run`` (``{"use_uvloop": True}``...).

    ``http_client`` is not taken: an ``httpx.AsyncClient`` belongs to the event loop it is used in,
    and this client's loop is its own. ``timeout``, ``http2`` and ``transport`` configure the one it
    makes.

    * resources are attributes, as on the async client: ``novu.subscribers.credentials.update(...)``,
      ``novu.legacy.tenants.list()``, and each ``*_response`` twin;
    * ``*_iter`` methods return a plain iterator (``SyncIterator``) that fetches pages as needed;
    * ``trigger_many(events, ...)`` returns the ``BulkReport``; its ``on_progress`` callback is called
      in the client's loop thread (see the module docstring);
    * errors are the async client's: ``NotFoundError``, ``APIConnectionError``...;
    * ``close()`` or ``with Novu() as novu:`` stops the background thread; a closed client raises
      ``ClientClosedError``. Calls from inside a running event loop raise ``AsyncContextError``.

    Safe to share between threads. Typed like ``novu_async.Novu``, results without ``Awaitable``
    (the generated stubs of ``novu_async.sync_resources``); the calls are forwarded at run time.
    """

    __slots__ = ("_finalizer",)

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        backend: Backend = "asyncio",
        backend_options: Mapping[str, Any] | None = None,
        **settings: Unpack[Settings],
    ) -> None:
        _refuse_in_event_loop("Novu()")
        check_names(settings, _SETTINGS, "Novu")
        if backend not in _BACKENDS:
            raise ConfigurationError(f"unknown backend {backend!r}: expected 'asyncio' or 'trio'")

        async def make() -> AsyncNovu:
            from ._client import Novu as AsyncNovu

            return AsyncNovu(secret_key, **settings)

        runtime = _Runtime(backend, backend_options)
        try:
            client = runtime.client = runtime.call(make, "Novu()")
        except BaseException:
            runtime.close()
            raise
        super().__init__(runtime, None, client)
        self._owner = self
        # a client nobody closed stops its thread when collected, or at exit
        self._finalizer = weakref.finalize(self, runtime.finalize)

    @property
    def backend(self) -> str:
        """The event loop's library: ``"asyncio"`` or ``"trio"``."""
        return self._runtime.backend

    @property
    def closed(self) -> bool:
        """``close()`` was called (or the client was collected): every call raises ``ClientClosedError``."""
        return self._runtime.closed

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), "backend", "close", "closed"})

    def _forward(self, name: str) -> Any:
        if not name.startswith("_") and self._runtime.closed:
            raise ClientClosedError(f"novu_async.sync.Novu is closed: cannot use .{name}")
        return super()._forward(name)

    def close(self) -> None:
        """Wait for the calls in flight, close the HTTP client and stop the background thread.
        Closing twice does nothing."""
        _refuse_in_event_loop("close()")
        self._finalizer.detach()
        self._runtime.close()

    def __enter__(self) -> Novu:
        if self._runtime.closed:
            raise ClientClosedError("novu_async.sync.Novu is closed")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._runtime.closed else self._runtime.backend
        return f"novu_async.sync.Novu({state}, {self._target!r})"
