"""HTTP/2 against HTTP/1.1: the same novu_async workload over each protocol, against the same server.

The server is hypercorn (one process, uvloop when installed) serving a tiny ASGI app that answers like
Novu's trigger endpoints, on two ports of 127.0.0.1: TLS with a throwaway trustme certificate
authority (ALPN offers h2 and http/1.1), and clear text (hypercorn takes HTTP/1.1 there, and HTTP/2
with prior knowledge). The client sides, each in a fresh process after a warm-up of 2% of its requests:

    h1     https, HTTP/1.1   NovuCore(transport="httpx")              (ALPN: http/1.1)
    h2     https, HTTP/2     NovuCore(http2=True)                     (ALPN: h2)
    h1c    http,  HTTP/1.1   NovuCore(transport="httpx")
    h2c    http,  HTTP/2     NovuCore(http_client=httpx.AsyncClient(transport=
                                 httpx.AsyncHTTPTransport(http1=False, http2=True)))
                             (prior knowledge; NovuCore(http2=True) speaks HTTP/1.1 on http://)

not by default (--protocols), compared with h2:
    h1-aiohttp  https, HTTP/1.1  NovuCore(transport="aiohttp"): the SDK's default on asyncio, which
                                 http2=True gives up (aiohttp speaks HTTP/1.1 only)

All use httpx's transport (but h1-aiohttp), so within a pair only the protocol differs. The clients
trust the authority through SSL_CERT_FILE. Workloads:

(a) --singles single triggers at concurrency --single-concurrency: trigger(core, {...});
(b) --events events through trigger_many(core, events, concurrency=--bulk-concurrency)
    (requests of 100 events).

A round runs every side once (the order rotates from round to round); ratios are HTTP/2 / HTTP/1.1 in
events/s (higher: HTTP/2 is faster), from the best run of each side and as the median of the rounds'
paired ratios. The server counts the connections each run opened and the HTTP versions it saw (a run
that did not use the protocol it claims stops the benchmark).

    .venv/bin/python benchmarks/http2.py [--rounds 5] [--quick] [--protocols h1,h2,h1c,h2c]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SECRET = "bench-secret"
PAIRS = (("h1", "h2"), ("h1c", "h2c"), ("h1-aiohttp", "h2"))
TLS = {"h1": True, "h2": True, "h1c": False, "h2c": False, "h1-aiohttp": True}
VERSION = {"h1": "1.1", "h2": "2", "h1c": "1.1", "h2c": "2", "h1-aiohttp": "1.1"}


# ---------------------------------------------------------------------------------------------- server


class App:
    """Novu-like answers: ``POST /v1/events/trigger`` -> 201 ``{"data": ack}``, ``.../bulk`` -> 201
    ``{"data": [ack, ...]}``; ``GET /_stats`` -> the connections and HTTP versions seen since the last
    ``/_stats`` (then forgotten)."""

    def __init__(self) -> None:
        self.connections: set[Any] = set()
        self.versions: dict[str, int] = {}
        self.transactions = 0

    def ack(self) -> bytes:
        self.transactions += 1
        return b'{"acknowledged":true,"status":"processed","transactionId":"txn-%d"}' % self.transactions

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        path = scope["path"]
        status = 201
        if path == "/_stats":
            status = 200
            content = json.dumps({"connections": len(self.connections), "versions": self.versions}).encode()
            self.connections, self.versions = set(), {}
        else:
            self.connections.add(tuple(scope["client"]))
            version = scope["http_version"]
            self.versions[version] = self.versions.get(version, 0) + 1
            if path == "/v1/events/trigger/bulk":
                count = len(json.loads(b"".join(chunks))["events"])
                content = b'{"data":[' + b",".join(self.ack() for _ in range(count)) + b"]}"
            elif path == "/v1/events/trigger":
                json.loads(b"".join(chunks))
                content = b'{"data":' + self.ack() + b"}"
            else:
                status, content = 404, b'{"message":"not found"}'
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(content))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def serve(certdir: str) -> None:
    """The server process: print its two ports as JSON, then serve until stdin closes."""
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    listeners = []
    for _ in range(2):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(1024)
        listeners.append(sock)
    tls, plain = listeners
    config = Config()
    config.bind = [f"fd://{os.dup(tls.fileno())}"]
    config.insecure_bind = [f"fd://{os.dup(plain.fileno())}"]
    config.certfile = str(Path(certdir) / "cert.pem")
    config.keyfile = str(Path(certdir) / "key.pem")
    config.backlog = 1024
    config.graceful_timeout = 1
    # hypercorn closes a connection after 1,000 requests by default (over HTTP/2 with a GOAWAY that
    # fails the streams in flight, which the SDK then retries): not what is measured here
    config.keep_alive_max_requests = 1 << 40
    config.loglevel = "WARNING"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        # the parent closes our stdin to stop us
        stdin = sys.stdin.fileno()
        loop.add_reader(stdin, lambda: None if os.read(stdin, 1) else stop.set())
        print(json.dumps({"tls": tls.getsockname()[1], "plain": plain.getsockname()[1]}), flush=True)
        await hypercorn_serve(App(), config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

    try:
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())


class Server:
    """The server process, its certificate authority in a temporary directory."""

    def __init__(self) -> None:
        import trustme

        self._dir = tempfile.TemporaryDirectory(prefix="novu-bench-http2-")
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        path = Path(self._dir.name)
        ca.cert_pem.write_to_path(str(path / "ca.pem"))
        cert.cert_chain_pems[0].write_to_path(str(path / "cert.pem"))
        cert.private_key_pem.write_to_path(str(path / "key.pem"))
        self.ca_file = str(path / "ca.pem")
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--serve", self._dir.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        ports = json.loads(self._process.stdout.readline())
        self.tls_url = f"https://127.0.0.1:{ports['tls']}"
        self.plain_url = f"http://127.0.0.1:{ports['plain']}"

    def url(self, protocol: str) -> str:
        return self.tls_url if TLS[protocol] else self.plain_url

    def stats(self) -> dict[str, Any]:
        import httpx

        result: dict[str, Any] = httpx.get(f"{self.plain_url}/_stats").json()
        return result

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._dir.cleanup()


# ---------------------------------------------------------------------------------------------- clients


def make_core(protocol: str, url: str) -> tuple[Any, Any]:
    """The core for ``protocol`` and the ``httpx.AsyncClient`` made for it here (``None`` when the
    core makes its own): the caller closes both."""
    import httpx

    from novu_async import NovuCore

    if protocol == "h2":
        return NovuCore(SECRET, server_url=url, http2=True), None
    if protocol == "h2c":
        transport = httpx.AsyncHTTPTransport(http1=False, http2=True)
        client = httpx.AsyncClient(transport=transport, timeout=30)
        return NovuCore(SECRET, server_url=url, http_client=client), client
    if protocol == "h1-aiohttp":
        return NovuCore(SECRET, server_url=url, transport="aiohttp"), None
    return NovuCore(SECRET, server_url=url, transport="httpx"), None


def event(i: int) -> dict[str, Any]:
    return {"name": "welcome", "to": {"subscriberId": f"user-{i % 1000}"}, "payload": {"order": i}}


def events(n: int) -> Iterator[dict[str, Any]]:
    return (event(i) for i in range(n))


async def singles(protocol: str, url: str, n: int, concurrency: int) -> float:
    import anyio

    from novu_async.funcs.trigger import trigger

    counter = itertools.count()
    core, client = make_core(protocol, url)
    try:

        async def work() -> None:
            for i in counter:
                if i >= n:
                    return
                await trigger(core, event(i))

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(concurrency):
                tg.start_soon(work)
        return time.perf_counter() - started
    finally:
        await core.aclose()
        if client is not None:
            await client.aclose()


async def bulk(protocol: str, url: str, n: int, concurrency: int) -> float:
    from novu_async.bulk import trigger_many

    core, client = make_core(protocol, url)
    try:
        started = time.perf_counter()
        report = await trigger_many(core, events(n), concurrency=concurrency)
        seconds = time.perf_counter() - started
    finally:
        await core.aclose()
        if client is not None:
            await client.aclose()
    if report.accepted != n:
        raise RuntimeError(f"trigger_many accepted {report.accepted} of {n} events")
    return seconds


WORKLOADS = {"singles": singles, "bulk": bulk}


def child(spec: str, url: str, n: int, concurrency: int, backend: str) -> None:
    """One side in this (fresh) process: a warm-up, then the timed run; print its seconds as JSON."""
    import anyio

    which, protocol = spec.split(":")
    run = WORKLOADS[which]
    options = {"use_uvloop": True} if backend == "uvloop" else {}
    name = "asyncio" if backend == "uvloop" else backend
    warm_up = max(n // 50, concurrency)
    anyio.run(run, protocol, url, warm_up, concurrency, backend=name, backend_options=options)
    seconds = anyio.run(run, protocol, url, n, concurrency, backend=name, backend_options=options)
    print(json.dumps({"seconds": seconds, "warm_up": warm_up}))


def run_child(
    server: Server, which: str, protocol: str, n: int, concurrency: int, backend: str
) -> dict[str, Any]:
    server.stats()  # forget the previous run's connections
    env = {**os.environ, "SSL_CERT_FILE": server.ca_file}
    env.pop("SSL_CERT_DIR", None)
    argv = [sys.executable, __file__, "--child", f"{which}:{protocol}", "--url", server.url(protocol)]
    argv += ["--n", str(n), "--concurrency", str(concurrency), "--backend", backend]
    out = subprocess.run(argv, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"{which}:{protocol} exited {out.returncode}:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    stats = server.stats()
    versions = stats["versions"]
    if set(versions) != {VERSION[protocol]}:
        raise RuntimeError(f"{protocol}: expected HTTP/{VERSION[protocol]}, the server saw {versions}")
    result["connections"] = stats["connections"]
    return result


# ---------------------------------------------------------------------------------------------- main


Result = dict[str, Any]


def rounds(
    server: Server, which: str, protocols: list[str], n: int, concurrency: int, count: int, backend: str
) -> tuple[dict[str, Result], list[dict[str, Result]]]:
    """The best run of each protocol and every round's results; the order rotates each round."""
    best: dict[str, Result] = {}
    all_rounds = []
    for round_ in range(count):
        results: dict[str, Result] = {}
        shift = round_ % len(protocols)
        for protocol in protocols[shift:] + protocols[:shift]:
            results[protocol] = result = run_child(server, which, protocol, n, concurrency, backend)
            if protocol not in best or result["seconds"] < best[protocol]["seconds"]:
                best[protocol] = result
        all_rounds.append(results)
    return best, all_rounds


def table(
    unit: str, n: int, protocols: list[str], best: dict[str, Result], all_rounds: list[dict[str, Result]]
) -> None:
    head = f"{'HTTP/1.1 ' + unit:>18} {'HTTP/2 ' + unit:>18}"
    print(f"  {'HTTP/1.1':11} {'HTTP/2':6} {head}   ratio best / median")
    for h1, h2 in PAIRS:
        if h1 not in protocols or h2 not in protocols:
            continue
        h1_rate, h2_rate = n / best[h1]["seconds"], n / best[h2]["seconds"]
        ratios = [r[h1]["seconds"] / r[h2]["seconds"] for r in all_rounds]
        print(
            f"  {h1:11} {h2:6} {h1_rate:18,.0f} {h2_rate:18,.0f}   "
            f"{h2_rate / h1_rate:.2f}x / {statistics.median(ratios):.2f}x"
        )
    seen = ", ".join(f"{p} {best[p]['connections']}" for p in protocols)
    print(f"  connections opened, warm-up included (best run of each): {seen}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds: a smoke run")
    parser.add_argument("--protocols", default="h1,h2,h1c,h2c", help="of h1,h2,h1c,h2c,h1-aiohttp")
    parser.add_argument("--singles", type=int)
    parser.add_argument("--single-concurrency", type=int, default=64)
    parser.add_argument("--events", type=int)
    parser.add_argument("--bulk-concurrency", type=int, default=8)
    parser.add_argument("--backend", default="asyncio", choices=["asyncio", "uvloop", "trio"])
    parser.add_argument("--serve", metavar="CERTDIR", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.child:
        child(args.child, args.url, args.n, args.concurrency, args.backend)
        return

    count = args.rounds or (2 if args.quick else 5)
    singles_n = args.singles or (500 if args.quick else 5_000)
    events_n = args.events or (2_000 if args.quick else 20_000)
    protocols = args.protocols.split(",")
    unknown = set(protocols) - set(TLS)
    if unknown:
        parser.error(f"unknown protocols: {', '.join(sorted(unknown))}")
    if args.backend == "trio" and "h1-aiohttp" in protocols:
        parser.error("h1-aiohttp runs on asyncio only")

    print("command:", shlex.join([os.path.relpath(sys.executable), *sys.argv]))
    server = Server()
    try:
        print(f"hypercorn at {server.tls_url} (TLS) and {server.plain_url}; client on {args.backend}")
        print(f"{count} rounds; ratio = HTTP/2 / HTTP/1.1 events/s (best run of each side / median of")
        print("the rounds' paired ratios); h1, h2: https (ALPN); h1c, h2c: http (h2c: prior knowledge)")
        print(f"\n(a) {singles_n:,} single triggers, concurrency {args.single_concurrency}")
        best, all_rounds = rounds(
            server, "singles", protocols, singles_n, args.single_concurrency, count, args.backend
        )
        table("req/s", singles_n, protocols, best, all_rounds)
        print(f"\n(b) {events_n:,} events, trigger_many (requests of 100), ", end="")
        print(f"concurrency {args.bulk_concurrency}")
        best, all_rounds = rounds(
            server, "bulk", protocols, events_n, args.bulk_concurrency, count, args.backend
        )
        table("events/s", events_n, protocols, best, all_rounds)
    finally:
        server.close()


if __name__ == "__main__":
    main()
