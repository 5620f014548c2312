"""TypedDicts of Fixture API 0.0.1's request bodies: ``from fixture_api.dicts import TriggerEventRequestDtoDict``.

Each is the JSON form of the model of the same name without ``Dict`` (wire names as keys), for
bodies given as plain dicts: type checkers then catch a misspelt key, a wrong value type or a missing
required key. Every function and method that takes a body accepts the model or its TypedDict.
Loaded on first use; the SDK itself never imports them at run time. Do not edit: `make generate`
rewrites this file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .names import NamesDict as NamesDict
    from .person import PersonAddressDict as PersonAddressDict
    from .person import PersonDict as PersonDict
    from .upload import UploadBodyDict as UploadBodyDict

# class name -> module that defines it
_MODULES: dict[str, str] = {
    "NamesDict": "names",
    "PersonAddressDict": "person",
    "PersonDict": "person",
    "UploadBodyDict": "upload",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    try:
        module = _MODULES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
