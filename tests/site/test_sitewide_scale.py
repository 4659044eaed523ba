"""Every site-wide file of a 60,000-product site is valid: sitemaps, listings, maps, manifest.

The site-wide step is fed the summary rows of 60,000 synthetic products exactly
as a build feeds it (rendering them would only make the test slower), and each
file is checked against its limit: sitemaps by sitemaps.org's (50,000 URLs,
50 MB), listing pages at 1,000 products and 5 MB, link-map shards at 50,000
products, manifest partitions read back one per lookup.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from gs1ld import gtin as gtin_rules
from gs1ld.config import ExportConfig, SiteConfig, SitewideLimits
from gs1ld.pages.listings import ORDERS
from gs1ld.publish import MANIFEST_FILE, Manifest, ManifestEntry, partition_path
from gs1ld.site.rows import SummaryRows
from gs1ld.site.sitewide import directory_writer, write_sitewide
from gs1ld.testing import synthetic_catalog

BASE = "https://id.brand.example"
CONFIG = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), validate=False)
PRODUCTS = 60_000
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIVE_MB = 5 * 1024 * 1024


def _rows(count: int, seed: int = 3) -> list[ManifestEntry]:
    rows = []
    for n, entry in enumerate(synthetic_catalog(count, seed=seed)):
        gtin = gtin_rules.normalize(entry["gtin"])
        day = (date(2026, 6, 1) - timedelta(days=n % 90)).isoformat()
        links = (("pip", f"{BASE}/01/{gtin}/index.html"), ("masterData", f"https://b.example/{n}"))
        name = entry["product"]["name"]  # a text or a text per language
        name = name if isinstance(name, str) else next(iter(name.values()))
        brand = entry["product"].get("brand") or ""
        rows.append(ManifestEntry(gtin, f"h{n}", name, brand, day, "p", links))
    return rows


def _build(tmp_path: Path, rows: list[ManifestEntry], config: SiteConfig) -> Path:
    site = tmp_path / "site"
    store = SummaryRows(tmp_path / "rows", run_size=7_000)  # several runs: the merge is exercised
    for row in rows:
        store.add(row)
    root = write_sitewide(store, directory_writer(site), config, "test")
    (site / MANIFEST_FILE).write_bytes(root)
    return site


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ManifestEntry]]:
    tmp_path = tmp_path_factory.mktemp("sitewide")
    rows = _rows(PRODUCTS)
    return _build(tmp_path, rows, CONFIG), rows


def _sitemaps(site: Path) -> list[tuple[str, str]]:
    """(loc, lastmod) of every URL, each shard checked against sitemaps.org's limits."""
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls: list[tuple[str, str]] = []
    for entry in index:
        loc = entry.findtext(f"{SITEMAP}loc") or ""
        assert loc.startswith(f"{BASE}/sitemaps/")
        shard = site / loc.removeprefix(f"{BASE}/")
        assert shard.stat().st_size <= 50 * 1024 * 1024
        root = ElementTree.parse(shard).getroot()
        assert root.tag == f"{SITEMAP}urlset"
        found = [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in root]
        assert 0 < len(found) <= 50_000
        assert entry.findtext(f"{SITEMAP}lastmod") == max(m for _, m in found)
        urls.extend((loc or "", mod or "") for loc, mod in found)
    return urls


def test_the_sitemaps_list_every_page_once_within_the_limits(
    large: tuple[Path, list[ManifestEntry]],
) -> None:
    site, rows = large
    urls = _sitemaps(site)
    assert len(urls) == PRODUCTS
    assert urls == sorted(urls)  # GTIN order, across shards
    expected = {f"{BASE}/01/{r.gtin}/index.html": r.lastmod for r in rows}
    assert dict(urls) == expected  # each page once, with the day it last changed
    assert len(list((site / "sitemaps").iterdir())) == 2


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_listing_page_is_small_and_the_pages_chain_through_every_product(
    large: tuple[Path, list[ManifestEntry]],
) -> None:
    site, rows = large
    for order in ORDERS:
        seen: list[str] = []
        path = site / order.first
        while True:
            assert path.stat().st_size <= FIVE_MB
            html = path.read_text("utf-8")
            gtins = re.findall(r'data-gtin="(\d{14})"', html)
            assert 0 < len(gtins) <= 1000
            seen.extend(gtins)
            for href in _links(html):  # every link on the page resolves inside the site
                target = (path.parent / href).resolve()
                if re.fullmatch(r"01/\d{14}/index\.html", str(target.relative_to(site))):
                    continue  # a product page (this test renders none)
                assert href == "data:," or target.is_file(), (path, href)
            following = re.search(r'<a rel="next" href="([^"]+)"', html)
            if following is None:
                break
            path = (path.parent / following.group(1)).resolve()
        assert seen == [r.gtin for r in sorted(rows, key=order.sort_key)]
        pages = (site / order.pages_list(1)).read_text("utf-8")
        assert len(re.findall(r"<li>", pages)) == 60  # the index of pages names them all
        assert (site / order.pages_list(1)).stat().st_size <= FIVE_MB


def test_the_link_maps_are_shards_with_every_entry(
    large: tuple[Path, list[ManifestEntry]],
) -> None:
    site, _ = large
    nginx = sorted((site / "nginx-map").iterdir())
    apache = sorted((site / "apache-links").iterdir())
    assert len(nginx) == len(apache) == 2
    assert sum(p.read_bytes().count(b"# 01/") for p in nginx) == PRODUCTS
    assert sum(p.read_bytes().count(b"\n") for p in apache) == 2 * PRODUCTS
    assert "map_hash_max_size 120000;" in (site / "nginx.conf").read_text("utf-8")


def test_the_manifest_is_a_small_root_and_partitions_read_one_at_a_time(
    large: tuple[Path, list[ManifestEntry]],
) -> None:
    site, rows = large
    assert (site / MANIFEST_FILE).stat().st_size < 64 * 1024
    manifest = Manifest.read(site)
    assert manifest.partitioned
    assert manifest.count == PRODUCTS
    prefixes = manifest.partition_prefixes()
    assert len(prefixes) == 256
    assert all(len(p) == 2 for p in prefixes)
    assert max((site / partition_path(p)).stat().st_size for p in prefixes) < 256 * 1024
    assert manifest.entry(rows[123].gtin) == rows[123]
    assert not manifest.has("09506000134352")
    assert sorted(manifest.products) == sorted(r.gtin for r in rows)


def test_small_limits_cut_smaller_shards_and_pages(tmp_path: Path) -> None:
    rows = _rows(250, seed=4)
    limits = SitewideLimits(
        sitemap_urls=40, sitemap_bytes=4000, page_size=30, map_shard_entries=100
    )
    config = SiteConfig(CONFIG.export, validate=False, sitewide=limits)
    site = _build(tmp_path, rows, config)
    shards = sorted((site / "sitemaps").iterdir(), key=lambda p: int(p.stem))
    assert all(p.stat().st_size <= 4000 for p in shards)
    assert len(shards) > 250 // 40  # the byte limit cuts before the URL limit
    assert len(_sitemaps(site)) == 250
    assert len(list((site / "nginx-map").iterdir())) == 3
    assert (site / "index" / "gtin" / "9.html").is_file()
    assert not (site / "index" / "gtin" / "10.html").exists()


def test_the_site_wide_jobs_give_the_same_files_in_other_processes(tmp_path: Path) -> None:
    """Five jobs, each sorting the rows on its own in a worker process: the same bytes."""
    from gs1ld._workers import worker_pool

    rows = _rows(3_000, seed=9)
    limits = SitewideLimits(sitemap_urls=700, page_size=250, map_shard_entries=900)
    config = SiteConfig(CONFIG.export, validate=False, sitewide=limits)
    here = _build(tmp_path / "here", rows, config)
    pool = worker_pool(2)
    try:
        store = SummaryRows(tmp_path / "there" / "rows", run_size=700)
        for row in rows:
            store.add(row)
        site = tmp_path / "there" / "site"
        root = write_sitewide(store, directory_writer(site), config, "test", executor=pool)
    finally:
        pool.shutdown()
    (site / MANIFEST_FILE).write_bytes(root)

    def tree(root: Path) -> dict[str, bytes]:
        return {
            str(Path(folder, name).relative_to(root)): Path(folder, name).read_bytes()
            for folder, _, names in os.walk(root, followlinks=True)  # products are behind links
            for name in names
        }

    files = tree(site)
    assert files == tree(here)
    assert len([f for f in files if f.startswith("sitemaps/")]) == 5
    assert sorted(p.name for p in (tmp_path / "there" / "rows").iterdir()) == [
        "listed.bin",
        "rows.bin",
    ]  # every worker removed its runs
