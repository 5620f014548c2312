"""docs/fakenovu.md against the code: its table of the document's operations, by group, says which
ones FakeNovu models and which answer 501.

``python -m tests.testing.test_docs`` rewrites the table in place (after adding a resource group).
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import anyio

from novu_async.testing import FakeNovu
from tests.contract.document import current_document_path, legacy_document_path, load_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "fakenovu.md"
START = "<!-- operations table: written by `python -m tests.testing.test_docs`, checked by the tests -->"
END = "<!-- end of the operations table -->"
# the document's tags, in the order the table lists them: the groups modelled first
GROUPS = (
    "Events",
    "Subscribers",
    "Topics",
    "Messages",
    "Notifications",
    "Activity",
    "Workflows",
    "Layouts",
    "Translations",
    "Integrations",
    "Environments",
    "Environment Variables",
    "Contexts",
    "Channel Connections",
    "Channel Endpoints",
    "Domains",
    "Agents",
)


def first_tags(path: Path) -> dict[str, str]:
    """operationId -> its first tag (its group), in a document."""
    return {
        op["operationId"]: op["tags"][0]
        for item in load_document(path).raw["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def operations_table() -> str:
    """The table as the code has it: a summary per group, then one row per operation."""
    tags = first_tags(current_document_path())
    assert set(tags.values()) == set(GROUPS), sorted(set(tags.values()) ^ set(GROUPS))
    rows: dict[str, list[tuple[str, str, str, bool]]] = {group: [] for group in GROUPS}
    for operation, modelled in FakeNovu().operations:
        path = f"`{operation.method} {operation.path}`"
        rows[tags[operation.operation_id]].append((operation.operation_id, operation.name, path, modelled))
    lines = [START, "", "| group | operations | modelled | 501 |", "|---|---|---|---|"]
    for group in GROUPS:
        done = sum(1 for row in rows[group] if row[3])
        lines.append(f"| {group} | {len(rows[group])} | {done} | {len(rows[group]) - done} |")
    total = sum(len(r) for r in rows.values())
    done = sum(1 for r in rows.values() for row in r if row[3])
    lines += [f"| all | {total} | {done} | {total - done} |", ""]
    lines += ["| group | operationId | SDK function | request | FakeNovu |", "|---|---|---|---|---|"]
    for group in GROUPS:
        for operation_id, name, path, modelled in rows[group]:
            lines.append(
                f"| {group} | {operation_id} | `{name}` | {path} | {'modelled' if modelled else '501'} |"
            )
    return "\n".join([*lines, "", *legacy_table(), "", END])


def legacy_table() -> list[str]:
    """The legacy document's operations by its tags: served (modelled), shared (answered by the
    current operation with the same method and path) or 501."""
    tags = first_tags(legacy_document_path())
    fake = FakeNovu()
    current = {(op.method, op.path): op.operation_id for op, _ in fake.operations}
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    for operation, status in fake.legacy_operations:
        operation_id = operation.operation_id.removeprefix("legacy.")
        shown = f"shared: {current[operation.method, operation.path]}" if status == "shared" else status
        path = f"`{operation.method} {operation.path}`"
        rows.setdefault(tags[operation_id], []).append((operation_id, operation.name, path, shown))
    lines = [
        "Legacy (v1) document, `novu_async.legacy` (`legacy.<operationId>` in `fake.legacy_operations`,"
        " `fake.stats` and `fail_next`):",
        "",
        "| legacy group | operations | served | shared | 501 |",
        "|---|---|---|---|---|",
    ]
    counts = {"served": 0, "shared": 0, "501": 0}
    for group, found in rows.items():
        statuses = [row[3].partition(":")[0] for row in found]
        lines.append(
            f"| {group} | {len(found)} | {statuses.count('served')} | {statuses.count('shared')} "
            f"| {statuses.count('501')} |"
        )
        for status in statuses:
            counts[status] += 1
    total = sum(counts.values())
    lines += [f"| all | {total} | {counts['served']} | {counts['shared']} | {counts['501']} |", ""]
    lines += ["| legacy group | operationId | SDK function | request | FakeNovu |", "|---|---|---|---|---|"]
    for group, found in rows.items():
        for operation_id, name, path, shown in found:
            lines.append(f"| {group} | {operation_id} | `{name}` | {path} | {shown} |")
    return lines


def test_the_operations_table_is_the_codes() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text, f"{DOC} has no operations table start marker"
    assert END in text, f"{DOC} has no operations table end marker"
    found = text[text.index(START) : text.index(END) + len(END)]
    assert found == operations_table(), "the table is stale: run `python -m tests.testing.test_docs`"


def test_the_guide_has_the_sections_the_next_groups_need() -> None:
    text = DOC.read_text(encoding="utf-8")
    for heading in ("## How to add a resource group", "## Decisions", "@pytest.mark.anyio"):
        assert heading in text


def examples() -> list[str]:
    """The page's python blocks, in order (each may use what an earlier one imported)."""
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_examples_pass() -> None:
    namespace: dict[str, object] = {}
    ran = []
    for source in examples():
        if source[:1].isspace():
            continue  # indented: a fragment of the how-to, not a test
        before = set(namespace)
        exec(compile(source, str(DOC), "exec"), namespace)
        for name in sorted(set(namespace) - before):
            test = namespace[name]
            if name.startswith("test_") and inspect.iscoroutinefunction(test):
                anyio.run(test)
                ran.append(name)
    assert len(ran) == 3, ran


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    if START not in text:
        sys.exit(f"{DOC}: no line {START!r} to put the table at")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(before + operations_table() + after, encoding="utf-8")
    print(f"wrote the operations table into {DOC}")
