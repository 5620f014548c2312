"""One module per operation of Fixture API 0.0.1: ``from fixture_api.funcs.NAME import NAME``.

This package imports nothing itself, so importing one function loads only that operation, its
error answers and the models they use. ``OPERATIONS`` (operationId -> function name) and
``ITERATORS`` (operationId -> iterator name, for list operations) load on first use.
Do not edit: `make generate` rewrites this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._index import ITERATORS as ITERATORS
    from ._index import OPERATIONS as OPERATIONS

__all__ = ["ITERATORS", "OPERATIONS"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import _index

    return getattr(_index, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
