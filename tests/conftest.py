"""Suite-wide settings.

Hypothesis profiles: ``dev`` (the default) explores new random examples on every run; ``ci`` (set by
``.ci/run`` through ``HYPOTHESIS_PROFILE=ci``) is derandomized, so a CI run is reproducible and a
failure there replays exactly on a developer's machine with the same profile, and it does not
measure time (no deadline, no "too slow" health check).
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", print_blob=True)
# CI runs on a shared 2-core machine: a pause there (another process, a large garbage collection)
# must not fail a property test, so the checks that measure wall time are off
settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
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
