"""The reference pages of the hand-written API, rendered once per session (in memory)."""

from __future__ import annotations

import pytest

from refdocs.pages import Reference


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference()


@pytest.fixture(scope="session")
def pages(reference: Reference) -> dict[str, str]:
    return reference.render()
