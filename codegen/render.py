"""Render the IR to Python modules through Jinja2 templates, then format them with ruff.

Files are written only when their text changes, and files the generator no longer produces are
removed, so a second run over the same document leaves every byte (and mtime) as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import attrs
import jinja2

from . import ir

TEMPLATES = Path(__file__).parent / "templates"
WRAP = 96


def py_str(text: str) -> str:
    """A Python string literal; double quotes, as ruff would write it."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to ``width``, keeping paragraph breaks; backslashes and triple quotes made harmless."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        for line in paragraph.splitlines():
            lines.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])
    return lines


def limits_expr(limits: ir.Limits) -> str:
    """``Limits(min_length=1)``: the runtime marker of ``novu_async._types``, as generated code builds it."""
    args = ", ".join(f"{name}={value!r}" for name, value in limits.items())
    return f"Limits({args})"


def docstring(
    summary: str | None, sections: list[tuple[str, list[tuple[str, str]]]] = (), indent: int = 4
) -> str:  # type: ignore[assignment]
    """A complete, indented docstring: summary paragraphs, then ``Title:`` sections of ``name: text``."""
    pad = " " * indent
    body: list[str] = wrap(summary, WRAP - indent) if summary else []
    for title, entries in sections:
        if body:
            body.append("")
        body.append(f"{title}:")
        for name, text in entries:
            lines = wrap(text, WRAP - indent - 8) if text else [""]
            body.append(f"    {name}: {lines[0]}".rstrip())
            body.extend(f"        {line}".rstrip() if line else "" for line in lines[1:])
    if not body:
        return ""
    if len(body) == 1 and len(body[0]) + indent + 6 <= WRAP:
        return f'{pad}"""{body[0]}"""\n'
    text = "\n".join(f"{pad}{line}" if line else "" for line in body)
    if summary:
        text = text.lstrip()
    else:  # no summary line: start on the next line, so the sections keep their indentation
        text = "\n" + text
    return f'{pad}"""{text}\n{pad}"""\n'


@attrs.frozen
class Inputs:
    """What the request form of a type needs to know: each request model's TypedDict and the values
    of each enum (``Literal[...]``)."""

    typed_dicts: dict[str, str]  # model class name -> its TypedDict's name
    enum_values: dict[str, tuple[str, ...]]  # enum class name -> its wire values

    @classmethod
    def of(cls, api: ir.Api) -> Inputs:
        return cls(
            typed_dicts={m.name: m.typed_dict for m in api.request_models if m.typed_dict},
            enum_values={e.name: tuple(value for _, value in e.members) for e in api.enums},
        )


class TypeRenderer:
    """Renders IR types as annotation expressions and records what the module must import."""

    def __init__(self, module: str, locations: dict[str, str], inputs: Inputs | None = None) -> None:
        self.module = module
        self.locations = locations  # class name -> module
        self.inputs = inputs
        self.names: set[str] = set()  # typing / runtime helpers needed
        self.imports: dict[str, set[str]] = {}  # other module -> class names (TYPE_CHECKING only)
        # TypedDicts named, by the module of ``{package}.dicts`` that defines them; for type checkers only
        self.dict_imports: dict[str, set[str]] = {}
        # the module of ``{package}.dicts`` being rendered: its own TypedDicts need no import
        self.dict_module: str | None = None
        # a class with a method named ``list`` (resources) must spell the builtin ``builtins.list``
        self.list_name = "list"

    def use(self, name: str) -> str:
        where = self.locations[name]
        if where != self.module:
            self.imports.setdefault(where, set()).add(name)
        return name

    def use_dict(self, model: str, name: str) -> str:
        where = self.locations[model]
        if where != self.dict_module:
            self.dict_imports.setdefault(where, set()).add(name)
        return name

    # --- the request form: what a body (or a TypedDict key) accepts

    def input_parts(self, t: ir.TypeRef) -> list[str]:
        """The members of a request value's annotation: a request model as its TypedDict or the
        model, an enum as ``Literal[...] | str`` (open), a date-time as ``datetime | str``."""
        assert self.inputs is not None, "the request form needs Inputs"
        if isinstance(t, ir.Nullable):
            return [*self.input_parts(t.inner), "None"]
        if isinstance(t, ir.UnionOf):
            out: list[str] = []
            for member in t.members:
                out.extend(p for p in self.input_parts(member) if p not in out)
            return out
        if isinstance(t, ir.Named):
            if t.is_enum:
                self.names.add("Literal")
                values = ", ".join(py_str(v) for v in self.inputs.enum_values[t.name])
                return [f"Literal[{values}]", "str"]
            typed_dict = self.inputs.typed_dicts.get(t.name)
            model = self.use(t.name)
            return [model, self.use_dict(t.name, typed_dict)] if typed_dict else [model]
        if isinstance(t, ir.Prim) and t.kind == "datetime":
            self.names.add("datetime")
            return ["datetime", "str"]
        if isinstance(t, ir.ListOf):
            return [f"{self.list_name}[{self.input_annotation(t.item)}]"]
        if isinstance(t, ir.MapOf):
            return [f"dict[str, {self.input_annotation(t.value)}]"]
        return [self.expr(t)]

    def input_annotation(self, t: ir.TypeRef) -> str:
        parts = self.input_parts(t)
        if "None" in parts:
            parts.remove("None")
            parts.append("None")
        return " | ".join(parts)

    def parts(self, t: ir.TypeRef) -> list[str]:
        """The members of the annotation as a flat union, open enums widened with ``str``."""
        if isinstance(t, ir.Nullable):
            return [*self.parts(t.inner), "None"]
        if isinstance(t, ir.UnionOf) and t.discriminator is None:
            out: list[str] = []
            for member in t.members:
                out.extend(p for p in self.parts(member) if p not in out)
            return out
        if isinstance(t, ir.Named) and t.is_enum:
            return [self.use(t.name), "str"]
        return [self.expr(t)]

    def expr(self, t: ir.TypeRef) -> str:
        if isinstance(t, ir.Prim):
            if t.kind == "datetime":
                self.names.add("datetime")
            return t.kind
        if isinstance(t, ir.AnyType):
            self.names.add("Any")
            return "Any"
        if isinstance(t, ir.ListOf):
            return f"{self.list_name}[{self.annotation(t.item)}]"
        if isinstance(t, ir.MapOf):
            return f"dict[str, {self.annotation(t.value)}]"
        if isinstance(t, ir.Named):
            return self.use(t.name)
        if isinstance(t, ir.UnionOf):
            assert t.discriminator is not None
            self.names.update(("Annotated", "Discriminator"))
            inner = " | ".join(self.expr(m) for m in t.members)
            mapping = ", ".join(f"{py_str(tag)}: {self.use(cls)}" for tag, cls in t.discriminator.mapping)
            return f"Annotated[{inner}, Discriminator({py_str(t.discriminator.prop)}, {{{mapping}}})]"
        return self.annotation(t)

    def annotation(self, t: ir.TypeRef, *, optional: bool = False) -> str:
        parts = self.parts(t)
        if optional:
            self.names.add("Unset")
            parts.append("Unset")
        if "None" in parts:  # None last, as typing tools prefer
            parts.remove("None")
            parts.append("None")
        return " | ".join(parts)


def model_context(model: ir.Model, types: TypeRenderer) -> dict[str, object]:
    fields = []
    for field in model.fields:
        annotation = types.annotation(field.type, optional=not field.required)
        args = []
        if not field.required:
            types.names.add("UNSET")
            args.append("default=UNSET")
        if field.name.startswith("_"):
            args.append(f"alias={py_str(field.name)}")
        metadata = []
        if field.wire != field.name:
            metadata.append(f"{py_str('wire')}: {py_str(field.wire)}")
        if field.limits is not None:
            types.names.add("Limits")
            metadata.append(f"{py_str('limits')}: {limits_expr(field.limits)}")
        if metadata:
            args.append(f"metadata={{{', '.join(metadata)}}}")
        if args == ["default=UNSET"]:
            default = " = UNSET"
        elif args:
            default = f" = attrs.field({', '.join(args)})"
        else:
            default = ""
        fields.append({"name": field.name, "annotation": annotation, "default": default})
    attributes = []
    for field in model.fields:
        text = field.description or ""
        if field.deprecated:
            text = f"Deprecated. {text}".strip()
        if field.wire != field.name:
            text = f"{text} (JSON ``{field.wire}``)".strip()
        attributes.append((field.name, text))
    if model.closed:
        extra_doc = "Undeclared keys: kept as received, sent as given (a dict body may not hold them)."
    else:
        extra_doc = "Keys the document does not declare, kept as received."
    attributes.append(("additional_properties", extra_doc))
    return {
        "name": model.name,
        "doc": docstring(model.description, [("Attributes", attributes)]),
        "fields": fields,
        "extra": types.annotation(model.extra),
        "closed": model.closed,
        "source": model.source,
    }


def template_environment(directory: Path = TEMPLATES) -> jinja2.Environment:
    """The Jinja2 environment of every template in ``codegen/templates/`` (code and docs); of
    ``directory``'s for the other pages made the same way (``refdocs``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["py_str"] = py_str
    return env


class Renderer:
    def __init__(self, api: ir.Api, spec_label: str) -> None:
        self.api = api
        self.spec_label = spec_label
        self.env = template_environment()
        self.locations = {d.name: d.module for d in api.definitions}

    def render_models(self) -> dict[str, str]:
        """``{relative path: source}`` for the models package."""
        files: dict[str, str] = {}
        template = self.env.get_template("model_module.py.j2")
        for module, definitions in self.api.modules().items():
            types = TypeRenderer(module, self.locations)
            items = []
            for definition in definitions:
                if isinstance(definition, ir.EnumDef):
                    items.append(
                        {
                            "kind": "enum",
                            "name": definition.name,
                            "doc": docstring(
                                (definition.description or "")
                                + "\n\nA value this version does not list arrives as a plain ``str``."
                            ),
                            "members": definition.members,
                            "source": definition.source,
                        }
                    )
                else:
                    items.append({"kind": "model", **model_context(definition, types)})
            files[f"models/{module}.py"] = template.render(
                spec=self.spec_label,
                items=items,
                names=types.names,
                imports=sorted((m, sorted(n)) for m, n in types.imports.items()),
                has_enum=any(i["kind"] == "enum" for i in items),
                has_model=any(i["kind"] == "model" for i in items),
            )
        exports = sorted(self.locations.items())
        doc = (
            f"Every model of {self.spec_label}, importable by name and loaded on first use.\n\n"
            f"``from {self.api.package}.models import X`` imports only the module that defines ``X``; the "
            "modules it\nrefers to load when the converter first needs them. Do not edit: `make generate` "
            "rewrites this file."
        )
        template = self.env.get_template("lazy_init.py.j2")
        files["models/__init__.py"] = template.render(doc=doc, exports=exports)
        return files


def write_tree(root: Path, files: dict[str, str], owned: Iterable[str]) -> tuple[int, int]:
    """Write ``files`` under ``root``; delete stale ``*.py`` files in the ``owned`` sub-packages.

    Returns (files written, files removed).
    """
    written = removed = 0
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    for sub in owned:
        directory = root / sub
        if not directory.is_dir():
            continue
        for path in sorted([*directory.rglob("*.py"), *directory.rglob("*.pyi")]):
            if path.relative_to(root).as_posix() not in files:
                path.unlink()
                removed += 1
        for cache in directory.rglob("__pycache__"):
            if not any(p.suffix in (".py", ".pyi") for p in cache.parent.iterdir()):
                shutil.rmtree(cache)
    return written, removed


def ruff_format(files: dict[str, str], config: Path) -> dict[str, str]:
    """Format the sources with ruff in one process (through a scratch directory); return the new texts."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        raise SystemExit("codegen: ruff is not installed; run `make setup`")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="novu-codegen-") as tmp:
        scratch = Path(tmp)
        for relative, text in files.items():
            path = scratch / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for command in (
            [
                ruff,
                "check",
                "--config",
                str(config),
                "--fix-only",
                "--quiet",
                "--exit-zero",
                "--select",
                "I,F401,UP",
            ],
            [ruff, "format", "--config", str(config), "--quiet"],
        ):
            result = subprocess.run([*command, str(scratch)], capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"codegen: {' '.join(command[:2])} failed:\n{result.stdout}{result.stderr}")
        return {relative: (scratch / relative).read_text(encoding="utf-8") for relative in files}
