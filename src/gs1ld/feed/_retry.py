"""Capped exponential backoff with full jitter, and the answer to "retry this?"."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["RETRY_STATUSES", "RetryPolicy"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry.

    Attributes:
        max_attempts: tries per request, the first included.
        base: the first backoff ceiling in seconds.
        cap: the largest backoff in seconds.
        rng: the randomness of the jitter (seed it for reproducible tests).
    """

    max_attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): uniform in [0, ceiling]."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self.rng.uniform(0, ceiling)
