"""A server follows rebuilds however it is given the site: the folder, its ``current``
link, or a bind mount of the folder (the container recipe).

Each case builds, serves, rebuilds with a changed and a removed product, then
builds again so that the build the server first opened is deleted, and checks
every answer after each step.  The server runs in-process with a clock that
moves only when the test says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.server.app import HEALTH_PATH, ServerConfig, create_app
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG, call_asgi

BASE = "https://id.brand.example"
CHANGED = "09506000134352"  # in both catalogs, renamed in the second
REMOVED = "09506000134369"  # only in the first
KEPT = "09506000134376"  # the same in both
LINKSET = {"Accept": "application/linkset+json", "Accept-Encoding": "identity"}


class Clock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _catalog(folder: Path, gtins: list[str], *, rename: str | None = None) -> Path:
    folder.mkdir(parents=True)
    entries = {}
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry = json.loads(path.read_text("utf-8"))
        entries[entry["gtin"]] = entry
    for gtin in gtins:
        entry = entries[gtin]
        if gtin == rename:
            entry["product"]["name"] += " (new recipe)"
        (folder / f"{gtin}.json").write_text(json.dumps(entry), "utf-8")
    return folder


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(first, second): the second renames CHANGED and drops REMOVED."""
    root = tmp_path_factory.mktemp("catalogs")
    return (
        _catalog(root / "first", [CHANGED, REMOVED, KEPT]),
        _catalog(root / "second", [CHANGED, KEPT], rename=CHANGED),
    )


def _build(catalog: Path, site: Path) -> None:
    export = ExportConfig(base_url=BASE, today=date(2026, 6, 1))
    config = SiteConfig(export, validate=False, max_removals=UNLIMITED_REMOVALS)
    assert not build_site(catalog, site, config=config).invalid


def _linkset(site: Path, gtin: str) -> bytes:
    return (site / "current" / "01" / gtin / "linkset.json").read_bytes()


def _answers(app: Any) -> dict[str, tuple[int, bytes]]:
    answers = {}
    for gtin in (CHANGED, REMOVED, KEPT):
        status, _, body = call_asgi(app, f"/01/{gtin}", headers=LINKSET)
        answers[gtin] = (status, body if status == 200 else b"")
    status, _, body = call_asgi(app, HEALTH_PATH)
    answers["health"] = (status, json.loads(body).get("build_id", "").encode())
    return answers


def _expected(site: Path, published: tuple[str, ...]) -> dict[str, tuple[int, bytes]]:
    expected = {g: (200, _linkset(site, g)) if g in published else (404, b"") for g in published}
    expected.update({g: (404, b"") for g in (CHANGED, REMOVED, KEPT) if g not in published})
    expected["health"] = (200, Manifest.read(site).build_id.encode())
    return expected


def _follows_rebuilds(
    catalogs: tuple[Path, Path], site: Path, serve: Callable[[], Any], clock: Clock
) -> None:
    """Build, serve, rebuild twice; after each build the answers are the newest build's."""
    first, second = catalogs
    _build(first, site)
    app = serve()
    everything = (CHANGED, REMOVED, KEPT)
    before = _answers(app)
    assert before == _expected(site, everything)
    _build(second, site)  # CHANGED renamed, REMOVED gone
    clock.now += 1
    after = _answers(app)
    assert after == _expected(site, (CHANGED, KEPT))
    assert after[CHANGED] != before[CHANGED]  # the new bytes
    assert after[KEPT] == before[KEPT]
    _build(first, site)  # the build the server opened first is deleted now
    clock.now += 1
    assert _answers(app) == _expected(site, everything)


def test_a_server_given_the_site_folder_follows_rebuilds(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    site, clock = tmp_path / "site", Clock()
    config = ServerConfig(base_url=BASE)
    _follows_rebuilds(catalogs, site, lambda: create_app(site, config=config, clock=clock), clock)


def test_a_server_given_the_current_link_follows_rebuilds(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    site, clock = tmp_path / "site", Clock()
    config = ServerConfig(base_url=BASE)
    current = site / "current"
    _follows_rebuilds(
        catalogs, site, lambda: create_app(current, config=config, clock=clock), clock
    )


def _must_not_skip(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI runs as root, where bind mounts work)")
    pytest.skip(reason)


@contextmanager
def _bind_mount(source: Path, target: Path) -> Iterator[Path]:
    """``source`` bind-mounted read-only at ``target``, as ``docker run -v SRC:DST:ro`` does."""
    if os.geteuid() != 0:
        _must_not_skip("a bind mount needs root")
    mount = shutil.which("mount")
    if mount is None:
        _must_not_skip("no mount command")
    target.mkdir()
    done = subprocess.run([mount, "--bind", str(source), str(target)], capture_output=True)
    if done.returncode != 0:
        _must_not_skip(f"mount --bind is not allowed here: {done.stderr.decode().strip()}")
    try:
        subprocess.run(
            [mount, "-o", "remount,bind,ro", str(target)], check=True, capture_output=True
        )
        yield target
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], check=True)


def test_a_server_given_a_bind_mount_of_the_site_folder_follows_rebuilds(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    """The deploying guide's container recipe: the site folder mounted read-only elsewhere."""
    site, clock = tmp_path / "site", Clock()
    site.mkdir()  # the folder must exist to be mounted, as with docker -v
    config = ServerConfig(base_url=BASE)
    with _bind_mount(site, tmp_path / "srv-site") as mounted:
        _follows_rebuilds(
            catalogs, site, lambda: create_app(mounted, config=config, clock=clock), clock
        )
        # the mount sees the same folder: no build has replaced it
        assert os.stat(mounted).st_ino == os.stat(site).st_ino


def test_a_site_of_the_old_flat_layout_keeps_serving_through_its_conversion(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    """A site built before builds had their folders (files at the top of the site
    folder), served through a bind mount, is converted by the next build in place."""
    first, second = catalogs
    built, site, clock = tmp_path / "built", tmp_path / "site", Clock()
    _build(first, built)
    shutil.copytree(built / "current", site)  # the old layout: the build's files at the top
    config = ServerConfig(base_url=BASE)
    with _bind_mount(site, tmp_path / "srv-site") as mounted:
        app = create_app(mounted, config=config, clock=clock)
        old = _answers(app)
        assert (old[KEPT][0], old[REMOVED][0], old["health"][0]) == (200, 200, 200)
        _build(second, site)
        assert sorted(p.name for p in site.iterdir()) == [
            ".gs1ld-builds",
            ".gs1ld-products",
            "current",
        ]
        clock.now += 1
        assert _answers(app) == _expected(site, (CHANGED, KEPT))
