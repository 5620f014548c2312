"""Import time of novu_async entry points against importing its five dependencies alone, and (h) the
first call's cost in a fresh process: import, client and one trigger over ``httpx.MockTransport``,
for novu_async (the default install: orjson hidden), raw httpx and novu-py (when installed).

Each statement runs in a fresh interpreter, ``--runs`` times; the minimum wall time counts (the least
disturbed run). The interpreter's own start-up (``pass``) is subtracted from every figure, and the
ratio is against the dependencies alone, measured in the same run.

    .venv/bin/python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time

# (h): the imports, a client over a mock transport and one trigger, in one fresh process
_MOCK = (
    "import httpx, json; "
    "answer = json.dumps({'data': {'acknowledged': True, 'status': 'processed', "
    "'transactionId': 't'}}).encode(); "
    "client = httpx.AsyncClient(transport=httpx.MockTransport("
    "lambda r: httpx.Response(201, content=answer, headers={'content-type': 'application/json'}))); "
)
_EVENT = "{'name': 'welcome', 'to': {'subscriberId': 'user-1'}, 'payload': {'order': 1}}"
FIRST_CALLS = {
    "first call: raw httpx (client.post, json)": (
        "import anyio, uuid; "
        + _MOCK
        + "anyio.run(lambda: client.post('http://novu.test/v1/events/trigger', "
        "content=json.dumps(" + _EVENT + "), headers={'Authorization': 'ApiKey k', "
        "'idempotency-key': str(uuid.uuid4())}))"
    ),
    "first call: novu_async (NovuCore, trigger)": (
        "import sys; sys.modules['orjson'] = None; import anyio; from novu_async import NovuCore; "
        "from novu_async.funcs.trigger import trigger; " + _MOCK + "core = NovuCore('k', "
        "server_url='http://novu.test', http_client=client); anyio.run(trigger, core, " + _EVENT + ")"
    ),
    "first call: novu-py (Novu, trigger_async)": (
        "import anyio, novu_py; "
        + _MOCK
        + "novu = novu_py.Novu(secret_key='k', server_url='http://novu.test', "
        "async_client=client); anyio.run(lambda: novu.trigger_async(trigger_event_request_dto="
        + _EVENT
        + "))"
    ),
}

CASES = {
    "interpreter start-up (subtracted)": "pass",
    "baseline: import httpx, anyio, attrs, cattrs, tenacity": "import httpx, anyio, attrs, cattrs, tenacity",
    "from novu_async.funcs.trigger import trigger": "from novu_async.funcs.trigger import trigger",
    "from novu_async import Novu": "from novu_async import Novu",
    "Novu + first call's imports (trigger, core, httpx)": (
        "from novu_async import Novu; import novu_async._core; from novu_async.funcs.trigger import trigger"
    ),
}


# as an installed package runs: from cached bytecode (the first, untimed run writes it), whatever
# PYTHONDONTWRITEBYTECODE says in the shell that runs the benchmark
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def best_of(statement: str, runs: int) -> float:
    subprocess.run([sys.executable, "-c", statement], check=True, env=ENV)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, env=ENV)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    cases = dict(CASES)
    for label, statement in FIRST_CALLS.items():
        if "novu_py" not in statement or importlib.util.find_spec("novu_py") is not None:
            cases[label] = statement
    times = {label: best_of(statement, runs) for label, statement in cases.items()}
    start_up = times.pop("interpreter start-up (subtracted)")
    baseline = times["baseline: import httpx, anyio, attrs, cattrs, tenacity"] - start_up
    print(f"import time, best of {runs} fresh interpreters, start-up ({start_up * 1000:.1f} ms) subtracted")
    for label, seconds in times.items():
        net = seconds - start_up
        print(f"  {net * 1000:7.1f} ms  {net / baseline:5.2f}x baseline  {label}")
    ours = times.get("first call: novu_async (NovuCore, trigger)")
    theirs = times.get("first call: novu-py (Novu, trigger_async)")
    if ours is not None and theirs is not None:
        print(f"(h) first call: novu_async / novu-py = {(ours - start_up) / (theirs - start_up):.2f}x")


if __name__ == "__main__":
    main()
