"""What a ``FakeNovu`` misbehaves with: ``Faults`` (injected failures) and ``RateLimit`` (token buckets)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, get_args

import attrs

from ._wire import number_text

__all__ = ["CATEGORIES", "FAULT_KINDS", "GENEROUS", "FaultKind", "Faults", "RateLimit"]

FaultKind = Literal[
    "drop_before", "drop_after", "status_500", "status_503", "status_429", "slow", "malformed"
]
FAULT_KINDS: Final[tuple[FaultKind, ...]] = get_args(FaultKind)

# Novu's rate-limit categories: trigger endpoints, configuration (subscribers, topics...), the rest
CATEGORIES: Final = ("trigger", "configuration", "global")


def _probability(_: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Faults.{attribute.name} must be a probability in [0, 1], got {value!r}")


def _non_negative(_: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _paths(value: Iterable[str] | None) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset({value})
    return None if value is None else frozenset(value)


def _pairs(text: str, what: str) -> dict[str, str]:
    """``"a=1,b=2"`` -> ``{"a": "1", "b": "2"}``."""
    pairs: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"{what}: expected NAME=VALUE, got {item.strip()!r}")
        pairs[name.strip().replace("-", "_")] = value.strip()
    return pairs


def _number(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name}: expected a number, got {text!r}") from None


@attrs.frozen(kw_only=True)
class Faults:
    """Probabilistic failures, drawn once per request from the fake's seeded random generator.

    Each ``FaultKind`` field is the probability that a request gets that fault (at most one fault per
    request, so the probabilities must add up to at most 1):

    * ``drop_before``: the connection closes before the request is processed (nothing recorded);
    * ``drop_after``: the request IS processed (events go into the ledger, the idempotency key is
      completed), then the connection closes without an answer;
    * ``status_500`` / ``status_503``: an error answer before processing; 503 carries ``Retry-After``;
    * ``status_429``: a rate-limit answer with ``Retry-After`` before processing;
    * ``slow``: processed at once, answered after ``slow_seconds`` (a client timeout fires first when
      it is shorter; the work is recorded all the same, as a real server would have done it);
    * ``malformed``: processed, answered with the right status but a truncated JSON body.

    ``retry_after`` is the ``Retry-After`` (seconds) of injected 429 and 503 answers; ``paths``, when
    given, limits injection to those requests: each entry a request path
    (``"/v1/events/trigger/bulk"``), an operationId (``"EventsController_triggerBulk"``) or an SDK
    function name (``"trigger_bulk"``).
    """

    drop_before: float = attrs.field(default=0.0, validator=_probability)
    drop_after: float = attrs.field(default=0.0, validator=_probability)
    status_500: float = attrs.field(default=0.0, validator=_probability)
    status_503: float = attrs.field(default=0.0, validator=_probability)
    status_429: float = attrs.field(default=0.0, validator=_probability)
    slow: float = attrs.field(default=0.0, validator=_probability)
    malformed: float = attrs.field(default=0.0, validator=_probability)
    slow_seconds: float = attrs.field(default=2.0, validator=_non_negative)
    retry_after: float = attrs.field(default=1.0, validator=_non_negative)
    paths: frozenset[str] | None = attrs.field(default=None, converter=_paths)

    def __attrs_post_init__(self) -> None:
        total = sum(getattr(self, kind) for kind in FAULT_KINDS)
        if total > 1.0 + 1e-9:
            raise ValueError(f"the fault probabilities add up to {total:g}, more than 1")

    def thresholds(self) -> tuple[tuple[float, FaultKind], ...]:
        """Cumulative probabilities: a draw ``x`` gets the first kind whose threshold exceeds it."""
        table: list[tuple[float, FaultKind]] = []
        total = 0.0
        for kind in FAULT_KINDS:
            probability: float = getattr(self, kind)
            if probability:
                total += probability
                table.append((total, kind))
        return tuple(table)

    @classmethod
    def parse(cls, text: str) -> Faults:
        """``"drop_after=0.03,status_503=0.03,slow_seconds=0.5"``; ``paths`` take ``|`` between paths."""
        values: dict[str, Any] = {}
        for name, value in _pairs(text, "faults").items():
            if name == "paths":
                values[name] = [p for p in value.split("|") if p]
            elif name in attrs.fields_dict(cls):
                values[name] = _number(name, value)
            else:
                raise ValueError(
                    f"faults: unknown name {name!r} (known: {', '.join(attrs.fields_dict(cls))})"
                )
        return cls(**values)


def _limits(value: Mapping[str, float]) -> dict[str, float]:
    limits = dict(value)
    for category, limit in limits.items():
        if category not in CATEGORIES:
            raise ValueError(
                f"unknown rate-limit category {category!r}: expected one of {', '.join(CATEGORIES)}"
            )
        if not limit > 0:
            raise ValueError(f"the {category} rate limit must be > 0, got {limit!r}")
    return limits


@attrs.frozen(kw_only=True)
class RateLimit:
    """Novu-style token buckets, one per category.

    ``limits``: requests per second per category (``trigger`` for the ``/v1/events`` endpoints,
    ``configuration`` for subscribers, ``global`` for anything else); a category left out is not
    limited and its answers carry no ``RateLimit-*`` headers. A bucket holds ``limit * window *
    (1 + burst)`` tokens and refills ``limit`` tokens per second. A single request costs 1 token;
    a bulk request (bulk trigger, broadcast, bulk subscriber creation) costs ``bulk_cost`` tokens
    whatever its size, like Novu's ``cost="bulk"`` (100), or a full bucket when it holds fewer.

    ``clock`` (seconds, monotonic) is injectable so tests can move time by hand.
    """

    limits: dict[str, float] = attrs.field(factory=lambda: {"trigger": 100.0}, converter=_limits)
    window: float = attrs.field(default=1.0)
    burst: float = attrs.field(default=0.1, validator=_non_negative)
    bulk_cost: int = attrs.field(default=100)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.window > 0:
            raise ValueError(f"window must be > 0, got {self.window!r}")
        if self.bulk_cost < 1:
            raise ValueError(f"bulk_cost must be >= 1, got {self.bulk_cost!r}")

    def capacity(self, category: str) -> float:
        return self.limits[category] * self.window * (1.0 + self.burst)

    @classmethod
    def generous(cls) -> RateLimit:
        """What a fake has unless told otherwise: every category limited, at a million tokens per
        second (a bulk request costs 100), so every answer carries ``RateLimit-*`` headers and no
        test ever meets the limit by accident."""
        return cls(limits={category: 1_000_000.0 for category in CATEGORIES})

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``"trigger=100,configuration=20,window=1,burst=0.1,bulk_cost=100"``."""
        limits: dict[str, float] = {}
        options: dict[str, Any] = {}
        for name, value in _pairs(text, "rate limit").items():
            if name in CATEGORIES:
                limits[name] = _number(name, value)
            elif name in ("window", "burst"):
                options[name] = _number(name, value)
            elif name == "bulk_cost":
                options[name] = int(_number(name, value))
            else:
                raise ValueError(f"rate limit: unknown name {name!r}")
        return cls(limits=limits, **options) if limits else cls(**options)


_NO_WAIT: Final = ("RateLimit-Reset", "0")


class Limiter:
    """The buckets of one ``RateLimit``: ``take(category, bulk)`` -> ``(allowed, headers, retry_after)``."""

    __slots__ = ("_buckets", "_clock", "_plans")

    def __init__(self, config: RateLimit) -> None:
        self._clock = config.clock
        now = self._clock()
        self._buckets = {category: [config.capacity(category), now] for category in config.limits}
        # per (category, bulk): what every take needs, worked out once
        self._plans = {
            (category, bulk): (
                limit,
                config.capacity(category),
                min(config.bulk_cost, config.capacity(category)) if bulk else 1,
                ("RateLimit-Limit", number_text(limit * config.window)),
                (
                    "RateLimit-Policy",
                    f"{number_text(limit * config.window)};w={number_text(config.window)};"
                    f'burst={number_text(config.capacity(category))};comment="token bucket";'
                    f'category="{category}";cost="{"bulk" if bulk else "single"}"',
                ),
            )
            for category, limit in config.limits.items()
            for bulk in (False, True)
        }

    def take(self, category: str, bulk: bool) -> tuple[bool, list[tuple[str, str]], int]:
        bucket = self._buckets.get(category)
        if bucket is None:
            return True, [], 0
        rate, capacity, cost, limit, policy = self._plans[category, bulk]
        now = self._clock()
        tokens = bucket[0]
        if now > bucket[1]:
            tokens += (now - bucket[1]) * rate
            if tokens > capacity:
                tokens = capacity
        bucket[1] = now
        allowed = tokens >= cost
        if allowed:
            tokens -= cost
        bucket[0] = tokens
        # seconds until a request of the same cost would pass again
        if tokens >= cost:
            headers = [limit, ("RateLimit-Remaining", str(int(tokens))), _NO_WAIT, policy]
            return allowed, headers, 1
        reset = math.ceil((cost - tokens) / rate)
        headers = [limit, ("RateLimit-Remaining", str(int(tokens))), ("RateLimit-Reset", str(reset)), policy]
        return allowed, headers, max(1, reset)


GENEROUS: Final = RateLimit.generous()
