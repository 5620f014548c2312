"""FakeNovu's loopback server against a baseline server from another checkout, in the same run.

Sides: this (this checkout's FakeNovu) and, with --baseline DIR, baseline: the FakeNovu of
the checkout in DIR (its generated code made there with make generate), put first on PYTHONPATH of
the baseline's server processes only. The clients are always this checkout's, so only the server
differs (--parser: this side's HTTP parser, h11 or httptools; default: the server's choice).
For example, against the server before issue 17 moved it to h11 (its generated code made with this
checkout's venv):

    mkdir /tmp/fake-before && git archive 6ad1746 | tar -x -C /tmp/fake-before
    (cd /tmp/fake-before && /path/to/this/checkout/.venv/bin/python -m codegen generate)
    .venv/bin/python benchmarks/fake_server.py --baseline /tmp/fake-before --rounds 5

(1) Loopback throughput and server CPU: one python -m novu_async.testing process per side; each
    run is one of throughput.py's own child runs (a fresh client process: the SDK's trigger at
    concurrency 64, or trigger_many at concurrency 8, over httpx's transport or httpx-aiohttp's;
    --clients raw for the raw httpx client too) against one side's server, the sides alternating
    within a round and who goes first from round to round. For each run: the client's throughput
    and the server's CPU (user + system, from /proc/PID/stat) per request it answered.
(2) --callgrind N: instructions per request of each side's server process under valgrind's
    callgrind, fed requests one at a time by a plain socket client (the bytes the SDK sends: a
    single trigger, a bulk of 100 events, or with --workloads subscribers a subscriber create):
    a warm-up of N/10 (imports, caches), the counters zeroed, then N (bulk: N/10), whose count over
    their number is the cost of a request, event loop included, start-up excluded. The count does
    not depend on what else the machine runs: the figure to compare on a shared machine.
(3) --client-callgrind N: instructions per request of throughput.py's single-trigger client (the
    SDK over each of --transports) against each side's server (not under callgrind): what the
    server's answers cost the client (their headers, for one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from instructions import collected

HERE = Path(__file__).resolve().parent
THROUGHPUT = HERE / "throughput.py"
SECRET = "bench-secret"
_CLOCK_TICK = os.sysconf("SC_CLK_TCK")
# (workload, events per request, requests or events, concurrency) as throughput.py runs them
WORKLOADS = {"singles": (1, 10_000, 64), "bulk": (100, 100_000, 8)}


class Server:
    """``python -m novu_async.testing`` for one side (``pythonpath``: the baseline's checkout)."""

    def __init__(
        self, pythonpath: str | None, wrapper: Sequence[str] = (), options: Sequence[str] = ()
    ) -> None:
        env = dict(os.environ, NOVU_FAKE_SECRET_KEY=SECRET)
        if pythonpath:
            env["PYTHONPATH"] = os.pathsep.join([pythonpath, *filter(None, [env.get("PYTHONPATH")])])
        command = [*wrapper, sys.executable, "-m", "novu_async.testing", "--port", "0", *options]
        # cwd: not this checkout, which ``python -m`` would put before PYTHONPATH
        pipe = subprocess.PIPE
        self.process = subprocess.Popen(
            command, stdout=pipe, stderr=pipe, text=True, env=env, cwd=tempfile.gettempdir()
        )
        assert self.process.stdout is not None
        readable, _, _ = select.select([self.process.stdout], [], [], 600)
        self.url = self.process.stdout.readline().strip() if readable else ""
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError(f"the server did not start: {self.url!r}")
        self.port = int(self.url.rsplit(":", 1)[1])

    def admin(self, method: str, path: str) -> Any:
        response = httpx.request(method, self.url + path, timeout=600)
        response.raise_for_status()
        return response.json()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICK  # utime, stime

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


# --------------------------------------------------------------------------------------------- (1)


def run(server: Server, spec: str, n: int, concurrency: int) -> tuple[float, float]:
    """One throughput.py child run: (client throughput per second, server CPU microseconds per request)."""
    server.admin("POST", "/__fake/reset")
    cpu = server.cpu_seconds()
    command = [sys.executable, str(THROUGHPUT), "--child", spec, "--url", server.url]
    out = subprocess.run(
        [*command, "--n", str(n), "--concurrency", str(concurrency)],
        check=True,
        capture_output=True,
        text=True,
    )
    cpu = server.cpu_seconds() - cpu
    requests = server.admin("GET", "/__fake/stats")["requests"]
    seconds = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
    return n / seconds, cpu / requests * 1e6


def loopback(servers: dict[str, Server], args: argparse.Namespace) -> None:
    print(f"(1) loopback, {args.rounds} rounds; throughput of the client, CPU of the server per request")
    names = list(servers)
    for workload in args.workloads.split(","):
        if workload not in WORKLOADS:
            continue  # callgrind only (throughput.py has no such run)
        _, n, concurrency = WORKLOADS[workload]
        unit = "req/s" if workload == "singles" else "events/s"
        for transport in args.transports.split(","):
            for client in args.clients.split(","):
                spec = f"{workload}:{client}:{transport}"
                rates: dict[str, list[float]] = {name: [] for name in names}
                cpus: dict[str, list[float]] = {name: [] for name in names}
                for round_ in range(args.rounds):
                    for name in names if round_ % 2 == 0 else names[::-1]:
                        rate, cpu = run(servers[name], spec, n, concurrency)
                        rates[name].append(rate)
                        cpus[name].append(cpu)
                print(f"  {spec} ({n:,}, concurrency {concurrency})")
                rate = {name: statistics.median(rates[name]) for name in names}
                cpu = {name: statistics.median(cpus[name]) for name in names}
                for name in names:
                    print(
                        f"    {name:8} {unit} median {rate[name]:8,.0f} best {max(rates[name]):8,.0f}"
                        f"   server CPU us/request median {cpu[name]:6.0f} best {min(cpus[name]):6.0f}"
                    )
                if len(names) == 2:
                    this, base = names
                    print(
                        f"    {this}/{base}: throughput median {rate[this] / rate[base]:.2f}x,"
                        f" server CPU median {cpu[this] / cpu[base]:.2f}x"
                    )


# --------------------------------------------------------------------------------------------- (2)


def _event(i: int) -> dict[str, Any]:
    return {"name": "welcome", "to": {"subscriberId": f"user-{i % 1000}"}, "payload": {"order": i}}


_NUMBERS = itertools.count()  # idempotency keys and event numbers: never the same twice in a run


_PATHS = {
    "singles": "/v1/events/trigger",
    "bulk": "/v1/events/trigger/bulk",
    "subscribers": "/v2/subscribers",
}


def _value(workload: str, i: int) -> Any:
    if workload == "singles":
        return _event(i)
    if workload == "bulk":
        return {"events": [_event(i * 100 + j) for j in range(100)]}
    return {"subscriberId": f"user-{i}", "email": f"user-{i}@example.com", "firstName": "Ada"}


def _requests(workload: str, port: int) -> Iterator[bytes]:
    """Requests as the SDK sends them over httpx-aiohttp (the same headers, in its order)."""
    path = _PATHS[workload]
    for i in _NUMBERS:
        value = _value(workload, i)
        body = json.dumps(value, separators=(",", ":")).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\naccept-encoding: gzip, deflate\r\n"
            f"connection: keep-alive\r\nauthorization: ApiKey {SECRET}\r\n"
            "user-agent: novu-async/0.2.0 python/3.11\r\naccept: application/json\r\n"
            f"content-type: application/json\r\nidempotency-key: {uuid.UUID(int=i)}\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        )
        yield head.encode() + body


def _send(port: int, workload: str, count: int) -> None:
    """``count`` requests, one at a time on one connection, each answer read to its end."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        requests = _requests(workload, port)
        for _ in range(count):
            sock.sendall(next(requests))
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            if not head.startswith((b"HTTP/1.1 201", b"HTTP/1.1 200")):
                raise RuntimeError(f"unexpected answer: {head[:80]!r}")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            while len(body) < length:
                body += sock.recv(65536)


def _counted(pid: int) -> int:
    """The instructions callgrind counted in the process so far (every thread)."""
    out = subprocess.run(
        ["callgrind_control", "-e", "Ir", str(pid)], capture_output=True, text=True, check=True
    )
    rows = out.stdout.partition("Totals:")[2].splitlines()[1:]
    return sum(int(row.split()[-1].replace(",", "")) for row in rows if row.strip().startswith("Th"))


def callgrind(sides: dict[str, str | None], args: argparse.Namespace) -> None:
    n = args.callgrind
    print(f"(2) instructions per request of the server process (callgrind, after a warm-up of {n // 10})")
    figures: dict[str, dict[str, float]] = {}
    for name, pythonpath in sides.items():
        with tempfile.TemporaryDirectory() as tmp:
            wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/callgrind.out"]
            server = Server(pythonpath, wrapper, _options(name, args))
            try:
                for workload in args.workloads.split(","):
                    count = max(1, n // 10) if workload == "bulk" else n
                    _send(server.port, workload, max(1, count // 10))  # imports, caches, first-call work
                    subprocess.run(
                        ["callgrind_control", "-z", str(server.process.pid)], capture_output=True, check=True
                    )
                    _send(server.port, workload, count)
                    figures.setdefault(workload, {})[name] = _counted(server.process.pid) / count
            finally:
                server.stop()
    for workload, by_side in figures.items():
        for name, figure in by_side.items():
            print(f"  {workload:8} {name:8} {figure:12,.0f} instructions/request")
        if len(by_side) == 2:
            this, base = by_side
            print(f"  {workload:8} {this}/{base}: {by_side[this] / by_side[base]:.2f}x")


# --------------------------------------------------------------------------------------------- (3)


def client_callgrind(servers: dict[str, Server], args: argparse.Namespace) -> None:
    """Instructions per request of throughput.py's single-trigger client against each side's server:
    the difference of two client runs under callgrind (``n`` and ``5 n`` requests, each after its
    own warm-up), so the client's start-up cancels out."""
    n = args.client_callgrind
    print(f"(3) instructions per request of the client (callgrind, {n:,} and {5 * n:,} singles)")
    for transport in args.transports.split(","):
        spec = f"singles:sdk:{transport}"
        by_side: dict[str, float] = {}
        for name, server in servers.items():
            counts = []
            for calls in (n, 5 * n):
                server.admin("POST", "/__fake/reset")
                command = [sys.executable, str(THROUGHPUT), "--child", spec, "--url", server.url]
                counts.append(collected([*command, "--n", str(calls), "--concurrency", "64"]))
            # throughput.py's child sends max(n // 50, 64) warm-up requests before its n
            sent = [calls + max(calls // 50, 64) for calls in (n, 5 * n)]
            by_side[name] = (counts[1] - counts[0]) / (sent[1] - sent[0])
            print(f"  {spec:20} {name:8} {by_side[name]:12,.0f} instructions/request")
        if len(by_side) == 2:
            this, base = by_side
            print(f"  {spec:20} {this}/{base}: {by_side[this] / by_side[base]:.2f}x")


def _options(side: str, args: argparse.Namespace) -> list[str]:
    """The server options of one side (the baseline's server may not know ``--parser``)."""
    return ["--parser", args.parser] if side == "this" and args.parser else []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--baseline", help="a checkout whose FakeNovu is the baseline (generated code made there)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--transports", default="httpx,aiohttp")
    parser.add_argument("--clients", default="sdk", help="throughput.py's client sides: sdk, raw or both")
    parser.add_argument(
        "--workloads", default="singles,bulk", help="singles, bulk; subscribers (callgrind only: creates)"
    )
    parser.add_argument(
        "--callgrind", type=int, metavar="N", help="also count instructions (N single requests)"
    )
    parser.add_argument(
        "--parser", choices=("h11", "httptools"), help="this side's HTTP parser (default: the server's own)"
    )
    parser.add_argument(
        "--client-callgrind",
        type=int,
        metavar="N",
        help="also count the single-trigger client's instructions per request (runs of N and 5 N)",
    )
    parser.add_argument("--no-loopback", action="store_true", help="only the callgrind counts")
    args = parser.parse_args()
    sides: dict[str, str | None] = {"this": None}
    if args.baseline:
        sides["baseline"] = str(Path(args.baseline).resolve())
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    if not args.no_loopback or args.client_callgrind:
        servers = {name: Server(path, options=_options(name, args)) for name, path in sides.items()}
        try:
            if not args.no_loopback:
                loopback(servers, args)
            if args.client_callgrind:
                client_callgrind(servers, args)
        finally:
            for server in servers.values():
                server.stop()
    if args.callgrind:
        callgrind(sides, args)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
