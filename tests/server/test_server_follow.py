"""A running server follows its site: a rebuild is picked up whole, never half.

Sites here are real builds (``build_site``) of a few example products, so a
rebuild publishes a new build folder and switches the site's ``current`` link
exactly as ``gs1ld site build`` does.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.server.app import HEALTH_PATH, ServerConfig, create_app
from gs1ld.server.store import SiteStore, etag_of
from gs1ld.site import build as build_module
from gs1ld.site import folder as folder_module
from gs1ld.site import stage as stage_module
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG, call_asgi

BASE = "https://id.brand.example"
CHANGED = "09506000134352"  # in both builds, renamed in the second
REMOVED = "09506000134369"  # only in the first
ADDED = "09506000134383"  # only in the second
KEPT = "09506000134376"  # the same in both
LINKSET = {"Accept": "application/linkset+json", "Accept-Encoding": "identity"}


class Clock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _entry(gtin: str) -> dict[str, Any]:
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry: dict[str, Any] = json.loads(path.read_text("utf-8"))
        if entry["gtin"] == gtin:
            return entry
    raise AssertionError(f"no example product {gtin}")


def _catalog(
    folder: Path, gtins: list[str], *, rename: str | None = None, recipe: str = "new recipe"
) -> Path:
    folder.mkdir(parents=True)
    for gtin in gtins:
        entry = _entry(gtin)
        if gtin == rename:
            entry["product"]["name"] += f" ({recipe})"
        (folder / f"{gtin}.json").write_text(json.dumps(entry), "utf-8")
    return folder


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(first, second): the second renames CHANGED, drops REMOVED and adds ADDED."""
    root = tmp_path_factory.mktemp("catalogs")
    first = _catalog(root / "first", [CHANGED, REMOVED, KEPT])
    second = _catalog(root / "second", [CHANGED, KEPT, ADDED], rename=CHANGED)
    return first, second


def _build(catalog: Path, site: Path) -> None:
    export = ExportConfig(base_url=BASE, today=date(2026, 6, 1))
    config = SiteConfig(export, validate=False, max_removals=UNLIMITED_REMOVALS)
    report = build_site(catalog, site, config=config)
    assert not report.invalid


def _served(catalog: Path, site: Path) -> tuple[Clock, Any]:
    """Build ``catalog`` into ``site`` and serve it with a clock that moves on demand."""
    _build(catalog, site)
    clock = Clock()
    return clock, create_app(site, config=ServerConfig(base_url=BASE), clock=clock)


def _linkset(site: Path, gtin: str) -> bytes:
    return (site / "current" / "01" / gtin / "linkset.json").read_bytes()


def _get(app: Any, gtin: str) -> tuple[int, bytes]:
    status, _, body = call_asgi(app, f"/01/{gtin}", headers=LINKSET)
    return status, body


def test_a_rebuild_is_picked_up_at_most_once_a_second(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = catalogs
    site = tmp_path / "site"
    _build(first, site)
    old = _linkset(site, CHANGED)
    clock = Clock()
    app = create_app(site, config=ServerConfig(base_url=BASE), clock=clock)
    assert _get(app, CHANGED) == (200, old)
    assert _get(app, ADDED)[0] == 404

    _build(second, site)
    new = _linkset(site, CHANGED)
    assert new != old
    clock.now += 0.5  # within the second: no look at the disk, the held build answers
    assert _get(app, CHANGED) == (200, old)

    clock.now += 0.5
    assert _get(app, CHANGED) == (200, new)
    assert _get(app, REMOVED)[0] == 404
    assert _get(app, ADDED) == (200, _linkset(site, ADDED))
    _status, _, body = call_asgi(app, HEALTH_PATH)
    assert json.loads(body)["build_id"] == Manifest.read(site).build_id


def test_a_product_not_in_memory_is_read_whole_from_the_new_build(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = catalogs
    site = tmp_path / "site"
    _clock, app = _served(first, site)
    old = _linkset(site, CHANGED)
    assert _get(app, KEPT)[0] == 200
    _build(second, site)  # the held build is kept as the previous one: still whole
    assert _get(app, REMOVED)[0] == 200  # read from it: within the second, no look
    third = _catalog(tmp_path / "third", [CHANGED, KEPT], rename=CHANGED)
    _build(third, site)  # the held build's folder is deleted now: its files vanish
    # no second has passed, yet the files that vanished make the store look again
    assert _get(app, CHANGED) == (200, _linkset(site, CHANGED))
    assert _get(app, CHANGED)[1] != old
    assert _get(app, REMOVED)[0] == 404
    status, _headers, body = call_asgi(app, f"/01/{CHANGED}/index.html")
    assert (status, body) == (
        200,
        (site / "current" / "01" / CHANGED / "index.html").read_bytes(),
    )


def test_unchanged_products_keep_their_records(catalogs: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = catalogs
    site = tmp_path / "site"
    _build(first, site)
    clock = Clock()
    store = SiteStore(site, clock=clock)
    _, kept = store.product(store.generation, KEPT)
    _build(second, site)
    newer = store.refresh()
    assert newer.build_id == Manifest.read(site).build_id
    assert store.product_in_memory(newer, KEPT)
    assert store.product(newer, KEPT) == (newer, kept)
    assert not store.product_in_memory(newer, CHANGED)


def test_an_unreadable_rebuild_keeps_the_last_good_one(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, _ = catalogs
    site = tmp_path / "site"
    clock, app = _served(first, site)
    old = _get(app, CHANGED)
    (site / "current" / "manifest.json").write_text("{ half a manif", "utf-8")
    clock.now += 1
    assert _get(app, CHANGED) == old
    status, headers, body = call_asgi(app, HEALTH_PATH)
    assert (status, headers["content-type"]) == (503, "application/problem+json")
    assert "cannot be read" in json.loads(body)["detail"]


def test_every_answer_during_rebuilds_is_the_old_or_the_new_build(
    catalogs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests are interleaved with each step of the swap, deterministically.

    The build's publish step is wrapped so that every product is asked for
    (through the app, which looks for a new build on every request) with the
    staged build complete, after each link a build replaces (every product's
    link, ``.previous``, ``current``), after the versions of each product no
    build serves are retired, after each spare version the next build writes
    a product over, and once the publish is done.  Each round of
    answers must be one build's products, all of them, as that build published
    them (the server switches builds as a whole), each tag from the same read.
    """
    first, second = catalogs
    # a third version of CHANGED: from the fourth build on, each build retires one of its
    # versions to the spares, and the next writes a version over it
    third = _catalog(tmp_path / "third", [CHANGED, KEPT, ADDED], rename=CHANGED, recipe="third")
    site = tmp_path / "site"
    gtins = (CHANGED, REMOVED, ADDED, KEPT)

    def on_disk() -> tuple[bytes | None, ...]:
        paths = [site / "current" / "01" / gtin / "linkset.json" for gtin in gtins]
        return tuple(path.read_bytes() if path.is_file() else None for path in paths)

    wholes = set()
    for catalog in (third, second, first):
        _build(catalog, site)
        wholes.add(on_disk())
    app = create_app(site, config=ServerConfig(base_url=BASE, refresh_interval=0.0))
    rounds: list[tuple[str, tuple[bytes | None, ...]]] = []

    def ask_everything(step: str) -> None:
        answers = []
        for gtin in gtins:
            status, headers, body = call_asgi(app, f"/01/{gtin}", headers=LINKSET)
            assert status in (200, 404), (step, gtin, status, body[:200])
            if status == 200:
                assert headers.get("etag") == etag_of(body)  # tag and body from one read
            answers.append(body if status == 200 else None)
        rounds.append((step, tuple(answers)))

    real_publish = build_module.publish_build
    real_point, real_retire = folder_module._point, folder_module._retire_versions
    real_write_over = stage_module.write_over

    def point_then_ask(folder: Path, name: str, target: str) -> None:
        real_point(folder, name, target)
        ask_everything(f"after {name}")

    def retire_then_ask(folder: str, keep: set[str | None], spare: str) -> None:
        real_retire(folder, keep, spare)
        ask_everything(f"versions of {os.path.basename(folder)} retired")

    def write_over_then_ask(folder: str, files: dict[str, bytes], umask: int | None) -> None:
        real_write_over(folder, files, umask)
        ask_everything(f"spare written over: {folder}")

    def publish_with_requests(staged: Path, folder: Path, **options: Any) -> None:
        ask_everything("staged")
        real_publish(staged, folder, **options)
        ask_everything("published")

    monkeypatch.setattr(build_module, "publish_build", publish_with_requests)
    monkeypatch.setattr(folder_module, "_point", point_then_ask)
    monkeypatch.setattr(folder_module, "_retire_versions", retire_then_ask)
    monkeypatch.setattr(stage_module, "write_over", write_over_then_ask)
    for catalog in (third, second, first, second):
        _build(catalog, site)
    steps = {step for step, _ in rounds}
    assert {"staged", "published", "after current", f"after 01/{CHANGED}"} <= steps
    assert any(step.startswith("versions of") for step in steps)
    assert any(step.startswith("spare written over") for step in steps)
    for step, answers in rounds:
        assert answers in wholes, step
    final = {gtin: _get(app, gtin) for gtin in gtins}
    assert final[ADDED][0] == 200  # the last build (second) is what is served now
    assert final[REMOVED][0] == 404
    assert final[CHANGED][1] == _linkset(site, CHANGED)


def test_removing_the_whole_site_keeps_answering(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, _ = catalogs
    site = tmp_path / "site"
    clock, app = _served(first, site)
    held = _get(app, KEPT)
    shutil.rmtree(site)
    clock.now += 1
    assert _get(app, KEPT) == held  # in memory: still the last build
    assert _get(app, CHANGED)[0] == 404  # its files are gone and no build replaced them
    assert call_asgi(app, HEALTH_PATH)[0] == 503
