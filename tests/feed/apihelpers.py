"""Helpers the client tests import: the fake's data and client options for it."""

from __future__ import annotations

import random
from typing import Any

from gs1ld.catalog.reader import iter_raw_entries
from gs1ld.feed._retry import RetryPolicy
from gs1ld.feed.client import ClientOptions
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG

API_KEY = "csb_test_key_DO_NOT_LEAK_1234"


def example_products() -> dict[str, dict[str, Any]]:
    """The example catalog's bundles, keyed by GTIN-14."""
    return {raw.data["gtin"]: raw.data["content"] for raw in iter_raw_entries(EXAMPLE_CATALOG)}


def synthetic_products(n: int) -> dict[str, dict[str, Any]]:
    """``n`` generated bundles, keyed by GTIN-14."""
    return {e["gtin"]: e["content"] for e in synthetic_catalog(n, seed=21)}


def options(api_url: str, **overrides: Any) -> ClientOptions:
    """Client options for the fake: its key, a fast and seeded backoff."""
    values: dict[str, Any] = {
        "api_url": api_url,
        "api_key": API_KEY,
        "timeout": 5.0,
        "retry": RetryPolicy(max_attempts=5, base=0.01, cap=0.05, rng=random.Random(7)),
    }
    values.update(overrides)
    return ClientOptions(**values)
