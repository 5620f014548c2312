"""Novu's own TypeScript SDK (``@novu/api``, pinned in package-lock.json, installed by ``make setup``)
agrees with FakeNovu: ``node/ts_sdk_scenario.mjs`` runs one scenario across every resource group of
the SDK against a FakeNovu server process (on 127.0.0.1, a free port, stopped by PID): every call's
answer passes the SDK's zod parsing and every expected error arrives as the SDK's typed error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from novu_async.testing import FakeNovuProcess

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("node") / "ts_sdk_scenario.mjs"
SDK = ROOT / "node_modules" / "@novu" / "api" / "package.json"
KEY = "sk-ts-sdk-0123456789abcdef"
# the SDK's resource groups (its sdk/*.ts) plus the root's trigger operations
GROUPS = [
    "Activity",
    "Agents",
    "Channel Connections",
    "Channel Endpoints",
    "Contexts",
    "Domains",
    "Environment Variables",
    "Environments",
    "Events",
    "Integrations",
    "Layouts",
    "Messages",
    "Notifications",
    "Subscribers",
    "Topics",
    "Translations",
    "Workflows",
]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeNovuProcess]:
    with FakeNovuProcess(secret_key=KEY) as process:
        yield process


def test_the_typescript_sdk_agrees(server: FakeNovuProcess) -> None:
    node = shutil.which("node")
    if node is None or not SDK.is_file():
        pytest.fail("node and node_modules/@novu/api are needed: run `make setup`", pytrace=False)
    assert json.loads(SDK.read_text(encoding="utf-8"))["version"] == "3.19.1"
    env = {"PATH": os.environ.get("PATH", ""), "NOVU_SECRET_KEY": KEY}  # nothing else: no proxies
    ran = subprocess.run(
        [node, str(SCENARIO), server.url], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert ran.returncode == 0, ran.stderr
    outcome = json.loads(ran.stdout.strip().splitlines()[-1])
    assert outcome["refused"] == []  # no request left 127.0.0.1
    assert outcome["failures"] == []
    assert outcome["groups"] == GROUPS
    assert outcome["calls"] >= 120
    # what the scenario did is what the fake saw: its triggers were accepted and delivered
    stats = server.stats()
    assert stats["events"] >= 5
    assert stats["by_status"].get("501", 0) == 0
