"""Rate-limit headers, the governor and backoff, without a server."""

from __future__ import annotations

import random

import pytest

from gs1ld.feed._ratelimit import Governor, RateLimitState, parse_rate_limit
from gs1ld.feed._retry import RetryPolicy


def test_standard_headers_are_relative_seconds() -> None:
    state = parse_rate_limit(
        {"ratelimit-limit": "300", "ratelimit-remaining": "12", "ratelimit-reset": "30"},
        now=100.0,
        wall_now=1_700_000_000.0,
    )
    assert state == RateLimitState(300, 12, 130.0)


def test_legacy_headers_reset_is_an_absolute_unix_time() -> None:
    state = parse_rate_limit(
        {
            "x-ratelimit-limit": "300",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": "1700000045",
        },
        now=10.0,
        wall_now=1_700_000_000.0,
    )
    assert state == RateLimitState(300, 0, 55.0)


@pytest.mark.parametrize(
    "headers",
    [{}, {"ratelimit-remaining": "abc", "ratelimit-reset": "1"}, {"ratelimit-remaining": "5"}],
)
def test_missing_or_garbage_headers_are_ignored(headers: dict[str, str]) -> None:
    assert parse_rate_limit(headers, now=0.0, wall_now=0.0) is None


def test_governor_counts_requests_in_flight_and_waits_for_the_reset() -> None:
    now = [0.0]
    governor = Governor(lambda: now[0])
    assert governor.delay() == 0  # nothing known yet
    governor.release(RateLimitState(10, 2, 5.0))
    assert governor.delay() == 0
    assert governor.delay() == 0
    assert governor.delay() == pytest.approx(5.01)  # two in flight, two remaining
    governor.release(RateLimitState(10, 1, 5.0))
    governor.release(RateLimitState(10, 0, 5.0))
    now[0] = 5.0
    assert governor.delay() == 0  # the window reset


def test_disabled_governor_never_waits() -> None:
    governor = Governor(lambda: 0.0, enabled=False)
    governor.release(RateLimitState(1, 0, 100.0))
    assert governor.delay() == 0


def test_backoff_is_capped_full_jitter() -> None:
    policy = RetryPolicy(base=0.5, cap=4.0, rng=random.Random(1))
    for attempt in range(1, 10):
        ceiling = min(4.0, 0.5 * 2 ** (attempt - 1))
        values = [policy.backoff(attempt) for _ in range(200)]
        assert all(0 <= v <= ceiling for v in values)
        assert max(values) > ceiling * 0.8
