"""Prism, the mock server the contract tests send requests to, and how to read its verdicts.

``PrismServer`` runs ``node_modules/.bin/prism mock`` for one document on a free loopback port (the
real node process, not an ``npx`` wrapper, so stopping it by PID stops Prism). Prism validates each
request against the document and lists what it rejects in the ``sl-violations`` response header.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import httpx

from tests.contract.document import effective_pattern

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
AUTH_HEADERS = {"Authorization": "ApiKey test-secret"}

PrismFactory = Callable[[Path], str]
"""``prism_server(document_path) -> base URL`` (the ``prism_server`` fixture)."""


class PrismServer:
    """One ``prism mock`` process serving one document on 127.0.0.1."""

    def __init__(self, document: Path, *, log_dir: Path) -> None:
        self.document = document
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"prism-{document.stem}-{self.port}.log"
        self._log: IO[bytes] = self.log_path.open("wb")
        # The real node process, not an `npx` wrapper: stopping it by PID stops Prism.
        self.process = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(self.port), "-v", "warn", str(document)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        )

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Poll with a real request until Prism answers (any HTTP status means it routes)."""
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=2.0, headers=AUTH_HEADERS) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"Prism exited with status {self.process.returncode} before it was ready:\n"
                        + self.output()
                    )
                try:
                    client.get("/")
                except httpx.TransportError:
                    pass
                else:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Prism did not answer within {timeout:.0f} s:\n{self.output()}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self._log.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request_violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's errors about the request.

    They are in the ``sl-violations`` header when the operation documents an error response that
    Prism can answer with; otherwise Prism makes its own ``application/problem+json`` 422 and lists
    them in its ``validation`` member. The header also holds warnings (a deprecated query parameter)
    and the violations of Prism's own answer (some examples of the document break its schemas):
    neither is the request's fault, so both are left out.
    """
    raw = response.headers.get("sl-violations")
    found: list[dict[str, Any]] = [
        v for v in (json.loads(raw) if raw else []) if v.get("location", [None])[0] == "request"
    ]
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if isinstance(problem, dict) and isinstance(problem.get("validation"), list):
            found += [{**v, "location": ["request", *v.get("location", [])]} for v in problem["validation"]]
    return [v for v in found if v.get("severity", "Error") == "Error"]


_PATTERN_MESSAGE = re.compile(r'must match pattern "(?P<pattern>.*)"$')


def is_literal_pattern_defect(violation: dict[str, Any]) -> bool:
    """Whether a violation is Prism enforcing a ``pattern`` that the document does not mean as the regex
    written: a JavaScript regex literal with its slashes (``'/^[A-Za-z][A-Za-z0-9_]*$/'``), which no
    string can match when taken literally. No request can pass such a pattern in Prism."""
    if violation.get("code") != "pattern":
        return False
    found = _PATTERN_MESSAGE.search(str(violation.get("message", "")))
    if found is None:
        return False
    meant = effective_pattern(found["pattern"])
    # a placeholder (`SLUG_IDENTIFIER_REGEX`, meant None) can be met literally: not a defect
    return meant is not None and meant != found["pattern"]


def only_literal_pattern_defects(response: httpx.Response) -> bool:
    """A 422 whose every request violation is a literal-pattern defect: Prism found nothing else wrong
    (it reports all violations, not the first), so the request is valid as the document means it."""
    violations = request_violations(response)
    return (
        response.status_code == 422
        and bool(violations)
        and all(is_literal_pattern_defect(v) for v in violations)
    )
