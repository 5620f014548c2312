"""Throughput and memory of novu_async against a raw httpx.AsyncClient sending the same requests.

Both sides talk to one FakeNovu server process on loopback (python -m novu_async.testing), over
the same transport, in the same run; each figure is the best of --rounds rounds, the sides
alternating within a round. Ratios are novu_async / raw (higher is better for throughput).

(a) --singles single triggers at concurrency --single-concurrency: trigger(core, {...})
    against client.post("/v1/events/trigger", json) with the same headers (API key, a fresh
    idempotency key) and the response body decoded. The raw client's pool is the SDK's (over
    httpx's transport: every connection kept alive); with httpx in --transports, (a) runs once
    more as "httpx/20", the raw side with httpx's default pool (20 kept alive);
(b) --events events in bulk requests of 100 at concurrency --bulk-concurrency:
    trigger_many(core, events) against workers posting {"events": [...]} bodies;
(e) the peak resident memory of (b) (ru_maxrss), and its growth over the process's memory
    before the timed run;
(c) single triggers with each SDK's defaults: novu_async's `NovuCore(key, server_url=...)`
    (its default transport) against novu-py's `Novu(secret_key=..., server_url=...)`
    `.trigger_async` (when installed: the `bench` extra), at the same concurrency; novu-py
    sends a tenth as many, its rate is per second all the same;
(f) httpcore's pool under concurrency: --pool-calls triggers at --pool-concurrency in flight over
    httpx's own transport, for each pool size in --pool-sizes (`max_connections` =
    `max_keepalive_connections`; the SDK's default is 100): the rate of one run, and the number
    of `is_idle` calls httpcore's pool makes (counted in a second run of its own, so the counting
    does not slow the timed one).

Each side of each round runs in a fresh process, after a warm-up of 2% of its requests in that
process (imports and cattrs' generated hooks are paid once per process, not per request).

    .venv/bin/python benchmarks/throughput.py [--rounds 3] [--transports httpx,aiohttp]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import httpx

from novu_async._transport import POOL_LIMITS
from novu_async.testing import FakeNovuProcess

SECRET = "bench-secret"
HEADERS = {"Authorization": f"ApiKey {SECRET}", "Content-Type": "application/json"}
HTTPX_DEFAULT_POOL = "httpx/20"  # (a) once more, the raw side with httpx's default pool


def raw_client(transport: str) -> httpx.AsyncClient:
    """The raw side's client over the same transport as the SDK's, with the same pool: httpx's
    transport keeping every connection it opens (the SDK's ``POOL_LIMITS``); ``httpx/20``: with
    httpx's own default pool instead (20 kept alive)."""
    if transport == "aiohttp":
        from httpx_aiohttp import AiohttpTransport

        return httpx.AsyncClient(transport=AiohttpTransport(), timeout=30)
    if transport == HTTPX_DEFAULT_POOL:
        return httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(), timeout=30)
    return httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(limits=POOL_LIMITS), timeout=30)


def sdk_transport(transport: str) -> str:
    return "httpx" if transport == HTTPX_DEFAULT_POOL else transport


def event(i: int) -> dict[str, Any]:
    return {"name": "welcome", "to": {"subscriberId": f"user-{i % 1000}"}, "payload": {"order": i}}


def events(n: int) -> Iterator[dict[str, Any]]:
    return (event(i) for i in range(n))


async def timed_workers(concurrency: int, work: Any) -> float:
    """Seconds for ``concurrency`` copies of ``work`` to finish."""
    started = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(concurrency):
            tg.start_soon(work)
    return time.perf_counter() - started


async def post_raw(client: httpx.AsyncClient, url: str, body: Any) -> None:
    """What a hand-written client does: the same headers as the SDK's, the answer checked and decoded."""
    response = await client.post(
        url, content=json.dumps(body), headers={**HEADERS, "idempotency-key": str(uuid.uuid4())}
    )
    response.raise_for_status()
    json.loads(response.content)


# --------------------------------------------------------------------------------------------- (a)


async def singles_raw(url: str, transport: str, n: int, concurrency: int) -> float:
    counter = itertools.count()
    async with raw_client(transport) as client:

        async def work() -> None:
            for i in counter:
                if i >= n:
                    return
                await post_raw(client, f"{url}/v1/events/trigger", event(i))

        return await timed_workers(concurrency, work)


async def singles_sdk(url: str, transport: str, n: int, concurrency: int) -> float:
    from novu_async import NovuCore
    from novu_async.funcs.trigger import trigger

    counter = itertools.count()
    async with NovuCore(SECRET, server_url=url, transport=sdk_transport(transport)) as core:  # type: ignore[arg-type]

        async def work() -> None:
            for i in counter:
                if i >= n:
                    return
                await trigger(core, event(i))

        return await timed_workers(concurrency, work)


# --------------------------------------------------------------------------------------------- (b)


async def bulk_raw(url: str, transport: str, n: int, concurrency: int) -> float:
    source = events(n)
    async with raw_client(transport) as client:

        async def work() -> None:
            while chunk := list(itertools.islice(source, 100)):
                await post_raw(client, f"{url}/v1/events/trigger/bulk", {"events": chunk})

        return await timed_workers(concurrency, work)


async def bulk_sdk(url: str, transport: str, n: int, concurrency: int) -> float:
    from novu_async import NovuCore
    from novu_async.bulk import trigger_many

    async with NovuCore(SECRET, server_url=url, transport=sdk_transport(transport)) as core:  # type: ignore[arg-type]
        started = time.perf_counter()
        report = await trigger_many(core, events(n), concurrency=concurrency)
        seconds = time.perf_counter() - started
    if report.accepted != n:
        raise RuntimeError(f"trigger_many accepted {report.accepted} of {n} events")
    return seconds


# --------------------------------------------------------------------------------------------- (c)


async def singles_novu_py(url: str, transport: str, n: int, concurrency: int) -> float:
    import novu_py

    counter = itertools.count()
    async with novu_py.Novu(secret_key=SECRET, server_url=url) as novu:

        async def work() -> None:
            for i in counter:
                if i >= n:
                    return
                await novu.trigger_async(trigger_event_request_dto=event(i))  # type: ignore[arg-type]

        return await timed_workers(concurrency, work)


async def singles_default(url: str, transport: str, n: int, concurrency: int) -> float:
    from novu_async import NovuCore
    from novu_async.funcs.trigger import trigger

    counter = itertools.count()
    async with NovuCore(SECRET, server_url=url) as core:

        async def work() -> None:
            for i in counter:
                if i >= n:
                    return
                await trigger(core, event(i))

        return await timed_workers(concurrency, work)


# --------------------------------------------------------------------------------------------- (f)

IS_IDLE_CALLS = [0]


def count_is_idle() -> None:
    """Count the calls of httpcore's ``AsyncHTTPConnection.is_idle`` in this process."""
    import httpcore

    original = httpcore.AsyncHTTPConnection.is_idle

    def is_idle(self: Any) -> bool:
        IS_IDLE_CALLS[0] += 1
        return original(self)

    httpcore.AsyncHTTPConnection.is_idle = is_idle  # type: ignore[method-assign]


def pool_sdk(size: int) -> Any:
    async def run(url: str, transport: str, n: int, concurrency: int) -> float:
        from novu_async import NovuCore
        from novu_async.funcs.trigger import trigger

        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        client = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(limits=limits), timeout=60)
        counter = itertools.count()
        async with client, NovuCore(SECRET, server_url=url, http_client=client) as core:

            async def work() -> None:
                for i in counter:
                    if i >= n:
                        return
                    await trigger(core, event(i))

            return await timed_workers(concurrency, work)

    return run


SIDES = {
    "singles": {"raw": singles_raw, "sdk": singles_sdk},
    "bulk": {"raw": bulk_raw, "sdk": bulk_sdk},
    "defaults": {"novu-py": singles_novu_py, "sdk": singles_default},
}


def child(spec: str, url: str, n: int, concurrency: int) -> None:
    """One side in this (fresh) process: print seconds and memory (and is_idle calls) as JSON."""
    which, side, transport = spec.split(":")
    if which in ("pool", "pool-count"):
        run = pool_sdk(int(side))
        if which == "pool-count":
            count_is_idle()
    else:
        run = SIDES[which][side]
    # a short warm-up first: imports, cattrs' generated hooks and the like are paid once per
    # process, not per request, and would otherwise weigh on the SDK's side of a one-second run
    anyio.run(run, url, transport, max(n // 50, concurrency), concurrency)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = anyio.run(run, url, transport, n, concurrency)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    IS_IDLE_CALLS[0] = 0
    seconds = anyio.run(run, url, transport, n, concurrency) if which == "pool-count" else seconds
    result = {"seconds": seconds, "peak_kib": peak, "growth_kib": peak - before, "is_idle": IS_IDLE_CALLS[0]}
    print(json.dumps(result))


def run_child(server: FakeNovuProcess, spec: str, n: int, concurrency: int) -> dict[str, float]:
    """One side in a fresh process; the server forgets the previous run first (its ledger and
    idempotency keys would otherwise grow through the whole benchmark)."""
    server.reset()
    url = server.url
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            spec,
            "--url",
            url,
            "--n",
            str(n),
            "--concurrency",
            str(concurrency),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--transports", default="httpx,aiohttp")
    parser.add_argument("--singles", type=int, default=10_000)
    parser.add_argument("--single-concurrency", type=int, default=64)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--bulk-concurrency", type=int, default=8)
    parser.add_argument("--pool-calls", type=int, default=2000)
    parser.add_argument("--pool-concurrency", type=int, default=500)
    parser.add_argument("--pool-sizes", default="10,100,500")
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--n", type=int)
    parser.add_argument("--concurrency", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.n, args.concurrency)
        return

    transports = args.transports.split(",")
    with FakeNovuProcess(SECRET) as server:
        print(f"FakeNovu at {server.url}; {args.rounds} rounds; ratio = novu_async / raw httpx")
        print("best: best run of each side; median: median of the ratios of the rounds' pairs")
        print(f"\n(a) {args.singles:,} single triggers, concurrency {args.single_concurrency}")
        for transport in [*transports, *([HTTPX_DEFAULT_POOL] if "httpx" in transports else [])]:
            raw, sdk, ratios = rounds(
                server, "singles", transport, args.singles, args.single_concurrency, args.rounds
            )
            report("req/s", transport, args.singles, raw, sdk, ratios, 0.95)
        if "httpx" in transports:
            print(
                f"  {HTTPX_DEFAULT_POOL}: the raw side with httpx's default pool (20 kept alive; httpcore"
                " closes an idle\n  connection whenever more than 20 are open), the SDK's as above"
            )

        print(f"\n(b) {args.events:,} events in bulk requests of 100, concurrency {args.bulk_concurrency}")
        print("(e) peak resident memory of each (b) process, and its growth during the timed run")
        for transport in transports:
            raw, sdk, ratios = rounds(
                server, "bulk", transport, args.events, args.bulk_concurrency, args.rounds
            )
            report("events/s", transport, args.events, raw, sdk, ratios, 0.97)
            raw_mib, sdk_mib = raw["peak_kib"] / 1024, sdk["peak_kib"] / 1024
            print(
                f"  {'':8} peak RSS raw {raw_mib:6.1f} MiB (+{raw['growth_kib'] / 1024:.1f})"
                f"   novu_async {sdk_mib:6.1f} MiB (+{sdk['growth_kib'] / 1024:.1f})"
                f"   ratio {sdk_mib / raw_mib:.2f}x"
            )

        print(f"\n(c) single triggers, concurrency {args.single_concurrency}, each SDK with its defaults")
        if importlib.util.find_spec("novu_py") is None:
            print("  novu-py is not installed, not measured (pip install 'novu-async[bench]')")
        else:
            n_theirs = args.singles // 10
            best: dict[str, float] = {}
            pairs = []
            for round_ in range(args.rounds):
                rates = {}
                for side in ("novu-py", "sdk") if round_ % 2 == 0 else ("sdk", "novu-py"):
                    n = n_theirs if side == "novu-py" else args.singles
                    result = run_child(server, f"defaults:{side}:default", n, args.single_concurrency)
                    rates[side] = n / result["seconds"]
                    best[side] = max(best.get(side, 0.0), rates[side])
                pairs.append(rates["sdk"] / rates["novu-py"])
            print(
                f"  novu-py {best['novu-py']:8,.0f} req/s ({n_theirs:,} calls)"
                f"   novu_async {best['sdk']:8,.0f} req/s"
                f"   ratio best {best['sdk'] / best['novu-py']:.1f}x, median {statistics.median(pairs):.1f}x"
                " (target >= 12x)"
            )

        print(
            f"\n(f) httpcore's pool: {args.pool_calls:,} triggers at {args.pool_concurrency} in flight,"
            " novu_async over httpx's own transport, by pool size"
        )
        for size in [int(size) for size in args.pool_sizes.split(",")]:
            timed = run_child(server, f"pool:{size}:httpx", args.pool_calls, args.pool_concurrency)["seconds"]
            counted = run_child(server, f"pool-count:{size}:httpx", args.pool_calls, args.pool_concurrency)
            calls = counted["is_idle"]
            print(
                f"  max_connections {size:4}: {args.pool_calls / timed:8,.0f} req/s"
                f"   is_idle calls {calls:12,} ({calls / args.pool_calls:,.0f} a call)"
            )


Result = dict[str, float]


def rounds(
    server: FakeNovuProcess, which: str, transport: str, n: int, concurrency: int, count: int
) -> tuple[Result, Result, list[float]]:
    """The best run of each side, and each round's throughput ratio (sides alternate who goes first)."""
    best: dict[str, Result] = {}
    ratios = []
    for round_ in range(count):
        results: dict[str, Result] = {}
        for side in ("raw", "sdk") if round_ % 2 == 0 else ("sdk", "raw"):
            results[side] = result = run_child(server, f"{which}:{side}:{transport}", n, concurrency)
            if side not in best or result["seconds"] < best[side]["seconds"]:
                best[side] = result
        ratios.append(results["raw"]["seconds"] / results["sdk"]["seconds"])
    return best["raw"], best["sdk"], ratios


def report(
    unit: str, transport: str, n: int, raw: Result, sdk: Result, ratios: list[float], target: float
) -> None:
    raw_rate, sdk_rate = n / raw["seconds"], n / sdk["seconds"]
    print(
        f"  {transport:8} raw {raw_rate:8,.0f} {unit}   novu_async {sdk_rate:8,.0f} {unit}"
        f"   ratio best {sdk_rate / raw_rate:.2f}x, median {statistics.median(ratios):.2f}x"
        f" (target >= {target}x)"
    )


if __name__ == "__main__":
    main()
