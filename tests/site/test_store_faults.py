"""A build to a bucket killed at every step of its upload (moto's S3 server, loopback).

Each case publishes the example catalog (as its folder of JSON files, and as
JSON Lines, whose rebuilds pass unchanged lines over by the store's record of
them), edits it (one product changed, one removed, one added), then runs
``gs1ld site build`` in a process that SIGKILLs itself as the upload reaches the
named step (:data:`gs1ld.site.store.STEPS`,
through ``build_site_to_store``'s ``on_step``).  The bucket is then read as a
resolver would (synced down and served by gs1ld's server): before the manifest
it serves the last committed build, whose objects are all still there; after
the manifest root it serves the new build complete.  A rerun takes the dead
build's lock over and converges to exactly the bytes of a clean build.
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
from gs1ld.site.store import COMMIT_FILE, PENDING_FILE, SOURCES_OBJECT, STEPS
from gs1ld.site.store_lock import LOCK_FILE
from support import EXAMPLE_CATALOG, call_asgi, pop_store_records, sync_down, tree_bytes

BASE = "https://id.brand.example"
ARGS = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]
ADDED = "09506000999999"

_KILLED_AT_STEP = r"""
import os, signal, sys
from gs1ld.cli import cli
from gs1ld.site import store

target = sys.argv[1]
real = store.build_site_to_store

def die_at(name):
    if name == target:
        os.kill(os.getpid(), signal.SIGKILL)

def build_site_to_store(*args, **kwargs):
    return real(*args, on_step=die_at, **kwargs)

store.build_site_to_store = build_site_to_store
cli(sys.argv[2:])
"""


def _build(*args: str) -> None:
    result = CliRunner().invoke(cli, [*ARGS, "--workers", "1", *args])
    assert result.exit_code == 0, result.output


def _catalog(tmp_path: Path, form: str) -> Path:
    """A copy of the example catalog: its folder of JSON files, or one JSON Lines file."""
    if form == "folder":
        return Path(shutil.copytree(EXAMPLE_CATALOG, tmp_path / "catalog"))
    lines = tmp_path / "catalog.jsonl"
    files = sorted(EXAMPLE_CATALOG.glob("*.json"))
    lines.write_text("".join(json.dumps(json.loads(f.read_bytes())) + "\n" for f in files))
    return lines


def _edit(catalog: Path) -> tuple[str, str]:
    """Change one product, remove one, add one; (changed GTIN, removed GTIN)."""
    if catalog.is_file():
        entries = [json.loads(line) for line in catalog.read_text().splitlines()]
        removed = entries.pop(0)["gtin"].zfill(14)
        entries[1]["product"]["description"] = "Changed before the crash."
        entries.append({**entries[1], "gtin": ADDED})
        catalog.write_text("".join(json.dumps(e) + "\n" for e in entries))
        return entries[1]["gtin"].zfill(14), removed
    files = sorted(catalog.glob("*.json"))
    removed = json.loads(files[0].read_bytes())["gtin"].zfill(14)
    files[0].unlink()
    entry = json.loads(files[2].read_bytes())
    entry["product"]["description"] = "Changed before the crash."
    files[2].write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "zz-added.json").write_text(json.dumps({**entry, "gtin": ADDED}), encoding="utf-8")
    return entry["gtin"].zfill(14), removed


def _served(synced: Path) -> tuple[str, Any]:
    """The build id the synced copy serves, and the app serving it."""
    app = create_app(synced, config=ServerConfig(base_url=BASE))
    status, _, body = call_asgi(app, "/.well-known/gs1ld/health")
    assert status == 200, body
    return str(json.loads(body)["build_id"]), app


def _resolves(app: Any, synced: Path, gtin: str) -> bool:
    """True when the copy resolves ``gtin`` to a page it holds."""
    status, headers, _ = call_asgi(app, f"/01/{gtin}")
    if status != 307:
        return False
    page = headers["location"].removeprefix(BASE)
    status, _, body = call_asgi(app, page)
    return status == 200 and body == (synced / page.lstrip("/")).read_bytes()


def _may_change(path: str, reached: int, changed: str) -> bool:
    """Whether a build killed before step ``reached`` may have overwritten ``path`` of the
    last commit: the changed product's files, then the site-wide ones; never the manifest."""
    if path in (MANIFEST_FILE, COMMIT_FILE) or path.startswith("manifest/"):
        return False
    if path.startswith("01/"):
        return path.startswith(f"01/{changed}/") and reached > STEPS.index("products")
    return reached > STEPS.index("sitewide")


@pytest.mark.parametrize("form", ["folder", "lines"])
@pytest.mark.parametrize("step", STEPS)
def test_a_driver_killed_at_each_step_leaves_a_serving_site_and_the_next_run_converges(
    step: str, form: str, s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = _catalog(tmp_path, form)
    _build(str(catalog), "-o", url)
    first = tree_bytes(sync_down(fs, url, tmp_path / "first"))
    old = Manifest.read(tmp_path / "first")
    changed, removed = _edit(catalog)
    _build(str(catalog), "-o", str(tmp_path / "clean"))
    clean = tree_bytes(tmp_path / "clean")
    new = Manifest.read(tmp_path / "clean")

    scratch = tmp_path / "scratch"  # a killed build leaves its scratch folder behind
    scratch.mkdir()
    build = [*ARGS, "--workers", "1", "--scratch", str(scratch), str(catalog), "-o", url]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_STEP, step, *build],
        capture_output=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    synced = sync_down(fs, url, tmp_path / "crashed")
    crashed = tree_bytes(synced)
    assert LOCK_FILE in crashed  # left by the dead build
    served, app = _served(synced)
    reached = STEPS.index(step)
    if reached <= STEPS.index("manifest"):  # before the manifest: the last commit serves
        assert served == old.build_id
        assert json.loads(crashed[COMMIT_FILE]) == {"build_id": old.build_id}
        for path, data in first.items():  # every object of the last commit is there
            assert crashed[path] == data or _may_change(path, reached, changed), path
        assert _resolves(app, synced, removed)  # removed only after a commit
        assert not _resolves(app, synced, ADDED)  # uploaded, perhaps, but not published
        if step == "pending":
            del crashed[LOCK_FILE]
            assert crashed == first  # nothing written yet
    else:  # after the manifest root: the new build, complete
        assert served == new.build_id
        marker = old.build_id if step == "commit" else new.build_id
        assert json.loads(crashed[COMMIT_FILE]) == {"build_id": marker}
        assert {p: crashed.get(p) for p in clean} == clean
        assert _resolves(app, synced, ADDED)
        assert not _resolves(app, synced, removed)
    assert all(_resolves(app, synced, e.gtin) for e in Manifest.read(synced).entries())

    _build(str(catalog), "-o", url)  # takes the dead build's lock over
    final = tree_bytes(sync_down(fs, url, tmp_path / "final"))
    assert pop_store_records(final) == new.build_id
    if form == "lines":  # the record of the lines the new build read, as a clean build's
        record = tmp_path / "clean" / ".gs1ld-products" / "sources.bin"
        assert final.pop(SOURCES_OBJECT) == record.read_bytes()
    assert final == clean  # no lock, no pending record, no orphan, no stale file
    assert PENDING_FILE not in final
    assert LOCK_FILE not in final


_WORKER_KILLED = r"""
import os, signal, sys
from gs1ld.cli import cli
from gs1ld.site import build

driver = os.getpid()
real = build._stage_run

def _stage_run(*args):
    if os.getpid() != driver:  # a pool worker (forked with this module as patched)
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)

_stage_run.__module__, _stage_run.__qualname__ = "gs1ld.site.build", "_stage_run"
build._stage_run = _stage_run
build._FEW = 0  # workers even for the example catalog's few products
cli(sys.argv[1:])
"""


def test_a_worker_killed_while_rendering_leaves_the_bucket_as_it_was(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    """Uploads run in the driver only, after every product is rendered: a worker's
    death stops the build before its first write (and the next run converges)."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    _build(str(catalog), "-o", url)
    first = tree_bytes(sync_down(fs, url, tmp_path / "first"))
    _edit(catalog)
    failed = subprocess.run(
        [sys.executable, "-c", _WORKER_KILLED, *ARGS, "--workers", "2", str(catalog), "-o", url],
        capture_output=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert failed.returncode == 2, failed.stderr
    errors = [line for line in failed.stderr.splitlines() if line.startswith(b"error:")]
    assert len(errors) == 1, failed.stderr
    assert b"a rendering worker died" in errors[0]
    assert b"Traceback" not in failed.stderr
    assert tree_bytes(sync_down(fs, url, tmp_path / "after")) == first  # nor lock, nor pending
    _build(str(catalog), "-o", url)
    _build(str(catalog), "-o", str(tmp_path / "clean"))
    final = tree_bytes(sync_down(fs, url, tmp_path / "final"))
    pop_store_records(final)
    assert final == tree_bytes(tmp_path / "clean")
