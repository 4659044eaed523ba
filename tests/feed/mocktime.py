"""A clock and sleeps the client tests drive by hand, and mock transports over them.

The client takes ``clock``, ``wall`` and ``sleep`` from its caller; these stand-ins
move time only when the client sleeps (or a mock body says so), so retries,
deadlines and the rate governor are tested without waiting a real second.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gs1ld.feed._retry import RetryPolicy
from gs1ld.feed.client import AsyncClient, Client, ClientOptions

API = "https://api.test"
KEY = "csb_mock_key_NEVER_PRINT_42"


@dataclass
class FakeTime:
    """Monotonic and wall time that move only when told to."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return 1_700_000_000.0 + self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)  # let the other tasks run, as a real sleep would


def mock_options(**overrides: Any) -> ClientOptions:
    """Options with the mock key and a seeded backoff."""
    values: dict[str, Any] = {
        "api_url": API,
        "api_key": KEY,
        "timeout": 5.0,
        "retry": RetryPolicy(max_attempts=4, base=1.0, cap=8.0, rng=random.Random(3)),
    }
    values.update(overrides)
    return ClientOptions(**values)


def sync_client(
    handler: Callable[[httpx.Request], httpx.Response], time: FakeTime, **options: Any
) -> Client:
    """A :class:`Client` over ``handler``, on ``time``."""
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Client(
        options=mock_options(**options),
        http=http,
        clock=time.clock,
        wall=time.wall,
        sleep=time.sleep,
    )


def async_client(
    handler: Callable[[httpx.Request], Any], time: FakeTime, **options: Any
) -> AsyncClient:
    """An :class:`AsyncClient` over ``handler`` (sync or async), on ``time``."""
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncClient(
        options=mock_options(**options),
        http=http,
        clock=time.clock,
        wall=time.wall,
        sleep=time.asleep,
    )
