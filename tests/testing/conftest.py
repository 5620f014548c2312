"""Fixtures of the FakeNovu tests: a fresh fake per test, a raw client over its transport, the document."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from novu_async.testing import FakeNovu
from tests.testing.support import KEY, Contract, api


@pytest.fixture
def fake() -> FakeNovu:
    return FakeNovu(KEY)


@pytest.fixture
async def client(fake: FakeNovu) -> AsyncIterator[httpx.AsyncClient]:
    async with api(fake) as http:
        yield http


@pytest.fixture(scope="session")
def contract() -> Contract:
    try:
        return Contract()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
