"""Catalogs and sites on Azure Blob storage (``az://``), against Azurite on loopback.

The same code as for S3 (fsspec, here through adlfs); these tests hold it to a
second real object store, whose conditional writes and listings differ from S3's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.errors import PublishError
from gs1ld.publish import MANIFEST_FILE, Manifest
from gs1ld.site.store_lock import LOCK_FILE, hold_store_lock
from support import EXAMPLE_CATALOG, assert_store_copy_serves_like, sync_down

BASE = "https://id.brand.example"
ARGS = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]


def _build(*args: str) -> None:
    result = CliRunner().invoke(cli, [*ARGS, "--workers", "1", *args])
    assert result.exit_code == 0, result.output


def _catalog_lines() -> bytes:
    entries = []
    for file in sorted(EXAMPLE_CATALOG.glob("*.json")):
        data = json.loads(file.read_bytes())
        entries.extend(data if isinstance(data, list) else [data])
    return b"".join(json.dumps(e).encode() + b"\n" for e in entries)


def test_a_container_catalog_builds_a_container_site_that_serves_like_the_local_build(
    azure_container: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = azure_container
    lines = _catalog_lines()
    fs.pipe_file(f"{name}/in/catalog.jsonl", lines)
    (tmp_path / "catalog.jsonl").write_bytes(lines)
    url = f"az://{name}/site"
    _build(f"az://{name}/in/catalog.jsonl", "-o", url)
    _build(str(tmp_path / "catalog.jsonl"), "-o", str(tmp_path / "local"))
    synced = sync_down(fs, url, tmp_path / "synced")
    assert_store_copy_serves_like(synced, tmp_path / "local", BASE)


def test_a_rebuild_of_a_container_site_replaces_a_changed_product_and_deletes_a_removed_one(
    azure_container: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = azure_container
    url = f"az://{name}/site"
    entries = [json.loads(line) for line in _catalog_lines().splitlines()]
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_bytes(b"".join(json.dumps(e).encode() + b"\n" for e in entries))
    _build(str(catalog), "-o", url)
    first = Manifest.read(sync_down(fs, url, tmp_path / "first"))
    changed, removed = entries[0], entries[-1]
    changed["product"]["name"] = "A renamed product"
    catalog.write_bytes(b"".join(json.dumps(e).encode() + b"\n" for e in entries[:-1]))
    _build(str(catalog), "-o", url)
    second = Manifest.read(sync_down(fs, url, tmp_path / "second"))
    assert second.count == first.count - 1
    gtin = next(e.gtin for e in first.entries() if e.gtin.endswith(str(changed["gtin"])[-13:]))
    assert second.entry(gtin).name == "A renamed product"  # type: ignore[union-attr]
    gone = next(e.gtin for e in first.entries() if e.gtin.endswith(str(removed["gtin"])[-13:]))
    assert second.entry(gone) is None
    assert not fs.exists(f"{name}/site/01/{gone}")  # deleted after the commit


def test_the_lock_is_exclusive_on_the_container_itself(azure_container: tuple[Any, str]) -> None:
    fs, name = azure_container
    root = f"{name}/site"
    with hold_store_lock(fs, root, f"az://{root}"):
        assert json.loads(fs.cat_file(f"{root}/{LOCK_FILE}"))["pid"] == os.getpid()
        second = hold_store_lock(fs, root, f"az://{root}")
        with pytest.raises(PublishError, match=rf"process {os.getpid()} on"):
            second.__enter__()
        with pytest.raises(FileExistsError):
            fs.pipe_file(f"{root}/{LOCK_FILE}", b"{}", mode="create")
    fs.invalidate_cache()
    assert not fs.exists(f"{root}/{LOCK_FILE}")
    assert not fs.exists(f"{root}/{MANIFEST_FILE}")


def test_an_expired_lease_on_a_container_is_taken_over(azure_container: tuple[Any, str]) -> None:
    """Azure through adlfs has no conditional overwrite in fsspec: the lock is compared,
    then written (the weaker guarantee the object storage guide states), and still taken over."""
    from datetime import UTC, datetime, timedelta

    fs, name = azure_container
    root, url = f"{name}/site", f"az://{name}/site"
    expires = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    theirs = {"host": "build-7.example", "pid": 4242, "token": "theirs"}
    fs.pipe_file(
        f"{root}/{LOCK_FILE}", json.dumps({**theirs, "expires": expires.isoformat()}).encode()
    )

    def at(moment: datetime) -> Any:
        return lambda: moment

    def no_heartbeat(_: float) -> bool:
        return True

    early = hold_store_lock(
        fs, root, url, now=at(expires - timedelta(seconds=1)), wait=no_heartbeat
    )
    with pytest.raises(PublishError, match="taken over once its lease expires"):
        early.__enter__()
    with hold_store_lock(fs, root, url, now=at(expires), wait=no_heartbeat) as held:
        fs.invalidate_cache()
        assert json.loads(fs.cat_file(f"{root}/{LOCK_FILE}"))["token"] == held.token
    fs.invalidate_cache()
    assert not fs.exists(f"{root}/{LOCK_FILE}")
