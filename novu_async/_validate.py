"""The request-only checks of a body, besides its types: keys the document does not declare, and the
document's bounds (``Limits``), both before anything is sent.

* Unknown keys: a dict (or a nested dict) whose schema declares its properties and allows no others
  (the model's ``additional_properties`` field carries ``metadata={"closed": True}``) may not hold
  a key it does not declare: the converter refuses it in request mode (``_serde.structure(...,
  request=True)``) with ``unknown_key_message``, which names the closest declared key
  (``transaction_id`` -> ``transactionId``; a Python attribute name or a name override points to
  its wire name: ``workflowId`` and ``workflow_id`` -> ``name``). A model's own
  ``additional_properties`` are sent as given: that is how a key the document lacks is sent on
  purpose. The bulk helpers' lean checks ask the same question of plain JSON data with
  ``json_problems``, without structuring it (a nested object's model is picked as the converter
  picks a union member: the one whose required keys are all there, else the closest).
* Bounds: ``limit_problems(obj)`` walks a structured body (models, lists, dicts) and checks each
  field's ``Limits`` (model field metadata ``"limits"``); only the fields that hold bounds, or
  models that do, are visited, a plan made once per class. ``pattern`` is never checked.

Responses are never checked here: what the server sends is taken as it comes.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Final, get_args, get_origin

import attrs

from ._types import UNSET, Limits

__all__ = [
    "closest_key",
    "is_closed",
    "json_problems",
    "known_keys",
    "limit_problems",
    "unknown_key_message",
    "unknown_keys",
]

EXTRA: Final = "additional_properties"
_FOLD = re.compile(r"[^0-9a-z]")

Problems = list[tuple[str, str]]


# ---------------------------------------------------------------------------------------------- keys


@attrs.frozen
class _Keys:
    """The declared keys of one model: wire names, and every name that points to one."""

    wire: frozenset[str]
    hints: Mapping[str, str]  # attribute name, override, folded spelling -> wire name
    closed: bool
    required: frozenset[str]


_keys: dict[type, _Keys] = {}


def _fold(name: str) -> str:
    """``transaction_id``, ``transactionId`` and ``Transaction-ID`` all fold to ``transactionid``."""
    return _FOLD.sub("", name.lower())


def _keys_of(cls: type) -> _Keys:
    found = _keys.get(cls)
    if found is None:
        wire: set[str] = set()
        required: set[str] = set()
        hints: dict[str, str] = {}
        closed = False
        for field in attrs.fields(cls):
            if field.name == EXTRA:
                closed = bool(field.metadata.get("closed"))
                continue
            name = field.metadata.get("wire", field.name)
            wire.add(name)
            if field.default is attrs.NOTHING:
                required.add(name)
            for alias in (field.name, field.alias or field.name, name):
                hints.setdefault(alias, name)
                hints.setdefault(_fold(alias), name)
        found = _keys[cls] = _Keys(frozenset(wire), hints, closed, frozenset(required))
    return found


def is_closed(cls: type) -> bool:
    """Whether a dict standing for ``cls`` may hold only the keys it declares."""
    return _keys_of(cls).closed


def known_keys(cls: type) -> frozenset[str]:
    """The wire names ``cls`` declares."""
    return _keys_of(cls).wire


def closest_key(cls: type, key: str) -> str | None:
    """The declared wire name a misspelt or mis-cased ``key`` most likely means, or ``None``."""
    keys = _keys_of(cls)
    hint = keys.hints.get(key) or keys.hints.get(_fold(key))
    if hint is not None:
        return hint
    import difflib  # the error path only

    close = difflib.get_close_matches(key, sorted(keys.wire), n=1, cutoff=0.6)
    if close:
        return close[0]
    folded = {_fold(w): w for w in keys.wire}
    close = difflib.get_close_matches(_fold(key), sorted(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def unknown_key_message(cls: type, key: str) -> str:
    """``not a property of TriggerEventRequestDto; did you mean 'transactionId'?``"""
    message = f"not a property of {cls.__name__}"
    hint = closest_key(cls, key)
    if hint is not None:
        message += f"; did you mean {hint!r}?"
    else:
        message += f" (it has {', '.join(repr(k) for k in sorted(_keys_of(cls).wire))})"
    return message


def unknown_keys(cls: type, data: Collection[str], path: str = "$") -> Problems:
    """``(path.key, message)`` for each key of ``data`` that ``cls`` does not declare, when it is
    closed; ``[]`` otherwise."""
    keys = _keys_of(cls)
    if not keys.closed or keys.wire.issuperset(data):
        return []
    return [(f"{path}.{key}", unknown_key_message(cls, key)) for key in data if key not in keys.wire]


# ---------------------------------------------------------------------------------------------- bounds


@attrs.frozen
class _Entry:
    attribute: str
    wire: str
    limits: Limits | None  # bounds on the values of this field (not inside the models it holds)
    deep: bool  # the field may hold models that have bounds of their own


_plans: dict[type, tuple[_Entry, ...]] = {}


def _models_in(tp: Any) -> list[type]:
    """The model classes an annotation may hold (through unions, lists, dicts and ``Annotated``)."""
    if get_origin(tp) is None:
        return [tp] if isinstance(tp, type) and attrs.has(tp) else []
    if get_origin(tp) is Annotated:
        return _models_in(get_args(tp)[0])
    return [model for arg in get_args(tp) for model in _models_in(arg)]


def _plan(cls: type, building: set[type] | None = None) -> tuple[_Entry, ...]:
    """The fields of ``cls`` worth visiting: those with bounds, and those that may hold a model with
    bounds somewhere inside. Made once per class (types resolved on first use)."""
    plan = _plans.get(cls)
    if plan is not None:
        return plan
    from ._resolve import resolve

    building = set() if building is None else building
    building.add(cls)
    resolve(cls)
    entries = []
    for field in attrs.fields(cls):
        if field.name == EXTRA:
            continue
        limits = field.metadata.get("limits")
        # a model being planned (a recursive one) is visited: it may turn out to have bounds
        deep = any(model in building or _plan(model, building) for model in _models_in(field.type))
        if limits is not None or deep:
            entries.append(_Entry(field.name, field.metadata.get("wire", field.name), limits, deep))
    building.discard(cls)
    plan = _plans[cls] = tuple(entries)
    return plan


def _bounded(value: Any, limits: Limits, path: str, problems: Problems) -> None:
    """Check ``value`` and what it holds (lists, dicts: not models) against one field's bounds."""
    if isinstance(value, enum.Enum):
        return
    problem = limits.problem(value)
    if problem is not None:
        problems.append((path, problem))
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not attrs.has(type(item)):
                _bounded(item, limits, f"{path}[{index}]", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not attrs.has(type(item)):
                _bounded(item, limits, f"{path}[{key!r}]", problems)


def _descend(value: Any, path: str, problems: Problems) -> None:
    """Walk the models ``value`` holds (directly, in lists, in dicts)."""
    plan = _plans.get(type(value))  # a model met before: its plan at once, without ``attrs.has``
    if plan is not None:
        _walk(value, plan, path, problems)
    elif attrs.has(type(value)):
        _walk(value, _plan(type(value)), path, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _descend(item, f"{path}[{index}]", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _descend(item, f"{path}[{key!r}]", problems)


def _walk(obj: Any, plan: tuple[_Entry, ...], path: str, problems: Problems) -> None:
    for entry in plan:
        value = getattr(obj, entry.attribute)
        if value is None or value is UNSET:
            continue
        where = f"{path}.{entry.wire}"
        if entry.limits is not None:
            _bounded(value, entry.limits, where, problems)
        if entry.deep:
            _descend(value, where, problems)


def limit_problems(body: Any, limits: Limits | None = None) -> Problems:
    """Every bound a structured request body (a model, or a list or dict of them) breaks, as
    ``(JSON path, message)``; ``limits``: bounds on the body value itself."""
    problems: Problems = []
    if limits is not None:
        _bounded(body, limits, "$", problems)
    _descend(body, "$", problems)
    return problems


# ---------------------------------------------------------------------------------------------- JSON data


@attrs.frozen
class _Shape:
    """What ``json_problems`` needs of one field: its bounds, the models an object in it may be, and
    the models the values of a map in it may be (``dict[str, StepsOverrides]``)."""

    limits: Limits | None
    models: tuple[type, ...]
    mapped: tuple[type, ...]


_shapes: dict[type, dict[str, _Shape]] = {}


def _split(tp: Any, mapped: bool, direct: list[type], values: list[type]) -> None:
    """Sort the models an annotation holds into objects in it and values of maps in it."""
    origin = get_origin(tp)
    if origin is None:
        if isinstance(tp, type) and attrs.has(tp):
            (values if mapped else direct).append(tp)
    elif origin is Annotated:
        _split(get_args(tp)[0], mapped, direct, values)
    elif origin is dict:
        _split(get_args(tp)[1], True, direct, values)
    else:
        for arg in get_args(tp):
            _split(arg, mapped, direct, values)


def _shape(cls: type) -> dict[str, _Shape]:
    shape = _shapes.get(cls)
    if shape is None:
        from ._resolve import resolve

        resolve(cls)
        shape = {}
        for field in attrs.fields(cls):
            if field.name == EXTRA:
                continue
            direct: list[type] = []
            values: list[type] = []
            _split(field.type, False, direct, values)
            limits = field.metadata.get("limits")
            if direct or values or limits is not None:
                wire = field.metadata.get("wire", field.name)
                shape[wire] = _Shape(limits, tuple(dict.fromkeys(direct)), tuple(dict.fromkeys(values)))
        _shapes[cls] = shape
    return shape


def _pick(models: tuple[type, ...], data: Mapping[str, Any]) -> type:
    """The model an object most likely stands for: the first whose required keys it all has, else
    the one it shares the most keys with."""
    if len(models) == 1:
        return models[0]
    for model in models:
        if _keys_of(model).required.issubset(data):
            return model
    return max(models, key=lambda m: len(_keys_of(m).wire.intersection(data)))


def _json_value(value: Any, shape: _Shape, path: str, problems: Problems) -> None:
    if type(value) is dict:
        if shape.models:
            _json_object(_pick(shape.models, value), value, path, problems)
        elif shape.mapped:
            for key, item in value.items():
                if type(item) is dict:
                    _json_object(_pick(shape.mapped, item), item, f"{path}[{key!r}]", problems)
        return
    if shape.limits is not None and not isinstance(value, enum.Enum):
        problem = shape.limits.problem(value)
        if problem is not None:
            problems.append((path, problem))
    if type(value) is list:
        for index, item in enumerate(value):
            _json_value(item, shape, f"{path}[{index}]", problems)


def _json_object(cls: type, data: Mapping[str, Any], path: str, problems: Problems) -> None:
    problems.extend(unknown_keys(cls, data, path))
    shape = _shape(cls)
    for key, value in data.items():
        field = shape.get(key)
        if field is not None:
            _json_value(value, field, f"{path}.{key}", problems)


def json_problems(cls: type, data: Mapping[str, Any], path: str = "$") -> Problems:
    """Undeclared keys and broken bounds in JSON data for ``cls`` (nested objects included), without
    structuring it: the bulk helpers' lean check. Types are not checked here."""
    problems: Problems = []
    _json_object(cls, data, path, problems)
    return problems
