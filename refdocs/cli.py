"""The page of the ``novu-async`` command line, from its own argparse parser (``novu_async.cli.parser``):
each command's usage, description and every argument and option with its value, default and help,
as ``--help`` prints them. Options the commands share (the connection options) are listed once.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
from typing import Any

import jinja2

from . import markup

USAGE_WIDTH = 100  # argparse wraps usage lines to the terminal's width: fixed here, for stable pages


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    formatter = argparse.HelpFormatter(parser.prog)
    return formatter._expand_help(action)


def _value(action: argparse.Action) -> str:
    if action.nargs == 0 or not action.option_strings:  # a flag, or a positional (its name says it)
        return ""
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "`" + " \\| ".join(str(choice) for choice in action.choices) + "`"
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    return f"`{metavar}`"


def _default(action: argparse.Action) -> str:
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS) or action.required:
        return ""
    return f"`{action.default}`"


def option_name(action: argparse.Action) -> str:
    """The name an argument is known by: its first long option (``--help``, ``--progress``), or its
    metavar."""
    if action.option_strings:
        return next((o for o in action.option_strings if o.startswith("--")), action.option_strings[0])
    return action.metavar if isinstance(action.metavar, str) else action.dest


def arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The parser's arguments and options, the sub-command choice aside."""
    return [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)]


def commands(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """``{command: (its parser, its one-line help)}``."""
    found: dict[str, tuple[argparse.ArgumentParser, str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found[name] = (sub, helps.get(name, ""))
    return found


def anchor(command: str | None, action: argparse.Action) -> str:
    """``bulk-chunk-size``, ``bulk-file``; the main command's: ``novu-async-server``."""
    return f"{command or 'novu-async'}-{option_name(action).lstrip('-').lower()}"


def _rows(
    parser: argparse.ArgumentParser, command: str | None, shared: set[str], link: markup.Linker
) -> list[dict[str, str]]:
    rows = []
    for action in arguments(parser):
        if command is not None and action.option_strings and option_name(action) in shared:
            continue  # listed with the main command's options
        rows.append(
            {
                "anchor": anchor(command, action),
                "flags": ", ".join(f"`{flag}`" for flag in action.option_strings)
                or f"`{option_name(action)}`",
                "value": _value(action),
                "default": _default(action),
                "required": "yes" if action.required else "",
                "help": markup.inline(" ".join(_help(parser, action).split()), link).replace("|", "\\|"),
            }
        )
    return rows


def render(env: jinja2.Environment, views: list[dict[str, Any]], link: markup.Linker) -> str:
    """``cli.md``: the module's docstring, each command from the parser, then ``views`` (the
    entries of ``novu_async.cli``'s own names)."""
    module = importlib.import_module("novu_async.cli")
    root: argparse.ArgumentParser = module.parser()
    subs = commands(root)
    # options of the main command that every sub-command takes again (before or after its name)
    shared = {
        option_name(action)
        for action in arguments(root)
        if action.option_strings
        and option_name(action) != "--help"
        and all(option_name(action) in {option_name(a) for a in arguments(sub)} for sub, _ in subs.values())
    }
    return env.get_template("sdk_cli.md.j2").render(
        intro=markup.to_markdown(inspect.cleandoc(module.__doc__ or ""), link),
        prog=root.prog,
        usage=_usage(root),
        description=markup.inline(root.description or "", link),
        epilog=markup.inline(root.epilog or "", link),
        options=_rows(root, None, set(), link),
        commands=[
            {
                "name": name,
                "help": markup.inline(help_text, link),
                "usage": _usage(sub),
                "description": markup.inline(sub.description or "", link),
                "arguments": _rows(sub, name, shared, link),
                "epilog": markup.inline(sub.epilog or "", link),
            }
            for name, (sub, help_text) in subs.items()
        ],
        shared=sorted(shared),
        entries=views,
    )
