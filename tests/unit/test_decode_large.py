"""A large response body is decoded with the cyclic garbage collector paused, and the collector is
on again afterwards, whatever the decoding ended in; a collector the program turned off stays off."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from novu_async import _decode, _serde
from novu_async.errors import ResponseValidationError
from novu_async.funcs.subscribers_search import OPERATION
from novu_async.models.list_subscribers_response_dto import ListSubscribersResponseDto


def _subscriber(i: int) -> dict[str, Any]:
    return {
        "_id": f"{i:024x}",
        "subscriberId": f"user-{i}",
        "firstName": "Ada",
        "channels": [
            {"providerId": "slack", "credentials": {"webhookUrl": "https://h.test/x"}, "_integrationId": "i"}
        ],
        "_organizationId": "o",
        "_environmentId": "e",
        "deleted": False,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
    }


def _page(count: int) -> dict[str, Any]:
    return {
        "data": [_subscriber(i) for i in range(count)],
        "next": None,
        "previous": None,
        "totalCount": count,
        "totalCountCapped": False,
    }


BODY = json.dumps(_page(2000)).encode()


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations the collector ran over while the test ran."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.enable()
    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)
        gc.enable()


def test_the_collector_runs_while_such_a_body_is_decoded_by_hand(collections: list[int]) -> None:
    """What the pause saves: decoding the same bytes without it starts collections."""
    assert len(BODY) >= _decode.LARGE_BODY
    _serde.structure(json.loads(BODY), ListSubscribersResponseDto)
    assert collections


def test_a_large_body_is_decoded_with_the_collector_paused(collections: list[int]) -> None:
    got = _decode.result(OPERATION, httpx.Response(200, content=BODY))
    assert collections == []
    assert gc.isenabled()
    assert len(got.data.data) == 2000
    assert got.data.data[1999].subscriber_id == "user-1999"


def test_the_collector_is_on_again_after_a_body_that_does_not_fit(collections: list[int]) -> None:
    page = _page(2000)
    page["data"][1500]["deleted"] = "no"
    with pytest.raises(ResponseValidationError, match=r"data\[1500\]\.deleted"):
        _decode.result(OPERATION, httpx.Response(200, content=json.dumps(page).encode()))
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(collections: list[int]) -> None:
    gc.disable()
    _decode.result(OPERATION, httpx.Response(200, content=BODY))
    assert not gc.isenabled()


def test_a_small_body_leaves_the_collector_alone(
    collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    toggled: list[str] = []
    monkeypatch.setattr(_decode.gc, "disable", lambda: toggled.append("disable"))
    small = json.dumps(_page(3)).encode()
    assert len(small) < _decode.LARGE_BODY
    _decode.result(OPERATION, httpx.Response(200, content=small))
    assert toggled == []
