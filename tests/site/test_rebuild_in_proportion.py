"""A rebuild reads only the changed catalog lines and splices the site-wide files.

Whatever changed -- a description, a name, products gone or added, a GTIN twice,
enough products to change the manifest's partition depth -- the rebuilt site is
byte for byte the site a full build of the same catalog writes, site-wide files
included; the tests also check which way the rebuild went (lines passed over
unread, files spliced or linked), so a rebuild that silently read everything
again would fail.
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from gs1ld.catalog import halves
from gs1ld.catalog import raw as raw_module
from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig, SitewideLimits
from gs1ld.hosts import nginx as nginx_module
from gs1ld.publish import Manifest
from gs1ld.publish import manifest as manifest_module
from gs1ld.site import build as build_module
from gs1ld.site import sitewide as sitewide_module
from gs1ld.site.build import build_site
from gs1ld.site.folder import SOURCES_FILE
from gs1ld.site.product_files import day_state
from gs1ld.testing import synthetic_catalog
from support import tree_bytes

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    max_removals=UNLIMITED_REMOVALS,
    # small files, so that every kind of site-wide file comes in several shards
    sitewide=SitewideLimits(sitemap_urls=9, page_size=7, map_shard_entries=5),
)
COUNT = 60
IMAGED = 48
"""Products of the first ``COUNT`` with images (seed 26)."""


@pytest.fixture(autouse=True)
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Partitions of a few products, so 60 products fill several and 70 change the depth."""
    monkeypatch.setattr(manifest_module, "PARTITION_TARGET", 4)


@pytest.fixture(autouse=True, params=[16, 2048], ids=["nginx.conf says", "counted"])
def least_hash_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild that splices the link maps shard by shard takes their entries from the
    live nginx.conf and the changes, when it says them (more entries than nginx's least
    hash size); else counts them: both ways, the nginx.conf of a full build."""
    monkeypatch.setattr(nginx_module, "_LEAST_HASH_SIZE", request.param)


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    return list(synthetic_catalog(COUNT + 10, seed=26))


def _write(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e, option=orjson.OPT_APPEND_NEWLINE) for e in entries))
    return path


def _rename(entry: dict[str, Any]) -> None:
    name = entry["product"]["name"]
    entry["product"]["name"] = (
        {k: f"{v} Plus" for k, v in name.items()} if isinstance(name, dict) else f"{name} Plus"
    )


class _Spy:
    """Which way each rebuild went: lines passed over or not, the splice's outcome, and
    whether the link maps were linked as they were, spliced shard by shard or whole."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.passing: list[bool] = []
        self.splices: list[str] = []
        self.maps: list[str] = []
        in_process, splice = build_module._in_process, build_module.splice_sitewide
        ways = {"_maps": "spliced", "_shard_maps": "by shard", "_link_maps": "linked"}
        for name, way in ways.items():
            original = getattr(sitewide_module, name)

            def spy_maps(*args: Any, _way: str = way, _original: Any = original) -> Any:
                result = _original(*args)
                if _way != "by shard" or result is not None:  # (None: spliced whole instead)
                    self.maps.append(_way)
                return result

            monkeypatch.setattr(sitewide_module, name, spy_maps)

        def spy_in_process(*args: Any, **kwargs: Any) -> Any:
            self.passing.append(args[4].passing_over)
            return in_process(*args, **kwargs)

        def spy_splice(*args: Any, **kwargs: Any) -> Any:
            result = splice(*args, **kwargs)
            self.splices.append(
                "none" if result is None else "relisted" if result.relisted else "linked"
            )
            return result

        monkeypatch.setattr(build_module, "_in_process", spy_in_process)
        monkeypatch.setattr(build_module, "splice_sitewide", spy_splice)

    def clear(self) -> None:
        self.passing.clear()
        self.splices.clear()
        self.maps.clear()


def _variant(entries: list[dict[str, Any]], change: str) -> list[dict[str, Any]]:
    changed = copy.deepcopy(entries[:COUNT])
    if change == "description":
        for entry in changed[::10]:
            entry["product"]["description"] += " New recipe."
    elif change == "name":
        for entry in changed[::10]:
            _rename(entry)
    elif change.startswith("image,") or change == "image":  # a link changes: the maps' lines do
        step = {"image": 10, "image, every product": 1, "image, one product": COUNT}[change]
        for entry in changed[::step]:
            for image in entry["content"].get("images") or ():
                image["image_url"] = image["image_url"].replace(".jpg", "-new.jpg")
    elif change == "images dropped":  # fewer links: fewer map entries
        for entry in changed[::10]:
            entry["content"]["images"] = []
    elif change == "removed":
        del changed[5:8]
    elif change == "changed and removed":  # the partitions' other lines looked at
        for entry in changed[::10]:
            entry["product"]["description"] += " New recipe."
        del changed[5:8]
    elif change == "added":
        changed.append(copy.deepcopy(entries[COUNT]))
    elif change == "depth":
        changed.extend(copy.deepcopy(entries[COUNT:]))
    return changed


@pytest.mark.parametrize(
    ("change", "splice", "maps", "counts"),
    [
        # the maps hold each product's GTIN and links: a text change leaves them as they were
        ("description", "linked", ["linked"], (6, 54, 0)),
        ("name", "relisted", ["linked"], (6, 54, 0)),
        ("image", "linked", ["by shard"], (5, 55, 0)),
        # each shard keeps its products: every shard written again, or all but one linked
        ("image, every product", "linked", ["by shard"], (IMAGED, COUNT - IMAGED, 0)),
        ("image, one product", "linked", ["by shard"], (1, COUNT - 1, 0)),
        ("images dropped", "linked", ["by shard"], (5, 55, 0)),
        ("removed", "relisted", ["spliced"], (0, 57, 3)),
        ("changed and removed", "relisted", ["spliced"], (6, 51, 3)),
        ("added", "relisted", ["spliced"], (1, 60, 0)),
        ("depth", "none", [], (10, 60, 0)),
    ],
)
def test_a_rebuild_reads_the_changed_lines_and_writes_what_a_full_build_writes(
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
    splice: str,
    maps: list[str],
    counts: tuple[int, int, int],
) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    assert (site / ".gs1ld-products" / SOURCES_FILE).is_file()
    spy = _Spy(monkeypatch)
    catalog = _write(tmp_path / "second.jsonl", _variant(entries, change))
    report = build_site(catalog, site, config=CONFIG)
    assert (spy.passing, spy.splices, spy.maps) == ([True], [splice], maps)
    assert (report.built, report.unchanged, report.removed) == counts
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)
    assert (site / ".gs1ld-products" / SOURCES_FILE).read_bytes() == (
        fresh / ".gs1ld-products" / SOURCES_FILE
    ).read_bytes()


def test_a_rebuild_writes_its_partitions_over_those_of_the_build_removed_last(
    entries: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The build removed last leaves its manifest partitions as spares; the next rebuild
    that splices takes them, writes each changed partition over the file of its name
    (the same inode), never through a file another build links to, and removes those
    no partition took: the site is a full build's and the builds it keeps are intact."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    first = _write(tmp_path / "a.jsonl", entries[:COUNT])
    described = _write(tmp_path / "b.jsonl", _variant(entries, "description"))
    for catalog in (first, described, first):
        build_site(catalog, site, config=CONFIG)
    builds = site / ".gs1ld-builds"
    spare = builds / ".spare-partitions"
    assert spare.is_dir()  # the first build's, removed by the third
    spared = {p.name: p.stat() for p in spare.iterdir()}
    assert any(s.st_nlink == 1 for s in spared.values())  # (changed by the second build)
    assert any(s.st_nlink > 1 for s in spared.values())  # (linked into the builds kept)
    (spare / "stray.jsonl").write_bytes(b"no partition of this name\n")
    kept = (site / "current").resolve()
    kept_bytes = {p.name: p.read_bytes() for p in (kept / "manifest").iterdir()}
    renamed = _write(tmp_path / "c.jsonl", _variant(entries, "name"))
    build_site(renamed, site, config=CONFIG)
    written = {p.name: p.stat() for p in (site / "current" / "manifest").iterdir()}
    assert "stray.jsonl" not in written
    alone = {n for n, s in spared.items() if s.st_nlink == 1}
    assert any(written[n].st_ino == spared[n].st_ino for n in alone & written.keys())
    assert {p.name: p.read_bytes() for p in (kept / "manifest").iterdir()} == kept_bytes
    assert spare.is_dir()  # the second build's now
    build_site(renamed, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)


def test_a_spliced_rebuild_links_the_vocabulary_s_files_unparsed(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same site inputs make the same vocabulary files: the rebuild links the current
    build's and never makes them again (parsing the vocabulary cost a second)."""
    site = tmp_path / "site"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    voc = sorted(p.relative_to(site / "current") for p in (site / "current" / "voc").rglob("*"))
    inodes = {path: (site / "current" / path).stat().st_ino for path in voc}
    assert any(path.name == "index.ttl" for path in voc)

    def unmade(config: SiteConfig) -> dict[str, bytes]:
        raise AssertionError("the vocabulary's files made again")

    monkeypatch.setattr(sitewide_module, "vocabulary_files", unmade)
    spy = _Spy(monkeypatch)
    catalog = _write(tmp_path / "second.jsonl", _variant(entries, "description"))
    build_site(catalog, site, config=CONFIG)
    assert spy.splices == ["linked"]
    assert (
        sorted(p.relative_to(site / "current") for p in (site / "current" / "voc").rglob("*"))
        == voc
    )
    assert all(
        (site / "current" / path).stat().st_ino == inode
        for path, inode in inodes.items()
        if path.suffix
    )


@pytest.mark.parametrize("tail", [16, 256, 65536])
def test_a_shard_s_end_read_from_any_tail_gives_a_full_build_s_maps(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: int
) -> None:
    """A shard's last product is read from its end (the whole shard when the tail holds no
    block's start): shorter than a line, a block or longer than the shard."""
    monkeypatch.setattr(sitewide_module, "_SHARD_TAIL", tail)
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    spy = _Spy(monkeypatch)
    catalog = _write(tmp_path / "second.jsonl", _variant(entries, "image"))
    build_site(catalog, site, config=CONFIG)
    assert spy.maps == ["by shard"]
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)


def test_a_splice_told_that_none_leave_when_one_does_declines(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    spy = _Spy(monkeypatch)
    splice = build_module.splice_sitewide

    def misinformed(*args: Any, **kwargs: Any) -> Any:
        return splice(*args, **{**kwargs, "none_leave": True})

    monkeypatch.setattr(build_module, "splice_sitewide", misinformed)
    catalog = _write(tmp_path / "second.jsonl", _variant(entries, "changed and removed"))
    report = build_site(catalog, site, config=CONFIG)
    assert (report.built, report.removed) == (6, 3)
    assert spy.splices == ["none"]  # declined: the files were written from every row
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)


NEXT_DAY = replace(CONFIG, export=replace(CONFIG.export, today=date(2026, 6, 2)))


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The locations of the catalog lines parsed from now on."""
    parsed: list[str] = []
    checked = raw_module.checked_entry

    def counted(location: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(location)
        return checked(location, *args, **kwargs)

    monkeypatch.setattr(raw_module, "checked_entry", counted)
    return parsed


def test_an_unchanged_catalog_is_read_without_parsing_and_publishes_nothing(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    catalog = _write(tmp_path / "catalog.jsonl", entries[:COUNT])
    build_site(catalog, site, config=CONFIG)
    before = tree_bytes(site)
    parsed = _parsed(monkeypatch)
    report = build_site(catalog, site, config=CONFIG)
    assert (report.built, report.unchanged) == (0, COUNT)
    assert parsed == []
    assert tree_bytes(site) == before
    assert sorted(p.name for p in (site / ".gs1ld-builds").iterdir()) == ["000001"]


def _rebuilt_reading_everything(first: Path, catalog: Path, where: Path) -> Path:
    """The site built from ``first`` on the first day, then from ``catalog`` on the next
    day with no line record: every line read, every site-wide file written from rows."""
    build_site(first, where, config=CONFIG)
    (where / ".gs1ld-products" / SOURCES_FILE).unlink()
    build_site(catalog, where, config=NEXT_DAY)
    return where


@pytest.mark.parametrize("change", ["nothing", "description"])
def test_a_rebuild_on_another_day_reads_only_the_lines_whose_dates_it_crosses(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A certificate that ends on the first day is over on the next: that product's line,
    unchanged, is read and the product rendered again; every other unchanged line is
    passed over, the site-wide files spliced, and the site is what a rebuild reading
    every line makes of it (pages and sitemap keep each product's own lastmod)."""
    listed = copy.deepcopy(entries[:COUNT])
    ending = next(e for e in listed if e["content"].get("certifications"))
    ending["content"]["certifications"][0]["expiration_date"] = "2026-06-01"
    crossing = {
        e["gtin"]
        for e in listed
        if day_state(e, CONFIG.export.today) != day_state(e, NEXT_DAY.export.today)
    }
    assert ending["gtin"] in crossing
    changed = copy.deepcopy(listed)
    if change == "description":
        for entry in changed[1::10]:
            entry["product"]["description"] += " New recipe."
    edited = {a["gtin"] for a, b in zip(listed, changed, strict=True) if a != b}
    first = _write(tmp_path / "first.jsonl", listed)
    catalog = _write(tmp_path / "second.jsonl", changed)
    site = tmp_path / "site"
    build_site(first, site, config=CONFIG)
    spy = _Spy(monkeypatch)
    parsed = _parsed(monkeypatch)
    report = build_site(catalog, site, config=NEXT_DAY)
    # spliced, the sitemaps too: the products rendered again have a new lastmod, in place
    assert (spy.passing, spy.splices) == ([True], ["linked"])
    assert len(parsed) == len(crossing | edited)
    assert (report.built, report.unchanged) == (len(crossing | edited), COUNT - report.built)
    assert Manifest.read(site).today == "2026-06-02"
    reference = _rebuilt_reading_everything(first, catalog, tmp_path / "reference")
    assert tree_bytes(site) == tree_bytes(reference)
    assert (site / ".gs1ld-products" / SOURCES_FILE).read_bytes() == (
        reference / ".gs1ld-products" / SOURCES_FILE
    ).read_bytes()
    # and the day after that, nothing crosses: nothing is read, nothing published
    parsed = _parsed(monkeypatch)
    published = sorted(p.name for p in (site / ".gs1ld-builds").iterdir())
    assert build_site(catalog, site, config=NEXT_DAY).built == 0
    assert parsed == []
    assert sorted(p.name for p in (site / ".gs1ld-builds").iterdir()) == published


def _without_lastmod(site: Path, gtin: str, *, root_says: bool) -> None:
    """Empty ``gtin``'s lastmod in the current build's manifest row, as a row written
    without one would be; the root counts it (``root_says``) or, as a root written
    before it counted them, does not say."""
    build = (site / "current").resolve()
    (partition,) = (p for p in (build / "manifest").iterdir() if gtin.encode() in p.read_bytes())
    rows = [orjson.loads(line) for line in partition.read_bytes().splitlines()]
    for row in rows:
        if row["gtin"] == gtin:
            row["lastmod"] = ""
    partition.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    root = orjson.loads((build / "manifest.json").read_bytes())
    if root_says:
        root["undated"] = 1
    else:
        del root["undated"]
    (build / "manifest.json").write_bytes(orjson.dumps(root))


@pytest.mark.parametrize("root_says", [True, False], ids=["counted", "root of before"])
def test_a_row_without_lastmod_has_its_sitemap_day_move_with_the_day(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root_says: bool
) -> None:
    """A row without ``lastmod`` is dated the build's day in the sitemaps: the next day's
    rebuild writes them from every row (the current build's root counts such rows, or,
    written before it did, they are counted in its partitions), and its own root
    counts the row still there."""
    listed = copy.deepcopy(entries[:COUNT])
    changed = copy.deepcopy(listed)
    changed[2]["product"]["description"] += " New recipe."
    site = tmp_path / "site"
    build_site(_write(tmp_path / "first.jsonl", listed), site, config=CONFIG)
    assert orjson.loads((site / "current" / "manifest.json").read_bytes())["undated"] == 0
    undated = listed[5]["gtin"]
    _without_lastmod(site, undated, root_says=root_says)
    spy = _Spy(monkeypatch)
    build_site(_write(tmp_path / "second.jsonl", changed), site, config=NEXT_DAY)
    assert spy.splices == ["relisted"]
    sitemaps = b"".join(p.read_bytes() for p in (site / "current" / "sitemaps").iterdir())
    (line,) = (line for line in sitemaps.splitlines() if undated.encode() in line)
    assert b"<lastmod>2026-06-02</lastmod>" in line
    assert orjson.loads((site / "current" / "manifest.json").read_bytes())["undated"] == 1


def test_a_rebuild_takes_the_rows_without_lastmod_from_the_root_unsearched(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next day's rebuild reads how many rows have no ``lastmod`` from the current
    build's root: no partition is searched for them (it cost a million-product rebuild
    0.6 s), and the site is still what a rebuild reading every line makes of it."""
    listed = copy.deepcopy(entries[:COUNT])
    changed = copy.deepcopy(listed)
    for entry in changed[::10]:
        entry["product"]["description"] += " New recipe."
    first = _write(tmp_path / "first.jsonl", listed)
    catalog = _write(tmp_path / "second.jsonl", changed)
    site = tmp_path / "site"
    build_site(first, site, config=CONFIG)
    searched: list[int] = []
    counted = sitewide_module._undated_rows
    monkeypatch.setattr(
        sitewide_module, "_undated_rows", lambda *a: searched.append(1) or counted(*a)
    )
    spy = _Spy(monkeypatch)
    build_site(catalog, site, config=NEXT_DAY)
    assert (spy.splices, searched) == (["linked"], [])
    reference = _rebuilt_reading_everything(first, catalog, tmp_path / "reference")
    assert tree_bytes(site) == tree_bytes(reference)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda line: line.replace(b"2026-06-01", b"2026-05-31"), id="its day edited"),
        pytest.param(lambda line: b"", id="its line removed"),
        pytest.param(lambda line: line + line, id="its line twice"),
    ],
)
def test_a_sitemap_line_not_as_its_row_gives_makes_the_sitemaps_written_from_every_row(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Any
) -> None:
    """A day's new lastmod is put in place only over the line the current build's row
    gives; anything else there has the sitemaps written again from every row, and no
    file of the current build is written through a link."""
    listed = copy.deepcopy(entries[:COUNT])
    changed = copy.deepcopy(listed)
    changed[2]["product"]["description"] += " New recipe."
    first = _write(tmp_path / "first.jsonl", listed)
    catalog = _write(tmp_path / "second.jsonl", changed)
    site = tmp_path / "site"
    build_site(first, site, config=CONFIG)
    old_build = (site / "current").resolve()
    gtin = changed[2]["gtin"].encode()
    (shard,) = (p for p in (old_build / "sitemaps").iterdir() if gtin in p.read_bytes())
    lines = shard.read_bytes().splitlines(keepends=True)
    shard.write_bytes(b"".join(edit(line) if gtin in line else line for line in lines))
    edited = {p: p.read_bytes() for p in (old_build / "sitemaps").iterdir()}
    spy = _Spy(monkeypatch)
    build_site(catalog, site, config=NEXT_DAY)
    assert spy.splices == ["relisted"]
    reference = _rebuilt_reading_everything(first, catalog, tmp_path / "reference")
    assert tree_bytes(site) == tree_bytes(reference)
    assert {p: p.read_bytes() for p in (old_build / "sitemaps").iterdir()} == edited


def test_a_rebuild_on_an_earlier_day_reads_each_shards_newest_day_again(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build for an earlier day (``--today`` set back) gives its changed products an
    earlier lastmod than they had: the shards they are in take their newest day from
    their lines, as a build reading every line does."""
    changed = copy.deepcopy(entries[:COUNT])
    for entry in [*changed[:9], *changed[20::7]]:  # every product of the first shard, and more
        entry["product"]["description"] += " New recipe."
    first = _write(tmp_path / "first.jsonl", entries[:COUNT])
    catalog = _write(tmp_path / "second.jsonl", changed)
    site, reference = tmp_path / "site", tmp_path / "reference"
    for folder in (site, reference):
        build_site(first, folder, config=NEXT_DAY)
    (reference / ".gs1ld-products" / SOURCES_FILE).unlink()
    spy = _Spy(monkeypatch)
    for folder in (site, reference):
        build_site(catalog, folder, config=CONFIG)
    assert (spy.passing, spy.splices) == ([True, False], ["linked"])
    assert tree_bytes(site) == tree_bytes(reference)
    index = (site / "current" / "sitemap.xml").read_bytes()
    assert index.count(b"2026-06-01") == 1  # the first shard: every day went back
    assert index.count(b"2026-06-02") == 6


def test_a_day_far_away_reads_every_line_and_still_keeps_each_lastmod(
    entries: list[dict[str, Any]], tmp_path: Path
) -> None:
    """Years later most certificates changed state: more lines to read than a rebuild
    passes over for, so every line is read; the site is what such a rebuild makes."""
    far = replace(CONFIG, export=replace(CONFIG.export, today=date(2031, 1, 1)))
    catalog = _write(tmp_path / "catalog.jsonl", entries[:COUNT])
    site, reference = tmp_path / "site", tmp_path / "reference"
    for folder in (site, reference):
        build_site(catalog, folder, config=CONFIG)
    (reference / ".gs1ld-products" / SOURCES_FILE).unlink()
    for folder in (site, reference):
        build_site(catalog, folder, config=far)
    assert tree_bytes(site) == tree_bytes(reference)


def test_a_gtin_both_unchanged_and_read_again_is_built_from_every_line(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry changed early and its old line repeated later: the first entry wins, which
    a build passing over the old line could not tell; it reads every line instead."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    changed = copy.deepcopy(entries[:COUNT])
    changed[3]["product"]["description"] += " New recipe."
    changed.append(copy.deepcopy(entries[3]))
    catalog = _write(tmp_path / "second.jsonl", changed)
    spy = _Spy(monkeypatch)
    report = build_site(catalog, site, config=CONFIG)
    assert spy.passing == [True, False]
    assert (report.built, len(report.invalid)) == (1, 1)
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)


@pytest.mark.parametrize("change", ["changed and removed", "added", "old line repeated"])
def test_a_catalog_scanned_in_two_halves_rebuilds_as_one_scan_does(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A large catalog is scanned by two processes at once (:mod:`gs1ld.catalog.halves`;
    here every catalog is): the rebuild reads the same lines and writes what a full
    build writes, and an old line repeated in the second half still makes it read every
    line."""
    monkeypatch.setattr(halves, "SPLIT_AT", 0)
    children: list[int] = []
    start = halves._SecondHalf.__init__

    def counted(self: Any, *args: Any) -> None:
        children.append(1)
        start(self, *args)

    monkeypatch.setattr(halves._SecondHalf, "__init__", counted)
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    if change == "old line repeated":
        changed = copy.deepcopy(entries[:COUNT])
        changed[3]["product"]["description"] += " New recipe."
        changed.append(copy.deepcopy(entries[3]))
    else:
        changed = _variant(entries, change)
    catalog = _write(tmp_path / "second.jsonl", changed)
    spy = _Spy(monkeypatch)
    report = build_site(catalog, site, config=CONFIG)
    assert spy.passing == ([True, False] if change == "old line repeated" else [True])
    assert children == [1]  # the first build had no record: one scan, no child
    assert report.built == {"changed and removed": 6, "added": 1}.get(change, 1)
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)
    assert (site / ".gs1ld-products" / SOURCES_FILE).read_bytes() == (
        fresh / ".gs1ld-products" / SOURCES_FILE
    ).read_bytes()


def test_a_record_of_another_build_is_not_trusted(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record left by an older build (one died between its commit and its record) names
    lines of another manifest: the build reads every line."""
    site = tmp_path / "site"
    first = _write(tmp_path / "first.jsonl", entries[:COUNT])
    build_site(first, site, config=CONFIG)
    old_record = (site / ".gs1ld-products" / SOURCES_FILE).read_bytes()
    second = _write(tmp_path / "second.jsonl", _variant(entries, "description"))
    build_site(second, site, config=CONFIG)
    (site / ".gs1ld-products" / SOURCES_FILE).write_bytes(old_record)
    spy = _Spy(monkeypatch)
    report = build_site(first, site, config=CONFIG)
    assert spy.passing == [False]
    assert (report.built, report.unchanged) == (6, 54)
    fresh = tmp_path / "fresh"
    build_site(first, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)


def test_a_record_of_an_earlier_kind_is_not_trusted(
    entries: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record whose header names another kind (release 2 recorded XXH3 digests and
    GTINs without day windows; release 1 BLAKE2b digests) is read as no record: every
    line is read, and the products, their input hashes the same, stay as published."""
    site = tmp_path / "site"
    catalog = _write(tmp_path / "catalog.jsonl", entries[:COUNT])
    build_site(catalog, site, config=CONFIG)
    record = site / ".gs1ld-products" / SOURCES_FILE
    header, _, body = record.read_bytes().partition(b"\n")
    assert header.startswith(b"gs1ld sources 3 ")
    kinds = {  # each line's digest, then its GTIN (the day window left out)
        b"gs1ld sources 2 ": [body[at : at + 16] for at in range(0, len(body), 38)],
        b"gs1ld sources 1 ": [
            hashlib.blake2b(line, digest_size=16).digest()
            for line in sorted(catalog.read_bytes().splitlines(), key=lambda line: line[9:23])
        ],
    }
    before = tree_bytes(site)
    for kind, digests in kinds.items():
        gtins = [body[at + 24 : at + 38] for at in range(0, len(body), 38)]
        old = b"".join(digest + gtin for digest, gtin in zip(digests, gtins, strict=True))
        record.write_bytes(header.replace(b"gs1ld sources 3 ", kind) + b"\n" + old)
        spy = _Spy(monkeypatch)
        report = build_site(catalog, site, config=CONFIG)
        assert spy.passing == [False]
        assert (report.built, report.unchanged) == (0, COUNT)
        assert tree_bytes(site) == before
        assert record.read_bytes().startswith(b"gs1ld sources 3 ")


def test_a_catalog_without_lines_leaves_no_record(
    entries: list[dict[str, Any]], tmp_path: Path
) -> None:
    site, folder = tmp_path / "site", tmp_path / "catalog"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    folder.mkdir()
    for number, entry in enumerate(entries[:COUNT]):
        (folder / f"{number:03d}.json").write_bytes(orjson.dumps(entry))
    build_site(folder, site, config=CONFIG)
    assert not (site / ".gs1ld-products" / SOURCES_FILE).exists()
    shutil.rmtree(folder)


@pytest.mark.parametrize("change", ["description", "image"])
def test_an_nginx_conf_edited_by_hand_is_written_again(
    entries: list[dict[str, Any]], tmp_path: Path, change: str
) -> None:
    """The entries the live nginx.conf says are taken only from the file a build writes
    for them (here its server's port changed, as its comment says one may)."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build_site(_write(tmp_path / "first.jsonl", entries[:COUNT]), site, config=CONFIG)
    conf = site / "current" / "nginx.conf"
    edited = re.sub(rb"listen 80;", b"listen 8080;", conf.read_bytes())
    assert edited != conf.read_bytes()
    conf.unlink()  # (a build's files are hard links: the edit is a new file)
    conf.write_bytes(edited)
    catalog = _write(tmp_path / "second.jsonl", _variant(entries, change))
    build_site(catalog, site, config=CONFIG)
    build_site(catalog, fresh, config=CONFIG)
    assert tree_bytes(site) == tree_bytes(fresh)
