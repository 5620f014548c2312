"""Translations (v2): one locale's texts for a workflow or a layout, their groups, the master JSON
(every resource's texts for one locale) and the two uploads (multipart/form-data, read by
``_forms``).

A translation belongs to a resource the fake holds (a workflow by workflowId, ``_id`` or slug; a
layout by layoutId, ``_id`` or slug): another gets 404. Locales are ``language_REGION``
(``en_US``); the organization's default locale is ``en_US``. Novu answers a bad body 422 and a bad
upload 400 where the document lists no error at all for these operations: the fake does the same.
What translations do to deliveries: see ``_store/translations.py``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from .._clock import iso
from .._routes import GLOBAL, NO_BODY, Call, Group, Result
from .._store import State
from .._store.translations import DEFAULT_LOCALE, LOCALE, RESOURCE_TYPES, Translation
from .._wire import ApiError
from ._common import Args, Fields, not_found
from ._forms import Part, form_parts

__all__ = ["group"]

group = Group("Translations", GLOBAL)

_FILE_NAME: Final = re.compile(r"^([a-z]{2}_[A-Z]{2})\.json$")
_SECTIONS: Final = (("workflow", "workflows"), ("layout", "layouts"))


def _resource(state: State, resource_type: str, key: str) -> tuple[str, str] | None:
    """(the resource's identifier, its name), None when the fake holds no such resource."""
    if resource_type == "workflow":
        workflow = state.workflows.find(key) or state.workflows.find(key.rpartition("_wf_")[2])
        return None if workflow is None else (workflow.workflow_id, workflow.name)
    if resource_type == "layout":
        layout = state.layouts.find(key)
        return None if layout is None else (layout.layout_id, layout.name)
    return None


def _required(state: State, resource_type: str, key: str) -> tuple[str, str]:
    found = _resource(state, resource_type, key)
    if found is None:
        raise not_found(f"{resource_type.capitalize()} not found: {key}")
    return found


def _locale(value: str, field: str) -> str:
    if not LOCALE.match(value):
        raise ApiError.invalid(
            field, f"{field} must be a locale in language_REGION format, such as en_US", value
        )
    return value


def _view(translation: Translation) -> dict[str, Any]:
    """``TranslationResponseDto``."""
    return {
        "resourceId": translation.resource_id,
        "resourceType": translation.resource_type,
        "locale": translation.locale,
        "content": dict(translation.content),
        "createdAt": iso(translation.created),
        "updatedAt": iso(translation.updated),
    }


def _path_resource(state: State, call: Call) -> tuple[str, str]:
    """The path's resource type and identifier (a 404 for a type or resource there is not)."""
    resource_type = call.params["resourceType"]
    if resource_type not in RESOURCE_TYPES:
        raise not_found(f"Unknown resource type: {resource_type}")
    found = _resource(state, resource_type, call.params["resourceId"])
    return resource_type, call.params["resourceId"] if found is None else found[0]


@group.operation("TranslationController_createTranslationEndpoint")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    key: str = fields.text("resourceId", required=True)
    resource_type = fields.choice("resourceType", RESOURCE_TYPES, required=True)
    locale = _locale(fields.text("locale", required=True), "locale")
    content = fields.obj("content", required=True)
    assert resource_type is not None
    resource_id, _ = _required(state, resource_type, key)
    return 200, _view(state.translations.put(resource_type, resource_id, locale, content))


@group.operation("TranslationController_getSingleTranslation")
def get(state: State, call: Call) -> Result:
    resource_type, resource_id = _path_resource(state, call)
    found = state.translations.get(resource_type, resource_id, call.params["locale"])
    if found is None:
        raise not_found(f"Translation not found: {resource_type} {resource_id} {call.params['locale']}")
    return 200, _view(found)


@group.operation("TranslationController_deleteTranslationEndpoint")
def remove(state: State, call: Call) -> Result:
    resource_type, resource_id = _path_resource(state, call)
    if not state.translations.drop(resource_type, resource_id, call.params["locale"]):
        raise not_found(f"Translation not found: {resource_type} {resource_id} {call.params['locale']}")
    return 204, NO_BODY


@group.operation("TranslationController_getTranslationGroupEndpoint")
def get_group(state: State, call: Call) -> Result:
    resource_type, resource_id = _path_resource(state, call)
    translations = state.translations.group(resource_type, resource_id)
    found = _resource(state, resource_type, resource_id)
    if translations is None or found is None:
        raise not_found(f"Translation group not found: {resource_type} {resource_id}")
    default = translations.get(DEFAULT_LOCALE)
    shown: dict[str, Any] = {
        "resourceId": resource_id,
        "resourceType": resource_type,
        "resourceName": found[1],
        "locales": list(translations),
        "createdAt": iso(min(t.created for t in translations.values())),
        "updatedAt": iso(max(t.updated for t in translations.values())),
    }
    outdated = [
        locale
        for locale, t in translations.items()
        if default is not None and locale != DEFAULT_LOCALE and t.updated < default.updated
    ]
    if outdated:
        shown["outdatedLocales"] = outdated
    return 200, shown


@group.operation("TranslationController_deleteTranslationGroupEndpoint")
def remove_group(state: State, call: Call) -> Result:
    resource_type, resource_id = _path_resource(state, call)
    if not state.translations.drop_group(resource_type, resource_id):
        raise not_found(f"Translation group not found: {resource_type} {resource_id}")
    return 204, NO_BODY


@group.operation("TranslationController_getMasterJsonEndpoint")
def master(state: State, call: Call) -> Result:
    locale = _locale(Args(call).text("locale") or DEFAULT_LOCALE, "locale")
    shown: dict[str, Any] = {section: {} for _, section in _SECTIONS}
    for (resource_type, resource_id), translation in state.translations.of_locale(locale).items():
        shown[dict(_SECTIONS)[resource_type]][resource_id] = dict(translation.content)
    return 200, shown


def _import(state: State, locale: str, master_json: dict[str, Any]) -> dict[str, Any]:
    """``ImportMasterJsonResponseDto``: each resource's texts stored, or the resource reported failed."""
    successful: list[str] = []
    failed: list[str] = []
    for resource_type, section in _SECTIONS:
        given = master_json.get(section)
        for key, content in (given if isinstance(given, dict) else {}).items():
            found = _resource(state, resource_type, key)
            if found is None or not isinstance(content, dict):
                failed.append(key)
                continue
            state.translations.put(resource_type, found[0], locale, content)
            successful.append(key)
    if not successful and not failed:
        answer: dict[str, Any] = {"success": False, "message": "No supported resources found in master JSON"}
    elif not failed:
        noun = "resource" if len(successful) == 1 else "resources"
        names = ", ".join(successful)
        answer = {
            "success": True,
            "message": f"Successfully imported translations for {len(successful)} {noun}: {names}",
        }
    else:
        answer = {
            "success": bool(successful),
            "message": f"Partial import completed: {len(successful)} imported, {len(failed)} failed"
            if successful
            else f"Failed to import translations for {', '.join(failed)}",
        }
    if successful:
        answer["successful"] = successful
    if failed:
        answer["failed"] = failed
    return answer


@group.operation("TranslationController_importMasterJsonEndpoint")
def import_master(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    locale = _locale(fields.text("locale", required=True), "locale")
    return 200, _import(state, locale, fields.obj("masterJson", required=True))


def _file_json(part: Part) -> Any:
    try:
        return json.loads(part.content)
    except ValueError:
        return None


@group.operation("TranslationController_uploadMasterJsonEndpoint", raw=True)
def upload_master(state: State, call: Call) -> Result:
    files = [p for p in form_parts(call.raw) if p.name == "file" and p.filename is not None]
    if len(files) != 1:
        raise ApiError(400, "Exactly one master JSON file is required in the file field")
    [part] = files
    name = _FILE_NAME.match(part.filename or "")
    if name is None:
        raise ApiError(400, f"Invalid file name {part.filename}: it must be a locale, such as en_US.json")
    master_json = _file_json(part)
    if not isinstance(master_json, dict):
        raise ApiError(400, f"Invalid JSON in file: {part.filename}")
    return 200, _import(state, name[1], master_json)


@group.operation("TranslationController_uploadTranslationFiles", raw=True)
def upload(state: State, call: Call) -> Result:
    parts = form_parts(call.raw)
    fields = Fields({p.name: p.text for p in parts if p.filename is None})
    key: str = fields.text("resourceId", required=True)
    resource_type = fields.choice("resourceType", RESOURCE_TYPES, required=True)
    assert resource_type is not None
    files = [p for p in parts if p.name in ("files", "files[]") and p.filename is not None]
    if not files:
        raise ApiError(400, "At least one translation file is required in the files field")
    named = [(part, _FILE_NAME.match(part.filename or "")) for part in files]
    misnamed = [part.filename or "" for part, name in named if name is None]
    if misnamed:
        raise ApiError(400, f"One or more files have invalid names or formats: {', '.join(misnamed)}")
    resource_id, _ = _required(state, resource_type, key)
    errors = []
    stored = 0
    for part, name in named:
        content = _file_json(part)
        if name is None or not isinstance(content, dict):
            errors.append(f"Failed to process file '{part.filename}': it is not a JSON object")
            continue
        state.translations.put(resource_type, resource_id, name[1], content)
        stored += 1
    if not stored:
        raise ApiError(400, f"No valid translation files were found: {'; '.join(errors)}")
    return 200, {
        "totalFiles": len(files),
        "successfulUploads": stored,
        "failedUploads": len(errors),
        "errors": errors,
    }
