"""Python names for things the document names: classes, modules, attributes, enum members, operations.

Every function here is pure and deterministic: the same input always yields the same name, and any
collision is either resolved by a fixed rule or reported as an error (never by iteration order).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The attribute every model uses for keys the document does not declare; no wire name may take it.
EXTRA_ATTRIBUTE = "additional_properties"

_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def words(text: str) -> list[str]:
    """Split camelCase, PascalCase, kebab-case, dotted and snake_case text into lower-case words."""
    text = _CAMEL_1.sub(r"\1_\2", text)
    text = _CAMEL_2.sub(r"\1_\2", text)
    return [w.lower() for w in _NON_WORD.sub("_", text).split("_") if w]


def snake(text: str) -> str:
    return "_".join(words(text))


def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def safe_identifier(name: str, *, fallback: str = "field") -> str:
    """Make ``name`` a usable identifier: no leading digit, keywords get a trailing underscore."""
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return name


def attribute_names(wire_names: Sequence[str], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map each wire (JSON) property name of one object to a Python attribute name.

    * a property's ``x-speakeasy-name-override`` (``overrides``: wire name -> the name Novu's SDKs
      use) names it instead of its wire name (``name`` -> ``workflowId`` -> ``workflow_id``), and
      takes its Python name before any other property;
    * camelCase becomes snake_case (``providerId`` -> ``provider_id``);
    * keywords get a trailing underscore (``from`` -> ``from_``); builtins such as ``id``, ``type``
      and ``hash`` stay as they are;
    * leading underscores are dropped (``_id`` -> ``id``, ``__v`` -> ``v``) unless that collides;
    * collisions are settled in this order: a wire name that already is its Python name keeps it;
      then one that reaches it without dropping anything; then wire names in document order keep
      their leading underscores (``_id``); any remaining clash gets ``_2``, ``_3``... in document
      order.
    """
    result: dict[str, str] = {}
    taken = {EXTRA_ATTRIBUTE}
    renamed = dict(overrides or {})

    def natural(wire: str) -> str:
        return safe_identifier(snake(renamed.get(wire, wire)))

    def dropped(wire: str) -> int:
        return 0 if wire in renamed else len(wire) - len(wire.lstrip("_"))

    def priority(index: int) -> tuple[bool, bool, bool, int]:
        wire = wire_names[index]
        return (wire not in renamed, dropped(wire) > 0, natural(wire) != wire, index)

    order = sorted(range(len(wire_names)), key=priority)
    for index in order:
        wire = wire_names[index]
        name = natural(wire)
        if name in taken and dropped(wire):
            name = "_" * dropped(wire) + (snake(wire) or "field")  # ``_from`` is no keyword
        base, counter = name, 2
        while name in taken:
            name = f"{base}_{counter}"
            counter += 1
        taken.add(name)
        result[wire] = name
    return {wire: result[wire] for wire in wire_names}


def enum_member_names(values: Iterable[str]) -> list[tuple[str, str]]:
    """``[(MEMBER_NAME, value), ...]`` for distinct values, in first-seen order.

    ``webex-messaging`` -> ``WEBEX_MESSAGING``, ``email.received`` -> ``EMAIL_RECEIVED``,
    ``inApp`` -> ``IN_APP``, ``1`` -> ``VALUE_1``, ``""`` -> ``EMPTY``; clashes get ``_2``, ``_3``...
    """
    members: list[tuple[str, str]] = []
    seen_values: set[str] = set()
    taken: set[str] = set()
    for value in values:
        if value in seen_values:
            continue
        seen_values.add(value)
        name = "_".join(words(value)).upper() or "EMPTY"
        if name[0].isdigit():
            name = f"VALUE_{name}"
        if keyword.iskeyword(name):  # upper case never is, but stay safe
            name += "_"
        base, counter = name, 2
        while name in taken:
            name = f"{base}_{counter}"
            counter += 1
        taken.add(name)
        members.append((name, value))
    return members


def class_name(schema_name: str) -> str:
    """A component schema's class name: the schema name itself when it is a valid PascalCase name."""
    if is_identifier(schema_name) and schema_name[:1].isupper():
        return schema_name
    return safe_identifier(pascal(schema_name), fallback="Schema")


def module_name(class_name: str) -> str:
    return safe_identifier(snake(class_name), fallback="m")


def typed_dict_name(class_name: str) -> str:
    """The TypedDict of a model's JSON form: ``TriggerEventRequestDto`` -> ``TriggerEventRequestDtoDict``."""
    return f"{class_name}Dict"


# Names a generated function takes for itself; a parameter that would shadow one is renamed.
FUNCTION_RESERVED = frozenset({"core", "body", "options", "self"})


def parameter_names(wire_names: Sequence[str]) -> dict[str, str]:
    """Python argument names for an operation's parameters (path, query and header together)."""
    names = attribute_names(wire_names)
    taken = set(names.values())
    for wire, name in names.items():
        if name in FUNCTION_RESERVED:
            new = f"{name}_param"
            while new in taken:
                new += "_"
            taken.add(new)
            names[wire] = new
    return names


@dataclass(frozen=True)
class NameRule:
    """One entry of the document's top-level ``x-speakeasy-name-override`` list."""

    pattern: re.Pattern[str]
    name: str


def name_rules(document: dict[str, Any]) -> list[NameRule]:
    rules = []
    for entry in document.get("x-speakeasy-name-override") or []:
        if isinstance(entry, dict) and "operationId" in entry and "methodNameOverride" in entry:
            rules.append(NameRule(re.compile(entry["operationId"]), str(entry["methodNameOverride"])))
    return rules


def operation_name(operation: dict[str, Any], rules: Sequence[NameRule]) -> tuple[tuple[str, ...], str]:
    """``(resource group path, method name)`` of an operation, as Novu's own SDKs name it.

    The group is ``x-speakeasy-group`` (dotted for nesting, case folded, ``""`` for the client
    itself), else the first tag; the method is ``x-speakeasy-name-override``, else the first of the
    document's global override rules whose pattern matches the operationId, else the operationId.
    """
    group = operation.get("x-speakeasy-group")
    if group is None:
        tags = operation.get("tags") or []
        group = tags[0] if tags else ""
    parts = tuple(snake(part) for part in str(group).split(".") if part)
    name = operation.get("x-speakeasy-name-override")
    if not name:
        operation_id = str(operation.get("operationId", ""))
        name = next((rule.name for rule in rules if rule.pattern.match(operation_id)), operation_id)
    return parts, safe_identifier(snake(str(name)), fallback="call")
