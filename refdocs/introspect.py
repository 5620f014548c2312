"""A public object as an ``Entry``: what its reference entry says, read from the object itself.

* classes: the constructor's signature (``inspect``; attrs' generated ``__init__`` too), the class's
  own docstring, the bases worth naming, how it is used (``async with``...), its public members
  (methods, properties; inherited ones from the package's own classes too), an enum's members and a
  TypedDict's keys as tables, and the members a generated resource class adds (``novu.subscribers``);
* functions: the signature and the docstring, and the TypedDicts behind ``**settings: Unpack[...]``;
* constants and type aliases: the value (the runtime value, or the alias's source expression) and
  what documents it in the source: a string right after the assignment, else a comment on its line,
  else the comment lines right above it.

Signatures are kept as ``def NAME(...) -> T:`` headers, for ruff to wrap as it wraps the code.
"""

from __future__ import annotations

import ast
import enum
import functools
import importlib.util
import inspect
import json
import re
import sys
import types
import typing
from typing import Any

import attrs

PACKAGE = "novu_async"
# the generated resource classes: their members are described by the operation pages (codegen)
GENERATED_MODULES = ("novu_async.resources", "novu_async.legacy.resources")
UNPACK = re.compile(r"^Unpack\[(\w+)\]$")
PRIVATE_NAME = re.compile(r"(?<![\w.])_[A-Za-z]\w*")


@attrs.define
class Row:
    """One line of an entry's table: a TypedDict key or an enum member."""

    name: str
    type: str = ""  # an annotation, as source text
    value: str = ""  # an enum member's value
    required: bool = False
    doc: str = ""


@attrs.define
class Entry:
    name: str  # as shown: ``BulkReport``, ``BulkReport.results``
    kind: str  # class, exception, enum, TypedDict, function, async function, method, property...
    module: str  # the module that defines it (for aliases and constants: the one that assigns it)
    doc: str = ""
    header: str | None = None  # ``def NAME(...) -> T:`` (``async def``; a class: its constructor)
    value: str | None = None  # constants and aliases: ``NAME = ...``; properties: their type
    bases: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()  # ``async with``, ``with``, ``async for``, ``for``
    rows: list[Row] = attrs.Factory(list)
    members: list[Entry] = attrs.Factory(list)
    generated: list[tuple[str, str]] = attrs.Factory(list)  # (name, "resource" | "method")
    settings: tuple[str, ...] = ()  # TypedDicts whose keys ``**kwargs: Unpack[...]`` takes
    obj: Any = None

    @property
    def is_class(self) -> bool:
        return inspect.isclass(self.obj)


# ---------------------------------------------------------------- source text


class _Text:
    """Shown as its text in a signature: ``inspect`` would quote a string annotation."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def annotation_text(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    return inspect.formatannotation(annotation)


def value_text(value: Any) -> str:
    """A default or a constant as Python source (never an address: the pages are deterministic)."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return f"{value.__module__}.{value.__qualname__}"
    if type(value) is str:
        return json.dumps(value)  # as ruff writes a string
    text = repr(value)
    return f"{type(value).__name__}(...)" if text.startswith("<") or " at 0x" in text else text


def signature(func: Any, *, drop_first: bool = False) -> tuple[str, str, tuple[str, ...]]:
    """``(parameters, return annotation, TypedDicts of **kwargs: Unpack[...])`` as source text."""
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if drop_first and params and params[0].name in ("self", "cls"):
        params = params[1:]
    settings: tuple[str, ...] = ()
    shown = []
    for p in params:
        text = annotation_text(p.annotation)
        if p.kind is p.VAR_KEYWORD and (match := UNPACK.match(text)):
            settings = (match.group(1),)
        shown.append(
            p.replace(
                annotation=_Text(text) if text else p.empty,
                default=p.empty if p.default is p.empty else _Text(value_text(p.default)),
            )
        )
    text = str(sig.replace(parameters=shown, return_annotation=inspect.Signature.empty))
    return text[1:-1], annotation_text(sig.return_annotation), settings


def _own_doc(obj: Any) -> str:
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


@functools.cache
def _source(module: str) -> tuple[ast.Module, str]:
    text = _module_text(module)
    return ast.parse(text), text


@functools.cache
def _lines(module: str) -> list[str]:
    return _module_text(module).splitlines(keepends=True)


def segment(module: str, node: ast.expr) -> str:
    """The source text of ``node`` (``ast.get_source_segment`` splits the module anew each time)."""
    lines = _lines(module)
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    parts = [lines[first].encode()[node.col_offset :].decode(), *lines[first + 1 : last]]
    parts.append(lines[last].encode()[: node.end_col_offset].decode())
    return "".join(parts)


def _assigned(node: ast.stmt, name: str) -> bool:
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name


def statement_doc(body: list[ast.stmt], index: int, lines: list[str]) -> str:
    """What documents ``body[index]``: the string after it, its line's comment, the comments above."""
    if index + 1 < len(body):
        after = body[index + 1]
        if isinstance(after, ast.Expr) and isinstance(getattr(after.value, "value", None), str):
            return inspect.cleandoc(typing.cast(ast.Constant, after.value).value)
    node = body[index]
    last = lines[(node.end_lineno or node.lineno) - 1]
    if "  # " in last:
        return last.split("  # ", 1)[1].strip()
    # the comment lines above it, or above the run of statements it ends (one comment, several
    # constants: ``MAX_CHUNK_SIZE`` and ``MAX_SUBSCRIBERS_CHUNK_SIZE``)
    number = node.lineno - 2
    while number >= 0 and lines[number].strip() and not lines[number].lstrip().startswith("#"):
        number -= 1
    above: list[str] = []
    while number >= 0 and lines[number].lstrip().startswith("#"):
        above.insert(0, lines[number].lstrip()[1:].strip())
        number -= 1
    return " ".join(above)


def find_assignment(module: str, name: str) -> tuple[str, ast.Assign | ast.AnnAssign, str] | None:
    """``(module, statement, what documents it)`` of the assignment of ``name`` that ``module`` makes
    or imports (followed through ``from ... import``), or None."""
    tree, text = _source(module)
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and _assigned(node, name):
            return module, node, statement_doc(tree.body, index, text.splitlines())
    package = module if hasattr(sys.modules[module], "__path__") else module.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                    if source in sys.modules:
                        return find_assignment(source, alias.name)
    return None


@functools.cache
def _module_text(module: str) -> str:
    return inspect.getsource(sys.modules[module])


def definition_line(value: Any) -> int:
    """Where a class or function starts in its module (a large number when unknown); read from the
    text, as parsing every module (``inspect.getsourcelines`` of a class does) would take long."""
    if inspect.isfunction(value):
        return int(value.__code__.co_firstlineno)
    if inspect.isclass(value) and value.__module__ in sys.modules:
        match = re.search(rf"^class {re.escape(value.__qualname__)}\b", _module_text(value.__module__), re.M)
        if match is not None:
            return _module_text(value.__module__).count("\n", 0, match.start()) + 1
    return 1 << 30


def class_attribute_docs(cls: type) -> dict[str, str]:
    """What documents each assignment of a class body (an enum's members), as ``statement_doc``."""
    try:
        tree, text = _source(cls.__module__)
    except (KeyError, OSError, TypeError):
        return {}
    nodes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__qualname__]
    if not nodes:
        return {}
    node, lines = nodes[0], text.splitlines()
    docs: dict[str, str] = {}
    for index, statement in enumerate(node.body):
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        for target in targets:
            if isinstance(target, ast.Name):
                docs[target.id] = statement_doc(node.body, index, lines)
    return docs


# ---------------------------------------------------------------- entries


def is_alias(value: Any, statement: ast.stmt) -> bool:
    if isinstance(statement, ast.AnnAssign) and ast.unparse(statement.annotation).endswith("TypeAlias"):
        return True
    return typing.get_origin(value) is not None or isinstance(value, types.UnionType)


def value_entry(name: str, value: Any, module: str) -> Entry:
    """A constant or a type alias that ``module`` exports."""
    found = find_assignment(module, name)
    if found is None:
        return Entry(name, "constant", module, value=f"{name} = {value_text(value)}", obj=value)
    where, statement, doc = found
    if is_alias(value, statement) and statement.value is not None:
        expression = segment(where, statement.value)
        return Entry(name, "type alias", where, doc=doc, value=f"{name} = {expression}", obj=value)
    return Entry(name, "constant", where, doc=doc, value=f"{name} = {value_text(value)}", obj=value)


def function_entry(name: str, func: Any, *, member: bool = False) -> Entry:
    params, returns, settings = signature(func, drop_first=member)
    is_async = inspect.iscoroutinefunction(func)
    kind = ("async " if is_async else "") + ("method" if member else "function")
    header = f"{'async ' if is_async else ''}def {name.rpartition('.')[2]}({params})"
    header += f" -> {returns}:" if returns else ":"
    return Entry(name, kind, func.__module__, doc=_own_doc(func), header=header, settings=settings, obj=func)


def _own_classes(cls: type) -> list[type]:
    """The classes of ``cls``'s MRO that the package wrote by hand."""
    return [
        c
        for c in cls.__mro__
        if c.__module__.startswith(PACKAGE) and not c.__module__.startswith(GENERATED_MODULES)
    ]


def _constructor(cls: type) -> tuple[str, tuple[str, ...]] | None:
    """The constructor's parameters, unless they are the builtin base's or made for internal use
    (a parameter typed with a private class: the SDK makes these objects, the user gets them)."""
    if typing.is_typeddict(cls) or issubclass(cls, enum.Enum):
        return None
    owner = next((c for c in cls.__mro__ if "__init__" in c.__dict__), object)
    if not owner.__module__.startswith(PACKAGE) and not attrs.has(cls) and tuple not in cls.__mro__:
        return None
    params, _, settings = signature(cls)
    if PRIVATE_NAME.search(params):
        return None
    return params, settings


def class_entry(name: str, cls: type) -> Entry:
    kind = (
        "exception"
        if issubclass(cls, BaseException)
        else "enum"
        if issubclass(cls, enum.Enum)
        else "TypedDict"
        if typing.is_typeddict(cls)
        else "class"
    )
    entry = Entry(name, kind, cls.__module__, doc=_own_doc(cls), obj=cls)
    constructor = _constructor(cls)
    if constructor is not None:
        entry.header = f"def {name}({constructor[0]}):"
        entry.settings = constructor[1]
    if kind != "TypedDict":  # (at run time, a TypedDict's only base is dict)
        entry.bases = tuple(
            base.__name__ if base.__module__ == "builtins" else f"{base.__module__}.{base.__qualname__}"
            for base in cls.__bases__
            if base is not object and base.__module__ not in ("typing", "abc")
        )
    own = _own_classes(cls)
    defined = {name for c in own for name in c.__dict__}
    entry.uses = tuple(
        use
        for dunder, use in (
            ("__aenter__", "async with"),
            ("__enter__", "with"),
            ("__aiter__", "async for"),
            ("__iter__", "for"),
        )
        if dunder in defined
    )
    if kind == "enum":
        docs = class_attribute_docs(cls)
        entry.rows = [
            Row(member.name, value=repr(member.value), doc=docs.get(member.name, ""))
            for member in cls  # type: ignore[attr-defined]
        ]
    elif kind == "TypedDict":
        required = cls.__required_keys__  # type: ignore[attr-defined]
        entry.rows = [
            Row(key, type=annotation_text(annotation), required=key in required)
            for key, annotation in cls.__annotations__.items()
        ]
    entry.members = members(cls, own)
    entry.generated = generated_members(cls)
    return entry


def members(cls: type, own: list[type]) -> list[Entry]:
    """The public methods and properties ``cls`` has from the package's own classes, in the order
    they are defined (the class first, then its bases)."""
    skip: set[str] = set()
    if attrs.has(cls):
        skip.update(a.name for a in attrs.fields(cls))
    if issubclass(cls, enum.Enum):
        skip.update(cls.__members__)
    if issubclass(cls, tuple):
        skip.update(getattr(cls, "_fields", ()))
    found: list[Entry] = []
    for c in own:
        for attribute, value in c.__dict__.items():
            if attribute.startswith("_") or attribute in skip:
                continue
            skip.add(attribute)
            qualified = f"{cls.__name__}.{attribute}"
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, (property, functools.cached_property)):
                getter = value.fget if isinstance(value, property) else value.func
                _, returns, _ = signature(getter)
                writable = isinstance(value, property) and value.fset is not None
                found.append(
                    Entry(
                        qualified,
                        "property" + (", settable" if writable else ""),
                        c.__module__,
                        doc=_own_doc(getter),
                        value=returns or None,
                        obj=value,
                    )
                )
            elif inspect.isfunction(value):
                found.append(function_entry(qualified, value, member=True))
    return found


def generated_members(cls: type) -> list[tuple[str, str]]:
    """What the generated resource classes in ``cls``'s MRO add: sub-resources and methods."""
    found: dict[str, str] = {}
    for c in cls.__mro__:
        if c.__module__.startswith(GENERATED_MODULES):
            for attribute, value in c.__dict__.items():
                if not attribute.startswith("_"):
                    found.setdefault(attribute, "resource" if isinstance(value, property) else "method")
    return sorted(found.items(), key=lambda item: (item[1] != "resource", item[0]))


def entry_for(name: str, value: Any, module: str) -> Entry:
    """The entry of ``module.name``."""
    if inspect.isclass(value) and not typing.get_origin(value):
        return class_entry(name, value)
    if inspect.isfunction(value):
        return function_entry(name, value)
    return value_entry(name, value, module)


def typeddict_named(name: str, near: Any) -> type | None:
    """The TypedDict called ``name`` in the globals of ``near`` (a function or class), else the one
    of that name in a loaded module of the package (TYPE_CHECKING imports are not in the globals)."""
    candidates = []
    scope = getattr(near, "__globals__", None) or vars(sys.modules.get(getattr(near, "__module__", ""), sys))
    if typing.is_typeddict(scope.get(name)):
        return typing.cast(type, scope[name])
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith(PACKAGE) and typing.is_typeddict(getattr(module, name, None)):
            candidates.append(getattr(module, name))
    unique = {id(c): c for c in candidates}
    return next(iter(unique.values())) if len(unique) == 1 else None
