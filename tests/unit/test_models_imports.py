"""The generated Novu models as a package: importing one model loads few modules, structuring loads
only what it needs, every class is exported. What the models do on the wire is in ``test_serde.py``."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from codegen.parse import build_api

from .conftest import current_document


def count_model_modules(statement: str) -> list[str]:
    code = textwrap.dedent(f"""
        import sys
        {statement}
        print("\\n".join(sorted(m for m in sys.modules if m.startswith("novu_async.models."))))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_importing_one_model_loads_few_modules() -> None:
    loaded = count_model_modules("from novu_async.models import CreateWorkflowDto")
    assert "novu_async.models.create_workflow_dto" in loaded
    assert len(loaded) < 15, loaded


def test_structuring_loads_only_the_closure_of_the_model() -> None:
    # resolving the annotations imports referenced modules lazily, never the whole package
    loaded = count_model_modules(
        "from novu_async.models import TriggerEventResponseDto\n"
        "        from novu_async._serde import structure\n"
        "        structure({'acknowledged': True, 'status': 'processed'}, TriggerEventResponseDto)"
    )
    assert 0 < len(loaded) < 15, loaded


def test_every_name_is_exported() -> None:
    import novu_async.models as models

    # every class the generator made: component schemas, their inline types, and the inline
    # types of operations (query enums, multipart bodies)
    api = build_api(current_document(), "novu_async")
    assert len(models.__all__) == len(api.definitions)
    assert len(models.__all__) == 433 + 152  # models and enums of the pinned document
    assert set(dir(models)) >= set(models.__all__)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_sniffio_is_importable() -> None:
    # httpcore retries a failing `import sniffio` on every request when it is missing
    import sniffio

    assert sniffio.current_async_library  # the function httpcore calls
