"""(g) The cost of one call, with no network: single triggers over `httpx.MockTransport`.

Each side sends `--calls` triggers one after another through an `httpx.AsyncClient` whose
transport answers at once (`201 {"data": {...}}`), so what is measured is the client's own work:
building the request, encoding, httpx's client machinery, decoding. The sides:

* `raw`: `client.post(url, content=json.dumps(event), headers=...)`, the answer checked and
  decoded (`json.loads`), as `throughput.py`'s raw side does;
* `novu_async`: `trigger(core, event)`, the default install (orjson hidden from the process);
* `novu_async+orjson`: the same with the `orjson` extra;
* `novu-py`: Novu's own Python SDK (`novu_py.Novu(...).trigger_async(...)`), when installed
  (the `bench` extra), given a client over the same mock transport.

Each side of each round runs in a fresh process after a warm-up of 300 calls; the sides alternate
who goes first. Printed: the best run of each side in microseconds per call, its ratio to raw's best,
and the median of the rounds' paired ratios; then the best CPU time per call (`time.process_time`)
and its ratio to raw's, which time slices lost to other processes on a shared machine do not move.
`--instructions` also counts each side's CPU instructions per call under callgrind (valgrind), which
does not depend on how loaded the machine is: `(I(warm-up + n) - I(warm-up)) / n`.

    .venv/bin/python benchmarks/per_call.py [--rounds 5] [--calls 3000] [--instructions]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

from instructions import collected

SIDES = ("raw", "novu_async", "novu_async+orjson", "novu-py")
ANSWER = json.dumps({"data": {"acknowledged": True, "status": "processed", "transactionId": "t-1"}}).encode()
HEADERS = {"Authorization": "ApiKey bench-secret", "Content-Type": "application/json"}


def event(i: int) -> dict[str, Any]:
    return {"name": "welcome", "to": {"subscriberId": f"user-{i % 1000}"}, "payload": {"order": i}}


def _client() -> Any:
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=ANSWER, headers={"content-type": "application/json"})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def run(side: str, warm_up: int, n: int) -> tuple[float, float]:
    """Seconds for ``n`` calls, after ``warm_up`` calls, in this process: wall time and CPU time."""
    client = _client()
    if side == "raw":

        async def call(i: int) -> None:
            response = await client.post(
                "http://novu.test/v1/events/trigger",
                content=json.dumps(event(i)),
                headers={**HEADERS, "idempotency-key": str(uuid.uuid4())},
            )
            response.raise_for_status()
            json.loads(response.content)

    elif side == "novu-py":
        import novu_py

        novu = novu_py.Novu(secret_key="bench-secret", server_url="http://novu.test", async_client=client)

        async def call(i: int) -> None:
            await novu.trigger_async(trigger_event_request_dto=event(i))  # type: ignore[arg-type]

    else:
        from novu_async import NovuCore
        from novu_async.funcs.trigger import trigger

        core = NovuCore("bench-secret", server_url="http://novu.test", http_client=client)

        async def call(i: int) -> None:
            await trigger(core, event(i))  # type: ignore[arg-type]

    for i in range(warm_up):
        await call(i)
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        await call(i)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    await client.aclose()
    return seconds, cpu


def child(side: str, warm_up: int, n: int) -> None:
    if side == "novu_async":
        sys.modules["orjson"] = None  # type: ignore[assignment]  # the default install: no orjson
    import anyio

    seconds, cpu = anyio.run(run, side, warm_up, n)
    print(json.dumps({"seconds": seconds, "cpu": cpu}))


def _command(side: str, warm_up: int, n: int) -> list[str]:
    return [sys.executable, __file__, "--child", side, "--warm-up", str(warm_up), "--calls", str(n)]


def timed(side: str, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``n`` calls in a fresh process."""
    out = subprocess.run(_command(side, 300, n), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{side} exited {out.returncode}:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["cpu"])


def instructions(side: str, n: int) -> int:
    """CPU instructions per call under callgrind."""

    def total(calls: int) -> int:
        return collected(_command(side, 100, calls))

    return (total(n) - total(0)) // n


def available(side: str) -> bool:
    if side == "novu-py":
        return importlib.util.find_spec("novu_py") is not None
    if side == "novu_async+orjson":
        return importlib.util.find_spec("orjson") is not None
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind)")
    parser.add_argument("--child")
    parser.add_argument("--warm-up", type=int, default=300)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.warm_up, args.calls)
        return
    sides = [side for side in SIDES if available(side)]
    missing = sorted(set(SIDES) - set(sides))
    best: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    ratios: dict[str, list[float]] = {side: [] for side in sides}
    for round_ in range(args.rounds):
        order = sides if round_ % 2 == 0 else sides[::-1]
        calls = {side: args.calls // (10 if side == "novu-py" else 1) for side in sides}
        results = {side: timed(side, calls[side]) for side in order}
        per_call = {side: results[side][0] / calls[side] for side in sides}
        for side in sides:
            best[side] = min(best.get(side, float("inf")), per_call[side])
            best_cpu[side] = min(best_cpu.get(side, float("inf")), results[side][1] / calls[side])
            ratios[side].append(per_call[side] / per_call["raw"])
    print(f"(g) single triggers over httpx.MockTransport, {args.rounds} rounds of {args.calls:,} calls")
    print("    (novu-py: a tenth of them); ratio = cost per call / raw httpx's (lower is better);")
    print("    cpu: the process's CPU time per call (what another process on the machine does not move)")
    for side in sides:
        print(
            f"  {side:18} {best[side] * 1e6:8.1f} us/call   ratio best {best[side] / best['raw']:5.2f}x,"
            f" median {statistics.median(ratios[side]):5.2f}x   cpu {best_cpu[side] * 1e6:8.1f} us,"
            f" {best_cpu[side] / best_cpu['raw']:5.2f}x"
        )
    if missing:
        print(f"  not installed, not measured: {', '.join(missing)} (pip install 'novu-async[bench,orjson]')")
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("  --instructions: valgrind is not installed")
            return
        print("  instructions per call (callgrind; does not depend on the machine's load):")
        counts = {side: instructions(side, 300 if side != "novu-py" else 60) for side in sides}
        for side in sides:
            print(f"  {side:18} {counts[side]:10,}   ratio {counts[side] / counts['raw']:5.2f}x")


if __name__ == "__main__":
    main()
