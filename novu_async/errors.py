"""The exceptions novu_async raises. Every one derives from ``NovuError``."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["DataValidationError", "NovuError"]


class NovuError(Exception):
    """Base class of every error novu_async raises."""


class DataValidationError(NovuError, ValueError):
    """A value does not fit its schema.

    ``problems`` lists ``(JSON path, message)`` pairs, e.g. ``("$.to[0].subscriberId",
    "expected a string, got integer")``; ``what`` says which value (a request body, a response...).
    """

    def __init__(self, what: str, problems: Sequence[tuple[str, str]]) -> None:
        self.what = what
        self.problems = list(problems)
        shown = "; ".join(f"{path}: {message}" for path, message in self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"{what} is invalid: {shown}{more}")
