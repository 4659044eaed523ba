"""``site build -o s3://...``: a site published to a real S3-protocol server (moto, loopback).

The build is checked the way a user would: the bucket is synced down with
fsspec and served by gs1ld's own server code, and the objects must be the
local build's files plus the commit marker.  A rebuild renders and uploads only changed
products, commits with the new build id, and deletes removed products after.
One build at a time holds the site's lock; a driver killed mid-upload leaves
the last commit, and the next run takes its lock over and converges.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.publish import MANIFEST_FILE, Manifest
from gs1ld.server.app import ServerConfig, create_app
from gs1ld.site.store import COMMIT_FILE, PENDING_FILE
from gs1ld.site.store_lock import LOCK_FILE
from support import (
    EXAMPLE_CATALOG,
    assert_store_copy_serves_like,
    call_asgi,
    pop_store_records,
    sync_down,
    tree_bytes,
)

BASE = "https://id.brand.example"
ARGS = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]


def _build(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*ARGS, "--workers", "1", *args])
    assert result.exit_code == 0, result.output
    return result


def test_a_site_built_to_a_bucket_serves_like_the_local_build(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    _build(str(EXAMPLE_CATALOG), "-o", url)
    _build(str(EXAMPLE_CATALOG), "-o", str(tmp_path / "local"))
    synced = sync_down(fs, url, tmp_path / "synced")
    assert_store_copy_serves_like(synced, tmp_path / "local", BASE)


def test_a_rebuild_uploads_changed_products_commits_then_deletes_removed_ones(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = _published_copy(url, tmp_path)
    first = Manifest.read(sync_down(fs, url, tmp_path / "first"))
    gtins = [e.gtin for e in first.entries()]
    files = sorted(catalog.glob("*.json"))
    gone = json.loads(files[0].read_bytes())["gtin"].zfill(14)
    files[0].unlink()
    changed_file = files[1]
    entry = json.loads(changed_file.read_bytes())
    entry["product"]["description"] = "A new description."
    changed_file.write_text(json.dumps(entry), encoding="utf-8")
    changed = entry["gtin"].zfill(14)
    # an unchanged product's object, altered behind gs1ld's back: a rebuild that
    # uploads only changed products leaves it as it is
    untouched = next(g for g in gtins if g not in (gone, changed))
    fs.pipe_file(f"{name}/site/01/{untouched}/qr.svg", b"left alone")
    rebuilt = _build(str(catalog), "-o", url)
    # only the changed product is rendered: the others are carried over by their rows
    assert f"1 built, {len(gtins) - 2} unchanged, 1 removed, 0 invalid" in rebuilt.output
    synced = sync_down(fs, url, tmp_path / "second")
    second = Manifest.read(synced)
    assert not second.has(gone)
    assert not fs.exists(f"{name}/site/01/{gone}")
    assert (synced / "01" / untouched / "qr.svg").read_bytes() == b"left alone"
    assert b"A new description." in (synced / "01" / changed / "index.jsonld").read_bytes()
    marker = json.loads((synced / COMMIT_FILE).read_bytes())
    assert marker == {"build_id": second.build_id}
    assert second.build_id != first.build_id
    _build(str(catalog), "-o", str(tmp_path / "local"))
    remote = tree_bytes(synced)
    pop_store_records(remote)
    remote[f"01/{untouched}/qr.svg"] = (
        tmp_path / "local" / "current" / "01" / untouched / "qr.svg"
    ).read_bytes()
    assert remote == tree_bytes(tmp_path / "local")


def test_a_cluster_builds_from_a_bucket_into_a_bucket(
    s3_bucket: tuple[Any, str], s3_endpoint: str, tmp_path: Path, dask_client: Any
) -> None:
    from datetime import date

    from gs1ld.catalog import RemoteCatalog
    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.build import build_site
    from gs1ld.site.store import StoreSite, build_site_to_store

    fs, name = s3_bucket
    fs.put(str(EXAMPLE_CATALOG), f"{name}/catalog", recursive=True)
    options = {"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}
    config = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False)
    report = build_site_to_store(
        RemoteCatalog(f"s3://{name}/catalog", options),
        StoreSite(f"s3://{name}/site", options),
        config=config,
        client=dask_client,
    )
    here = build_site(EXAMPLE_CATALOG, tmp_path / "here", config=config)
    assert (report.built, report.invalid) == (here.built, here.invalid)
    remote = tree_bytes(sync_down(fs, f"s3://{name}/site", tmp_path / "synced"))
    pop_store_records(remote)
    assert remote == tree_bytes(tmp_path / "here")


def test_an_output_bucket_that_does_not_exist_is_one_line_and_exit_2(
    s3_bucket: tuple[Any, str],
) -> None:
    result = CliRunner().invoke(
        cli, [*ARGS, "--workers", "1", str(EXAMPLE_CATALOG), "-o", "s3://no-such-bucket/site"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: Cannot write the output 's3://no-such-bucket/site': no such file, folder or bucket"
    )


def test_a_second_build_of_a_bucket_site_fails_at_once_naming_the_first(
    s3_bucket: tuple[Any, str],
) -> None:
    fs, name = s3_bucket
    holder = {"host": "build-7.example", "pid": 4242, "started": "2026-11-29T01:00:00+00:00"}
    fs.pipe_file(f"{name}/site/{LOCK_FILE}", json.dumps(holder).encode())
    result = CliRunner().invoke(
        cli, [*ARGS, "--workers", "1", str(EXAMPLE_CATALOG), "-o", f"s3://{name}/site"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: Another build is writing 's3://{name}/site' (process 4242 on "
        "'build-7.example', started 2026-11-29T01:00:00+00:00). If no build is running, "
        f"remove the lock (s3://{name}/site/{LOCK_FILE}) and build again."
    )
    fs.invalidate_cache()
    assert not fs.exists(f"{name}/site/{MANIFEST_FILE}")  # nothing was written
    assert json.loads(fs.cat_file(f"{name}/site/{LOCK_FILE}")) == holder  # nor taken


def test_the_lock_is_exclusive_on_the_store_itself(s3_bucket: tuple[Any, str]) -> None:
    from gs1ld.errors import PublishError
    from gs1ld.site.store_lock import hold_store_lock

    fs, name = s3_bucket
    root = f"{name}/site"
    with hold_store_lock(fs, root, f"s3://{root}"):
        body = json.loads(fs.cat_file(f"{root}/{LOCK_FILE}"))
        assert body["pid"] == os.getpid()
        # this process runs: its lock is not stale, and S3 refuses a second create
        second = hold_store_lock(fs, root, f"s3://{root}")
        with pytest.raises(PublishError, match=rf"process {os.getpid()} on"):
            second.__enter__()
        with pytest.raises(FileExistsError):
            fs.pipe_file(f"{root}/{LOCK_FILE}", b"{}", mode="create")
    fs.invalidate_cache()
    assert not fs.exists(f"{root}/{LOCK_FILE}")


_KILLED_BUILD = r"""
import os, signal, sys
from gs1ld.cli import cli
from gs1ld.site import store as store_output

real_put = store_output._put

def put(fs, local, root, relatives):
    names = list(relatives)
    if any(not n.startswith("01/") for n in names):  # the site-wide files: before the commit
        os.kill(os.getpid(), signal.SIGKILL)
    real_put(fs, local, root, names)

store_output._put = put
cli(sys.argv[1:])
"""


def _published_copy(url: str, tmp_path: Path) -> Path:
    """A copy of the example catalog (to edit), built and published to ``url``."""
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    _build(str(catalog), "-o", url)
    return catalog


def _kill_during_upload(fs: Any, catalog: Path, url: str) -> None:
    """Build ``catalog`` to ``url`` in a process SIGKILLed as it uploads the site-wide files."""
    scratch = catalog.with_name("killed-scratch")  # a killed build leaves it behind
    scratch.mkdir(exist_ok=True)
    build = [*ARGS, "--workers", "1", "--scratch", str(scratch), str(catalog), "-o", url]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BUILD, *build],
        capture_output=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    fs.invalidate_cache()


def test_a_driver_killed_during_the_upload_leaves_the_last_commit_and_the_next_run_converges(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = _published_copy(url, tmp_path)
    first = tree_bytes(sync_down(fs, url, tmp_path / "first"))
    changed = sorted(catalog.glob("*.json"))[2]
    entry = json.loads(changed.read_bytes())
    entry["product"]["description"] = "Changed before the crash."
    changed.write_text(json.dumps(entry), encoding="utf-8")
    _kill_during_upload(fs, catalog, url)
    assert fs.exists(f"{name}/site/{LOCK_FILE}")  # left by the killed build
    crashed = tree_bytes(sync_down(fs, url, tmp_path / "crashed"))
    # the commit point was not reached: the manifest and marker are the last build's
    for kept in (COMMIT_FILE, MANIFEST_FILE, "sitemap.xml", "index.html"):
        assert crashed[kept] == first[kept]
    gtin = entry["gtin"].zfill(14)
    assert b"Changed before the crash." in crashed[f"01/{gtin}/index.jsonld"]  # uploaded first
    assert set(first) <= set(crashed)  # nothing the last commit points at was deleted
    # the next run takes the dead build's lock over and converges to a clean build
    _build(str(catalog), "-o", url)
    final = tree_bytes(sync_down(fs, url, tmp_path / "final"))
    _build(str(catalog), "-o", str(tmp_path / "local"))
    build_id = pop_store_records(final)
    assert final == tree_bytes(tmp_path / "local")
    assert build_id == Manifest.read(tmp_path / "local").build_id


def test_an_invalid_update_keeps_the_version_on_the_store(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = _published_copy(url, tmp_path)
    first = tree_bytes(sync_down(fs, url, tmp_path / "first"))
    broken = sorted(catalog.glob("*.json"))[3]
    entry = json.loads(broken.read_bytes())
    gtin = entry["gtin"].zfill(14)
    entry["content"]["images"] = [{"url": "not a url"}]
    broken.write_text(json.dumps(entry), encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = CliRunner().invoke(cli, [*ARGS, "--scratch", str(scratch), str(catalog), "-o", url])
    assert result.exit_code == 1, result.output
    assert f"{broken} {gtin} kept the previously published version" in result.output
    again = tree_bytes(sync_down(fs, url, tmp_path / "again"))
    assert Manifest.read(tmp_path / "again").has(gtin)
    product = {k: v for k, v in first.items() if k.startswith(f"01/{gtin}/")}
    assert product
    assert all(again[k] == v for k, v in product.items())
    assert list(scratch.iterdir()) == []  # the scratch build is cleaned up


def test_a_scratch_folder_is_for_an_output_on_object_storage(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, [*ARGS, "--scratch", str(tmp_path), str(EXAMPLE_CATALOG), "-o", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert "--scratch" in result.output
    assert "a scratch folder is for an OUTPUT on object storage" in result.output


def test_a_killed_build_then_a_reverted_catalog_republishes_the_committed_version(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    """The dead build uploaded a changed product and a new one; the next catalog has neither
    change: the changed product's objects go back to the committed version, the new one goes."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = _published_copy(url, tmp_path)
    changed = sorted(catalog.glob("*.json"))[2]
    original = changed.read_bytes()
    entry = json.loads(original)
    entry["product"]["description"] = "Changed before the crash."
    changed.write_text(json.dumps(entry), encoding="utf-8")
    added = catalog / "zz-added.json"
    added.write_text(json.dumps({**entry, "gtin": "09506000999999"}), encoding="utf-8")
    _kill_during_upload(fs, catalog, url)
    assert fs.exists(f"{name}/site/01/09506000999999/index.html")  # uploaded, never committed
    pending = json.loads(fs.cat_file(f"{name}/site/{PENDING_FILE}"))
    assert set(pending["gtins"]) == {entry["gtin"].zfill(14), "09506000999999"}
    changed.write_bytes(original)  # the catalog goes back to what was committed
    added.unlink()
    rebuilt = _build(str(catalog), "-o", url)
    assert "1 built" in rebuilt.output  # the reverted product, though its input matches the commit
    final = tree_bytes(sync_down(fs, url, tmp_path / "final"))
    _build(str(catalog), "-o", str(tmp_path / "local"))
    pop_store_records(final)
    assert final == tree_bytes(
        tmp_path / "local"
    )  # no orphan, no crashed version, no pending record


def test_a_lock_taken_over_is_not_removed_by_the_build_that_lost_it(
    s3_bucket: tuple[Any, str],
) -> None:
    from gs1ld.site.store_lock import hold_store_lock

    fs, name = s3_bucket
    root = f"{name}/site"
    other = {"host": "elsewhere", "pid": 1, "started": "2026-11-29T00:00:00+00:00", "token": "x"}
    with hold_store_lock(fs, root, f"s3://{root}"):
        # someone removed this build's lock by hand and another build took it
        fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(other).encode())
    fs.invalidate_cache()
    assert json.loads(fs.cat_file(f"{root}/{LOCK_FILE}")) == other


def test_a_lock_without_a_lease_of_a_dead_process_elsewhere_is_never_taken_over(
    s3_bucket: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same host name, but another container (PID namespace): the PID says nothing here,
    and a lock without a lease (gs1ld before leases) never expires; see test_store_lease."""
    from gs1ld.errors import PublishError
    from gs1ld.site import store_lock

    fs, name = s3_bucket
    root = f"{name}/site"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    machine = store_lock._machine()
    holder = {
        **machine,
        "pid_namespace": "4026531836-other",
        "pid": int(dead.stdout),
        "started": "2026-11-29T00:00:00+00:00",
        "token": "t",
    }
    fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(holder).encode())
    elsewhere = store_lock.hold_store_lock(fs, root, f"s3://{root}")
    with pytest.raises(PublishError, match="Another build is writing"):
        elsewhere.__enter__()
    holder["pid_namespace"] = machine["pid_namespace"]  # this machine: the process is gone
    fs.pipe_file(f"{root}/{LOCK_FILE}", json.dumps(holder).encode())
    with store_lock.hold_store_lock(fs, root, f"s3://{root}"):
        assert json.loads(fs.cat_file(f"{root}/{LOCK_FILE}"))["pid"] == os.getpid()


def test_a_scratch_folder_must_exist(s3_bucket: tuple[Any, str], tmp_path: Path) -> None:
    _, name = s3_bucket
    result = CliRunner().invoke(
        cli,
        [*ARGS, "--scratch", str(tmp_path / "none"), str(EXAMPLE_CATALOG), "-o", f"s3://{name}/s"],
    )
    assert result.exit_code == 2
    assert f"Directory '{tmp_path / 'none'}' does not exist" in result.output


def test_link_unchanged_off_refuses_a_local_site_with_products(tmp_path: Path) -> None:
    from dataclasses import replace
    from datetime import date

    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.errors import PublishError
    from gs1ld.site.build import build_site

    config = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False)
    build_site(EXAMPLE_CATALOG, tmp_path / "site", config=config)
    with pytest.raises(PublishError, match="holds product files"):
        build_site(EXAMPLE_CATALOG, tmp_path / "site", config=replace(config, link_unchanged=False))
    assert (tmp_path / "site" / "current" / "01").is_dir()


def test_the_cli_builds_a_bucket_catalog_into_a_bucket_site_on_a_local_cluster(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    """#15's command as a user types it: the result serves like a local build, once synced."""
    import orjson

    fs, name = s3_bucket
    entries = [json.loads(p.read_bytes()) for p in sorted(EXAMPLE_CATALOG.glob("*.json"))]
    local = tmp_path / "catalog.jsonl"
    local.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries))
    fs.put(str(local), f"{name}/catalog.jsonl")
    result = CliRunner().invoke(
        cli,
        [*ARGS, f"s3://{name}/catalog.jsonl", "-o", f"s3://{name}/site", "--scheduler", "local:2"],
    )
    assert result.exit_code == 0, result.output
    assert f"{len(entries)} built, 0 unchanged, 0 removed, 0 invalid" in result.output
    synced = sync_down(fs, f"s3://{name}/site", tmp_path / "synced")
    _build(str(local), "-o", str(tmp_path / "here"))
    remote = tree_bytes(synced)
    pop_store_records(remote)
    assert remote == tree_bytes(tmp_path / "here")
    gtin = entries[0]["gtin"].zfill(14)
    app = create_app(synced, config=ServerConfig(base_url=BASE))
    status, headers, _ = call_asgi(
        app, f"/01/{gtin}", headers={"Accept": "application/linkset+json"}
    )
    assert status == 200
    assert headers["content-type"].startswith("application/linkset+json")
