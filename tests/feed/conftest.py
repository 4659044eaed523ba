"""The fake API on a free 127.0.0.1 port, and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apihelpers import example_products
from fakeapi import FakeApi

from support import RunningServer


@pytest.fixture
def fake() -> FakeApi:
    """The fake's state; tests may set quotas and faults before they call it."""
    return FakeApi(products=example_products())


@pytest.fixture
def api_url(fake: FakeApi) -> Iterator[str]:
    """The base URL of a running fake API."""
    with RunningServer(fake.app()) as server:
        yield server.url
