"""Every example in examples/ runs against FakeNovu: in process, over loopback, or as a child process."""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest

from novu_async.errors import ClientClosedError
from novu_async.testing import FakeNovu, FakeNovuProcess, Faults

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SECRET = "examples-secret-key"


def load_example(name: str) -> ModuleType:
    """Import ``examples/NAME.py`` (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server_process() -> Iterator[FakeNovuProcess]:
    """One FakeNovu server process for the tests of this module that need no faults."""
    with FakeNovuProcess(SECRET) as server:
        yield server


@pytest.fixture
def server(server_process: FakeNovuProcess) -> FakeNovuProcess:
    server_process.reset()  # no events, subscribers or idempotency keys from an earlier test
    return server_process


def run_example(script: str, *args: str, url: str, key: str = SECRET) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NOVU_SECRET_KEY": key, "NOVU_SERVER_URL": url}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )


# --- FastAPI


def test_the_fastapi_example_s_own_tests_pass() -> None:
    """examples/test_fastapi_app.py, run the way its reader would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/test_fastapi_app.py"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^4 passed\b", done.stdout, re.MULTILINE), done.stdout


def test_the_fastapi_app_reads_its_server_from_the_environment(
    server: FakeNovuProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The production path: no injected client, the key and URL from the environment, a real socket."""
    from fastapi.testclient import TestClient

    fastapi_app = load_example("fastapi_app")
    monkeypatch.setenv("NOVU_SECRET_KEY", SECRET)
    monkeypatch.setenv("NOVU_SERVER_URL", server.url)
    with TestClient(fastapi_app.create_app()) as client:
        response = client.post(
            "/signup", json={"user_id": "grace", "email": "grace@example.com", "first_name": "Grace"}
        )
        novu = client.app.state.novu
    ledger = server.ledger()
    stats = server.stats()
    assert response.status_code == 201, response.text
    assert [(entry["event"]["name"], entry["event"]["to"]) for entry in ledger] == [("welcome", "grace")]
    assert response.json()["transactionId"] == ledger[0]["transaction_id"]
    assert stats["subscribers"] == 1
    with pytest.raises(ClientClosedError):  # the lifespan closed the client at shutdown
        anyio.run(novu.subscribers.search)


# --- aiohttp


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # aiohttp runs on asyncio only


@pytest.mark.anyio
async def test_the_aiohttp_app_triggers_through_its_client() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    aiohttp_app = load_example("aiohttp_app")
    fake = FakeNovu()
    app = aiohttp_app.create_app(fake.client)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        comment = {"post_author": "ada", "commenter": "Grace", "text": "Nice post!"}
        response = await client.post("/comments", json=comment)
        assert response.status == 202
        body = await response.json()
        bad = await client.post("/comments", json={"post_author": "ada"})
        assert bad.status == 400

        # a 429 asking for a longer wait than the client accepts (60 s) reaches the handler at once
        fake.faults = Faults(retry_after=120)
        fake.fail_next("status_429")
        limited = await client.post("/comments", json=comment)
        novu = app[aiohttp_app.NOVU]

    [sent] = fake.ledger
    assert sent.event == {
        "name": "new-comment",
        "to": "ada",
        "payload": {"commenter": "Grace", "text": "Nice post!"},
    }
    assert body == {"transactionId": sent.transaction_id}
    assert limited.status == 503
    assert limited.headers["Retry-After"] == "120"
    with pytest.raises(ClientClosedError):  # cleanup_ctx closed the client when the app stopped
        await novu.trigger({"name": "new-comment", "to": "ada"})


@pytest.mark.anyio
async def test_the_aiohttp_app_reads_its_server_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    aiohttp_app = load_example("aiohttp_app")
    fake = FakeNovu(SECRET)
    async with fake.serve() as server:  # FakeNovu over a socket on 127.0.0.1, in this event loop
        monkeypatch.setenv("NOVU_SECRET_KEY", SECRET)
        monkeypatch.setenv("NOVU_SERVER_URL", server.url)
        async with TestClient(TestServer(aiohttp_app.create_app(), host="127.0.0.1")) as client:
            comment = {"post_author": "alan", "commenter": "Ada", "text": "Hello"}
            response = await client.post("/comments", json=comment)
            assert response.status == 202, await response.text()
    assert [(entry.event["name"], entry.event["to"]) for entry in fake.ledger] == [("new-comment", "alan")]


# --- trio


def test_the_trio_script_welcomes_every_user_once(server: FakeNovuProcess) -> None:
    trio_script = load_example("trio_script")
    users = [user_id for user_id, _, _ in trio_script.NEW_USERS]
    done = run_example("trio_script.py", url=server.url)
    ledger = server.ledger()
    stats = server.stats()
    assert done.returncode == 0, done.stderr
    welcomed = dict(re.findall(r"^welcomed (\w+): transaction (\S+)$", done.stdout, re.MULTILINE))
    assert sorted(welcomed) == sorted(users)
    assert f"done: {len(users)} users welcomed" in done.stdout
    assert sorted(entry["event"]["to"] for entry in ledger) == sorted(users)
    assert {entry["event"]["to"]: entry["transaction_id"] for entry in ledger} == welcomed
    assert {entry["event"]["name"] for entry in ledger} == {"welcome"}
    assert stats["subscribers"] == len(users)


# --- CSV


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["subscriberId", "email", "firstName", "plan", "articles"])
        for n in range(rows):
            writer.writerow([f"user-{n}", f"user-{n}@example.com", f"Name {n}", ["free", "pro"][n % 2], n])


def test_csv_bulk_sends_every_row_once_and_resumes_with_its_prefix(tmp_path: Path) -> None:
    rows = 3000
    data = tmp_path / "subscribers.csv"
    write_csv(data, rows)
    command = (str(data), "--workflow", "digest", "--prefix", "digest-test", "--concurrency", "4")
    with FakeNovuProcess(SECRET, faults="drop_after=0.03", seed=3) as server:
        first = run_example("csv_bulk.py", *command, url=server.url)
        again = run_example("csv_bulk.py", *command, url=server.url)  # the same prefix: all replayed
        ledger = server.ledger()
        faults = server.stats()["faults"]

    assert faults["drop_after"] > 0  # some requests were processed, then their answers lost
    assert first.returncode == 0, first.stdout + first.stderr
    assert "3,000 rows read: 3,000 accepted, 0 failed (30 chunks" in first.stdout
    assert again.returncode == 0, again.stdout + again.stderr
    assert "3,000 accepted, 0 failed (30 chunks, 30 of them already sent by an earlier run)" in again.stdout
    counts = Counter(entry["event"]["to"]["subscriberId"] for entry in ledger)
    assert counts == Counter(f"user-{n}" for n in range(rows))  # each row once, despite faults and reruns
    user_1: dict[str, Any] = next(e["event"] for e in ledger if e["event"]["to"]["subscriberId"] == "user-1")
    assert user_1 == {
        "name": "digest",
        "to": {"subscriberId": "user-1", "email": "user-1@example.com", "firstName": "Name 1"},
        "payload": {"plan": "pro", "articles": "1"},
    }


def test_csv_bulk_exits_1_when_rows_are_refused(server: FakeNovuProcess, tmp_path: Path) -> None:
    data = tmp_path / "subscribers.csv"
    write_csv(data, 250)
    done = run_example(
        "csv_bulk.py", str(data), "--workflow", "digest", "--prefix", "p", url=server.url, key="wrong-key"
    )
    events = server.stats()["events"]
    assert done.returncode == 1
    assert "0 accepted" in done.stdout
    assert "stopped early" in done.stderr
    assert events == 0


def test_csv_bulk_refuses_a_file_without_subscriber_ids(tmp_path: Path) -> None:
    data = tmp_path / "people.csv"
    data.write_text("email,firstName\nada@example.com,Ada\n", encoding="utf-8")
    done = run_example(
        "csv_bulk.py", str(data), "--workflow", "digest", "--prefix", "p", url="http://127.0.0.1:9"
    )
    assert done.returncode == 2
    assert "subscriberId" in done.stderr


def test_csv_bulk_sends_the_sample_file(server: FakeNovuProcess) -> None:
    sample = EXAMPLES / "data" / "subscribers.csv"
    with sample.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    done = run_example("csv_bulk.py", str(sample), "--workflow", "digest", "--prefix", "s", url=server.url)
    ledger = server.ledger()
    assert done.returncode == 0, done.stderr
    assert f"{len(rows)} rows read: {len(rows)} accepted, 0 failed" in done.stdout
    assert [entry["event"]["to"]["subscriberId"] for entry in ledger] == [row["subscriberId"] for row in rows]
