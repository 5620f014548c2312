"""Environment variables: organization-wide keys with a value per environment.

Step controls read them as ``{{env.KEY}}``: a delivery renders the Development environment's value
(the fake's own; empty when it has none). Secret values are masked in every answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import attrs

from .._clock import Clock
from .ids import Ids
from .workflows import Workflow

__all__ = ["SECRET_MASK", "Variable", "Variables"]

SECRET_MASK: Final = "••••••••"


@attrs.define(eq=False)
class Variable:
    id: str
    key: str
    secret: bool
    values: dict[str, str]  # environment _id -> value
    created_at: str
    updated_at: str
    type: str = "string"


class Variables:
    """key -> ``Variable``, in creation order."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Variable] = {}

    def create(self, key: str, values: dict[str, str], *, secret: bool = False) -> Variable:
        now = self._clock.iso()
        made = self.records[key] = Variable(self._ids.object_id(), key, secret, dict(values), now, now)
        return made

    def rename(self, variable: Variable, key: str) -> None:
        del self.records[variable.key]
        variable.key = key
        self.records[key] = variable

    def touch(self, variable: Variable) -> None:
        variable.updated_at = self._clock.iso()

    def values_for(self, environment_id: str) -> dict[str, str]:
        """What ``{{env.KEY}}`` is in an environment."""
        return {v.key: v.values[environment_id] for v in self.records.values() if environment_id in v.values}

    def forget_environment(self, environment_id: str) -> None:
        for variable in self.records.values():
            variable.values.pop(environment_id, None)

    @staticmethod
    def users(key: str, workflows: Iterable[Workflow]) -> list[Workflow]:
        """The workflows whose step controls say ``{{env.KEY}}``."""
        pattern = re.compile(r"\{\{\s*env\." + re.escape(key) + r"\s*(\||\}\})")
        return [w for w in workflows if any(_mentions(pattern, s.controls) for s in w.steps)]


def _mentions(pattern: re.Pattern[str], value: Any) -> bool:
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_mentions(pattern, v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(pattern, v) for v in value)
    return False
