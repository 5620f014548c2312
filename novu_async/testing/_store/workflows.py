"""Workflows the fake holds, and the implicit ones it makes up while it holds none.

As long as no workflow was seeded (``FakeNovu.add_workflow``) or created through the API (the
Workflows group), every
trigger name is an *implicit* workflow: active, one in-app step whose subject and body are the
workflow's name. Once the fake holds a workflow, names are looked up as Novu looks them up, and an
unknown one is refused (``workflow_not_found``). Implicit workflows are remembered (preferences can be
set for them) but do not count as held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from .._clock import Clock
from .ids import Ids

__all__ = ["CHANNELS", "STEP_TYPES", "Step", "Workflow", "Workflows"]

CHANNELS: Final = ("in_app", "email", "sms", "chat", "push")
STEP_TYPES: Final = (*CHANNELS, "delay", "digest", "throttle", "custom", "http_request")
SEVERITIES: Final = ("high", "medium", "low", "none")


@attrs.define(eq=False)
class Step:
    """One step of a workflow the fake holds: its ids, channel or action type, and controls."""

    id: str  # the database id (_id)
    step_id: str  # the step's identifier within its workflow
    name: str
    type: str  # one of STEP_TYPES
    controls: dict[str, Any]  # controlValues: body, subject, amount, unit, digestKey...
    active: bool = True


@attrs.define(eq=False)
class Workflow:
    """A workflow the fake holds: its identifier, steps, state and preferences (``fake.workflows``)."""

    id: str  # the database id (_id)
    workflow_id: str  # the trigger identifier
    name: str
    steps: list[Step]
    active: bool = True
    critical: bool = False
    tags: list[str] = attrs.Factory(list)
    severity: str = "none"
    # the workflow's default channel preferences: channel -> enabled (absent: enabled)
    channels: dict[str, bool] = attrs.Factory(dict)
    created_at: str = ""
    updated_at: str = ""
    implicit: bool = False
    last_triggered: float | None = None  # when a trigger of it was last accepted for delivery
    # the rest of what the API keeps (description, payloadSchema, origin...), for the Workflows group
    extra: dict[str, Any] = attrs.Factory(dict)

    def summary(self) -> dict[str, Any]:
        """``WorkflowDto`` / ``NotificationWorkflowDto``: what other resources say about a workflow."""
        return {
            "id": self.id,
            "identifier": self.workflow_id,
            "name": self.name,
            "critical": self.critical,
            "tags": list(self.tags),
            "severity": self.severity,
        }


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "step"


class Workflows:
    """workflowId -> ``Workflow``; ``implicit`` holds the made-up ones."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.held: dict[str, Workflow] = {}
        self.implicit: dict[str, Workflow] = {}

    def make(
        self,
        workflow_id: str,
        *,
        name: str | None = None,
        steps: Iterable[str | Mapping[str, Any]] = ("in_app",),
        active: bool = True,
        critical: bool = False,
        tags: Iterable[str] = (),
        severity: str = "none",
        channels: Mapping[str, bool] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Workflow:
        """A workflow (not yet held). ``steps``: step types (``"in_app"``) or step objects as the API
        takes them (``{"type": "delay", "controlValues": {"amount": 1, "unit": "hours"}}``)."""
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {severity!r}")
        now = self._clock.iso()
        made = self.steps(steps)
        return Workflow(
            self._ids.object_id(),
            workflow_id,
            name if name is not None else workflow_id,
            made,
            active=active,
            critical=critical,
            tags=list(tags),
            severity=severity,
            channels=dict(channels or {}),
            created_at=now,
            updated_at=now,
            extra=dict(extra or {}),
        )

    def steps(self, specs: Iterable[str | Mapping[str, Any]], previous: Iterable[Step] = ()) -> list[Step]:
        """Steps from types or step objects; a step naming a ``previous`` one (by ``_id`` or
        ``stepId``) keeps its database id."""
        known = {key: step for step in previous for key in (step.id, step.step_id)}
        made = []
        for index, step in enumerate(specs):
            spec: Mapping[str, Any] = {"type": step} if isinstance(step, str) else step
            kind = spec.get("type")
            if kind not in STEP_TYPES:
                raise ValueError(f"steps[{index}].type must be one of {', '.join(STEP_TYPES)}, got {kind!r}")
            name = spec.get("name") or f"{kind}-step-{index + 1}"
            step_id = spec.get("stepId") or _slug(name)
            before = known.get(spec.get("_id") or "") or known.get(step_id)
            made.append(
                Step(
                    before.id if before is not None else self._ids.object_id(),
                    step_id,
                    name,
                    kind,
                    dict(spec.get("controlValues") or {}),
                    active=bool(spec.get("active", True)),
                )
            )
        return made

    def find(self, key: str) -> Workflow | None:
        """A held workflow by workflowId or database id."""
        found = self.held.get(key)
        return found if found is not None else next((w for w in self.held.values() if w.id == key), None)

    def drop(self, workflow: Workflow) -> None:
        del self.held[workflow.workflow_id]

    def hold(self, workflow: Workflow) -> Workflow:
        self.held[workflow.workflow_id] = workflow
        self.implicit.pop(workflow.workflow_id, None)
        return workflow

    def resolve(self, workflow_id: str) -> Workflow | None:
        """The workflow a trigger or a preference names: a held one; an implicit one while none is
        held; None when the fake holds workflows but not this one."""
        found = self.held.get(workflow_id)
        if found is not None:
            return found
        if self.held:
            return None
        found = self.implicit.get(workflow_id)
        if found is None:
            found = self.make(workflow_id, steps=[{"type": "in_app", "controlValues": {}}])
            found.implicit = True
            self.implicit[workflow_id] = found
        return found

    def all(self) -> list[Workflow]:
        """Held workflows, then implicit ones, each in creation order."""
        return [*self.held.values(), *self.implicit.values()]
