"""Static site builds: files, incremental rebuilds, removals, invalid products, atomicity."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.hosts.rules import SITE_ROOT_PLACEHOLDER
from gs1ld.problems import duplicate_gtin
from gs1ld.publish import Manifest
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG

BASE = "https://id.brand.example"
CONFIG = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)))
EXAMPLES = len(list(EXAMPLE_CATALOG.glob("*.json")))
"""How many products the example catalog has (one file each)."""


def _catalog(tmp_path: Path) -> Path:
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    return catalog


def _mtimes(site: Path) -> dict[str, int]:
    found = {}
    for folder, _, names in os.walk(site / "current" / "01", followlinks=True):
        for name in names:
            path = Path(folder, name)
            found[str(path.relative_to(site / "current"))] = path.stat().st_mtime_ns
    assert found, "no product file found"
    return found


def test_build_writes_every_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed, report.invalid) == (EXAMPLES, 0, 0, [])
    gtins = sorted(p.name for p in (site / "current" / "01").iterdir())
    assert len(gtins) == EXAMPLES
    # the site folder holds the builds and the relative link to the one published
    assert sorted(p.name for p in site.iterdir()) == [".gs1ld-builds", ".gs1ld-products", "current"]
    assert os.readlink(site / "current") == ".gs1ld-builds/000001"
    # the two products with text in a second language also get a page in it
    other_language = {"09506000134468": ["index.en.html"], "09506000134505": ["index.fr.html"]}
    for gtin in gtins:
        names = sorted(p.name for p in (site / "current" / "01" / gtin).iterdir())
        expected = ["index.html", "index.jsonld", "linkset.json", "qr.svg"]
        assert names == sorted(expected + other_language.get(gtin, []))
    for name in (
        "index.html",
        "index-brand.html",
        "index-gtin.html",
        "sitemap.xml",
        "sitemaps/1.xml",
        "index/name/pages.html",
        "manifest.json",
        "manifest/all.jsonl",
        ".well-known/gs1resolver",
        "nginx.conf",
        "nginx-map/00001.map",
        "apache-links/00001.txt",
        ".htaccess",
        "_headers",
        "_redirects",
        "voc/index.ttl",
        "voc/index.html",
        "voc/claimSource/index.html",
    ):
        assert (site / "current" / name).is_file(), name
    manifest = Manifest.read(site)
    assert sorted(manifest.products) == gtins
    assert {e.lastmod for e in manifest.entries()} == {"2026-06-01"}
    description = json.loads((site / "current" / ".well-known/gs1resolver").read_text("utf-8"))
    assert description["resolverRoot"] == BASE
    assert (site / "current" / "sitemap.xml").read_text("utf-8").count("<loc>") == 1
    sitemap = (site / "current" / "sitemaps/1.xml").read_text("utf-8")
    assert sitemap.count("<loc>") == EXAMPLES
    assert f"<loc>{BASE}/01/{gtins[0]}/index.html</loc>" in sitemap
    index = (site / "current" / "index.html").read_text("utf-8")
    assert all(f'href="01/{gtin}/index.html"' in index for gtin in gtins)


def test_rebuild_rewrites_only_what_changed_and_removes_what_left(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    before = _mtimes(site)
    again = build_site(catalog, site, config=CONFIG)
    assert (again.built, again.unchanged, again.removed) == (0, EXAMPLES, 0)
    assert _mtimes(site) == before  # hard links: not one product file rewritten

    milk = catalog / "01-whole-milk.json"
    entry = json.loads(milk.read_text("utf-8"))
    entry["product"]["name"] = "Organic Whole Milk, new label"
    milk.write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "10-steel-water-bottle.json").unlink()
    third = build_site(catalog, site, config=CONFIG)
    assert (third.built, third.unchanged, third.removed) == (1, EXAMPLES - 2, 1)
    assert not (site / "current" / "01" / "09506000134444").exists()
    page = (site / "current" / "01" / entry["gtin"] / "index.html").read_text("utf-8")
    assert "new label" in page


def _map_blocks(site: Path) -> dict[str, str]:
    """The site-wide nginx link-type map (all its shards), one block per product, by GTIN."""
    text = "".join(
        p.read_text("utf-8") for p in sorted((site / "current" / "nginx-map").glob("*.map"))
    )
    blocks = text.split("# 01/")[1:]
    return {block[:14]: block for block in blocks}


def test_the_nginx_link_type_map_has_each_products_first_link_of_each_type(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    assert (
        f"include {SITE_ROOT_PLACEHOLDER}/current/nginx-map/*.map;"
        in (site / "current" / "nginx.conf").read_text()
    )
    blocks = _map_blocks(site)
    assert sorted(blocks) == sorted(p.name for p in (site / "current" / "01").iterdir())
    gtin, block = next(iter(blocks.items()))
    linkset = json.loads((site / "current" / "01" / gtin / "linkset.json").read_text("utf-8"))
    first = {
        rel: targets[0]["href"]
        for rel, targets in linkset["linkset"][0].items()
        if rel.startswith("https://ref.gs1.org/voc/")
    }
    lines = [line for line in block.splitlines()[1:] if line]
    assert len(lines) == len(first)
    for rel, href in first.items():
        assert f'"{gtin} {rel.removeprefix("https://ref.gs1.org/voc/")}" "{href}";' in lines


def test_a_rebuild_carries_unchanged_map_blocks_over_and_renews_changed_ones(
    tmp_path: Path,
) -> None:
    catalog = _catalog(tmp_path)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    before = _map_blocks(site)
    milk = catalog / "01-whole-milk.json"
    entry = json.loads(milk.read_text("utf-8"))
    entry["content"]["certifications"] = []
    milk.write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "10-steel-water-bottle.json").unlink()
    report = build_site(catalog, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed) == (1, EXAMPLES - 2, 1)
    after = _map_blocks(site)
    assert "09506000134444" not in after
    assert after[entry["gtin"]] != before[entry["gtin"]]
    assert {g: b for g, b in after.items() if g != entry["gtin"]} == {
        g: b for g, b in before.items() if g not in (entry["gtin"], "09506000134444")
    }


def test_a_rebuild_never_looks_at_unchanged_products_files(tmp_path: Path) -> None:
    """A rebuild costs what changed: an unchanged product is known by its manifest row
    alone, so files removed behind gs1ld's back come back when the product changes."""
    catalog = _catalog(tmp_path)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    linkset = site / "current" / "01" / "09506000134352" / "linkset.json"
    linkset.unlink()
    (catalog / "10-steel-water-bottle.json").unlink()  # so the build does not stop early
    report = build_site(catalog, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed) == (0, EXAMPLES - 1, 1)
    assert not linkset.exists()
    assert len(_map_blocks(site)) == EXAMPLES - 1
    path = next(p for p in catalog.glob("*.json") if "09506000134352" in p.read_text("utf-8"))
    entry = json.loads(path.read_text("utf-8"))
    entry["product"]["description"] = "A new description."
    path.write_text(json.dumps(entry), "utf-8")
    report = build_site(catalog, site, config=CONFIG)
    assert (report.built, report.unchanged, report.removed) == (1, EXAMPLES - 2, 0)
    assert linkset.is_file()


def test_a_no_change_rebuild_leaves_the_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    inode, manifest = (
        (site / "current").stat().st_ino,
        (site / "current" / "manifest.json").read_bytes(),
    )
    again = build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    assert (again.built, again.unchanged, again.removed, again.invalid) == (0, EXAMPLES, 0, [])
    assert (site / "current").stat().st_ino == inode  # not even a new build
    assert (site / "current" / "manifest.json").read_bytes() == manifest
    renamed = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 1)), name="Brand Resolver")
    third = build_site(EXAMPLE_CATALOG, site, config=renamed)
    assert (third.built, third.unchanged) == (0, EXAMPLES)
    assert (site / "current").stat().st_ino != inode  # site-wide inputs changed: a real rebuild
    assert "Brand Resolver" in (site / "current" / "index.html").read_text("utf-8")


def test_a_new_reference_day_rebuilds_only_products_whose_dates_matter(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    later = SiteConfig(ExportConfig(base_url=BASE, today=date(2026, 6, 2)))
    assert build_site(EXAMPLE_CATALOG, site, config=later).built == 0
    before = _mtimes(site)
    much_later = SiteConfig(ExportConfig(base_url=BASE, today=date(2028, 1, 1)))
    report = build_site(EXAMPLE_CATALOG, site, config=much_later)
    after = _mtimes(site)
    rewritten = sorted({name.split("/")[1] for name in after if after[name] != before.get(name)})
    # the certificates that expire or start in between: milk 2027-12-31, apfelschorle
    # 2026-12-31, coffee 2027-08-31, honey 2026-09-30, madeleines 2027-02-28, and the
    # cookies' second certificate, valid from 2026-09-01
    expired = [
        "09506000134352",
        "09506000134390",
        "09506000134413",
        "09506000134420",
        "09506000134482",
        "09506000134529",
    ]
    assert rewritten == expired
    assert (report.built, report.unchanged) == (len(expired), EXAMPLES - len(expired))


def test_invalid_products_are_reported_and_the_previous_version_kept(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    honey = catalog / "08-honey.json"
    entry = json.loads(honey.read_text("utf-8"))
    entry["content"]["ingredients"][0]["percentage"] = 101
    honey.write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "13-broken.json").write_text(
        '{"gtin": "09506000134353", "content": {}}', encoding="utf-8"
    )
    report = build_site(catalog, site, config=CONFIG)
    assert [(i.gtin, i.kept_previous) for i in report.invalid] == [
        (entry["gtin"], True),
        (None, False),
    ]
    assert (site / "current" / "01" / entry["gtin"] / "index.html").is_file()
    assert report.published == EXAMPLES


def test_a_duplicate_after_a_failed_first_entry_is_reported_not_a_crash(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    site = tmp_path / "site"
    build_site(catalog, site, config=CONFIG)
    honey = catalog / "08-honey.json"
    valid = honey.read_text("utf-8")
    entry = json.loads(valid)
    entry["content"]["ingredients"][0]["percentage"] = 101
    honey.write_text(json.dumps(entry), encoding="utf-8")
    (catalog / "99-honey-again.json").write_text(valid, encoding="utf-8")  # a later duplicate
    report = build_site(catalog, site, config=CONFIG)
    first, again = report.invalid
    assert (first.location, first.gtin, first.kept_previous) == (str(honey), entry["gtin"], True)
    assert (again.location, again.gtin, again.kept_previous) == (
        str(catalog / "99-honey-again.json"),
        entry["gtin"],
        False,
    )
    assert again.problems == (duplicate_gtin(entry["gtin"]),)
    assert (site / "current" / "01" / entry["gtin"] / "index.html").is_file()
    assert report.published == EXAMPLES


def test_a_build_killed_halfway_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(EXAMPLE_CATALOG, site, config=CONFIG)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def die(_: int) -> None:
        raise KeyboardInterrupt

    other = SiteConfig(ExportConfig(base_url="https://other.example", today=date(2026, 6, 1)))
    with pytest.raises(KeyboardInterrupt):
        build_site(EXAMPLE_CATALOG, site, config=other, on_progress=die)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    # no staging left behind; the lock file stays beside the site
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_cli_build_reports_and_exits_by_outcome(tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "site",
        "build",
        str(EXAMPLE_CATALOG),
        "-o",
        str(tmp_path / "s"),
        "--base-url",
        BASE,
        "--today",
        "2026-06-01",
        "--workers",
        "1",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{EXAMPLES} built, 0 unchanged, 0 removed, 0 invalid")
    bad = runner.invoke(cli, [*args[:5], "--base-url", "id.brand.example"])
    assert bad.exit_code == 2
    assert "Invalid resolver root 'id.brand.example'" in bad.output
