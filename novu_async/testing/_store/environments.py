"""Environments: the fake's own (Development) and the others an organization has.

Every request is the Development environment's: its workflows, layouts, subscribers and the rest are
the fake's state. Production is there from the start, as in a new Novu organization, and more can be
created. Another environment holds what was synced or published to it: copies of workflows and
layouts, which keep their own ids (a copy that is synced again is updated in place). Nothing is
delivered there. Each environment shows one API key, made up by the fake (the Development
environment's is not the fake's secret key: the fake never echoes it).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from typing import Any, Final

import attrs

from .._clock import Clock
from .ids import Ids
from .layouts import Layout, Layouts
from .workflows import Step, Workflow, Workflows

__all__ = ["PROTECTED", "Environment", "Environments", "layout_form", "workflow_form"]

PROTECTED: Final = ("Development", "Production")


@attrs.define(eq=False)
class Environment:
    """An environment (``fake.environments``); ``workflows`` and ``layouts`` are the copies another
    environment than Development holds, by workflowId and layoutId."""

    id: str
    name: str
    identifier: str
    api_key: str
    type: str | None = None  # "dev", "prod", or None for one created through the API
    color: str | None = None
    parent_id: str | None = None
    extra: dict[str, Any] = attrs.Factory(dict)  # dns, bridge
    workflows: dict[str, Workflow] = attrs.Factory(dict)
    layouts: dict[str, Layout] = attrs.Factory(dict)


def workflow_form(workflow: Workflow) -> dict[str, Any]:
    """What a sync copies of a workflow and a diff compares (no ids, no times)."""
    return {
        "name": workflow.name,
        "active": workflow.active,
        "tags": list(workflow.tags),
        "severity": workflow.severity,
        "critical": workflow.critical,
        "channels": dict(workflow.channels),
        "extra": workflow.extra,
        "steps": [step_form(s) for s in workflow.steps],
    }


def step_form(step: Step) -> dict[str, Any]:
    return {"stepId": step.step_id, "name": step.name, "type": step.type, "controls": step.controls}


def layout_form(layout: Layout) -> dict[str, Any]:
    return {"name": layout.name, "isTranslationEnabled": layout.translations, "controls": layout.controls}


class Environments:
    """_id -> ``Environment``: Development (the fake's own) and Production first."""

    def __init__(self, ids: Ids, clock: Clock, workflows: Workflows, layouts: Layouts) -> None:
        self._ids = ids
        self._clock = clock
        self._workflows = workflows
        self._layouts = layouts
        self.records: dict[str, Environment] = {}
        own = self._add(ids.environment_id, "Development", "dev", None)
        self._add(ids.object_id(), "Production", "prod", own.id)

    def _add(self, env_id: str, name: str, kind: str | None, parent_id: str | None) -> Environment:
        digest = hashlib.sha256(f"{self._ids.organization_id}:{env_id}".encode()).hexdigest()
        made = Environment(env_id, name, digest[:12], digest[32:], kind, parent_id=parent_id)
        self.records[env_id] = made
        return made

    @property
    def own(self) -> Environment:
        return self.records[self._ids.environment_id]

    def create(self, name: str, color: str | None, parent_id: str | None) -> Environment:
        made = self._add(self._ids.object_id(), name, None, parent_id)
        made.color = color
        return made

    def find(self, key: str) -> Environment | None:
        """By _id or identifier."""
        found = self.records.get(key)
        return found or next((e for e in self.records.values() if e.identifier == key), None)

    def by_name(self, name: str) -> Environment | None:
        return next((e for e in self.records.values() if e.name.lower() == name.lower()), None)

    def drop(self, environment: Environment) -> None:
        del self.records[environment.id]

    # --- what an environment holds

    def workflows(self, environment: Environment) -> Mapping[str, Workflow]:
        return self._workflows.held if environment is self.own else environment.workflows

    def layouts(self, environment: Environment) -> Mapping[str, Layout]:
        return self._layouts.records if environment is self.own else environment.layouts

    def put_workflow(self, source: Workflow, target: Environment) -> Workflow:
        """Copy a workflow into an environment (updating the copy it holds)."""
        existing = self.workflows(target).get(source.workflow_id)
        now = self._clock.iso()
        kept = {s.step_id: s.id for s in existing.steps} if existing is not None else {}
        made = attrs.evolve(
            source,
            id=existing.id if existing is not None else self._ids.object_id(),
            steps=[
                attrs.evolve(
                    s, id=kept.get(s.step_id) or self._ids.object_id(), controls=copy.deepcopy(s.controls)
                )
                for s in source.steps
            ],
            tags=list(source.tags),
            channels=dict(source.channels),
            extra=copy.deepcopy(source.extra),
            created_at=existing.created_at if existing is not None else now,
            updated_at=now,
            implicit=False,
            last_triggered=None,
        )
        if target is self.own:
            self._workflows.hold(made)
        else:
            target.workflows[made.workflow_id] = made
        return made

    def put_layout(self, source: Layout, target: Environment) -> Layout:
        """Copy a layout into an environment (the first one there is its default)."""
        held = self.layouts(target)
        existing = held.get(source.layout_id)
        now = self._clock.iso()
        made = attrs.evolve(
            source,
            id=existing.id if existing is not None else self._ids.object_id(),
            is_default=existing.is_default
            if existing is not None
            else not any(x.is_default for x in held.values()),
            controls=copy.deepcopy(source.controls),
            created_at=existing.created_at if existing is not None else now,
            updated_at=now,
        )
        if target is self.own:
            self._layouts.records[made.layout_id] = made
        else:
            target.layouts[made.layout_id] = made
        return made

    def remove_workflow(self, target: Environment, workflow_id: str) -> None:
        if target is self.own:
            self._workflows.drop(self._workflows.held[workflow_id])
        else:
            del target.workflows[workflow_id]

    def remove_layout(self, target: Environment, layout_id: str) -> None:
        if target is self.own:
            layout = self._layouts.records[layout_id]
            self._layouts.drop(layout, self._workflows.held.values())
        else:
            del target.layouts[layout_id]
