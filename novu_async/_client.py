"""``Novu``: the client class. Every method is a generated resource method over the same functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._clientbase import ClientBase
from .resources._root import Resources

if TYPE_CHECKING:
    from .legacy import NovuLegacy


class Novu(ClientBase, Resources):
    """The Novu API as a class: ``novu.trigger(...)``, ``novu.subscribers.create(...)``.

    Takes the same settings as ``NovuCore`` (the secret key falls back to ``NOVU_SECRET_KEY``), or
    an existing ``core=`` to share one connection pool between several objects. Use it as an async
    context manager, or call ``aclose()``, to close the HTTP client it created::

        async with Novu() as novu:
            await novu.trigger({"name": "welcome", "to": "subscriber-1"})

    ``novu.legacy`` is the legacy v1 API on the same core; ``trigger_many`` and
    ``create_subscribers_many`` send any number of events or subscribers in chunks.
    """

    __slots__ = ()

    @property
    def legacy(self) -> NovuLegacy:
        """The legacy v1 API (``novu_async.legacy``) on this client's core: ``novu.legacy.tenants.list()``."""
        legacy = self._children.get("legacy")
        if legacy is None:
            from .legacy import NovuLegacy

            legacy = self._children["legacy"] = NovuLegacy(core=self._core)
        return legacy
