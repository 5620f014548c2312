"""python -m codegen [spec|generate|docs] [--only KEY] [--out DIR].

* spec: copy or download the pinned documents into openapi/upstream/ and verify their sha256;
* generate (the default): spec, then the runtime's generated tables
  (novu_async/_status_errors.py, see codegen.error_classes) and every spec marked
  generate = true;
* docs: spec, then render the markdown reference of every spec marked generate = true
  into docs/reference/<key>/ (see codegen.docs).

--out DIR leaves the checkout as it is: the documents go to DIR/openapi/upstream/ and the
generated packages to DIR/novu_async/... instead (the package build, hatch_build.py, does that).
The checkout's own openapi/upstream/ is then the first place the documents are looked for.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .config import RUNTIME_DIR, UPSTREAM_DIR, SpecConfig, load_config
from .generate import generate, generate_runtime_tables
from .load import load_document
from .parse import GenerationError
from .spec import SpecError, fetch, local_sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen",
        description=__doc__.split("\n\n")[1],  # the commands, as the docstring lists them
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", default="generate", choices=["spec", "generate", "docs"])
    parser.add_argument("--only", help="a spec key of openapi/specs.toml (default: all)")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="write documents and generated packages under DIR, not here"
    )
    args = parser.parse_args(argv)
    out: Path | None = args.out
    if out is not None and args.command == "docs":
        parser.error("--out is for spec and generate")
    upstream_dir = UPSTREAM_DIR if out is None else out / "openapi" / "upstream"
    sources = None if out is None else [UPSTREAM_DIR, *local_sources()]
    specs = load_config()
    if args.only:
        if args.only not in specs:
            parser.error(f"no spec {args.only!r} in openapi/specs.toml (have: {', '.join(specs)})")
        specs = {args.only: specs[args.only]}
    try:
        for spec in specs.values():
            fetch(spec, target_dir=upstream_dir, sources=sources)
    except SpecError as exc:
        print(f"spec: {exc}", file=sys.stderr)
        return 1
    if args.command == "spec":
        return 0
    if args.command == "docs":
        return write_docs(specs, complete=not args.only)
    generate_runtime_tables(RUNTIME_DIR if out is None else out / "novu_async")
    for spec in specs.values():
        if not spec.generate:
            continue
        started = time.perf_counter()
        document = load_document(upstream_dir / spec.file, spec.overlay_paths)
        package_dir = spec.package_dir if out is None else out.joinpath(*spec.package.split("."))
        try:
            result = generate(document, spec.package, package_dir)
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
