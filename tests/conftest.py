"""Fixtures shared by every test folder (importable helpers live in ``support.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import EXAMPLE_CATALOG, PROJECT_ROOT, SHARED_DIR, local_cluster, require_shared

__all__ = ["EXAMPLE_CATALOG", "PROJECT_ROOT", "SHARED_DIR", "require_shared"]


@pytest.fixture
def shared_dir() -> Path:
    """The ``../shared`` folder (skips, or fails under CI, when absent)."""
    return require_shared("")


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A Dask client on a two-process LocalCluster, started once for the whole run."""
    distributed = pytest.importorskip("distributed")
    with (
        local_cluster() as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
