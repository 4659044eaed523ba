"""A rebuild of a site on object storage costs what changed, as a local one does.

Against moto's S3 server on 127.0.0.1: the store keeps the record of each
product's catalog line, so a rebuild passes the unchanged lines over unparsed;
it downloads the other site-wide files only when a line changed (to splice
them), uploads only the products and site-wide files whose bytes changed, and
the bucket then holds byte for byte what a fresh full build writes.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from gs1ld.config import UNLIMITED_REMOVALS, ExportConfig, SiteConfig, SitewideLimits
from gs1ld.publish import MANIFEST_FILE
from gs1ld.publish import manifest as manifest_module
from gs1ld.site import build as build_module
from gs1ld.site import store as store_module
from gs1ld.site.build import build_site
from gs1ld.site.store import SOURCES_OBJECT, StoreSite, build_site_to_store
from gs1ld.site.store_lock import LOCK_FILE
from gs1ld.testing import synthetic_catalog, write_jsonl
from support import pop_store_records, sync_down, tree_bytes

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    validate=False,
    workers=1,
    max_removals=UNLIMITED_REMOVALS,
    # small files, so that every kind of site-wide file comes in several shards
    sitewide=SitewideLimits(sitemap_urls=9, page_size=7, map_shard_entries=5),
)
COUNT = 40


@pytest.fixture(autouse=True)
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "PARTITION_TARGET", 4)


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    return list(synthetic_catalog(COUNT + 1, seed=27))


def _write(path: Path, entries: list[dict[str, Any]]) -> Path:
    write_jsonl(entries, path)
    return path


def _published(
    s3_bucket: tuple[Any, str], entries: list[dict[str, Any]], tmp_path: Path
) -> tuple[Any, str, StoreSite, Path]:
    """(file system, site URL, site, catalog): the first COUNT entries, published."""
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    site = StoreSite(url)
    catalog = _write(tmp_path / "first.jsonl", entries[:COUNT])
    build_site_to_store(catalog, site, config=CONFIG, scratch=tmp_path)
    return fs, url, site, catalog


class _Watch:
    """What a build to the store did: lines passed over, site-wide files downloaded,
    objects uploaded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.passing: list[bool] = []
        self.fetched = 0
        self.uploaded: list[str] = []
        in_process, fetch, put = (
            build_module._in_process,
            store_module._fetch_sitewide,
            store_module._put,
        )

        def spy_in_process(*args: Any, **kwargs: Any) -> Any:
            self.passing.append(args[4].passing_over)
            return in_process(*args, **kwargs)

        def spy_fetch(*args: Any, **kwargs: Any) -> Any:
            self.fetched += 1
            return fetch(*args, **kwargs)

        def spy_put(fs: Any, local: Path, root: str, relatives: Any) -> None:
            names = list(relatives)
            self.uploaded += names
            put(fs, local, root, names)

        monkeypatch.setattr(build_module, "_in_process", spy_in_process)
        monkeypatch.setattr(store_module, "_fetch_sitewide", spy_fetch)
        monkeypatch.setattr(store_module, "_put", spy_put)


def _store_tree(fs: Any, url: str, target: Path) -> dict[str, bytes]:
    tree = tree_bytes(sync_down(fs, url, target))
    pop_store_records(tree)
    return tree


@pytest.mark.parametrize("change", ["description", "removed", "added"])
def test_a_rebuild_passes_unchanged_lines_over_and_uploads_only_what_changed(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    fs, url, site, _ = _published(s3_bucket, entries, tmp_path)
    assert fs.isfile(f"{url}/{SOURCES_OBJECT}")
    before = _store_tree(fs, url, tmp_path / "before")
    changed = copy.deepcopy(entries[:COUNT])
    if change == "description":
        for entry in changed[::10]:
            entry["product"]["description"] += " New recipe."
    elif change == "removed":
        del changed[5:7]
    else:
        changed.append(copy.deepcopy(entries[COUNT]))
    second = _write(tmp_path / "second.jsonl", changed)
    watch = _Watch(monkeypatch)
    report = build_site_to_store(second, site, config=CONFIG, scratch=tmp_path)
    assert watch.passing == [True]  # the unchanged lines were not parsed
    assert watch.fetched == 1
    after = _store_tree(fs, url, tmp_path / "after")
    # the bucket is what a fresh full build of the new catalog writes, record aside
    fresh = tmp_path / "fresh"
    build_site(second, fresh, config=CONFIG)
    record = after.pop(SOURCES_OBJECT)
    assert after == tree_bytes(fresh)
    assert record == (fresh / ".gs1ld-products" / "sources.bin").read_bytes()
    # only the changed products' files, and the site-wide files whose bytes changed,
    # were uploaded (the manifest root always: it commits the build)
    differs = {r for r, data in after.items() if before.get(r) != data}
    products = {r.split("/")[1] for r in differs if r.startswith("01/")}
    assert len(products) == report.built
    sitewide = {r for r in watch.uploaded if not r.startswith("01/")}
    assert sitewide == {r for r in differs if not r.startswith("01/")} | {MANIFEST_FILE}
    assert sorted(r for r in watch.uploaded if r.startswith("01/")) == sorted(
        r for r in after if r.startswith("01/") and r.split("/")[1] in products
    )
    assert sitewide < {r for r in after if not r.startswith("01/")}  # some stayed


def test_an_unchanged_catalog_downloads_the_root_alone_and_writes_nothing(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fs, url, site, catalog = _published(s3_bucket, entries, tmp_path)
    fs.invalidate_cache()
    stamps = {p: info["ETag"] for p, info in fs.find(url, detail=True).items()}
    watch = _Watch(monkeypatch)
    written: list[str] = []
    for method in ("pipe_file", "put_file", "rm_file", "rm"):
        original = getattr(fs, method)

        def recorded(path: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            written.append(str(path))
            return _original(path, *args, **kwargs)

        monkeypatch.setattr(fs, method, recorded)
    report = build_site_to_store(catalog, site, config=CONFIG, scratch=tmp_path)
    assert (report.built, report.unchanged) == (0, COUNT)
    assert (watch.passing, watch.fetched, watch.uploaded) == ([True], 0, [])
    # the lock is the only object written, and it goes again
    assert all(p.endswith(LOCK_FILE) for p in written), written
    fs.invalidate_cache()
    assert {p: info["ETag"] for p, info in fs.find(url, detail=True).items()} == stamps


def test_a_record_of_another_build_on_the_store_is_not_trusted(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build that died between its commit and its record leaves the older record: it
    names another build id, and the next build reads every line."""
    fs, url, site, first = _published(s3_bucket, entries, tmp_path)
    old_record = fs.cat_file(f"{url}/{SOURCES_OBJECT}")
    changed = copy.deepcopy(entries[:COUNT])
    changed[3]["product"]["description"] += " New recipe."
    second = _write(tmp_path / "second.jsonl", changed)
    build_site_to_store(second, site, config=CONFIG, scratch=tmp_path)
    fs.pipe_file(f"{url}/{SOURCES_OBJECT}", old_record)
    watch = _Watch(monkeypatch)
    report = build_site_to_store(first, site, config=CONFIG, scratch=tmp_path)
    assert watch.passing == [False]
    assert (report.built, report.unchanged) == (1, COUNT - 1)
    fresh = tmp_path / "fresh"
    build_site(first, fresh, config=CONFIG)
    after = _store_tree(fs, url, tmp_path / "after")
    assert after.pop(SOURCES_OBJECT) == (fresh / ".gs1ld-products" / "sources.bin").read_bytes()
    assert after == tree_bytes(fresh)


def test_a_catalog_without_lines_removes_the_record(
    s3_bucket: tuple[Any, str],
    entries: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    """A build from a catalog that is not JSON Lines records no lines: the store's record,
    of the build before, goes with the commit."""
    fs, url, site, _ = _published(s3_bucket, entries, tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    for index, entry in enumerate(entries[: COUNT - 1]):
        (folder / f"{index:03d}.json").write_bytes(orjson.dumps(entry))
    build_site_to_store(folder, site, config=CONFIG, scratch=tmp_path)
    fs.invalidate_cache()
    assert not fs.exists(f"{url}/{SOURCES_OBJECT}")
