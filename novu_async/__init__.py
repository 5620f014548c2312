"""novu_async: an async-first Python SDK for the Novu notifications API."""

from ._types import UNSET, Unset
from ._version import __version__

__all__ = ["UNSET", "Unset", "__version__"]
