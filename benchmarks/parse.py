"""(d) Parsing a 1,000-subscriber list response into models, against ``json.loads`` of the same bytes.

The SDK's path is what ``NovuCore`` does with a response body (``_decode.result``, the function it
calls): decode the JSON, then structure it into ``ListSubscribersResponseDto`` (1,000
``SubscriberResponseDto`` with a channel each), a body this large with the cyclic garbage collector
paused: with the default install the standard library's decoder, with the ``orjson`` extra
``orjson.loads`` (the default install's side runs with the SDK's orjson switched off), and once
more without that pause. Beside them, when novu-py is
installed (the ``bench`` extra), pydantic over the same bytes with novu-py's models:
``ListSubscribersResponseDto.model_validate_json`` (pydantic at its fastest) and novu-py's own path
(``novu_py.utils.unmarshal_json``, what its SDK calls on a response). Best of ``--runs`` runs each,
alternating; ratios to ``json.loads``. ``--instructions`` counts instructions instead (callgrind),
which the machine's load does not move.

    .venv/bin/python benchmarks/parse.py [--runs 30] [--instructions]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from typing import Any, Final

import httpx
from instructions import collected

from novu_async import _decode, _encode, _serde
from novu_async.funcs.subscribers_search import OPERATION
from novu_async.models.list_subscribers_response_dto import ListSubscribersResponseDto


def subscriber(i: int) -> dict[str, Any]:
    return {
        "_id": f"{i:024x}",
        "firstName": "Ada",
        "lastName": f"Lovelace {i}",
        "email": f"ada{i}@example.com",
        "phone": "+15555550100",
        "avatar": None,
        "locale": "en_US",
        "channels": [
            {
                "providerId": "slack",
                "credentials": {"webhookUrl": "https://hooks.example.com/services/T0/B0/x"},
                "_integrationId": "64a0b1c2d3e4f5a6b7c8d9e0",
            }
        ],
        "topics": [],
        "isOnline": i % 2 == 0,
        "lastOnlineAt": "2026-11-01T10:00:00.000Z",
        "__v": 0,
        "data": {"plan": "pro", "seats": i},
        "timezone": "Europe/London",
        "subscriberId": f"user-{i}",
        "_organizationId": "64a0b1c2d3e4f5a6b7c8d9e1",
        "_environmentId": "64a0b1c2d3e4f5a6b7c8d9e2",
        "deleted": False,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-02T00:00:00.000Z",
    }


def body() -> bytes:
    return json.dumps(
        {
            "data": [subscriber(i) for i in range(1000)],
            "next": "user-999",
            "previous": None,
            "totalCount": 5000,
            "totalCountCapped": False,
        }
    ).encode()


_ORJSON: Final = _encode._orjson  # the SDK's orjson, None without the extra


def sdk(response: httpx.Response, *, orjson: bool, paused: bool = True) -> object:
    """``NovuCore``'s decoding of ``response``, with or without the orjson extra; ``paused=False``:
    the same steps without pausing the collector (what that pause saves)."""
    _encode._orjson = _ORJSON if orjson else None
    try:
        if paused:
            return _decode.result(OPERATION, response).data
        return _serde.structure(_encode.loads(response.content), ListSubscribersResponseDto)
    finally:
        _encode._orjson = _ORJSON


def sides(content: bytes) -> dict[str, Callable[[], object]]:
    """What is measured, by label; the first is the baseline."""
    response = httpx.Response(200, content=content, headers={"content-type": "application/json"})
    found: dict[str, Callable[[], object]] = {
        "json.loads alone": lambda: json.loads(content),
        "json.loads + models (SDK, default install)": lambda: sdk(response, orjson=False),
        "the same, collector not paused": lambda: sdk(response, orjson=False, paused=False),
    }
    if importlib.util.find_spec("orjson") is not None:
        import orjson

        found["orjson.loads alone"] = lambda: orjson.loads(content)
        found["orjson.loads + models (SDK, orjson extra)"] = lambda: sdk(response, orjson=True)
    if importlib.util.find_spec("novu_py") is not None:
        from novu_py import models
        from novu_py.utils import unmarshal_json

        theirs = models.ListSubscribersResponseDto
        found["pydantic model_validate_json (novu-py models)"] = lambda: theirs.model_validate_json(content)
        text = content.decode()
        found["novu-py unmarshal_json (its response path)"] = lambda: unmarshal_json(text, theirs)
    return found


def instructions(label: str, runs: int) -> int:
    """Instructions for one run of ``label`` (callgrind: (I(1 + runs) - I(1)) / runs)."""

    def total(n: int) -> int:
        return collected([sys.executable, __file__, "--child", label, "--runs", str(n)])

    return (total(1 + runs) - total(1)) // runs


def best_of(runs: int, *functions: Callable[[], object]) -> list[float]:
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            started = time.perf_counter()
            function()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--child")
    args = parser.parse_args()
    content = body()
    found = sides(content)
    if args.child:
        for _ in range(args.runs):
            found[args.child]()
        return
    parsed = sdk(httpx.Response(200, content=content), orjson=False)
    assert isinstance(parsed, ListSubscribersResponseDto)
    if len(parsed.data) != 1000 or parsed.data[999].subscriber_id != "user-999":
        raise RuntimeError("the response did not parse as expected")
    labels = list(found)
    times = best_of(args.runs, *found.values())
    print(f"(d) a 1,000-subscriber list response ({len(content) / 1024:.0f} KiB), best of {args.runs}")
    for label, seconds in zip(labels, times, strict=True):
        print(f"  {label:46} {seconds * 1000:7.2f} ms   ratio {seconds / times[0]:.2f}x json.loads")
    if args.instructions:
        print("  instructions per run (callgrind):")
        counts = {label: instructions(label, 3) for label in labels}
        for label in labels:
            ratio = counts[label] / counts[labels[0]]
            print(f"  {label:46} {counts[label] / 1e6:7.1f} M    ratio {ratio:.2f}x json.loads")
    print("  targets: SDK <= 1.6x json.loads (default install), <= 1.2x (orjson extra)")


if __name__ == "__main__":
    main()
