"""Render the TypedDicts of request bodies: ``{package}.dicts``, one module per models module.

Every model a request body may hold (``ir.Model.typed_dict``) gets a TypedDict of its JSON form:
wire names as keys, ``NotRequired`` for optional keys, nested models as their TypedDict or the model
itself (the core takes either), enums as ``Literal[...] | str`` (open), free-form objects as
``dict[str, Any]``. They describe; nothing at run time reads them, and no generated module imports
them outside ``TYPE_CHECKING``, so they cost an operation's import nothing.
"""

from __future__ import annotations

import jinja2

from . import ir
from .naming import is_identifier
from .render import Inputs, TypeRenderer, docstring

PACKAGE = "dicts"


def render_dicts(api: ir.Api, env: jinja2.Environment, spec_label: str) -> dict[str, str]:
    """``{relative path: source}`` for the ``dicts`` sub-package (empty when no operation has a body)."""
    locations = {d.name: d.module for d in api.definitions}
    inputs = Inputs.of(api)
    by_module: dict[str, list[ir.Model]] = {}
    for model in api.request_models:
        by_module.setdefault(model.module, []).append(model)
    files: dict[str, str] = {}
    template = env.get_template("dict_module.py.j2")
    for module, models in by_module.items():
        types = TypeRenderer("<dicts>", locations, inputs)
        types.dict_module = module
        items = []
        for model in models:
            keys = []
            for field in model.fields:
                annotation = types.input_annotation(field.type)
                if not field.required:
                    types.names.add("NotRequired")
                    annotation = f"NotRequired[{annotation}]"
                keys.append({"wire": field.wire, "annotation": annotation})
            summary = (
                f"The JSON form of ``{model.name}`` (``{api.package}.models.{model.name}``): a request "
                "body (or part of one) given as a dict, with the document's wire names as keys."
            )
            items.append(
                {
                    "name": model.typed_dict,
                    "doc": docstring(summary + _extra_note(model)),
                    "entries": keys,
                    # keys that are no identifiers (or are keywords) need the functional form
                    "functional": not all(is_identifier(f.wire) for f in model.fields),
                }
            )
        files[f"{PACKAGE}/{module}.py"] = template.render(
            spec=spec_label,
            package=api.package,
            items=items,
            names=types.names,
            model_imports=sorted((m, sorted(n)) for m, n in types.imports.items()),
            dict_imports=sorted((m, sorted(n)) for m, n in types.dict_imports.items()),
        )
    exports = sorted((m.typed_dict, m.module) for m in api.request_models if m.typed_dict)
    doc = (
        f"TypedDicts of {spec_label}'s request bodies: ``from {api.package}.dicts import "
        "TriggerEventRequestDtoDict``.\n\nEach is the JSON form of the model of the same name without "
        "``Dict`` (wire names as keys), for\nbodies given as plain dicts: type checkers then catch a "
        "misspelt key, a wrong value type or a missing\nrequired key. Every function and method that "
        "takes a body accepts the model or its TypedDict.\nLoaded on first use; the SDK itself never "
        "imports them at run time. Do not edit: `make generate`\nrewrites this file."
    )
    files[f"{PACKAGE}/__init__.py"] = env.get_template("lazy_init.py.j2").render(doc=doc, exports=exports)
    return files


def _extra_note(model: ir.Model) -> str:
    if model.closed:
        return (
            "\n\nA key it does not list is refused before sending (``DataValidationError``, naming the "
            "closest known key); to send one on purpose, use the model and its ``additional_properties``."
        )
    return (
        "\n\nKeys it does not list are allowed and sent as given (type checkers know only these: put "
        "others in the model's ``additional_properties``)."
    )
