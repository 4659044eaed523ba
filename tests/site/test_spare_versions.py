"""Spare versions: a rebuild writes its products over the versions no build serves.

A version two builds old is moved into ``.gs1ld-products/spare/`` instead of
being removed; the next build renames spares into its staging folder and writes
its products' files over theirs (same inodes, no new ones), and removes the
spares it did not take.  The site it publishes is byte for byte a fresh build's,
and a file that is not a plain file of its own (a hard link, a symbolic link, a
folder) is replaced, never written through.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import orjson
import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.site import folder as folder_module
from gs1ld.site.build import build_site
from gs1ld.site.folder import spare_versions
from gs1ld.site.stage import Job, Spares, give_mode, render_job, write_over
from gs1ld.testing import synthetic_catalog
from support import tree_bytes

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    max_removals=UNLIMITED_REMOVALS,
)


def _catalog(path: Path, count: int, recipe: int, *, changed_every: int = 1) -> Path:
    """``count`` synthetic products, every ``changed_every``-th in its ``recipe``-th
    version, the others in the one before."""
    with path.open("wb") as out:
        for index, entry in enumerate(synthetic_catalog(count, seed=7)):
            version = recipe if index % changed_every == 0 else recipe - 1
            if version > 0:
                entry["product"]["description"] += f" Recipe {version}."
            out.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
    return path


def _spares(site: Path) -> set[str]:
    return {Path(path).name for path in spare_versions(site)}


def _inodes(folders: list[str]) -> set[int]:
    return {os.stat(entry.path).st_ino for folder in folders for entry in os.scandir(folder)}


def _served_inodes(site: Path) -> set[int]:
    products = site / "current" / "01"
    return {
        os.stat(entry.path).st_ino
        for product in os.scandir(products)
        for entry in os.scandir(product.path)
    }


def test_a_rebuild_writes_over_the_spares_in_its_workers_and_publishes_a_fresh_builds_bytes(
    tmp_path: Path,
) -> None:
    """1,200 products change in every build (enough for the worker pool): from the third
    build on, each build retires the versions two builds old to the spares, and the next
    writes every product it renders over one of them."""
    config = replace(CONFIG, workers=2)
    site = tmp_path / "site"
    catalogs = [_catalog(tmp_path / f"v{k}.jsonl", 1200, k) for k in range(4)]
    versions: list[dict[str, str]] = []
    for catalog in catalogs[:3]:
        assert build_site(catalog, site, config=config).built == 1200
        versions.append({e.gtin: e.digest for e in Manifest.read(site).entries()})
    assert _spares(site) == {f"{gtin}.{digest}" for gtin, digest in versions[0].items()}
    spare_inodes = _inodes(spare_versions(site))
    own_inode = {  # each product's own spare: its version two builds before
        Path(folder).name.partition(".")[0]: os.stat(f"{folder}/index.jsonld").st_ino
        for folder in spare_versions(site)
    }

    assert build_site(catalogs[3], site, config=config).built == 1200

    assert _spares(site) == {f"{gtin}.{digest}" for gtin, digest in versions[1].items()}
    served = _served_inodes(site)
    assert len(served & spare_inodes) >= 4 * 1200 * 0.9  # written over, not created
    over_own = sum(
        os.stat(site / "current" / "01" / gtin / "index.jsonld").st_ino == inode
        for gtin, inode in own_inode.items()
    )
    assert over_own == 1200  # each product written over its own spare
    fresh = tmp_path / "fresh"
    build_site(catalogs[3], fresh, config=config)
    assert tree_bytes(site) == tree_bytes(fresh)


def test_the_spares_a_build_does_not_take_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    second: dict[str, str] = {}
    for recipe in range(3):  # every product changes: the first versions become spares
        build_site(_catalog(tmp_path / f"all-{recipe}.jsonl", 40, recipe), site, config=CONFIG)
        if recipe == 1:
            second = {e.gtin: e.digest for e in Manifest.read(site).entries()}
    first = _spares(site)
    assert len(first) == 40
    # one product in ten changes: it takes four spares and the other 36 are removed; the
    # second build's versions, which the build before served, become the spares
    few = _catalog(tmp_path / "few.jsonl", 40, 3, changed_every=10)
    assert build_site(few, site, config=CONFIG).built == 4
    assert _spares(site) == {f"{gtin}.{digest}" for gtin, digest in second.items()}
    assert tree_bytes(site) == tree_bytes(_fresh(tmp_path, few))


def _fresh(tmp_path: Path, catalog: Path) -> Path:
    fresh = tmp_path / "fresh"
    build_site(catalog, fresh, config=CONFIG)
    return fresh


def test_the_spares_are_out_of_every_build_served(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for recipe in range(3):
        build_site(_catalog(tmp_path / f"c{recipe}.jsonl", 5, recipe), site, config=CONFIG)
    assert len(_spares(site)) == 5
    served = {os.path.realpath(p) for p in (site / "current" / "01").iterdir()}
    served |= {os.path.realpath(p) for p in (site / ".gs1ld-builds" / ".previous" / "01").iterdir()}
    assert not served & {os.path.realpath(p) for p in spare_versions(site)}
    assert len(tree_bytes(site)) == len(tree_bytes(_fresh(tmp_path, tmp_path / "c2.jsonl")))


def test_a_spare_another_worker_took_leaves_the_product_written_anew(tmp_path: Path) -> None:
    entry = next(synthetic_catalog(1, seed=3))
    staging = tmp_path / "staging"
    staging.mkdir()
    result = render_job(Job("c:1", entry, "d1"), CONFIG, staging, str(tmp_path / "gone"))
    assert not result.problems
    folder = staging / "01" / f"{entry['gtin']}.d1"
    assert {"index.html", "index.jsonld", "linkset.json", "qr.svg"} <= set(os.listdir(folder))


def test_a_spare_is_taken_when_another_worker_makes_the_staging_parent_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers' first products both find ``01/`` missing; the one that makes it
    second must still take its spare (it once wrote its product anew instead)."""
    entry = next(synthetic_catalog(1, seed=3))
    spare = tmp_path / "spare" / "x.old"
    spare.mkdir(parents=True)
    (spare / "index.html").write_bytes(b"old")
    inode = (spare / "index.html").stat().st_ino
    staging = tmp_path / "staging"
    staging.mkdir()
    rename = os.rename
    raced: list[str] = []

    def other_worker_first(source: str, target: str) -> None:
        if not raced:  # this move fails for the missing 01/, which the other worker makes
            raced.append(target)
            os.mkdir(os.path.dirname(target))
            raise FileNotFoundError(2, "No such file or directory", source)
        rename(source, target)

    monkeypatch.setattr(os, "rename", other_worker_first)
    render_job(Job("c:1", entry, "d1"), CONFIG, staging, str(spare))
    assert raced
    assert not spare.exists()
    assert (staging / "01" / f"{entry['gtin']}.d1" / "index.html").stat().st_ino == inode


def test_a_spare_is_renamed_into_the_staging_folder_and_written_over(tmp_path: Path) -> None:
    entry = next(synthetic_catalog(1, seed=3))
    spare = tmp_path / "spare" / "x.old"
    spare.mkdir(parents=True)
    (spare / "index.html").write_bytes(b"old " * 5000)  # longer than the new page
    (spare / "index.de.html").write_bytes(b"a page the product no longer has")
    inode = (spare / "index.html").stat().st_ino
    staging = tmp_path / "staging"
    staging.mkdir()
    render_job(Job("c:1", entry, "d1"), CONFIG, staging, str(spare))
    folder = staging / "01" / f"{entry['gtin']}.d1"
    assert not spare.exists()
    assert (folder / "index.html").stat().st_ino == inode
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    render_job(Job("c:1", entry, "d1"), CONFIG, fresh)
    expected = fresh / "01" / f"{entry['gtin']}.d1"
    assert sorted(os.listdir(folder)) == sorted(os.listdir(expected))
    for name in os.listdir(expected):
        assert (folder / name).read_bytes() == (expected / name).read_bytes(), name


def _modes(root: Path) -> dict[str, int]:
    """Permission bits of every product's folder and files the site serves, and of the
    manifest's partitions and their folder (what a build writes, over spares or anew;
    the folders every build shares keep the mode they were made with)."""
    found = {}
    products = [Path(entry.path) for entry in os.scandir(root / "current" / "01")]
    for folder in [*products, root / "current" / "manifest"]:
        for path in (folder, *folder.iterdir()):
            found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_what_is_written_over_takes_the_mode_a_new_file_gets_now(tmp_path: Path) -> None:
    """Spares and spare partitions made under a cron job's ``umask 077`` must not stay
    unreadable to the web server once the site is built under ``022``."""
    site = tmp_path / "site"
    catalogs = [_catalog(tmp_path / f"m{k}.jsonl", 40, k) for k in range(4)]
    mask = os.umask(0o077)
    try:
        for catalog in catalogs[:3]:
            build_site(catalog, site, config=CONFIG)
        assert len(_spares(site)) == 40
        spare_inodes = _inodes(spare_versions(site))
        os.umask(0o022)
        build_site(catalogs[3], site, config=CONFIG)
    finally:
        os.umask(mask)
    assert len(_served_inodes(site) & spare_inodes) >= 4 * 40  # written over, not created
    modes = _modes(site)
    assert len(modes) > 5 * 40
    assert {m for path, m in modes.items() if (site / path).is_dir()} == {0o755}
    assert {m for path, m in modes.items() if not (site / path).is_dir()} == {0o644}


def test_write_over_sets_the_permission_bits_and_keeps_a_shared_folders_setgid(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "spare"
    folder.mkdir()
    os.chmod(folder, 0o2700)  # a folder a group shares: its files take the folder's group
    (folder / "page").write_bytes(b"old")
    os.chmod(folder / "page", 0o600)
    write_over(str(folder), {"page": b"new", "other": b"made"}, umask=0o022)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2755
    assert stat.S_IMODE((folder / "page").stat().st_mode) == 0o644
    assert (folder / "page").read_bytes() == b"new"


def test_a_mode_is_never_given_through_a_symbolic_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.chmod(outside, 0o700)
    (tmp_path / "link").symlink_to(outside)
    give_mode(str(tmp_path / "link"), 0o755)
    assert stat.S_IMODE(outside.stat().st_mode) == 0o700


@pytest.mark.parametrize("old_size", [0, 3, 6000, 20000])
def test_write_over_leaves_exactly_the_new_bytes(tmp_path: Path, old_size: int) -> None:
    (tmp_path / "page").write_bytes(b"x" * old_size)
    write_over(str(tmp_path), {"page": b"new bytes" * 700})
    assert (tmp_path / "page").read_bytes() == b"new bytes" * 700


def test_write_over_never_writes_through_a_link_or_into_a_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not the site's")
    shared = tmp_path / "shared.txt"
    shared.write_bytes(b"another build's file")
    folder = tmp_path / "spare"
    folder.mkdir()
    (folder / "symlinked").symlink_to(outside)
    os.link(shared, folder / "hardlinked")
    (folder / "a-folder").mkdir()
    (folder / "a-folder" / "inside").write_bytes(b"x")
    (folder / "stray").write_bytes(b"gone")
    (folder / "stray-folder").mkdir()
    files = {"symlinked": b"one", "hardlinked": b"two", "a-folder": b"three", "created": b"four"}

    write_over(str(folder), files)

    assert {name: (folder / name).read_bytes() for name in os.listdir(folder)} == files
    assert not (folder / "symlinked").is_symlink()
    assert outside.read_bytes() == b"not the site's"
    assert shared.read_bytes() == b"another build's file"
    assert (folder / "hardlinked").stat().st_nlink == 1


def test_a_product_back_in_the_catalog_changed_retires_the_version_it_left_with(
    tmp_path: Path,
) -> None:
    """It left (its version kept for the build before), came back changed: the version it
    left with is no build's any more and becomes a spare, never a folder left for good."""
    site = tmp_path / "site"
    entries = list(synthetic_catalog(3, seed=5))
    gtin = entries[0]["gtin"]

    def build(name: str, chosen: list[dict[str, object]]) -> None:
        path = tmp_path / f"{name}.jsonl"
        lines = (orjson.dumps(e, option=orjson.OPT_APPEND_NEWLINE) for e in chosen)
        path.write_bytes(b"".join(lines))
        build_site(path, site, config=CONFIG)

    build("with", entries)
    left_with = Manifest.read(site).entry(gtin)
    assert left_with is not None
    build("without", entries[1:])
    changed = {**entries[0], "product": {**entries[0]["product"], "description": "New."}}
    build("back", [changed, *entries[1:]])
    back = Manifest.read(site).entry(gtin)
    assert back is not None
    assert os.listdir(site / ".gs1ld-products" / "v" / gtin) == [back.digest]
    assert f"{gtin}.{left_with.digest}" in _spares(site)


def test_a_product_takes_its_own_spare_first_and_no_other_products_own() -> None:
    pool = Spares(["/s/111.a", "/s/222.b", "/s/333.c", "/s/111.d"], gtins={"111", "222"})
    assert sorted(pool) == ["/s/111.a", "/s/111.d", "/s/222.b", "/s/333.c"]
    assert pool.take("222") == "/s/222.b"
    assert pool.take("999") in {"/s/333.c", "/s/111.d"}  # owned by no product here
    assert pool.take("111") == "/s/111.a"
    assert pool.take("444") in {"/s/333.c", "/s/111.d"}
    assert pool.take("555") is None


def test_where_two_folders_cannot_be_swapped_the_version_there_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A product back to an earlier version on a later day: without ``renameat2`` the
    version folder already there is kept (its pages show the earlier day), never moved
    out first, which would leave a moment, or for good a dead build, with its link
    naming nothing; the staged copy goes."""
    monkeypatch.setattr(folder_module, "exchange", lambda path, other: False)
    site = tmp_path / "site"
    entry = next(synthetic_catalog(1, seed=9))
    changed = {**entry, "product": {**entry["product"], "description": "New."}}
    for day, version in ((1, entry), (2, changed), (3, entry)):
        path = tmp_path / f"day{day}.jsonl"
        path.write_bytes(orjson.dumps(version, option=orjson.OPT_APPEND_NEWLINE))
        config = replace(CONFIG, export=replace(CONFIG.export, today=date(2026, 6, day)))
        build_site(path, site, config=config)
    served = site / "current" / "01" / entry["gtin"]
    assert 'data-lastmod="2026-06-01"' in (served / "index.html").read_text("utf-8")
    assert not list((site / ".gs1ld-builds").glob(".staging-*"))


def test_a_version_swapped_out_is_the_next_builds_spare(tmp_path: Path) -> None:
    """A product back to an earlier version on a later day: the staged folder is swapped
    in and the old one, unread, stays a spare (not removed with the spares the build
    did not take), which the next build writes over; every build serves a fresh build's
    bytes."""
    site = tmp_path / "site"
    entry = next(synthetic_catalog(1, seed=9))
    changed = {**entry, "product": {**entry["product"], "description": "New."}}
    first_digest = ""
    for day, version in ((1, entry), (2, changed), (3, entry), (4, changed)):
        path = tmp_path / f"day{day}.jsonl"
        path.write_bytes(orjson.dumps(version, option=orjson.OPT_APPEND_NEWLINE))
        config = replace(CONFIG, export=replace(CONFIG.export, today=date(2026, 6, day)))
        if day == 4:
            spares = [p for p in spare_versions(site) if Path(p).name.startswith(entry["gtin"])]
            swapped_out = _inodes(spares)
        build_site(path, site, config=config)
        fresh = tmp_path / f"fresh{day}"
        build_site(path, fresh, config=config)
        assert tree_bytes(site / "current") == tree_bytes(fresh / "current"), day
        if day == 1:
            first = Manifest.read(site).entry(entry["gtin"])
            assert first is not None
            first_digest = first.digest
        if day == 3:  # the first day's folder, swapped out, waits as a spare
            assert f"{entry['gtin']}.{first_digest}" in _spares(site)
    assert swapped_out  # taken and written over on the fourth day
    assert swapped_out <= _served_inodes(site)
