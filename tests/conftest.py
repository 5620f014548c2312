"""Suite-wide settings.

Hypothesis profiles: ``dev`` (the default) explores new random examples on every run; ``ci`` (set by
``.ci/run`` through ``HYPOTHESIS_PROFILE=ci``) is derandomized, so a CI run is reproducible and a
failure there replays exactly on a developer's machine with the same profile. Neither measures time
(no deadline, no "too slow" health check): on a loaded 2-core machine one draw of a tiny strategy
took 11 s once (``FailedHealthCheck`` in ``test_bulk_check.py``), which says nothing about the code.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# tests run on shared 2-core machines: a pause there (another process, a large garbage collection)
# must not fail a property test, so the checks that measure wall time are off in every profile
_UNTIMED: dict[str, Any] = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", print_blob=True, **_UNTIMED)
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, **_UNTIMED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_BACKENDS: list[Any] = ["asyncio", "trio"]
# uvloop (in the dev extra) as a third event loop whenever it is installed (it adds about a tenth to
# the suite's time); NOVU_TEST_UVLOOP=0 leaves it out
if os.environ.get("NOVU_TEST_UVLOOP", "1").strip() != "0" and importlib.util.find_spec("uvloop"):
    _BACKENDS.append(pytest.param(("asyncio", {"use_uvloop": True}), id="asyncio+uvloop"))


@pytest.fixture(params=_BACKENDS)
def anyio_backend(request: pytest.FixtureRequest) -> str | tuple[str, dict[str, Any]]:
    """Every ``@pytest.mark.anyio`` test runs on asyncio, on trio and, when uvloop is installed, on
    asyncio with uvloop. Tests that need the library's name take anyio's ``anyio_backend_name``."""
    backend: str | tuple[str, dict[str, Any]] = request.param
    return backend
