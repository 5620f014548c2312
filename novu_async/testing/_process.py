"""``FakeNovuProcess``: FakeNovu's HTTP server in a child process, from synchronous code.

For benchmarks (the client under test keeps a core to itself), the demo, a CLI's tests, or tests of
code that is not async::

    with FakeNovuProcess(secret_key="sk", faults="drop_after=0.03") as server:
        run_my_code(server_url=server.url)
        assert server.stats()["events"] == 1000
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from types import TracebackType
from typing import Any

import httpx

__all__ = ["FakeNovuProcess"]


class FakeNovuProcess:
    """``python -m novu_async.testing`` on ``host`` at a free port: started on ``__enter__`` (which
    returns once the server listens), stopped by SIGTERM, then SIGKILL, on ``__exit__``.

    ``faults`` and ``rate_limit`` take the command line's SPEC strings (``rate_limit="off"``: no
    limits; None: the generous default); ``url`` is the base URL.
    ``stats()``, ``ledger()`` and ``reset()`` read and clear the server's state over HTTP.
    """

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        host: str = "127.0.0.1",
        faults: str | None = None,
        rate_limit: str | None = None,
        seed: int = 0,
        latency: float = 0.0,
        startup_timeout: float = 30.0,
    ) -> None:
        self._secret_key = secret_key
        self._command = [sys.executable, "-m", "novu_async.testing", "--host", host, "--port", "0"]
        self._command += ["--seed", str(seed), "--latency", str(latency)]
        if faults:
            self._command += ["--faults", faults]
        if rate_limit:
            self._command += ["--rate-limit", rate_limit]
        self._startup_timeout = startup_timeout
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def __enter__(self) -> FakeNovuProcess:
        env = dict(os.environ)
        env.pop("NOVU_FAKE_SECRET_KEY", None)
        if self._secret_key is not None:
            env["NOVU_FAKE_SECRET_KEY"] = self._secret_key  # not on the command line: ps would show it
        self._process = subprocess.Popen(self._command, stdout=subprocess.PIPE, text=True, env=env)
        assert self._process.stdout is not None
        readable, _, _ = select.select([self._process.stdout], [], [], self._startup_timeout)
        line = self._process.stdout.readline().strip() if readable else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"FakeNovu did not start within {self._startup_timeout} s: {line!r}")
        self.url = line
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def _call(self, method: str, path: str) -> Any:
        headers = {} if self._secret_key is None else {"Authorization": f"ApiKey {self._secret_key}"}
        response = httpx.request(method, self.url + path, headers=headers, timeout=60)
        response.raise_for_status()
        return response.json()

    def stats(self) -> dict[str, Any]:
        """The server's counters (``FakeNovu.summary()``)."""
        stats: dict[str, Any] = self._call("GET", "/__fake/stats")
        return stats

    def ledger(self) -> list[dict[str, Any]]:
        """Every accepted event, in order (slow for millions of events)."""
        ledger: list[dict[str, Any]] = self._call("GET", "/__fake/ledger")
        return ledger

    def reset(self) -> None:
        """Forget every event, subscriber, idempotency key and counter."""
        self._call("POST", "/__fake/reset")

    def __repr__(self) -> str:
        return f"FakeNovuProcess(url={self.url!r}, pid={self.pid})"
