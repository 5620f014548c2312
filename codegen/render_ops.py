"""Render operations: one function module per operation, resource classes, and their indexes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import jinja2

from . import ir, prose
from .load import GenerationError
from .naming import pascal
from .render import Inputs, TypeRenderer, limits_expr, py_str

OUTSIDE = "<outside>"  # a module name no class lives in: every class becomes an import
ErrorMap = tuple[ir.Response, ...]


def error_map(op: ir.Operation) -> ErrorMap:
    """What ``errors=`` of an operation holds (the error statuses with a body type), descriptions aside."""
    return tuple(attrs.evolve(r, description=None) for r in op.errors if r.type is not None)


class OperationRenderer:
    def __init__(self, api: ir.Api, env: jinja2.Environment, spec_label: str) -> None:
        self.api = api
        self.env = env
        self.spec_label = spec_label
        self.locations = {d.name: d.module for d in api.definitions}
        self.inputs = Inputs.of(api)
        # each distinct error map -> its module, funcs/_errors_N.py: _errors_1 is the most used
        uses = Counter(found for op in api.operations if (found := error_map(op)))
        ranked = sorted(uses, key=lambda found: -uses[found])  # stable: first use among equals
        self.error_maps = {found: f"_errors_{rank}" for rank, found in enumerate(ranked, 1)}

    # ------------------------------------------------------------ shared pieces

    def new_types(self) -> TypeRenderer:
        """A renderer for a module outside ``models`` (every class it names is an import)."""
        return TypeRenderer(OUTSIDE, self.locations, self.inputs)

    def signature(self, op: ir.Operation, types: TypeRenderer, *, iterator: bool = False) -> dict[str, Any]:
        """Parameter list (after ``core``/``self``), the call that forwards it, and the return type.

        ``iterator``: the signature of ``NAME_iter`` instead, without the paging arguments it drives
        and with ``max_items``; ``names`` lists the arguments it passes on to ``NAME``.
        """
        dropped = set(op.pagination.dropped) if iterator and op.pagination else set()
        positional: list[str] = []
        keyword: list[str] = []
        forward: list[str] = []
        names: list[str] = []
        for param in op.located("path"):
            positional.append(f"{param.python}: {types.annotation(param.type)}")
            forward.append(param.python)
            names.append(param.python)
        if op.body is not None:
            # the model, or its TypedDict (``{package}.dicts``), and the same inside lists and unions
            annotation = types.input_annotation(op.body.type)
            if op.body.required:
                positional.append(f"body: {annotation}")
            else:
                types.names.update(("Unset", "UNSET"))
                positional.append(f"body: {annotation} | Unset = UNSET")
            forward.append("body")
            names.append("body")
        others = [p for p in op.params if p.location != "path" and p.python not in dropped]
        for param in sorted(others, key=lambda p: not p.required):
            if param.required:
                keyword.append(f"{param.python}: {types.annotation(param.type)}")
            else:
                types.names.update(("Unset", "UNSET"))
                keyword.append(f"{param.python}: {types.annotation(param.type, optional=True)} = UNSET")
            forward.append(f"{param.python}={param.python}")
            names.append(param.python)
        if iterator:
            keyword.append("max_items: int | None = None")
            forward.append("max_items=max_items")
        keyword.append("options: RequestOptions | None = None")
        forward.append("options=options")
        names.append("options")
        params = ", ".join([*positional, "*", *keyword])
        if iterator:
            assert op.pagination is not None
            returns = f"PageIterator[{types.annotation(op.pagination.item_type)}]"
        else:
            returns = self.return_type(op, types)
        return {"params": params, "forward": ", ".join(forward), "returns": returns, "names": names}

    def return_type(self, op: ir.Operation, types: TypeRenderer) -> str:
        parts: list[str] = []
        for response in op.responses:
            for part in ["None"] if response.type is None else types.parts(response.type):
                if part not in parts:
                    parts.append(part)
        if not parts:
            return "None"
        if "None" in parts:
            parts.remove("None")
            parts.append("None")
        return " | ".join(parts)

    def returns(self, op: ir.Operation) -> list[tuple[str, str]]:
        """(status, annotation) per success response, for the docstring: no import is recorded."""
        types = self.new_types()
        return [(r.status, "None" if r.type is None else types.annotation(r.type)) for r in op.responses]

    # ------------------------------------------------------------ funcs

    def spec_expr(self, response: ir.Response, types: TypeRenderer) -> str:
        if response.type is None:
            return "ResponseSpec()"
        expr = types.annotation(response.type)  # a runtime expression too: ``A | B``, ``list[A] | None``
        unwrap = "" if response.unwrap else ", unwrap=False"
        return f"ResponseSpec({expr}{unwrap})"

    def param_expr(self, param: ir.Param) -> str:
        required = ", required=True" if param.required else ""
        kind = param_kind(param.type)
        kind_arg = f", kind={py_str(kind)}" if kind else ""
        limits = f", limits={limits_expr(param.limits)}" if param.limits is not None else ""
        return f"Param({py_str(param.wire)}, {py_str(param.python)}{required}{kind_arg}{limits})"

    def render_func(self, op: ir.Operation) -> str:
        types = self.new_types()
        signature = self.signature(op, types)
        body = None
        if op.body is not None:
            body = {
                "type": types.annotation(op.body.type),
                "kind": op.body.kind,
                "required": op.body.required,
                "max_items": op.body.max_items,
                "limits": limits_expr(op.body.limits) if op.body.limits is not None else None,
            }
        context = {
            "spec": self.spec_label,
            "package": self.api.package,
            "op": op,
            "signature": signature,
            "doc": prose.response_doc(op, self.returns(op)),
            "short_doc": prose.func_doc(op),
            "path_params": [self.param_expr(p) for p in op.located("path")],
            "query_params": [self.param_expr(p) for p in op.located("query")],
            "header_params": [self.param_expr(p) for p in op.located("header")],
            "body": body,
            "responses": [(r.status, self.spec_expr(r, types)) for r in op.responses],
            "errors": self.error_maps.get(error_map(op)),
            "by_location": {
                where: [(p.wire, p.python) for p in op.located(where)]
                for where in ("path", "query", "header")
            },
        }
        type_only: dict[str, set[str]] = {}
        if op.pagination is not None:
            # the item model is named in the iterator's annotation only: import it for type checkers,
            # so that importing this module loads no model it did not load before
            runtime = {m: set(n) for m, n in types.imports.items()}
            types.imports = {}
            context["iterator"] = self.signature(op, types, iterator=True)
            context["iter_doc"] = prose.iter_doc(op)
            context["pagination"] = self.pagination_args(op.pagination)
            for module, classes in types.imports.items():
                extra = classes - runtime.get(module, set())
                if extra:
                    type_only[module] = extra
            types.imports = runtime
        else:
            context["iterator"] = None
        context["names"] = types.names
        context["imports"] = sorted((m, sorted(n)) for m, n in types.imports.items())
        context["type_imports"] = sorted((m, sorted(n)) for m, n in type_only.items())
        context["dict_imports"] = sorted((m, sorted(n)) for m, n in types.dict_imports.items())
        context["uses_limits"] = any(p.limits is not None for p in op.params) or bool(body and body["limits"])
        return self.env.get_template("func_module.py.j2").render(**context)

    def render_errors(self) -> dict[str, str]:
        """``funcs/_errors_N.py``: each distinct error map, once, in a module of its own.

        One module per map, not one for all: importing an operation then compiles and loads its
        own map and the models in it, and no other (a module of every map made ``import trigger``
        slower where bytecode is not cached).
        """
        files: dict[str, str] = {}
        template = self.env.get_template("funcs_errors.py.j2")
        for found, module in self.error_maps.items():
            types = self.new_types()
            entries = [(r.status, self.spec_expr(r, types)) for r in found]
            users = [op.func for op in self.api.operations if error_map(op) == found]
            files[f"funcs/{module}.py"] = template.render(
                spec=self.spec_label,
                package=self.api.package,
                doc=prose.error_map_doc(users, self.spec_label),
                entries=entries,
                names=types.names,
                imports=sorted((m, sorted(n)) for m, n in types.imports.items()),
            )
        return files

    @staticmethod
    def pagination_args(pagination: ir.Pagination) -> list[tuple[str, str]]:
        """The ``Pagination(...)`` keyword arguments that differ from their defaults."""
        args = [("style", py_str(pagination.style)), ("param", py_str(pagination.param))]
        args.append(("items", py_str(pagination.items)))
        for name in ("size_param", "next_cursor", "cursor_key", "has_more", "total_count"):
            value = getattr(pagination, name)
            if value is not None:
                args.append((name, py_str(value)))
        if pagination.first_page:
            args.append(("first_page", str(pagination.first_page)))
        return args

    # ------------------------------------------------------------ resources

    def groups(self) -> dict[tuple[str, ...], list[ir.Operation]]:
        """Every resource group (the client itself is ``()``), with its operations."""
        grouped: dict[tuple[str, ...], list[ir.Operation]] = {(): []}
        for op in self.api.operations:
            for depth in range(len(op.group) + 1):
                grouped.setdefault(op.group[:depth], [])
            grouped[op.group].append(op)
        return grouped

    def class_of(self, group: tuple[str, ...]) -> str:
        """``("subscribers", "credentials")`` -> ``SubscribersCredentials``; ``...Resource`` when a
        model already has that name (both may appear in one module's annotations)."""
        name = "".join(pascal(part) for part in group) if group else "Resources"
        return f"{name}Resource" if name in self.locations else name

    @staticmethod
    def module_of(group: tuple[str, ...]) -> str:
        return group[0] if group else "_root"

    def render_resources(self) -> dict[str, str]:
        groups = self.groups()
        by_module: dict[str, list[tuple[str, ...]]] = {}
        for group in sorted(groups):
            by_module.setdefault(self.module_of(group), []).append(group)
        files: dict[str, str] = {}
        template = self.env.get_template("resource_module.py.j2")
        for module, members in by_module.items():
            types = self.new_types()
            types.list_name = "builtins.list"
            classes = []
            paginated = False
            for group in members:
                children = sorted(g for g in groups if len(g) == len(group) + 1 and g[: len(group)] == group)
                methods = []
                for op in groups[group]:
                    signature = self.signature(op, types)
                    iterator = None
                    if op.pagination is not None:
                        iterator = {
                            "signature": self.signature(op, types, iterator=True),
                            "doc": prose.method_iter_doc(op, self.api.package),
                        }
                    paginated = paginated or iterator is not None
                    methods.append(
                        {
                            "name": op.method_name,
                            "func": op.func,
                            "signature": signature,
                            "iterator": iterator,
                            "doc": prose.method_doc(op, self.api.package),
                            "response_doc": prose.method_response_doc(op, self.api.package),
                        }
                    )
                classes.append(
                    {
                        "name": self.class_of(group),
                        "path": ".".join(group) or "(client)",
                        "children": [
                            {"attr": child[-1], "cls": self.class_of(child), "module": self.module_of(child)}
                            for child in children
                        ],
                        "methods": methods,
                    }
                )
            files[f"resources/{module}.py"] = template.render(
                spec=self.spec_label,
                package=self.api.package,
                module=module,
                classes=classes,
                names=types.names,
                imports=sorted((m, sorted(n)) for m, n in types.imports.items()),
                dict_imports=sorted((m, sorted(n)) for m, n in types.dict_imports.items()),
                paginated=paginated,
            )
        files["resources/__init__.py"] = (
            f'"""Resource classes of {self.spec_label}: ``novu.<group>.<method>(...)``.\n\n'
            'Do not edit: `make generate` rewrites this package.\n"""\n'
        )
        return files

    def render_all(self) -> dict[str, str]:
        files = {f"funcs/{op.func}.py": self.render_func(op) for op in self.api.operations}
        for name, template in (("__init__", "funcs_init.py.j2"), ("_index", "funcs_index.py.j2")):
            files[f"funcs/{name}.py"] = self.env.get_template(template).render(
                spec=self.spec_label, package=self.api.package, operations=self.api.operations
            )
        shared = self.render_errors()
        taken = sorted(set(shared) & set(files))
        if taken:  # an operation named like one (an override such as "_index")
            raise GenerationError(f"operation modules collide with the shared error maps: {taken}")
        files.update(shared)
        files.update(self.render_resources())
        return files


def param_kind(type_: ir.TypeRef) -> str:
    """What the core checks a parameter value against: its primitive kind, "enum", or "" (anything)."""
    while isinstance(type_, (ir.Nullable, ir.ListOf)):
        type_ = type_.inner if isinstance(type_, ir.Nullable) else type_.item
    if isinstance(type_, ir.Prim) and type_.kind != "bytes":
        return type_.kind
    if isinstance(type_, ir.Named) and type_.is_enum:
        return "enum"
    return ""
