"""Workflows (v2): create, list, retrieve, update, patch, delete, a step's data, a step's preview.

A workflow the API creates is held by the fake, so triggers follow its state as Novu's do: ``active``
(false by default, as the document says), its steps (each step's ``controlValues`` are what the
delivery renders: subject, body, actions, delay amount, digest key...), and its preferences:
``preferences.workflow`` (shown as ``default``) and ``preferences.user`` give the channels'
defaults for subscribers who set none, ``all.enabled: false`` turns every channel off by default,
and ``all.readOnly: true`` makes the workflow critical (subscribers' preferences are ignored).
Deleting the last held workflow brings back implicit workflows, and a workflow's translations go
with it. Sync copies a workflow into another environment (updating the copy it holds there), which
``GET /v2/workflows/{id}?environmentId=`` then shows; see ``_store/environments.py``.
"""

from __future__ import annotations

from typing import Any, Final

from novu_async.models.step_type_enum import StepTypeEnum

from .._clock import iso
from .._routes import GLOBAL, NO_BODY, Call, Group, Result
from .._store import State
from .._store.delivery import render
from .._store.workflows import CHANNELS, SEVERITIES, Step, Workflow
from .._wire import ApiError
from ._common import Args, Fields, conflict, not_found, sorted_page

__all__ = ["group"]

group = Group("Workflows", GLOBAL)

# the step types a workflow can have (the enum's "trigger" is no step of one)
STEP_TYPES: Final = tuple(m.value for m in StepTypeEnum if m.value != "trigger")
# what each type's controls must hold, filled in when a step does not give it
_REQUIRED: Final[dict[str, dict[str, Any]]] = {
    "email": {"subject": "", "body": ""},
    "delay": {"type": "regular"},
    "throttle": {"type": "fixed"},
    "http_request": {"method": "GET", "url": ""},
}
_ORDER: Final[dict[str, Any]] = {
    "createdAt": lambda w: w.id,
    "updatedAt": lambda w: w.updated_at,
    "name": lambda w: w.name,
    "lastTriggeredAt": lambda w: w.last_triggered or 0.0,
}
_STATUSES: Final = ("ACTIVE", "INACTIVE", "ERROR")


def _workflow(state: State, call: Call) -> Workflow:
    key = call.params["workflowId"]
    found = state.workflows.find(key)
    if found is None:
        raise not_found(f"Workflow cannot be found: {key}")
    return found


def _step(workflow: Workflow, key: str) -> Step:
    found = next((s for s in workflow.steps if key in (s.step_id, s.id)), None)
    if found is None:
        raise not_found(f"Step cannot be found: {key}")
    return found


def _values(workflow: Workflow, step: Step) -> dict[str, Any]:
    """A step's control values as the API shows them: what it was given, with the fields its type
    requires filled in (an email's subject defaults to the step's name)."""
    required = dict(_REQUIRED.get(step.type, {}))
    if step.type == "email":
        required["subject"] = step.name or workflow.name
    return {**required, **step.controls}


def _step_view(workflow: Workflow, step: Step) -> dict[str, Any]:
    """``StepResponseDto`` (the member of its type)."""
    values = _values(workflow, step)
    return {
        "controls": {"values": values, "dataSchema": {}, "uiSchema": {}},
        "controlValues": values,
        "variables": {},
        "stepId": step.step_id,
        "_id": step.id,
        "name": step.name,
        "slug": f"{step.step_id}_st_{step.id}",
        "type": step.type,
        "origin": "novu-cloud",
        "workflowId": workflow.workflow_id,
        "workflowDatabaseId": workflow.id,
    }


def _preferences_view(workflow: Workflow) -> dict[str, Any]:
    """``WorkflowPreferencesResponseDto``."""
    given = workflow.extra.get("preferences") or {}

    def shown(preferences: Any) -> dict[str, Any]:
        preferences = preferences if isinstance(preferences, dict) else {}
        every = preferences.get("all") if isinstance(preferences.get("all"), dict) else {}
        channels = preferences.get("channels") if isinstance(preferences.get("channels"), dict) else {}
        return {
            "all": {"enabled": every.get("enabled", True), "readOnly": every.get("readOnly", False)},
            "channels": {
                channel: {"enabled": bool((channels.get(channel) or {}).get("enabled", True))}
                for channel in CHANNELS
            },
        }

    user = given.get("user")
    return {"user": shown(user) if isinstance(user, dict) else None, "default": shown(given.get("workflow"))}


def _common(workflow: Workflow) -> dict[str, Any]:
    """What the workflow DTO and the list item share."""
    extra = workflow.extra
    shown = {
        "name": workflow.name,
        "tags": list(workflow.tags),
        "updatedAt": workflow.updated_at,
        "createdAt": workflow.created_at,
        "updatedBy": None,
        "lastPublishedAt": None,
        "lastPublishedBy": None,
        "_id": workflow.id,
        "workflowId": workflow.workflow_id,
        "slug": f"{workflow.workflow_id}_wf_{workflow.id}",
        "status": "ACTIVE" if workflow.active else "INACTIVE",
        "origin": "novu-cloud",
        "lastTriggeredAt": None if workflow.last_triggered is None else iso(workflow.last_triggered),
        "isTranslationEnabled": bool(extra.get("isTranslationEnabled", False)),
    }
    return shown


def _view(state: State, workflow: Workflow) -> dict[str, Any]:
    """``WorkflowResponseDto``."""
    extra = workflow.extra
    shown = _common(workflow)
    shown.update(
        active=workflow.active,
        validatePayload=bool(extra.get("validatePayload", False)),
        payloadSchema=extra.get("payloadSchema"),
        steps=[_step_view(workflow, step) for step in workflow.steps],
        preferences=_preferences_view(workflow),
        issues={},
        payloadExample=None,
        severity=workflow.severity,
    )
    if "description" in extra:
        shown["description"] = extra["description"]
    return shown


def _list_item(state: State, workflow: Workflow) -> dict[str, Any]:
    """``WorkflowListResponseDto``."""
    return {
        **_common(workflow),
        "stepTypeOverviews": [step.type for step in workflow.steps],
        "steps": [{"slug": f"{s.step_id}_st_{s.id}", "type": s.type} for s in workflow.steps],
    }


def _step_specs(fields: Fields, required: bool) -> list[dict[str, Any]] | None:
    items = fields.array("steps", required=required, min_items=0)
    if items is None:
        return None
    specs = []
    for index, item in enumerate(items):
        step = Fields(item, f"steps.{index}.")
        spec: dict[str, Any] = {
            "name": step.text("name", required=True),
            "type": step.choice("type", STEP_TYPES, required=True),
        }
        for name in ("_id", "stepId"):
            value = step.text(name)
            if value is not None:
                spec[name] = value
        controls = step.obj("controlValues")
        if controls is not None:
            spec["controlValues"] = controls
        specs.append(spec)
    return specs


def _preferences(fields: Fields) -> dict[str, Any] | None:
    """``preferences`` checked: {"workflow": {...}, "user": {...}} of WorkflowPreferencesDto."""
    given = fields.inner("preferences")
    if given is None:
        return None
    for side in ("workflow", "user"):
        part = given.inner(side)
        if part is None:
            continue
        every = part.inner("all", required=True)
        assert every is not None
        every.flag("enabled")
        every.flag("readOnly")
        channels = part.obj("channels", required=True)
        for channel, value in channels.items():
            Fields(value, f"preferences.{side}.channels.{channel}.").flag("enabled", required=True)
    return dict(given.body)


def _apply_preferences(workflow: Workflow, preferences: dict[str, Any]) -> None:
    """The preferences' effect on deliveries: the channels' defaults, and criticality."""
    workflow.extra["preferences"] = preferences
    view = _preferences_view(workflow)
    effective = view["user"] or view["default"]
    everything = effective["all"]["enabled"]
    workflow.channels = {c: everything and effective["channels"][c]["enabled"] for c in CHANNELS}
    workflow.critical = bool(effective["all"]["readOnly"])


def _details(fields: Fields, workflow: Workflow) -> None:
    """The plain fields a create, update or patch may give."""
    for name in ("description",):
        value = fields.text(name)
        if value is not None:
            workflow.extra[name] = value
    for name in ("validatePayload", "isTranslationEnabled"):
        flag = fields.flag(name)
        if flag is not None:
            workflow.extra[name] = flag
    if "payloadSchema" in fields:
        workflow.extra["payloadSchema"] = fields.obj("payloadSchema", nullable=True)
    tags = fields.strings("tags")
    if tags is not None:
        workflow.tags = tags
    active = fields.flag("active")
    if active is not None:
        workflow.active = active
    severity = fields.choice("severity", SEVERITIES)
    if severity is not None:
        workflow.severity = severity


@group.operation("WorkflowController_create")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    name = fields.text("name", required=True)
    workflow_id = fields.text("workflowId", required=True)
    specs = _step_specs(fields, required=True) or []
    preferences = _preferences(fields)
    if state.workflows.find(workflow_id) is not None:
        raise conflict(f"Workflow with id {workflow_id} already exists")
    workflow = state.workflows.make(workflow_id, name=name, steps=specs, active=False)
    _details(fields, workflow)
    if preferences is not None:
        _apply_preferences(workflow, preferences)
    state.workflows.hold(workflow)
    return 201, _view(state, workflow)


@group.operation("WorkflowController_searchWorkflows")
def search(state: State, call: Call) -> Result:
    args = Args(call)
    query = (args.text("query") or "").lower()
    tags = set(args.texts("tags"))
    statuses = args.texts("status")
    for status in statuses:
        if status not in _STATUSES:
            raise ApiError.invalid(
                "status", f"each value in status must be one of {', '.join(_STATUSES)}", status
            )
    found = [
        w
        for w in state.workflows.held.values()
        if (not query or query in w.name.lower() or query in w.workflow_id.lower())
        and (not tags or tags.intersection(w.tags))
        and (not statuses or ("ACTIVE" if w.active else "INACTIVE") in statuses)
    ]
    page, total = sorted_page(call, found, _ORDER)
    return 200, {"workflows": [_list_item(state, w) for w in page], "totalCount": total}


@group.operation("WorkflowController_getWorkflow")
def get(state: State, call: Call) -> Result:
    key = Args(call).text("environmentId")
    environment = None if key is None else state.environments.find(key)
    if key is not None and environment is None:
        raise not_found(f"Environment cannot be found: {key}")
    if environment is None or environment is state.environments.own:
        return 200, _view(state, _workflow(state, call))
    held = state.environments.workflows(environment)
    workflow_id = call.params["workflowId"]
    found = held.get(workflow_id) or next((w for w in held.values() if w.id == workflow_id), None)
    if found is None:
        raise not_found(f"Workflow cannot be found: {workflow_id}")
    return 200, _view(state, found)


@group.operation("WorkflowController_update")
def update(state: State, call: Call) -> Result:
    workflow = _workflow(state, call)
    fields = Fields(call.body)
    name = fields.text("name", required=True)
    specs = _step_specs(fields, required=True) or []
    preferences = _preferences(fields)
    if preferences is None:
        raise ApiError.invalid("preferences", "preferences should not be empty")
    fields.choice("origin", ("novu-cloud", "novu-cloud-v1", "external"), required=True)
    renamed = fields.text("workflowId")
    if renamed is not None and renamed != workflow.workflow_id:
        if state.workflows.find(renamed) is not None:
            raise conflict(f"Workflow with id {renamed} already exists")
        state.workflows.drop(workflow)
        state.translations.rename("workflow", workflow.workflow_id, renamed)
        workflow.workflow_id = renamed
        state.workflows.hold(workflow)
    workflow.name = name
    workflow.steps = state.workflows.steps(specs, workflow.steps)
    _details(fields, workflow)
    _apply_preferences(workflow, preferences)
    workflow.updated_at = state.clock.iso()
    return 200, _view(state, workflow)


@group.operation("WorkflowController_patchWorkflow")
def patch(state: State, call: Call) -> Result:
    workflow = _workflow(state, call)
    fields = Fields(call.body)
    name = fields.text("name")
    if name is not None:
        workflow.name = name
    _details(fields, workflow)
    workflow.updated_at = state.clock.iso()
    return 200, _view(state, workflow)


@group.operation("WorkflowController_removeWorkflow")
def remove(state: State, call: Call) -> Result:
    workflow = _workflow(state, call)
    state.workflows.drop(workflow)
    state.translations.drop_group("workflow", workflow.workflow_id)
    return 204, NO_BODY


@group.operation("WorkflowController_sync")
def sync(state: State, call: Call) -> Result:
    key: str = Fields(call.body).text("targetEnvironmentId", required=True)
    target = state.environments.find(key)
    if target is state.environments.own:
        raise ApiError(400, "Cannot sync workflow to the same environment")
    if target is None:
        raise not_found(f"Environment cannot be found: {key}")
    return 200, _view(state, state.environments.put_workflow(_workflow(state, call), target))


@group.operation("WorkflowController_getWorkflowStepData")
def step_data(state: State, call: Call) -> Result:
    workflow = _workflow(state, call)
    return 200, _step_view(workflow, _step(workflow, call.params["stepId"]))


@group.operation("WorkflowController_generatePreview")
def preview(state: State, call: Call) -> Result:
    workflow = _workflow(state, call)
    step = _step(workflow, call.params["stepId"])
    fields = Fields(call.body)
    controls = fields.obj("controlValues")
    example = fields.obj("previewPayload") or {}
    values = {**_values(workflow, step), **(controls or {})}
    subscriber = example.get("subscriber") if isinstance(example.get("subscriber"), dict) else {}
    payload = example.get("payload") if isinstance(example.get("payload"), dict) else {}
    context = {"payload": payload, "subscriber": subscriber, "workflow": {"name": workflow.name}}
    shown: dict[str, Any] = {}
    if step.type in ("in_app", "email", "push", "sms", "chat"):
        shown["body"] = render(values.get("body", workflow.name), context)
        if step.type in ("in_app", "email", "push"):
            shown["subject"] = render(values.get("subject", workflow.name), context)
        if step.type == "in_app":
            for name in ("avatar", "primaryAction", "secondaryAction", "data", "redirect"):
                if name in values:
                    shown[name] = values[name]
    elif step.type in ("delay", "digest"):
        shown = {"amount": values.get("amount", 1), "unit": values.get("unit", "hours")}
        if step.type == "digest" and isinstance(values.get("digestKey"), str):
            shown["digestKey"] = values["digestKey"]
    return 201, {
        "previewPayloadExample": {"payload": payload, **example},
        "result": {"type": step.type, "preview": shown},
    }
