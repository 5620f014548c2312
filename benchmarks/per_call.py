"""The SDK's own cost per call, with no network: trigger(core, {...}) over an in-process
httpx.MockTransport against a raw httpx.AsyncClient.post of the same JSON and headers over the
same transport, sequentially (one call at a time, so nothing but the client's code is measured).

    .venv/bin/python benchmarks/per_call.py [--calls 5000] [--rounds 7]

Prints microseconds per call for each side (the best round) and their difference: what
NovuCore.request adds (checks, encoding, the attempt's bounds, decoding).
"""

from __future__ import annotations

import argparse
import json
import time
import uuid

import anyio
import httpx

from novu_async import NovuCore
from novu_async.funcs.trigger import trigger

ANSWER = json.dumps({"data": {"acknowledged": True, "status": "processed", "transactionId": "tx-1"}}).encode()
EVENT = {"name": "welcome", "to": "sub-1", "payload": {"plan": "pro"}}
URL = "http://novu.test"


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, content=ANSWER, headers={"content-type": "application/json"})


async def sdk(calls: int) -> float:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with client, NovuCore("sk-bench", server_url=URL, http_client=client) as core:
        for _ in range(calls // 50):
            await trigger(core, EVENT)
        started = time.perf_counter()
        for _ in range(calls):
            await trigger(core, EVENT)
        return (time.perf_counter() - started) / calls


async def raw(calls: int) -> float:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:

        async def one() -> None:
            response = await client.post(
                URL + "/v1/events/trigger",
                content=json.dumps(EVENT).encode(),
                headers={
                    "authorization": "ApiKey sk-bench",
                    "content-type": "application/json",
                    "idempotency-key": str(uuid.uuid4()),
                },
            )
            json.loads(response.content)

        for _ in range(calls // 50):
            await one()
        started = time.perf_counter()
        for _ in range(calls):
            await one()
        return (time.perf_counter() - started) / calls


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    best_sdk = best_raw = float("inf")
    for _ in range(args.rounds):
        best_raw = min(best_raw, anyio.run(raw, args.calls))
        best_sdk = min(best_sdk, anyio.run(sdk, args.calls))
    print(
        f"per call over httpx.MockTransport, best of {args.rounds} x {args.calls}: "
        f"raw httpx {best_raw * 1e6:.1f} us, novu_async {best_sdk * 1e6:.1f} us "
        f"(+{(best_sdk - best_raw) * 1e6:.1f} us, {best_sdk / best_raw:.2f}x)"
    )


if __name__ == "__main__":
    main()
