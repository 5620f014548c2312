"""``python -m codegen [spec|generate|docs] [--only KEY]``.

* ``spec``: copy or download the pinned documents into openapi/upstream/ and verify their sha256;
* ``generate`` (the default): ``spec``, then the runtime's generated tables
  (``novu_async/_status_errors.py``, see ``codegen.error_classes``) and every spec marked
  ``generate = true``;
* ``docs``: ``spec``, then render the markdown reference of every spec marked ``generate = true``
  into docs/reference/<key>/ (see ``codegen.docs``).
"""

from __future__ import annotations

import argparse
import sys
import time

from .config import SpecConfig, load_config
from .generate import generate, generate_runtime_tables
from .load import load_document
from .parse import GenerationError
from .spec import SpecError, fetch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="generate", choices=["spec", "generate", "docs"])
    parser.add_argument("--only", help="a spec key of openapi/specs.toml (default: all)")
    args = parser.parse_args(argv)
    specs = load_config()
    if args.only:
        if args.only not in specs:
            parser.error(f"no spec {args.only!r} in openapi/specs.toml (have: {', '.join(specs)})")
        specs = {args.only: specs[args.only]}
    try:
        for spec in specs.values():
            fetch(spec)
    except SpecError as exc:
        print(f"spec: {exc}", file=sys.stderr)
        return 1
    if args.command == "spec":
        return 0
    if args.command == "docs":
        return write_docs(specs, complete=not args.only)
    generate_runtime_tables()
    for spec in specs.values():
        if not spec.generate:
            continue
        started = time.perf_counter()
        document = load_document(spec.upstream_path, spec.overlay_paths)
        try:
            result = generate(document, spec.package, spec.package_dir)
        except GenerationError as exc:
            print(f"generate: {spec.file}: {exc}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - started
        print(f"generate: {spec.package}: {result.summary()} in {elapsed:.1f} s")
    return 0


def write_docs(specs: dict[str, SpecConfig], *, complete: bool) -> int:
    from .docs import OUT_DIR, build_docs, spec_label, top_index, write_pages

    entries = []
    for spec in specs.values():
        if not spec.generate:
            continue
        started = time.perf_counter()
        document = load_document(spec.upstream_path, spec.overlay_paths)
        try:
            result = build_docs(document, spec.package, OUT_DIR / spec.key)
        except GenerationError as exc:
            print(f"docs: {spec.file}: {exc}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - started
        entries.append((spec.key, spec.package, spec_label(document), len(result.api.operations)))
        print(f"docs: {spec.package}: {result.summary()} in {OUT_DIR / spec.key} in {elapsed:.1f} s")
    if complete:  # not with --only: the top index lists every package
        write_pages(OUT_DIR, {"index.md": top_index(entries)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
