"""Environment Variables: list, create, retrieve, update, delete, usage.

Variables belong to the organization and hold a value per environment (``values`` name environments
by ``_id``: an unknown one is a 404). An update merges the values it gives into the stored ones by
environment, as the document says. Secret values are answered masked (``••••••••``), and the mask
itself is refused as a value (400). Usage lists the fake's workflows whose step controls say
``{{env.KEY}}``; deliveries render the Development environment's value there
(``_store/variables.py``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.variables import SECRET_MASK, Variable
from .._wire import ApiError
from ._common import Args, Fields, conflict, not_found

__all__ = ["group"]

group = Group("Environment Variables", CONFIGURATION)

_KEY: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_LENGTH: Final = 256


def _view(state: State, variable: Variable) -> dict[str, Any]:
    """``EnvironmentVariableResponseDto``."""
    return {
        "_id": variable.id,
        "_organizationId": state.ids.organization_id,
        "key": variable.key,
        "type": variable.type,
        "isSecret": variable.secret,
        "values": [
            {"_environmentId": env, "value": SECRET_MASK if variable.secret else value}
            for env, value in variable.values.items()
        ],
        "createdAt": variable.created_at,
        "updatedAt": variable.updated_at,
    }


def _variable(state: State, call: Call) -> Variable:
    key = call.params["variableKey"]
    found = state.variables.records.get(key)
    if found is None:
        raise not_found(f'Environment variable with key "{key}" not found')
    return found


def _key(fields: Fields, *, required: bool) -> str | None:
    key: str | None = fields.text("key", required=required, max_length=MAX_LENGTH)
    if key is not None and not _KEY.match(key):
        raise ApiError.invalid(
            "key", "key must start with a letter and contain only letters, digits and underscores", key
        )
    return key


def _values(state: State, fields: Fields) -> dict[str, str] | None:
    items = fields.array("values")
    if items is None:
        return None
    values: dict[str, str] = {}
    for index, item in enumerate(items):
        value = Fields(item, f"values.{index}.")
        environment: str = value.text("_environmentId", required=True)
        text: str = value.text("value", required=True, max_length=MAX_LENGTH)
        values[environment] = text
    if SECRET_MASK in values.values():
        raise ApiError(
            400,
            "Submitted value matches the secret mask placeholder; provide the real value or omit the entry.",
        )
    resolved = {}
    for environment, text in values.items():
        found = state.environments.find(environment)
        if found is None:
            raise not_found(f"Environment with id {environment} not found")
        resolved[found.id] = text
    return resolved


@group.operation("EnvironmentVariablesController_listEnvironmentVariables")
def list_variables(state: State, call: Call) -> Result:
    search = Args(call).text("search") or ""
    if len(search) > MAX_LENGTH:
        raise ApiError.invalid("search", f"search must be shorter than or equal to {MAX_LENGTH} characters")
    found = [v for v in state.variables.records.values() if search.lower() in v.key.lower()]
    return 200, [_view(state, v) for v in found]


@group.operation("EnvironmentVariablesController_createEnvironmentVariable")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    key = _key(fields, required=True)
    fields.choice("type", ("string",))
    secret = bool(fields.flag("isSecret"))
    assert key is not None
    if key in state.variables.records:
        raise conflict(f'Environment variable with key "{key}" already exists')
    values = _values(state, fields) or {}
    return 200, _view(state, state.variables.create(key, values, secret=secret))


@group.operation("EnvironmentVariablesController_getEnvironmentVariable")
def get(state: State, call: Call) -> Result:
    return 200, _view(state, _variable(state, call))


@group.operation("EnvironmentVariablesController_updateEnvironmentVariable")
def update(state: State, call: Call) -> Result:
    variable = _variable(state, call)
    fields = Fields(call.body)
    key = _key(fields, required=False)
    kind = fields.choice("type", ("string",))
    secret = fields.flag("isSecret")
    values = _values(state, fields)
    if key is None and kind is None and secret is None and values is None:
        raise ApiError(400, "At least one field must be provided to update")
    if key is not None and key != variable.key:
        if key in state.variables.records:
            raise conflict(f'Environment variable with key "{key}" already exists')
        state.variables.rename(variable, key)
    if secret is not None:
        variable.secret = secret
    if values is not None:
        variable.values.update(values)
    state.variables.touch(variable)
    return 200, _view(state, variable)


@group.operation("EnvironmentVariablesController_deleteEnvironmentVariable")
def remove(state: State, call: Call) -> Result:
    del state.variables.records[_variable(state, call).key]
    return 204, NO_BODY


@group.operation("EnvironmentVariablesController_getEnvironmentVariableUsage")
def usage(state: State, call: Call) -> Result:
    variable = _variable(state, call)
    users = state.variables.users(variable.key, state.workflows.held.values())
    return 200, {"workflows": [{"name": w.name, "workflowId": w.workflow_id} for w in users]}
