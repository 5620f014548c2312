"""Suite-wide settings.

Hypothesis profiles: ``dev`` (the default) explores new random examples on every run; ``ci`` (set by
``.ci/run`` through ``HYPOTHESIS_PROFILE=ci``) is derandomized, so a CI run is reproducible and a
failure there replays exactly on a developer's machine with the same profile, and it does not
measure time (no deadline, no "too slow" health check).
"""

from __future__ import annotations

import os

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


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every ``@pytest.mark.anyio`` test runs once on asyncio and once on trio."""
    return str(request.param)
