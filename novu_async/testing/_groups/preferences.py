"""A subscriber's preferences: the global one and one per workflow (read, patch, bulk patch).

A workflow's preference lists the channels its steps use; the global one all five. ``criticality``
(``nonCritical`` by default) picks which workflows are listed. What the preferences do to a trigger
is ``_store.preferences``'s.
"""

from __future__ import annotations

from typing import Any, Final

from .._routes import CONFIGURATION, Call, Group, Result
from .._store import State
from .._store.preferences import Preference
from .._store.workflows import CHANNELS, Workflow
from .._wire import ApiError
from ._common import Args, Fields, not_found

__all__ = ["group"]

group = Group("Subscribers", CONFIGURATION)

MAX_BULK_PREFERENCES: Final = 100


def _workflow_channels(workflow: Workflow) -> list[str]:
    return [channel for channel in CHANNELS if any(step.type == channel for step in workflow.steps)]


def _global(state: State, subscriber_id: str) -> dict[str, Any]:
    preference = state.preferences.of(subscriber_id)
    shown: dict[str, Any] = {
        "enabled": preference.enabled,
        "channels": state.preferences.channels(subscriber_id, None),
    }
    if preference.schedule is not None:
        shown["schedule"] = dict(preference.schedule)
    return shown


def _of_workflow(state: State, subscriber_id: str, workflow: Workflow) -> dict[str, Any]:
    own = state.preferences.of_workflow(subscriber_id, workflow)
    channels = state.preferences.channels(subscriber_id, workflow)
    shown: dict[str, Any] = {
        "enabled": own.enabled if own is not None else True,
        "channels": {channel: channels[channel] for channel in _workflow_channels(workflow)},
        "overrides": [],
        "workflow": {
            "slug": workflow.workflow_id,
            "identifier": workflow.workflow_id,
            "name": workflow.name,
            "updatedAt": workflow.updated_at,
        },
    }
    if own is not None and own.updated_at is not None:
        shown["updatedAt"] = own.updated_at
    return shown


def _listing(state: State, subscriber_id: str, criticality: str) -> dict[str, Any]:
    workflows = [
        w
        for w in state.workflows.all()
        if criticality == "all" or (w.critical if criticality == "critical" else not w.critical)
    ]
    return {
        "global": _global(state, subscriber_id),
        "workflows": [_of_workflow(state, subscriber_id, w) for w in workflows],
    }


def _workflow(state: State, workflow_id: str) -> Workflow:
    workflow = state.workflows.resolve(workflow_id)
    if workflow is None:
        raise not_found(f"Workflow with id: {workflow_id} is not found")
    return workflow


def _channels(fields: Fields, name: str = "channels", required: bool = False) -> dict[str, bool]:
    inner = fields.inner(name, required=required)
    if inner is None:
        return {}
    return {channel: value for channel in CHANNELS if (value := inner.flag(channel)) is not None}


def _set(
    state: State, subscriber_id: str, workflow: Workflow | None, channels: dict[str, bool]
) -> Preference:
    preferences = state.preferences
    if workflow is None:
        found = preferences.global_.setdefault(subscriber_id, Preference())
    else:
        found = preferences.workflows.setdefault((subscriber_id, workflow.id), Preference())
    found.channels.update(channels)
    found.updated_at = state.clock.iso()
    return found


@group.operation("SubscribersController_getSubscriberPreferences")
def get_preferences(state: State, call: Call) -> Result:
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    criticality = Args(call).choice("criticality", ("critical", "nonCritical", "all"), "nonCritical")
    assert criticality is not None
    return 200, _listing(state, subscriber_id, criticality)


@group.operation("SubscribersController_updateSubscriberPreferences")
def update_preferences(state: State, call: Call) -> Result:
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    fields = Fields(call.body)
    workflow_id = fields.text("workflowId")
    workflow = None if workflow_id is None else _workflow(state, workflow_id)
    schedule = fields.inner("schedule")
    if schedule is not None:
        schedule.flag("isEnabled", required=True)
        schedule.obj("weeklySchedule")
        if workflow is not None:
            raise ApiError.invalid("schedule", "schedule can only be set on the global preference", None)
    found = _set(state, subscriber_id, workflow, _channels(fields))
    if schedule is not None:
        found.schedule = dict(schedule.body)
    return 200, _listing(state, subscriber_id, "all")


@group.operation("SubscribersController_bulkUpdateSubscriberPreferences")
def bulk_update_preferences(state: State, call: Call) -> Result:
    subscriber_id = call.params["subscriberId"]
    state.subscribers.require(subscriber_id)
    items = Fields(call.body).array("preferences", required=True, max_items=MAX_BULK_PREFERENCES) or []
    checked = []
    for index, item in enumerate(items):
        fields = Fields(item, f"preferences.{index}.")
        workflow_id = fields.text("workflowId", required=True)
        checked.append((_workflow(state, workflow_id), _channels(fields, required=True)))
    answers = []
    for workflow, channels in checked:
        found = _set(state, subscriber_id, workflow, channels)
        effective = state.preferences.channels(subscriber_id, workflow)
        answers.append(
            {
                "level": "template",
                "workflow": workflow.summary(),
                "enabled": found.enabled,
                "channels": {channel: effective[channel] for channel in _workflow_channels(workflow)},
                "condition": None,
            }
        )
    return 200, answers
