"""Fixtures shared by every test folder (importable helpers live in ``support.py``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import (
    EXAMPLE_CATALOG,
    PROJECT_ROOT,
    SHARED_DIR,
    free_port,
    isolate_from_aws_config,
    local_cluster,
    require_shared,
)

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


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-protocol server (moto's server mode) on a free 127.0.0.1 port."""
    moto_server = pytest.importorskip("moto.server")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


_BUCKETS = itertools.count(1)


@pytest.fixture
def s3_bucket(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[Any, str]]:
    """(s3fs file system, bucket name): a fresh bucket, with fake credentials and the
    endpoint in the environment (``AWS_ENDPOINT_URL``), as a user would set them."""
    s3fs = pytest.importorskip("s3fs")
    isolate_from_aws_config(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    name = f"bucket-{next(_BUCKETS)}"
    fs = s3fs.S3FileSystem(endpoint_url=s3_endpoint)
    fs.mkdir(name)
    yield fs, name
    s3fs.S3FileSystem.clear_instance_cache()
