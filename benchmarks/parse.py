"""(d) Parsing a 1,000-subscriber list response into models, against ``json.loads`` of the same bytes.

The SDK's path is what ``NovuCore`` does with a response body: decode the JSON, then structure it into
``ListSubscribersResponseDto`` (1,000 ``SubscriberResponseDto`` with a channel each). Best of
``--runs`` runs each, alternating.

    .venv/bin/python benchmarks/parse.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from novu_async import _serde
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
    runs = parser.parse_args().runs
    body = json.dumps(
        {
            "data": [subscriber(i) for i in range(1000)],
            "next": "user-999",
            "previous": None,
            "totalCount": 5000,
            "totalCountCapped": False,
        }
    ).encode()
    parsed = _serde.structure(json.loads(body), ListSubscribersResponseDto)
    if len(parsed.data) != 1000 or parsed.data[999].subscriber_id != "user-999":
        raise RuntimeError("the response did not parse as expected")

    loads, models = best_of(
        runs,
        lambda: json.loads(body),
        lambda: _serde.structure(json.loads(body), ListSubscribersResponseDto),
    )
    print(f"(d) a 1,000-subscriber list response ({len(body) / 1024:.0f} KiB), best of {runs}")
    print(f"  json.loads alone            {loads * 1000:7.2f} ms")
    print(
        f"  json.loads + models (SDK)   {models * 1000:7.2f} ms   ratio {models / loads:.2f}x (target <= 4x)"
    )


if __name__ == "__main__":
    main()
