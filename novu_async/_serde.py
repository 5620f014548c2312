"""The single cattrs Converter of novu_async, and every (de)serialisation rule in one place.

Generated models only describe (attrs fields, wire names in metadata, unions in annotations); this
module decides:

* wire names: a field's JSON name is ``metadata["wire"]`` when present, else its attribute name;
* absent vs null: a field left at ``UNSET`` is omitted from the JSON, ``None`` is sent as ``null``;
* undeclared keys of an object are kept in ``additional_properties`` and written back out;
* enums are open: ``Enum | str`` takes a member when the value is known, else the plain string;
* unions: a ``Discriminator`` picks by tag; otherwise the JSON kind of the value (string, number,
  object, ...) narrows the members, and among object members the one whose required keys are all
  present and which declares the most of the value's keys wins (ties: first in the document);
* types are strict: ``"5"`` is not an int and ``5`` is not a string; a wrong value raises
  ``DataValidationError`` listing every problem with its JSON path (``$.to[0].subscriberId``);
* request bodies (``structure(..., request=True)``): a dict for a closed model (``_validate``) may not
  hold a key it does not declare; a model instance found inside a dict body is taken as it is (its
  ``additional_properties`` too: the way to send an undeclared key on purpose);
* ``date-time`` strings become timezone-aware ``datetime`` (UTC when the text has no offset).

Model modules annotate with strings and import what they reference only under ``TYPE_CHECKING``, so
importing one model loads one module; ``_resolve`` turns the annotations into types on first use.
Each model's structure and unstructure functions are compiled from these rules (``_fastserde``).
"""

from __future__ import annotations

import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _validate
from ._datetimes import format_datetime, parse_datetime
from ._fastserde import Compiler, Rules
from ._problems import Problem, UnknownKeys, json_kind, problems_of, wire_names
from ._resolve import resolve
from ._types import Discriminator, Unset
from ._validate import EXTRA
from .errors import DataValidationError

__all__ = [
    "REQUEST_BODY",
    "compiler",
    "converter",
    "general_structure_fn",
    "general_unstructure_fn",
    "json_kind",
    "problems_of",
    "structure",
    "unstructure",
]

T = TypeVar("T")
_NoneType = type(None)
_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)


# set while a request body is structured: undeclared keys are refused, not kept
REQUEST_BODY: ContextVar[bool] = ContextVar("novu_async_request_body", default=False)


# ---------------------------------------------------------------------------------------------- types


def is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and EXTRA in attrs.fields_dict(cls)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in _UNION_TYPES


def _discriminator(tp: Any) -> Discriminator | None:
    if get_origin(tp) is Annotated:
        for meta in tp.__metadata__:
            if isinstance(meta, Discriminator):
                return meta
    return None


# ---------------------------------------------------------------------------------------------- converter

converter = cattrs.Converter(detailed_validation=True)


def _strict(expected: type, label: str) -> Callable[[Any, Any], Any]:
    def structure_primitive(value: Any, _: Any) -> Any:
        if type(value) is expected:
            return value
        raise Problem(f"expected {label}, got {json_kind(value)}")

    return structure_primitive


converter.register_structure_hook(str, _strict(str, "a string"))
converter.register_structure_hook(bool, _strict(bool, "a boolean"))


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise Problem(f"expected an integer, got {json_kind(value)}")


def _structure_float(value: Any, _: Any) -> float:
    # JSON does not tell 3 from 3.0; an int stays an int so it is written back unchanged.
    if type(value) is float or type(value) is int:
        return value
    raise Problem(f"expected a number, got {json_kind(value)}")


converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)


def _structure_datetime(value: Any, _: Any) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
    if type(value) is str:
        try:
            return parse_datetime(value)
        except ValueError as exc:
            raise Problem(str(exc)) from None
    raise Problem(f"expected a date-time string, got {json_kind(value)}")


converter.register_structure_hook(_dt.datetime, _structure_datetime)
converter.register_unstructure_hook(_dt.datetime, format_datetime)


def _structure_bytes(value: Any, _: Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise Problem(f"expected bytes, got {json_kind(value)}")


converter.register_structure_hook(bytes, _structure_bytes)


def _structure_unset(value: Any, _: Any) -> Any:
    raise Problem("UNSET is never a value on the wire")


converter.register_structure_hook(Unset, _structure_unset)


# --- containers: strict about the JSON kind; a fast path, and a second pass only to say what failed


def _noted(exc: Exception, note: IterableValidationNote) -> Exception:
    """Attach where in a container ``exc`` happened, the way cattrs' own hooks do (3.10 has no add_note)."""
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
    return exc


def _item_hook(tp: Any) -> Callable[[Any, Any], Any] | None:
    """The structure hook for ``tp``, or None when values pass through unchanged (``Any``)."""
    if tp is Any:
        return None
    return converter.get_structure_hook(tp)


def _list_hook_factory(tp: Any) -> Callable[[Any, Any], list[Any]]:
    args = get_args(tp)
    item_type = args[0] if args else Any
    hook: list[Callable[[Any, Any], Any] | None] = []  # filled on first use (recursive models)

    def structure_list(value: Any, _: Any) -> list[Any]:
        if type(value) is not list:
            raise Problem(f"expected an array, got {json_kind(value)}")
        if not hook:
            hook.append(_item_hook(item_type))
        item = hook[0]
        if item is None:
            return list(value)
        out: list[Any] = []
        try:
            for v in value:
                out.append(item(v, item_type))
        except Exception as first:
            # the items before the first failure passed: check only those after it, each item once
            # (structuring an item again would double the work at every level of a recursive model)
            failed = len(out)
            errors = [_noted(first, IterableValidationNote("", failed, item_type))]
            for index in range(failed + 1, len(value)):
                try:
                    item(value[index], item_type)
                except Exception as exc:
                    errors.append(_noted(exc, IterableValidationNote("", index, item_type)))
            raise IterableValidationError("invalid array items", errors, tp) from None
        return out

    return structure_list


def _dict_hook_factory(tp: Any) -> Callable[[Any, Any], dict[str, Any]]:
    args = get_args(tp)
    value_type = args[1] if len(args) == 2 else Any
    hook: list[Callable[[Any, Any], Any] | None] = []

    def structure_dict(value: Any, _: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise Problem(f"expected an object, got {json_kind(value)}")
        if not hook:
            hook.append(_item_hook(value_type))
        item = hook[0]
        if item is None:
            return dict(value)
        out: dict[str, Any] = {}
        key: Any = None
        try:
            for key, v in value.items():
                out[key] = item(v, value_type)
        except Exception as first:
            # as for arrays: each value is structured once, the ones after the first failure checked
            errors = [_noted(first, IterableValidationNote("", key, value_type))]
            for later, v in list(value.items())[len(out) + 1 :]:
                try:
                    item(v, value_type)
                except Exception as exc:
                    errors.append(_noted(exc, IterableValidationNote("", later, value_type)))
            raise IterableValidationError("invalid object values", errors, tp) from None
        return out

    return structure_dict


def _is_list(tp: Any) -> bool:
    return tp is list or get_origin(tp) is list


def _is_dict(tp: Any) -> bool:
    return tp is dict or get_origin(tp) is dict


converter.register_structure_hook_factory(_is_list, _list_hook_factory)
converter.register_structure_hook_factory(_is_dict, _dict_hook_factory)


# --- models


@attrs.frozen
class _ModelInfo:
    """What union dispatch needs to know about one model class."""

    required: frozenset[str]  # wire names with no default
    known: frozenset[str]  # every declared wire name
    tags: tuple[tuple[str, str], ...]  # (wire name, the only value its one-member enum allows)


_model_infos: dict[type, _ModelInfo] = {}


def model_info(cls: type) -> _ModelInfo:
    info = _model_infos.get(cls)
    if info is None:
        resolve(cls)
        required, known, tags = set(), set(), []
        for f in attrs.fields(cls):
            if f.name == EXTRA:
                continue
            wire = f.metadata.get("wire", f.name)
            known.add(wire)
            if f.default is attrs.NOTHING:
                required.add(wire)
            for member in get_args(f.type) or (f.type,):
                if isinstance(member, type) and issubclass(member, enum.Enum) and len(member) == 1:
                    tags.append((wire, next(iter(member)).value))
        info = _model_infos[cls] = _ModelInfo(frozenset(required), frozenset(known), tuple(tags))
    return info


def general_structure_fn(cls: type) -> Callable[[Any, Any], Any]:
    """The general path of a model (cattrs' function, union hooks...): what gives the errors."""
    resolve(cls)
    wires = wire_names(cls)
    overrides = {name: override(rename=wire) for name, wire in wires.items() if wire != name}
    overrides[EXTRA] = override(omit=True)
    base: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    known = frozenset(wires.values())
    extra_type = get_args(attrs.fields_dict(cls)[EXTRA].type)[1]
    extra_hook = _item_hook(extra_type)
    name = cls.__name__
    closed = _validate.is_closed(cls)

    def structure_model(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            if type(value) is cls:  # a model inside a dict request body: as it is
                return value
            raise Problem(f"expected an object ({name}), got {json_kind(value)}")
        if closed and not known.issuperset(value) and REQUEST_BODY.get():
            unknown = UnknownKeys(cls, [k for k in value if k not in known])
            try:
                base(value, cls)
            except ClassValidationError as exc:  # report the other problems with them
                raise ClassValidationError(exc.message, [*exc.exceptions, unknown], cls) from None
            raise unknown
        obj = base(value, cls)
        if not known.issuperset(value):
            extra = {k: v for k, v in value.items() if k not in known}
            if extra_hook is not None:
                extra = converter.structure(extra, dict[str, extra_type])  # type: ignore[valid-type]
            setattr(obj, EXTRA, extra)
        return obj

    return structure_model


def general_unstructure_fn(cls: type) -> Callable[[Any], dict[str, Any]]:
    resolve(cls)
    wires = wire_names(cls)
    overrides = {name: override(rename=wire) for name, wire in wires.items() if wire != name}
    overrides[EXTRA] = override(omit=True)
    base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls,
        converter,
        _cattrs_omit_if_default=True,
        **overrides,  # type: ignore[arg-type]
    )
    unstructure_value = converter.unstructure

    def unstructure_model(obj: Any) -> dict[str, Any]:
        data = base(obj)
        extra = getattr(obj, EXTRA)
        if extra:
            for key, value in extra.items():
                if key not in data:
                    data[key] = unstructure_value(value)
        return data

    return unstructure_model


def _model_structure_factory(cls: type) -> Callable[[Any, Any], Any]:
    """The compiled function (``_fastserde``), the general path for what it is not sure of."""
    fast, general = compiler.structure_fn(cls), general_structure_fn(cls)

    def structure_model(value: Any, _: Any) -> Any:
        try:
            return fast(value)
        except Exception:
            return general(value, cls)

    return structure_model


converter.register_structure_hook_factory(is_model, _model_structure_factory)
converter.register_unstructure_hook_factory(is_model, lambda cls: compiler.unstructure_fn(cls))


# --- unions


def _accepts(tp: Any) -> frozenset[str]:
    """The JSON kinds a union member can take."""
    if tp is Any:
        return frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
    if tp is str or tp is _dt.datetime or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return frozenset({"string"})
    if tp is bool:
        return frozenset({"boolean"})
    if tp is int:
        return frozenset({"integer"})
    if tp is float:
        return frozenset({"integer", "number"})
    if _is_list(tp):
        return frozenset({"array"})
    if _is_dict(tp) or is_model(tp) or _discriminator(tp) is not None:
        return frozenset({"object"})
    return frozenset()


def _type_label(tp: Any) -> str:
    if tp is _NoneType:
        return "null"
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _first_success(value: Any, candidates: list[Any]) -> Any:
    """Structure as the first candidate that accepts ``value``; raise the first candidate's error."""
    first_error: BaseException | None = None
    for tp in candidates:
        try:
            return converter.structure(value, tp)
        except Exception as exc:
            if first_error is None:
                first_error = exc
    assert first_error is not None
    raise first_error


def _rank_models(value: dict[str, Any], models: list[type]) -> list[type]:
    """Object members that fit ``value`` best first; members missing a required key or with a
    conflicting tag are left out."""
    scored = []
    for order, cls in enumerate(models):
        info = model_info(cls)
        if not info.required.issubset(value):
            continue
        if any(wire in value and value[wire] != tag for wire, tag in info.tags):
            continue
        scored.append((-len(info.known.intersection(value)), -len(info.required), order, cls))
    scored.sort(key=lambda s: s[:3])
    return [s[3] for s in scored]


def _union_hook_factory(tp: Any) -> Callable[[Any, Any], Any]:
    members = [m for m in get_args(tp) if m is not Unset]
    nullable = _NoneType in members
    members = [m for m in members if m is not _NoneType]
    if len(members) == 1:
        only = members[0]
        label = _type_label(only)
        primitive = only if only in (str, bool) else None
        hook: list[Callable[[Any, Any], Any]] = []  # looked up on first use (recursive models)

        def structure_optional(value: Any, _: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise Problem(f"expected {label}, got null")
            if type(value) is primitive:
                return value
            if not hook:
                hook.append(converter.get_structure_hook(only))
            return hook[0](value, only)

        return structure_optional

    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    has_str = str in members
    models = [m for m in members if is_model(m)]
    by_kind: dict[str, list[Any]] = {}
    for member in members:
        for kind in _accepts(member):
            by_kind.setdefault(kind, []).append(member)
    expected = " | ".join(_type_label(m) for m in members) + (" | null" if nullable else "")

    def structure_union(value: Any, _: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise Problem(f"expected {expected}, got null")
        kind = json_kind(value)
        candidates = by_kind.get(kind)
        if not candidates:
            if type(value) in models:  # a model inside a dict request body: as it is
                return value
            raise Problem(f"expected {expected}, got {kind}")
        if kind == "string":
            for e in enums:
                member = e._value2member_map_.get(value)
                if member is not None:
                    return member
            if has_str:
                return value
        elif kind == "object" and models:
            ranked = _rank_models(value, models)
            others = [c for c in candidates if c not in models]
            if not ranked and not others:
                # nothing fits: structure as the closest member, to report its missing keys
                closest = max(models, key=lambda m: len(model_info(m).known.intersection(value)))
                return converter.structure(value, closest)
            return _first_success(value, ranked + others)
        if len(candidates) == 1:
            return converter.structure(value, candidates[0])
        return _first_success(value, candidates)

    return structure_union


def _discriminated_hook_factory(tp: Any) -> Callable[[Any, Any], Any]:
    marker = _discriminator(tp)
    assert marker is not None
    fallback = converter.get_structure_hook(get_args(tp)[0])
    mapping = marker.mapping
    prop = marker.prop
    classes = frozenset(mapping.values())

    def structure_tagged(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            if type(value) in classes:  # a model inside a dict request body: as it is
                return value
            raise Problem(f"expected an object tagged by {prop!r}, got {json_kind(value)}")
        cls = mapping.get(value.get(prop))  # type: ignore[arg-type]
        if cls is None:
            # a tag this version does not know (a newer server): fall back to matching by keys
            return fallback(value, tp)
        return converter.structure(value, cls)

    return structure_tagged


def _unstructure_by_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    return converter.unstructure(value)


def _is_annotated(tp: Any) -> bool:
    return get_origin(tp) is Annotated


def _annotated_unstructure_factory(tp: Any) -> Callable[[Any], Any]:
    return converter.get_unstructure_hook(get_args(tp)[0])


converter.register_structure_hook_factory(_is_union, _union_hook_factory)
converter.register_unstructure_hook_factory(_is_union, lambda _: _unstructure_by_value)
converter.register_structure_hook_factory(
    lambda tp: _discriminator(tp) is not None, _discriminated_hook_factory
)
converter.register_unstructure_hook_factory(_is_annotated, _annotated_unstructure_factory)
converter.register_unstructure_hook(Unset, lambda _: None)

compiler: Compiler = Compiler(
    Rules(
        converter=converter,
        extra=EXTRA,
        resolve=resolve,
        is_model=is_model,
        is_union=_is_union,
        accepts=_accepts,
        rank_models=_rank_models,
        tags=lambda cls: model_info(cls).tags,
        discriminator=_discriminator,
        closed=_validate.is_closed,
        in_request=REQUEST_BODY.get,
        parse_datetime=parse_datetime,
    )
)


# ---------------------------------------------------------------------------------------------- API


def structure(data: Any, tp: type[T] | Any, *, what: str = "value", request: bool = False) -> T:
    """JSON-shaped ``data`` to ``tp``; raises ``DataValidationError`` naming every bad path.

    ``request``: ``data`` is a request body: a key a closed model does not declare is an error (with
    the closest declared key), not kept in ``additional_properties``. Otherwise ``data`` is JSON
    parsed for this call alone (a response body): a model's free-form arrays and objects are kept
    as they are, not copied (a request body's are: the caller may change them afterwards).
    """
    if not request:
        fresh = _fresh_fn(tp)
        if fresh is not None:
            try:
                return typing.cast(T, fresh(data))
            except Exception:  # not sure: the general path decides, and gives the errors
                pass
    token = REQUEST_BODY.set(True) if request else None
    try:
        return typing.cast(T, converter.structure(data, tp))
    except Exception as exc:
        raise DataValidationError(what, problems_of(exc)) from exc
    finally:
        if token is not None:
            REQUEST_BODY.reset(token)


_fresh_fns: dict[Any, Callable[[Any], Any] | None] = {}


def _fresh_fn(tp: Any) -> Callable[[Any], Any] | None:
    """The compiled function for fresh JSON of the model ``tp`` (None: not a model)."""
    try:
        return _fresh_fns[tp]
    except KeyError:
        fn = _fresh_fns[tp] = compiler.fresh_structure_fn(tp) if is_model(tp) else None
        return fn
    except TypeError:  # not hashable
        return None


def unstructure(obj: Any) -> Any:
    """A model (or any value) to JSON-shaped Python data, ``UNSET`` fields left out."""
    return converter.unstructure(obj)
