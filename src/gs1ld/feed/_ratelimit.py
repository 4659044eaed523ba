"""An informed rate-limit governor: pace requests by the API's own headers.

The API sends ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset``
(seconds until the window resets) and ``RateLimit-Policy``, plus the legacy
``X-RateLimit-*`` whose Reset is an absolute Unix time. The governor counts
requests in flight against what remains, and when nothing remains it waits for
the reset instead of spending a request on a 429.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Governor", "RateLimitState", "parse_rate_limit"]

_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """What one response said about the quota.

    Attributes:
        limit: requests allowed in the most restrictive window.
        remaining: requests left in it.
        reset_at: when it resets, on the governor's clock (seconds).
    """

    limit: int | None
    remaining: int
    reset_at: float


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    match = _NUMBER.fullmatch(value.split(",")[0])
    return float(match.group(1)) if match else None


def parse_rate_limit(
    headers: Mapping[str, str], *, now: float, wall_now: float
) -> RateLimitState | None:
    """Read the quota headers of a response; None when there are none (or garbage).

    Args:
        headers: the response headers (case-insensitive mapping).
        now: the governor's clock now (monotonic seconds).
        wall_now: the Unix time now, to read the legacy absolute reset.
    """
    remaining = _number(headers.get("ratelimit-remaining"))
    reset = _number(headers.get("ratelimit-reset"))
    limit = _number(headers.get("ratelimit-limit"))
    if remaining is None:
        remaining = _number(headers.get("x-ratelimit-remaining"))
        limit = _number(headers.get("x-ratelimit-limit"))
        absolute = _number(headers.get("x-ratelimit-reset"))
        reset = None if absolute is None else max(0.0, absolute - wall_now)
    if remaining is None or reset is None:
        return None
    return RateLimitState(None if limit is None else int(limit), int(remaining), now + reset)


class Governor:
    """Keeps in-flight requests within the remaining quota, waiting for resets.

    Thread-safe; the async client runs it in its event loop's thread. ``clock``
    and ``sleep`` are injected so tests can drive time.
    """

    def __init__(self, clock: Callable[[], float], *, enabled: bool = True) -> None:
        self._clock = clock
        self.enabled = enabled
        self._lock = threading.Lock()
        self._state: RateLimitState | None = None
        self._in_flight = 0

    def delay(self) -> float:
        """Seconds to wait before the next request may start (0 to go now); reserves a slot."""
        with self._lock:
            state = self._state
            if not self.enabled or state is None:
                self._in_flight += 1
                return 0.0
            now = self._clock()
            if now >= state.reset_at:
                self._state = None
                self._in_flight += 1
                return 0.0
            if state.remaining - self._in_flight > 0:
                self._in_flight += 1
                return 0.0
            return state.reset_at - now + 0.01

    def release(self, state: RateLimitState | None) -> None:
        """A request finished; record what its response said about the quota."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            if state is None:
                return
            current = self._state
            if current is None or state.reset_at > current.reset_at + 0.5:
                self._state = state  # a new window
            elif state.remaining < current.remaining:
                self._state = state  # the same window, fewer left
