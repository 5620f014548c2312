"""``Faults``, ``RateLimit`` and ``FakeNovu`` settings: parsing and the values they refuse."""

from __future__ import annotations

from typing import Any

import pytest

from novu_async.testing import FakeNovu, Faults, RateLimit


def test_faults_parse_and_thresholds() -> None:
    faults = Faults.parse("drop_after=0.03, status_503=0.03,slow=0.01,slow-seconds=0.5,paths=/a|/b")
    assert faults == Faults(drop_after=0.03, status_503=0.03, slow=0.01, slow_seconds=0.5, paths=["/a", "/b"])
    assert faults.paths == frozenset({"/a", "/b"})
    assert [(round(threshold, 9), kind) for threshold, kind in faults.thresholds()] == [
        (0.03, "drop_after"),
        (0.06, "status_503"),
        (0.07, "slow"),
    ]
    assert Faults(paths="/only").paths == frozenset({"/only"})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"drop_after": 1.5}, "probability"),
        ({"status_500": -0.1}, "probability"),
        ({"drop_after": 0.6, "status_503": 0.6}, "add up to 1.2"),
        ({"slow_seconds": -1.0}, "slow_seconds"),
    ],
)
def test_faults_refuse(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Faults(**values)


def test_rate_limit_parse_and_defaults() -> None:
    assert RateLimit().limits == {"trigger": 100.0}
    assert RateLimit().capacity("trigger") == pytest.approx(110.0)
    parsed = RateLimit.parse("trigger=10,configuration=5,window=2,burst=0,bulk_cost=7")
    assert parsed == RateLimit(limits={"trigger": 10, "configuration": 5}, window=2, burst=0, bulk_cost=7)
    assert RateLimit.parse("burst=0.5") == RateLimit(burst=0.5)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"limits": {"events": 1}}, "unknown rate-limit category"),
        ({"limits": {"trigger": 0}}, "must be > 0"),
        ({"window": 0}, "window"),
        ({"bulk_cost": 0}, "bulk_cost"),
        ({"burst": -1}, "burst"),
    ],
)
def test_rate_limit_refuses(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimit(**values)


def test_fake_settings() -> None:
    with pytest.raises(ValueError, match="secret_key"):
        FakeNovu(" ")
    with pytest.raises(ValueError, match="latency"):
        FakeNovu(latency=-1)
    assert "secret_key=None" in repr(FakeNovu())
    assert FakeNovu().client_secret_key == "test-secret"
    assert FakeNovu("abc").client_secret_key == "abc"
