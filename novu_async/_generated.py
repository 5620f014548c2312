"""What to do when the generated code is missing, said by the import that needs it.

``novu_async.{models,funcs,resources,dicts,sync_resources}``, the same under ``novu_async.legacy``, and
``novu_async._status_errors`` (the table ``novu_async.errors`` reads) are build products: every wheel
has them, but a checkout (or an editable install of one) has them only after ``make generate``.
Without them an import would end in a bare ``ModuleNotFoundError``. The finder here sits last on
``sys.meta_path``, so Python asks it only after every other finder has failed to find a module: a
complete install never calls it, and importing ``novu_async`` costs one list append. Asked for one
of those generated modules, it raises an ``ImportError`` that says what to run.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

GENERATED = frozenset(
    {
        *(
            f"{package}.{sub}"
            for package in ("novu_async", "novu_async.legacy")
            # sync_resources holds .pyi stubs only: type checkers read it, nothing imports it
            for sub in ("models", "funcs", "resources", "dicts", "sync_resources")
        ),
        "novu_async._status_errors",  # the status -> error class table (codegen/error_classes.py)
    }
)


class MissingGeneratedCode:
    """A ``sys.meta_path`` finder that finds nothing and explains the generated packages' absence."""

    @staticmethod
    def find_spec(
        fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in GENERATED:
            return None
        raise ImportError(message(fullname), name=fullname)


def message(fullname: str) -> str:
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    directory = os.path.join(root, *fullname.split("."))
    if os.path.isfile(os.path.join(root, "Makefile")) and os.path.isdir(os.path.join(root, "codegen")):
        return (
            f"{fullname} is generated code, and this checkout has not generated it yet ({directory} is "
            f"missing): run `make generate` in {root}. It writes the models, funcs and resources of "
            "novu_async and novu_async.legacy from the pinned OpenAPI documents."
        )
    return (
        f"{fullname} is missing from this installation of novu_async ({directory}): it was built without "
        "its generated code. Reinstall it from a wheel (pip install --force-reinstall novu-async), or "
        "run `make generate` in the checkout it was installed from."
    )


def install() -> None:
    """Put the finder last on ``sys.meta_path``, once per process."""
    if not any(type(finder).__name__ == MissingGeneratedCode.__name__ for finder in sys.meta_path):
        sys.meta_path.append(MissingGeneratedCode())
