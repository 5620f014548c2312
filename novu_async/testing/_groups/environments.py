"""Environments: list, create, update, delete (v1); a workflow tags, diff and publish between two
environments (v2). Workflows' sync (``PUT /v2/workflows/{id}/sync``) is in ``workflows``.

Development and Production cannot be deleted (400) or renamed (422), and no other environment may
take their names (422). A diff compares the layouts and workflows of a source environment (by
default Development) with a target's, without their ids and times; a publish copies the source's
into the target (layouts first), deletes from the target what the source does not have, and skips
what is equal; ``dryRun`` changes nothing and skips everything; ``resources`` limits both to the
resources named. Novu names the resource types ``workflow`` and ``layout`` in these answers, though
the document's ``ResourceTypeEnum`` lists ``REGULAR``, ``ECHO``, ``BRIDGE``: the fake answers as Novu.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from .._routes import GLOBAL, NO_BODY, Call, Group, Result
from .._store import State
from .._store.environments import PROTECTED, Environment, layout_form, step_form, workflow_form
from .._store.layouts import Layout
from .._store.workflows import Workflow
from .._wire import ApiError
from ._common import Fields, conflict, not_found

__all__ = ["group"]

group = Group("Environments", GLOBAL)

T = TypeVar("T", Layout, Workflow)

RESOURCE_TYPES: Final = ("layout", "workflow")
_DRY_RUN: Final = "Dry run: nothing was changed"
_NO_CHANGES: Final = "No changes detected"


def _user_id(state: State) -> str:
    """The made-up user the API keys belong to."""
    return hashlib.sha256(f"user:{state.ids.organization_id}".encode()).hexdigest()[:24]


def _view(state: State, environment: Environment) -> dict[str, Any]:
    """``EnvironmentResponseDto``."""
    key = environment.api_key
    shown: dict[str, Any] = {
        "_id": environment.id,
        "name": environment.name,
        "_organizationId": state.ids.organization_id,
        "identifier": environment.identifier,
        "type": environment.type,
        "apiKeys": [
            {"key": key, "_userId": _user_id(state), "hash": hashlib.sha256(key.encode()).hexdigest()}
        ],
        "slug": environment.name.lower().replace(" ", "-"),
    }
    if environment.parent_id is not None:
        shown["_parentId"] = environment.parent_id
    if environment.color is not None:
        shown["color"] = environment.color
    shown.update(environment.extra)
    return shown


def _environment(state: State, key: str) -> Environment:
    found = state.environments.find(key)
    if found is None:
        raise not_found(f"Environment not found: {key}")
    return found


def _parent(state: State, fields: Fields) -> str | None:
    parent = fields.text("parentId")
    return None if parent is None else _environment(state, parent).id


@group.operation("EnvironmentsControllerV1_listMyEnvironments")
def list_environments(state: State, call: Call) -> Result:
    return 200, [_view(state, e) for e in state.environments.records.values()]


@group.operation("EnvironmentsControllerV1_createEnvironment")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    name: str = fields.text("name", required=True).strip()
    color: str = fields.text("color", required=True)
    parent = _parent(state, fields)
    if state.environments.by_name(name) is not None:
        raise conflict(f"Environment with name {name} already exists")
    made = state.environments.create(name, color, parent or state.ids.environment_id)
    return 201, _view(state, made)


@group.operation("EnvironmentsControllerV1_updateMyEnvironment")
def update(state: State, call: Call) -> Result:
    environment = _environment(state, call.params["environmentId"])
    fields = Fields(call.body)
    name = (fields.text("name") or "").strip()
    if name:
        if environment.name in PROTECTED:
            raise ApiError.invalid(
                "name", "Cannot update the name of Development or Production environments", name
            )
        if name.lower() in (p.lower() for p in PROTECTED):
            raise ApiError.invalid("name", "Environment name cannot be Development or Production", name)
        environment.name = name
    identifier = fields.text("identifier")
    if identifier:
        environment.identifier = identifier
    parent = _parent(state, fields)
    if parent is not None:
        environment.parent_id = parent
    color = fields.text("color")
    if color:
        environment.color = color
    for name_of, key in (("dns", "inboundParseDomain"), ("bridge", "url")):
        inner = fields.inner(name_of)
        if inner is not None:
            value = inner.text(key)
            if value is not None:
                environment.extra[name_of] = {key: value}
    return 200, _view(state, environment)


@group.operation("EnvironmentsControllerV1_deleteEnvironment")
def remove(state: State, call: Call) -> Result:
    environment = _environment(state, call.params["environmentId"])
    if environment.name in PROTECTED:
        raise ApiError(
            400,
            f"The {environment.name} environment is protected and cannot be deleted. "
            "Only custom environments can be deleted.",
        )
    state.environments.drop(environment)
    state.variables.forget_environment(environment.id)
    return 200, NO_BODY


@group.operation("EnvironmentsController_getEnvironmentTags")
def tags(state: State, call: Call) -> Result:
    environment = _environment(state, call.params["environmentId"])
    names = dict.fromkeys(t for w in state.environments.workflows(environment).values() for t in w.tags)
    return 200, [{"name": name} for name in names]


# --- diff and publish


def _pair(state: State, call: Call, fields: Fields) -> tuple[Environment, Environment]:
    target = _environment(state, call.params["targetEnvironmentId"])
    source_key = fields.text("sourceEnvironmentId")
    source = state.environments.own if source_key is None else _environment(state, source_key)
    if source is target:
        raise ApiError(400, "The source and target environments must be different")
    return source, target


def _info(item: Layout | Workflow | None) -> dict[str, Any] | None:
    """``ResourceInfoDto``."""
    if item is None:
        return None
    key = item.layout_id if isinstance(item, Layout) else item.workflow_id
    return {"id": key, "name": item.name, "updatedBy": None, "updatedAt": item.updated_at}


def _form(item: Layout | Workflow) -> dict[str, Any]:
    return layout_form(item) if isinstance(item, Layout) else workflow_form(item)


def _step_changes(source: Workflow, target: Workflow) -> list[dict[str, Any]]:
    """``ResourceDiffDto`` per step added, deleted, modified or moved."""
    before = {s.step_id: (i, s) for i, s in enumerate(target.steps)}
    after = {s.step_id: (i, s) for i, s in enumerate(source.steps)}
    changes = []
    for step_id in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(step_id), after.get(step_id)
        change: dict[str, Any] = {"resourceType": "step", "sourceResource": None, "targetResource": None}
        if old is not None:
            change.update(stepType=old[1].type, targetResource={"id": step_id, "name": old[1].name})
            change["previousIndex"] = old[0]
        if new is not None:
            change.update(stepType=new[1].type, sourceResource={"id": step_id, "name": new[1].name})
            change["newIndex"] = new[0]
        if old is None:
            change["action"] = "added"
        elif new is None:
            change["action"] = "deleted"
        elif step_form(old[1]) != step_form(new[1]):
            change["action"] = "modified"
        elif old[0] != new[0]:
            change["action"] = "moved"
        else:
            continue
        changes.append(change)
    return changes


def _diff(kind: str, source: Mapping[str, T], target: Mapping[str, T]) -> tuple[list[dict[str, Any]], int]:
    """``ResourceDiffResultDto`` per changed resource of one type, and how many were compared."""
    results = []
    keys = [*source, *(k for k in target if k not in source)]
    for key in keys:
        new, old = source.get(key), target.get(key)
        change: dict[str, Any] = {
            "resourceType": kind,
            "sourceResource": _info(new),
            "targetResource": _info(old),
        }
        if old is None:
            change["action"] = "added"
        elif new is None:
            change["action"] = "deleted"
        elif _form(new) == _form(old):
            continue
        else:
            change.update(action="modified", diffs={"previous": _form(old), "new": _form(new)})
        changes = [change]
        if isinstance(new, Workflow) and isinstance(old, Workflow):
            changes += _step_changes(new, old)
        counts = {a: sum(1 for c in changes if c["action"] == a) for a in ("added", "modified", "deleted")}
        results.append(
            {
                "resourceType": kind,
                "sourceResource": _info(new),
                "targetResource": _info(old),
                "changes": changes,
                "summary": {**counts, "unchanged": 0},
            }
        )
    return results, len(keys)


@group.operation("EnvironmentsController_diffEnvironment")
def diff(state: State, call: Call) -> Result:
    source, target = _pair(state, call, Fields(call.body))
    environments = state.environments
    layouts, compared_layouts = _diff("layout", environments.layouts(source), environments.layouts(target))
    workflows, compared_workflows = _diff(
        "workflow", environments.workflows(source), environments.workflows(target)
    )
    resources = [*layouts, *workflows]
    return 200, {
        "sourceEnvironmentId": source.id,
        "targetEnvironmentId": target.id,
        "resources": resources,
        "summary": {
            "totalEntities": compared_layouts + compared_workflows,
            "totalChanges": len(resources),
            "hasChanges": bool(resources),
        },
    }


def _wanted(fields: Fields) -> dict[str, set[str]] | None:
    """``resources``: the ids to publish per type; None for everything."""
    given = fields.array("resources")
    if given is None:
        return None
    wanted: dict[str, set[str]] = {kind: set() for kind in RESOURCE_TYPES}
    for index, item in enumerate(given):
        resource = Fields(item, f"resources.{index}.")
        kind = resource.choice("resourceType", RESOURCE_TYPES, required=True)
        wanted[kind or ""].add(resource.text("resourceId", required=True))
    return wanted


def _publish(
    kind: str,
    source: Mapping[str, T],
    target: Mapping[str, T],
    wanted: set[str] | None,
    dry_run: bool,
    put: Callable[[T], object],
    remove: Callable[[str], None],
) -> dict[str, Any]:
    """``SyncResultDto`` for one resource type."""
    chosen = [item for key, item in source.items() if wanted is None or key in wanted]
    successful: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []

    def entry(key: str, item: T) -> dict[str, Any]:
        return {"resourceType": kind, "resourceId": key, "resourceName": item.name}

    for item in chosen:
        key = item.layout_id if isinstance(item, Layout) else item.workflow_id
        existing = target.get(key)
        if dry_run or (existing is not None and _form(existing) == _form(item)):
            skipped.append({**entry(key, item), "reason": _DRY_RUN if dry_run else _NO_CHANGES})
            continue
        put(item)
        successful.append({**entry(key, item), "action": "created" if existing is None else "updated"})
    if not dry_run:
        for key, item in list(target.items()):
            if key not in source and (wanted is None or key in wanted):
                remove(key)
                successful.append({**entry(key, item), "action": "deleted"})
    return {
        "resourceType": kind,
        "successful": successful,
        "failed": [],
        "skipped": skipped,
        "totalProcessed": len(successful) + len(skipped),
    }


@group.operation("EnvironmentsController_publishEnvironment")
def publish(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    source, target = _pair(state, call, fields)
    dry_run = bool(fields.flag("dryRun"))
    wanted = _wanted(fields)
    environments = state.environments
    results = [
        _publish(
            "layout",
            environments.layouts(source),
            environments.layouts(target),
            None if wanted is None else wanted["layout"],
            dry_run,
            lambda layout: environments.put_layout(layout, target),
            lambda key: environments.remove_layout(target, key),
        ),
        _publish(
            "workflow",
            environments.workflows(source),
            environments.workflows(target),
            None if wanted is None else wanted["workflow"],
            dry_run,
            lambda workflow: environments.put_workflow(workflow, target),
            lambda key: environments.remove_workflow(target, key),
        ),
    ]
    successful = sum(len(r["successful"]) for r in results)
    skipped = sum(len(r["skipped"]) for r in results)
    return 200, {
        "results": results,
        "summary": {
            "resources": successful + skipped,
            "successful": successful,
            "failed": 0,
            "skipped": skipped,
        },
    }
