"""Fixtures shared by every test folder (importable helpers live in ``support.py``)."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import (
    AZURITE_KEY,
    EXAMPLE_CATALOG,
    PROJECT_ROOT,
    SHARED_DIR,
    azurite_binary,
    free_port,
    isolate_from_aws_config,
    local_cluster,
    require_shared,
    wait_listening,
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


@pytest.fixture(scope="session")
def azure_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Azure Blob server (Azurite) on a free 127.0.0.1 port: its connection string."""
    binary = azurite_binary()
    pytest.importorskip("adlfs")
    port = free_port()
    folder = tmp_path_factory.mktemp("azurite")
    log = folder / "azurite.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                binary,
                *("--blobHost", "127.0.0.1", "--blobPort", str(port)),
                *("--location", str(folder), "--silent", "--disableTelemetry"),
                "--skipApiVersionCheck",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_listening(process, port, log)
        yield (
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            f"AccountKey={AZURITE_KEY};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


_CONTAINERS = itertools.count(1)


@pytest.fixture
def azure_container(azure_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    """(adlfs file system, container name): a fresh container, with the connection
    string in the environment (``AZURE_STORAGE_CONNECTION_STRING``), as a user would set it."""
    adlfs = pytest.importorskip("adlfs")
    monkeypatch.setenv("AZURE_STORAGE_CONNECTION_STRING", azure_endpoint)
    name = f"container-{next(_CONTAINERS)}"
    fs = adlfs.AzureBlobFileSystem(connection_string=azure_endpoint)
    fs.mkdir(name)
    return fs, name
