"""The site folder's layout: builds of the site-wide files, products shared by version.

A build killed at each step of publishing leaves ``current`` naming a whole
build, every product link naming a whole version, the server's view (the
versions the manifest names) the old build or the new one whole, and every
product whose link is ahead of the manifest in the pending record; the next
build converges.  A site of the old flat layout becomes the first build, its
unchanged files carried over by hard links.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.site import build as build_module
from gs1ld.site import folder as folder_module
from gs1ld.site import stage as stage_module
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG, tree_bytes

BASE = "https://id.brand.example"
CONFIG = SiteConfig(
    ExportConfig(base_url=BASE, today=date(2026, 6, 1)),
    validate=False,
    max_removals=UNLIMITED_REMOVALS,
)
CHANGED = "09506000134352"
REMOVED = "09506000134369"
KEPT = "09506000134376"
ADDED = "09506000134383"


def _catalog(
    folder: Path, gtins: list[str], *, rename: str | None = None, recipe: str = "new recipe"
) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(EXAMPLE_CATALOG.glob("*.json")):
        entry = json.loads(path.read_text("utf-8"))
        if entry["gtin"] in gtins:
            if entry["gtin"] == rename:
                entry["product"]["name"] += f" ({recipe})"
            (folder / path.name).write_text(json.dumps(entry), "utf-8")
    return folder


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("catalogs")
    return (
        _catalog(root / "first", [CHANGED, REMOVED, KEPT]),
        _catalog(root / "second", [CHANGED, KEPT, ADDED], rename=CHANGED),
    )


@pytest.fixture(scope="module")
def earlier_catalogs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two more versions of CHANGED: built after the first catalog, they leave the
    site with a spare version (the first's) and a version the next build retires."""
    root = tmp_path_factory.mktemp("earlier")
    return (
        _catalog(root / "a", [CHANGED, REMOVED, KEPT], rename=CHANGED, recipe="recipe a"),
        _catalog(root / "b", [CHANGED, REMOVED, KEPT], rename=CHANGED, recipe="recipe b"),
    )


def _as_lines(folder: Path) -> Path:
    """The catalog ``folder`` as JSON Lines: a rebuild then reads only the changed lines
    and splices the site-wide files (:func:`gs1ld.site.sitewide.splice_sitewide`)."""
    lines = folder.with_suffix(".jsonl")
    if not lines.exists():
        lines.write_bytes(b"".join(p.read_bytes() + b"\n" for p in sorted(folder.glob("*.json"))))
    return lines


@pytest.fixture(scope="module")
def line_catalogs(catalogs: tuple[Path, Path]) -> tuple[Path, Path]:
    """The same catalogs as JSON Lines."""
    return _as_lines(catalogs[0]), _as_lines(catalogs[1])


def _builds(site: Path) -> list[str]:
    return sorted(p.name for p in (site / ".gs1ld-builds").iterdir())


FILES = sorted(["index.html", "index.jsonld", "linkset.json", "qr.svg"])


def _assert_whole(site: Path) -> str:
    """``current`` names a build whose manifest and every product's files are there.

    The server's view -- the version each manifest entry names -- is whole; a
    static host's view -- each product link -- names a whole version; a link
    that names another version than the manifest's is in the pending record.
    """
    manifest = Manifest.read(site)
    shared = site / ".gs1ld-products"
    pending_file = shared / "pending.json"
    pending = json.loads(pending_file.read_bytes())["gtins"] if pending_file.exists() else []
    for entry in manifest.entries():
        version = shared / "v" / entry.gtin / entry.digest
        assert sorted(p.name for p in version.iterdir()) == FILES, entry.gtin
        served = site / "current" / "01" / entry.gtin
        assert sorted(p.name for p in served.iterdir()) == FILES, entry.gtin
        if os.readlink(shared / "01" / entry.gtin) != f"../v/{entry.gtin}/{entry.digest}":
            assert entry.gtin in pending
    for link in (shared / "01").iterdir():
        assert sorted(p.name for p in link.iterdir()) == FILES, link.name
        assert manifest.has(link.name) or link.name in pending
    assert (site / "current" / "index.html").is_file()
    return manifest.build_id


def _spares(site: Path) -> list[str]:
    return sorted(p.name for p in (site / ".gs1ld-products" / "spare").iterdir())


def _version(catalog: Path, gtin: str) -> str:
    """The input hash ``gtin`` of ``catalog`` is published as (built alone, aside)."""
    site = catalog.with_name(f"{catalog.name}-alone")
    if not site.exists():
        build_site(catalog, site, config=CONFIG)
    entry = Manifest.read(site).entry(gtin)
    assert entry is not None
    return entry.digest


class _Killed(BaseException):
    """A build stopped dead at a publishing step."""


@pytest.mark.parametrize("kind", ["json files", "json lines"])
def test_a_build_killed_at_each_publishing_step_leaves_a_whole_site_and_converges(
    catalogs: tuple[Path, Path],
    line_catalogs: tuple[Path, Path],
    earlier_catalogs: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    """Before the killed build the site has a spare version (the first catalog's CHANGED);
    the build writes a product over it and retires the version two builds old."""
    first, second = catalogs if kind == "json files" else line_catalogs
    history = (first, *(c if kind == "json files" else _as_lines(c) for c in earlier_catalogs))
    reference = tmp_path / "reference"
    for catalog in history:
        build_site(catalog, reference, config=CONFIG)
    old_id = Manifest.read(reference).build_id
    build_site(second, reference, config=CONFIG)
    new_id = Manifest.read(reference).build_id
    expected = tree_bytes(reference)

    step = 0
    passing: list[bool] = []  # whether each killed build passed over unchanged lines
    for kill_at in range(1, 40):
        site = tmp_path / f"site-{kill_at}"
        for catalog in history:
            build_site(catalog, site, config=CONFIG)
        assert _spares(site) == [f"{CHANGED}.{_version(first, CHANGED)}"]
        step = 0

        def counted(function: Any) -> Any:
            def run(*args: Any, **kwargs: Any) -> Any:
                nonlocal step
                step += 1
                if step == kill_at:  # noqa: B023 - read while this kill's build runs
                    raise _Killed
                return function(*args, **kwargs)

            return run

        fake_os = SimpleNamespace(
            **{name: getattr(os, name) for name in dir(os) if not name.startswith("__")}
        )
        for name in ("rename", "replace", "symlink"):
            setattr(fake_os, name, counted(getattr(os, name)))
        with monkeypatch.context() as patch:
            patch.setattr(folder_module, "os", fake_os)
            patch.setattr(folder_module, "_remove", counted(folder_module._remove))
            patch.setattr(folder_module, "_sync", counted(folder_module._sync))
            patch.setattr(stage_module, "_took", counted(stage_module._took))
            reader = build_module._line_reader
            patch.setattr(
                build_module,
                "_line_reader",
                lambda *args: passing.append((lines := reader(*args))[0].passing_over) or lines,  # noqa: B023 - called while this build runs
            )
            try:
                build_site(second, site, config=CONFIG)
            except _Killed:
                killed = True
            else:
                killed = False
        assert _assert_whole(site) in (old_id, new_id), kill_at
        build_site(second, site, config=CONFIG)  # the next build converges
        assert tree_bytes(site) == expected, kill_at
        assert sorted(p.name for p in site.iterdir()) == [
            ".gs1ld-builds",
            ".gs1ld-products",
            "current",
        ]
        assert len([n for n in _builds(site) if n.isdigit()]) <= 2
        assert not [n for n in _builds(site) if n.startswith(".staging")]
        if not killed:
            break
    # every step was killed once: taking the spare, the pending record, each version and
    # its link, the build's number, both links, the removals, the versions no build
    # serves (and, for a catalog of lines, the record of the lines the build read)
    assert step > 14
    assert _spares(site) == [f"{CHANGED}.{_version(history[1], CHANGED)}"]
    assert set(passing) == {kind == "json lines"}
    if kind == "json lines":
        assert (site / ".gs1ld-products" / "sources.bin").is_file()


def test_an_old_flat_site_becomes_the_first_build_and_unchanged_files_are_linked(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = catalogs
    built, site = tmp_path / "built", tmp_path / "site"
    build_site(first, built, config=CONFIG)
    shutil.copytree(built / "current", site)  # files at the top: the layout before builds
    old = tree_bytes(site)
    kept = (site / "01" / KEPT / "qr.svg").stat().st_ino
    report = build_site(second, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed) == (2, 1, 1)
    assert sorted(p.name for p in site.iterdir()) == [".gs1ld-builds", ".gs1ld-products", "current"]
    assert _builds(site) == [".previous", "000001", "000002"]
    assert os.readlink(site / "current") == ".gs1ld-builds/000002"
    # the old content is the first build, kept as the previous one
    assert tree_bytes(site / ".gs1ld-builds" / "000001") == old
    assert (site / "current" / "01" / KEPT / "qr.svg").stat().st_ino == kept
    assert not (site / "current" / "01" / REMOVED).exists()


def test_a_non_site_folder_built_over_with_force_loses_its_content(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(Exception, match="not a gs1ld site"):
        build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    assert (site / "notes.txt").is_file()
    build_site(EXAMPLE_CATALOG, site, config=CONFIG, force=True)
    assert sorted(p.name for p in site.iterdir()) == [".gs1ld-builds", ".gs1ld-products", "current"]


def test_the_current_link_given_as_output_builds_its_site_folder(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = catalogs
    site = tmp_path / "site"
    build_site(first, site, config=CONFIG)
    build_site(second, site / "current", config=CONFIG)
    assert _builds(site) == [".previous", "000001", "000002"]
    assert not (site / "current" / "01" / REMOVED).exists()


def test_a_site_whose_builds_hold_their_own_products_is_converted_by_hard_links(
    catalogs: tuple[Path, Path], tmp_path: Path
) -> None:
    """The layout before products were shared: the next build links them into versions."""
    first, second = catalogs
    site = tmp_path / "site"
    build_site(first, site, config=CONFIG)
    build = Path(os.path.realpath(site / "current"))
    (build / "01").unlink()  # make its products its own, as an older gs1ld built them
    shutil.copytree(site / ".gs1ld-products" / "01", build / "01")
    shutil.rmtree(site / ".gs1ld-products")
    kept = (build / "01" / KEPT / "qr.svg").stat().st_ino
    report = build_site(second, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed) == (2, 1, 1)
    assert os.readlink(site / "current" / "01") == "../../.gs1ld-products/01"
    assert (site / "current" / "01" / KEPT / "qr.svg").stat().st_ino == kept
    assert not (site / "current" / "01" / REMOVED).exists()
    _assert_whole(site)
    # from now on an unchanged product costs nothing: its files are not even looked at
    again = build_site(first, site, config=CONFIG)
    assert (again.built, again.unchanged, again.removed) == (2, 1, 1)
    _assert_whole(site)


@pytest.mark.parametrize("fails_at", ["manifest root", "commit"])
def test_products_moved_in_beside_the_site_wide_files_then_a_failure_leave_a_whole_site(
    line_catalogs: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fails_at: str,
) -> None:
    """With a pool of workers, one moves the staged products in while the site-wide files
    are written.  A build failing after that, before its commit, leaves every product
    link it moved in the pending record (the leaving products too, once the commit is
    next) and a whole site; the next build converges to what builds in one process make."""
    first, second = line_catalogs
    reference = tmp_path / "reference"
    for catalog in (first, second):
        build_site(catalog, reference, config=CONFIG)
    expected = tree_bytes(reference)
    changed = f"../v/{CHANGED}/{_version(second, CHANGED)}"

    pooled = replace(CONFIG, workers=2)
    monkeypatch.setattr(build_module, "_FEW", 0)  # the pool even for a few products
    moved_beside: list[bool] = []
    real_publish = build_module.publish_build

    def publish(staged: Path, folder: Path, **options: Any) -> None:
        moved_beside.append(options["moved"] is not None)
        real_publish(staged, folder, **options)

    monkeypatch.setattr(build_module, "publish_build", publish)
    site = tmp_path / "site"
    build_site(first, site, config=pooled)
    old_id = Manifest.read(site).build_id

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        if fails_at == "commit":
            patch.setattr(folder_module, "_commit", disk_full)
        else:
            real_write = build_module.write_files
            patch.setattr(
                build_module,
                "write_files",
                lambda folder, files: (
                    disk_full() if "manifest.json" in files else real_write(folder, files)
                ),
            )
        with pytest.raises(OSError, match="No space left"):
            build_site(second, site, config=pooled)
    assert _assert_whole(site) == old_id
    shared = site / ".gs1ld-products"
    pending = set(json.loads((shared / "pending.json").read_bytes())["gtins"])
    assert {CHANGED, ADDED} <= pending
    assert (REMOVED in pending) == (fails_at == "commit")
    assert os.readlink(shared / "01" / CHANGED) == changed
    assert not [n for n in _builds(site) if n.startswith(".staging")]

    build_site(second, site, config=pooled)
    assert tree_bytes(site) == expected
    assert not (shared / "pending.json").exists()
    assert moved_beside == [True] * (3 if fails_at == "commit" else 2)  # each in a worker
