"""``novu-async trigger``: one event, end to end against FakeNovu's server process."""

from __future__ import annotations

import json

from novu_async.testing import FakeNovuProcess
from tests.cli.conftest import KEY, run_cli


def test_trigger_prints_the_transaction_id_the_server_recorded(fresh: FakeNovuProcess) -> None:
    done = run_cli(
        "--server-url",
        fresh.url,
        "trigger",
        "welcome",
        "--to",
        "ada",
        "--to",
        '{"subscriberId": "grace", "email": "grace@example.com"}',
        "--payload",
        '{"greeting": "hi"}',
    )
    assert done.returncode == 0, done.stderr
    transaction_id, status = done.stdout.split()
    assert status == "processed"
    [entry] = fresh.ledger()
    assert entry["transaction_id"] == transaction_id
    assert entry["event"]["name"] == "welcome"
    assert entry["event"]["to"] == ["ada", {"subscriberId": "grace", "email": "grace@example.com"}]
    assert entry["event"]["payload"] == {"greeting": "hi"}
    assert KEY not in done.stdout + done.stderr


def test_trigger_json_with_global_options_after_the_command(fresh: FakeNovuProcess) -> None:
    done = run_cli(
        "trigger", "welcome", "--to", "ada", "--transaction-id", "tx-1", "--json", "--server-url", fresh.url
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"acknowledged": True, "status": "processed", "transactionId": "tx-1"}
    assert [entry["transaction_id"] for entry in fresh.ledger()] == ["tx-1"]


def test_a_wrong_key_exits_1_without_showing_it(fresh: FakeNovuProcess) -> None:
    wrong = "sk-wrong-7d3a0b55e1"
    done = run_cli(
        "--server-url", fresh.url, "--retries", "0", "trigger", "welcome", "--to", "ada", key=wrong
    )
    assert done.returncode == 1
    assert "AuthenticationError" in done.stderr
    assert wrong not in done.stdout + done.stderr
    assert fresh.ledger() == []


def test_bad_payload_and_missing_key_are_usage_errors(fresh: FakeNovuProcess) -> None:
    bad = run_cli("--server-url", fresh.url, "trigger", "welcome", "--to", "ada", "--payload", "[1]")
    assert bad.returncode == 2
    assert "--payload: expected a JSON object, got an array" in bad.stderr
    no_key = run_cli("--server-url", fresh.url, "trigger", "welcome", "--to", "ada", key=None)
    assert no_key.returncode == 2
    assert "NOVU_SECRET_KEY" in no_key.stderr
    assert fresh.stats()["requests"] == 0


def test_the_server_comes_from_novu_server_url_when_no_option_names_one(fresh: FakeNovuProcess) -> None:
    done = run_cli("trigger", "welcome", "--to", "ada", "--json", env={"NOVU_SERVER_URL": fresh.url})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["acknowledged"] is True
    assert [entry["event"]["to"] for entry in fresh.ledger()] == ["ada"]
    # an option wins over the environment: nothing listens on port 9, so the call fails
    refused = run_cli(
        "--server-url", "http://127.0.0.1:9", "--retries", "0", "trigger", "welcome", "--to", "ada",
        env={"NOVU_SERVER_URL": fresh.url},
    )  # fmt: skip
    assert refused.returncode == 1
    assert "APIConnectionError" in refused.stderr
    assert len(fresh.ledger()) == 1
