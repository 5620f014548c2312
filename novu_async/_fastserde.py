"""Straight-line structure and unstructure functions for each model class, compiled once per class
from the converter's own rules, and used by the converter (``_serde``) in front of its general path.

cattrs' generated functions call a hook per field, and the union hooks dispatch at run time. Here
each model gets one function that reads its fields in order with the checks the converter's rules
make for their types written out (``type(v) is str``, an open enum's member lookup, a union split by
the JSON kind of the value, a discriminator's tag), and calls the converter's own hook for anything
else. What decides stays in ``_serde``: which JSON kinds a union member takes, how object members
are ranked, how a date-time is read, whether a request body may hold undeclared keys (``Rules``).

A compiled structure function takes only what it is sure of: anything else makes it raise, and the
converter then structures the value along its general path, which gives the errors, with their
messages and paths. So a compiled function never accepts what the general path refuses, and what it
accepts it structures to an equal result (``tests/unit/test_fastserde.py`` checks both on every
schema of both documents). Compiled unstructure functions call the hook the general path would
call for each field (inline where that hook returns the value as it is), so they agree by design.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any, Final, get_args, get_origin

import attrs
from cattrs.fns import identity

from ._types import UNSET, Unset

__all__ = ["Compiler", "Rules"]

_NoneType: Final = type(None)
_PLAIN: Final = frozenset({str, int, float, bool, _NoneType})
# the Python type json.loads gives for each JSON kind a union member can take
_KIND_TYPES: Final = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": float,
    "array": list,
    "object": dict,
}


class _NotSure(Exception):
    """A compiled function met a value it does not take: the general path decides."""


_NOT_SURE: Final = _NotSure()
_MISSING: Final = object()
# a model of at least this many fields, all optional, given at most a quarter of them: matched key
# by key (ChannelCredentials: 8 fields, 1 given)
_SPARSE_FIELDS: Final = 6


@attrs.frozen
class Rules:
    """What the compiled functions ask of the converter (``_serde``), which decides."""

    converter: Any
    extra: str  # the field that keeps undeclared keys
    resolve: Callable[[type], None]
    is_model: Callable[[Any], bool]
    is_union: Callable[[Any], bool]
    accepts: Callable[[Any], frozenset[str]]  # the JSON kinds a union member takes
    rank_models: Callable[[Any, list[type]], list[type]]
    tags: Callable[[type], tuple[tuple[str, str], ...]]  # the keys whose value ranking reads too
    discriminator: Callable[[Any], Any]
    closed: Callable[[type], bool]
    in_request: Callable[[], bool]  # structuring a request body: closed models refuse unknown keys
    parse_datetime: Callable[[str], Any]


class _LazyHook:
    """The converter's hook for one type, looked up on first use (recursive models)."""

    __slots__ = ("_hook", "_method", "_tp")

    def __init__(self, method: Callable[[Any], Any], tp: Any) -> None:
        self._method = method
        self._tp = tp
        self._hook: Any = None

    def __call__(self, *args: Any) -> Any:
        if self._hook is None:
            self._hook = self._method(self._tp)
        return self._hook(*args)


class Compiler:
    """Compiles and keeps the functions of every model class, all in one namespace; each class's
    function is compiled on its first use (a reference to another class's is a stub until then)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._names: dict[tuple[str, Any], str] = {}
        self._namespace: dict[str, Any] = {
            "_NOT_SURE": _NOT_SURE,
            "_MISSING": _MISSING,
            "UNSET": UNSET,
            "_PLAIN": _PLAIN,
            "_in_request": rules.in_request,
            "_rank": rules.rank_models,
            "_parse_datetime": rules.parse_datetime,
            "_unstructure": rules.converter.unstructure,
            "_new": object.__new__,
        }
        self._fns: dict[tuple[str, type], Callable[[Any], Any]] = {}
        self._kind = "s"  # the kind of function being written: "s", or "r" (fresh JSON)

    def structure_fn(self, cls: type) -> Callable[[Any], Any]:
        """``cls``'s compiled structure function: the model, or ``_NotSure`` raised."""
        return self._compiled("s", cls)

    def fresh_structure_fn(self, cls: type) -> Callable[[Any], Any]:
        """``structure_fn`` for JSON parsed for this call alone (a response body, ``_serde``
        decides): its arrays and objects of free-form or plain items are kept, not copied, and a
        closed model takes undeclared keys without asking whether this is a request body."""
        return self._compiled("r", cls)

    def unstructure_fn(self, cls: type) -> Callable[[Any], Any]:
        """``cls``'s compiled unstructure function."""
        return self._compiled("u", cls)

    def _compiled(self, kind: str, cls: type) -> Callable[[Any], Any]:
        fn = self._fns.get((kind, cls))
        if fn is None:
            name = self._fn(cls, kind)
            self.rules.resolve(cls)
            self._kind = kind
            source = (self._unstructure_source if kind == "u" else self._structure_source)(cls, name)
            exec(compile(source, f"<novu_async compiled {kind} {cls.__qualname__}>", "exec"), self._namespace)
            fn = self._fns[(kind, cls)] = self._namespace[name]
        return fn

    # --- names in the shared namespace

    def _const(self, value: Any, hint: str) -> str:
        key = ("const", id(value))
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"_{hint}{len(self._names)}"
            self._namespace[name] = value
        return name

    def _hook(self, tp: Any, unstructure: bool = False) -> str:
        """The name of the converter's hook for ``tp`` (``NAME_t`` holds ``tp``)."""
        key = ("uhook" if unstructure else "shook", tp)
        name = self._names.get(key)
        if name is None:
            converter = self.rules.converter
            method = converter.get_unstructure_hook if unstructure else converter.get_structure_hook
            name = self._names[key] = f"_h{len(self._names)}"
            self._namespace[name] = _LazyHook(method, tp)
            self._namespace[name + "_t"] = tp
        return name

    def _fn(self, cls: type, kind: str) -> str:
        """The name of ``cls``'s compiled function; until it is compiled, a stub that compiles it
        on its first call (and that the compiled function then replaces)."""
        key = (kind, cls)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"_{kind}{len(self._names)}_{cls.__name__}"

            def stub(value: Any) -> Any:
                return self._compiled(kind, cls)(value)

            self._namespace[name] = stub
        return name

    def _table(self, classes: dict[Any, type]) -> str:
        """A constant from keys (tags, classes) to compiled structure functions."""
        return self._const(_Table(classes, self.structure_fn), "table")

    # --- structure

    def _structure_source(self, cls: type, name: str) -> str:
        """Each declared key read once, straight-line: all by subscript in one ``try`` when the
        value has as many keys as the class has fields (a response, mostly); else a required one by
        subscript, an optional one by ``get`` with ``_MISSING`` for absent; or, for a class of
        optional fields given only a few of them, the value's keys matched one by one (the fields
        not given stay UNSET unchecked). Each value is checked (the common type first); the object
        made without its ``__init__`` when attrs adds nothing to it (every field is set here), the
        undeclared keys counted, not searched for."""
        extra = self.rules.extra
        fields = [f for f in attrs.fields(cls) if f.name != extra]
        wires = tuple(f.metadata.get("wire", f.name) for f in fields)
        c = self._const(cls, "cls")
        lines = [
            f"def {name}(value):",
            "    if type(value) is not dict:",
            f"        if type(value) is {c}:",  # a model inside a dict request body: as it is
            "            return value",
            "        raise _NOT_SURE",
        ]
        required = [i for i, f in enumerate(fields) if f.default is attrs.NOTHING]
        for field in fields:
            if field.default is not attrs.NOTHING and field.default is not UNSET:
                raise TypeError(f"{cls.__name__}.{field.name}: only UNSET defaults are compiled")
        n = len(fields)
        reads = []  # each key read once: required ones by subscript, optional ones by get
        if required:
            reads += ["try:", *(f"    a{i} = value[{wires[i]!r}]" for i in required)]
            reads += ["except KeyError:", "    raise _NOT_SURE from None"]
        reads += [f"a{i} = value.get({wires[i]!r}, _MISSING)" for i in range(n) if i not in required]
        checks = []
        for index, field in enumerate(fields):
            on_missing = None if index in required else [f"a{index} = UNSET", "missing += 1"]
            on_none = [] if self._takes_null(field.type) else ["raise _NOT_SURE"]
            checks += self._structure_value(field.type, f"a{index}", "", on_none, on_missing)
        optional = len(required) < n
        if optional:
            # every key there (the common case for a response): all read by subscript first
            body = [f"dense = len(value) >= {n}", "if dense:", "    try:"]
            body += [f"        a{i} = value[{w!r}]" for i, w in enumerate(wires)]
            body += ["    except KeyError:", "        dense = False", "if not dense:"]
            reads = [*body, *(f"    {line}" for line in reads)]
        body = [*reads, *(["missing = 0"] if optional else []), *checks]
        if not required and n >= _SPARSE_FIELDS:
            sparse = [f"    {line}" for line in self._sparse_source(fields, wires)]
            body = [f"if len(value) * 4 <= {n}:", *sparse, "else:", *(f"    {line}" for line in body)]
        lines += [f"    {line}" for line in body]
        plain = not hasattr(cls, "__attrs_post_init__") and not any(
            f.validator is not None or f.converter is not None for f in attrs.fields(cls)
        )
        if plain:
            lines.append(f"    obj = _new({c})")
            lines += [f"    obj.{f.name} = a{i}" for i, f in enumerate(fields)]
        else:
            args = ", ".join(f"{f.alias}=a{i}" for i, f in enumerate(fields))
            lines.append(f"    obj = {c}({args})")
        lines.append(f"    if len(value) > {len(fields)}{' - missing' if optional else ''}:")
        if self.rules.closed(cls) and self._kind == "s":
            lines += ["        if _in_request():", "            raise _NOT_SURE"]
        known = self._const(frozenset(wires), "known")
        lines.append(f"        extra = {{key: v for key, v in value.items() if key not in {known}}}")
        extra_type = get_args(attrs.fields_dict(cls)[extra].type)[1]
        if extra_type is not Any:
            hook = self._hook(dict[str, extra_type])  # type: ignore[valid-type]
            lines.append(f"        extra = {hook}(extra, {hook}_t)")
        if plain:
            lines += ["    else:", "        extra = {}"]
        lines += [f"    obj.{extra} = extra" if plain else f"        obj.{extra} = extra", "    return obj"]
        return "\n".join(lines) + "\n"

    def _sparse_source(self, fields: list[Any], wires: tuple[str, ...]) -> list[str]:
        """Lines (unindented) that match the value's keys one by one against optional ``fields``,
        each value checked where it is met, and set ``missing`` as the counting of absent keys
        would (``len(value) > fields - missing``: undeclared keys are there)."""
        n = len(fields)
        lines = [" = ".join(f"a{i}" for i in range(n)) + " = UNSET", "unknown = 0"]
        lines.append("for _key, _v in value.items():")
        for index, field in enumerate(fields):
            on_none = [] if self._takes_null(field.type) else ["raise _NOT_SURE"]
            lines += [
                f"    {'if' if index == 0 else 'elif'} _key == {wires[index]!r}:",
                f"        a{index} = _v",
            ]
            lines += self._structure_value(field.type, f"a{index}", "        ", on_none)
        return [*lines, "    else:", "        unknown += 1", f"missing = {n} - len(value) + unknown"]

    def _takes_null(self, tp: Any) -> bool:
        return tp is Any or (self.rules.is_union(tp) and _NoneType in get_args(tp))

    @staticmethod
    def _nullish(
        var: str, ind: str, none: list[str], missing: list[str] | None, rest: list[str]
    ) -> list[str]:
        """Lines for ``var`` being null (``none``), absent (``missing``: ``_MISSING``, None when
        the key was read by subscript) or anything else (``rest``), each list unindented."""
        if none == ["raise _NOT_SURE"] and missing is None and rest == none:
            return [f"{ind}raise _NOT_SURE"]
        lines = [f"{ind}if {var} is None:", *(f"{ind}    {line}" for line in none or ["pass"])]
        if missing is not None:
            lines += [f"{ind}elif {var} is _MISSING:", *(f"{ind}    {line}" for line in missing)]
        if rest:
            lines += [f"{ind}else:", *(f"{ind}    {line}" for line in rest)]
        return lines

    def _structure_value(
        self, tp: Any, var: str, ind: str, on_none: list[str], on_missing: list[str] | None = None
    ) -> list[str]:
        """Lines that structure ``var`` as ``tp`` in place, or raise ``_NotSure``; ``on_none``: the
        lines for ``None`` (empty: keep it), ``on_missing``: for ``_MISSING`` (an absent optional
        key), both unindented."""
        rules = self.rules
        refuse = ["raise _NOT_SURE"]
        if tp is Any:
            if on_missing is None:
                return []  # takes anything, null too
            return [f"{ind}if {var} is _MISSING:", *(f"{ind}    {line}" for line in on_missing)]
        if tp in (str, bool, int, float):
            test = f"type({var}) is not {tp.__name__}"
            if tp is float:  # an integer stays an integer (JSON does not tell 3 from 3.0)
                test += f" and type({var}) is not int"
            return [f"{ind}if {test}:", *self._nullish(var, ind + "    ", on_none, on_missing, refuse)]
        if rules.is_model(tp):
            fn = self._fn(tp, self._kind)
            if on_missing is None and on_none == refuse:
                return [f"{ind}{var} = {fn}({var})"]  # None is not a dict: refused there
            return self._nullish(var, ind, on_none, on_missing, [f"{var} = {fn}({var})"])
        args, origin = get_args(tp), get_origin(tp)
        if (origin is list and args) or (origin is dict and len(args) == 2):
            kind = "list" if origin is list else "dict"
            body = self._structure_container(tp, var, ind + "    ")
            return [
                f"{ind}if type({var}) is {kind}:",
                *body,
                f"{ind}else:",
                *self._nullish(var, ind + "    ", on_none, on_missing, refuse),
            ]
        if rules.is_union(tp):
            return self._structure_union(tp, var, ind, on_none, on_missing)
        hook = self._hook(tp)
        general = f"{hook}({var}, {hook}_t)"
        marker = rules.discriminator(tp)
        if marker is not None:
            table, prop = self._table(dict(marker.mapping)), marker.prop
            rest = [
                f"_f = {table}.get({var}.get({prop!r})) if type({var}) is dict else None",
                f"{var} = {general} if _f is None else _f({var})",
            ]
        elif tp is _dt.datetime:
            rest = [f"{var} = _parse_datetime({var}) if type({var}) is str else {general}"]
        else:
            rest = [f"{var} = {general}"]
        return self._nullish(var, ind, on_none, on_missing, rest)

    def _structure_container(self, tp: Any, var: str, ind: str) -> list[str]:
        """A list or dict (its type checked already) structured in place: a copy (``.copy()``), the
        items of a model type each structured in a loop (cheaper than a comprehension's call)."""
        args = get_args(tp)
        is_list = get_origin(tp) is list
        item = args[0] if is_list else args[1]
        if item is Any:
            return [f"{ind}pass"] if self._kind == "r" else [f"{ind}{var} = {var}.copy()"]
        if is_list and item in (str, bool, int):
            return [
                f"{ind}for _i in {var}:",
                f"{ind}    if type(_i) is not {item.__name__}:",
                f"{ind}        raise _NOT_SURE",
                *([] if self._kind == "r" else [f"{ind}{var} = {var}.copy()"]),
            ]
        if self.rules.is_model(item):
            fn = self._fn(item, self._kind)
            if is_list:
                loop = [f"{ind}_c = []", f"{ind}for _i in {var}:", f"{ind}    _c.append({fn}(_i))"]
            else:
                loop = [f"{ind}_c = {{}}", f"{ind}for _k, _i in {var}.items():"]
                loop.append(f"{ind}    _c[_k] = {fn}(_i)")
            return [*loop, f"{ind}{var} = _c"]
        hook = self._hook(tp)
        return [f"{ind}{var} = {hook}({var}, {hook}_t)"]

    def _structure_union(
        self, tp: Any, var: str, ind: str, none: list[str], missing: list[str] | None
    ) -> list[str]:
        """A union split by the value's type where the converter's rule gives one answer for that
        type; the converter's union hook for everything else."""
        rules = self.rules
        members = [m for m in get_args(tp) if m is not Unset and m is not _NoneType]
        if len(members) == 1:
            # ``X | None``, ``X | Unset``: the None lines already know whether null is taken
            return self._structure_value(members[0], var, ind, none, missing)
        hook = self._hook(tp)
        lines = self._nullish(var, ind, none, missing, [])
        by_kind: dict[str, list[Any]] = {}
        for member in members:
            for kind in rules.accepts(member):
                by_kind.setdefault(kind, []).append(member)
        enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
        models = [m for m in members if rules.is_model(m)]
        for kind, candidates in by_kind.items():
            test = f"{ind}elif type({var}) is {_KIND_TYPES[kind].__name__}:"
            if kind == "string":
                # an open enum's member when the value is one, else the string itself
                if str not in members or len(enums) > 1:
                    continue
                if enums:
                    table = self._const(enums[0]._value2member_map_, "enum")
                    lines += [test, f"{ind}    {var} = {table}.get({var}, {var})"]
                else:
                    lines += [test, f"{ind}    pass"]
            elif kind == "object" and models:
                # the best-fitting object member first, as the converter ranks them
                fns, ranked = self._table({m: m for m in models}), self._const(models, "members")
                rank = f"_rank({var}, {ranked})"
                if not any(rules.tags(m) for m in models):
                    # the ranking looks at the keys alone: kept for each set of keys met
                    rank = f"{self._const(_RankMemo(rules.rank_models, models), 'rank')}({var})"
                lines += [
                    test,
                    f"{ind}    _r = {rank}",
                    f"{ind}    {var} = {fns}[_r[0]]({var}) if _r else {hook}({var}, {hook}_t)",
                ]
            elif len(candidates) == 1:
                member = candidates[0]
                if member in (str, bool, int, float, Any):
                    lines += [test, f"{ind}    pass"]  # the test is the member's own check
                elif get_origin(member) in (list, dict) and get_args(member):
                    lines += [test, *self._structure_container(member, var, ind + "    ")]
                else:
                    lines += [test, *self._structure_value(member, var, ind + "    ", ["raise _NOT_SURE"])]
        return [*lines, f"{ind}else:", f"{ind}    {var} = {hook}({var}, {hook}_t)"]

    # --- unstructure

    def _unstructure_source(self, cls: type, name: str) -> str:
        extra = self.rules.extra
        lines = [f"def {name}(obj):", "    out = {}"]
        fields = [f for f in attrs.fields(cls) if f.name != extra]
        # the general path's order: the required fields, then the others as they are declared
        fields.sort(key=lambda f: f.default is not attrs.NOTHING)
        for field in fields:
            target = f"out[{field.metadata.get('wire', field.name)!r}]"
            lines.append(f"    v = obj.{field.name}")
            if field.default is attrs.NOTHING:
                lines += self._unstructure_value(field.type, "v", target, "    ")
            else:  # left out when it is the default (UNSET)
                lines.append("    if v is not UNSET:")
                lines += self._unstructure_value(field.type, "v", target, "        ")
        lines += [
            f"    extra = obj.{extra}",
            "    if extra:",
            "        for key, v in extra.items():",
            "            if key not in out:",
            "                out[key] = _unstructure(v)",
            "    return out",
        ]
        return "\n".join(lines) + "\n"

    def _unstructure_value(self, tp: Any, src: str, dst: str, ind: str) -> list[str]:
        """Lines that set ``dst`` as the converter's hook for the declared type ``tp`` would."""
        rules = self.rules
        if tp in (str, int, float, bool) and rules.converter.get_unstructure_hook(tp) is identity:
            return [f"{ind}{dst} = {src}"]
        hook = self._hook(tp, unstructure=True)
        if rules.is_model(tp):
            c = self._const(tp, "cls")
            return [f"{ind}{dst} = {self._fn(tp, 'u')}({src}) if type({src}) is {c} else {hook}({src})"]
        if rules.is_union(tp):
            # the union hook unstructures by the value's own type: plain values as they are
            lines = [f"{ind}if type({src}) in _PLAIN:", f"{ind}    {dst} = {src}"]
            for member in get_args(tp):
                if rules.is_model(member):
                    c = self._const(member, "cls")
                    lines += [
                        f"{ind}elif type({src}) is {c}:",
                        f"{ind}    {dst} = {self._fn(member, 'u')}({src})",
                    ]
            return [*lines, f"{ind}else:", f"{ind}    {dst} = {hook}({src})"]
        return [f"{ind}{dst} = {hook}({src})"]


class _RankMemo:
    """``rank_models`` for a union whose members have no tags, kept by the value's keys (a few
    shapes recur: ``{"subscriberId": ...}``); at most ``LIMIT`` shapes are kept."""

    LIMIT: Final = 64
    __slots__ = ("_memo", "_models", "_rank")

    def __init__(self, rank: Callable[[Any, list[type]], list[type]], models: list[type]) -> None:
        self._rank = rank
        self._models = models
        self._memo: dict[tuple[str, ...], list[type]] = {}

    def __call__(self, value: dict[str, Any]) -> list[type]:
        keys = tuple(value)
        ranked = self._memo.get(keys)
        if ranked is None:
            ranked = self._rank(value, self._models)
            if len(self._memo) < self.LIMIT:
                self._memo[keys] = ranked
        return ranked


class _Table(dict[Any, Any]):
    """Keys (tags, classes) to compiled structure functions, each compiled on first use."""

    def __init__(self, classes: dict[Any, type], compiled: Callable[[type], Any]) -> None:
        super().__init__()
        self._classes = classes
        self._compiled = compiled

    def __missing__(self, key: Any) -> Any:
        fn = self[key] = self._compiled(self._classes[key])  # KeyError: not a member
        return fn

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except (KeyError, TypeError):  # not a member, or not hashable
            return default
