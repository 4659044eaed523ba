"""A page's "Last updated" date is its own ``lastmod``: the manifest's and the sitemap's."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.site.build import build_site
from support import EXAMPLE_CATALOG

BASE = "https://id.brand.example"
MILK, CROISSANT = "09506000134352", "09506000134468"
_SHOWN = re.compile(r'data-lastmod="([0-9-]+)"')


def _config(day: date, *again: str) -> SiteConfig:
    return SiteConfig(
        ExportConfig(base_url=BASE, today=day), validate=False, render_again=frozenset(again)
    )


def _shown(site: Path, gtin: str, page: str = "index.html") -> list[str]:
    return _SHOWN.findall((site / "current" / "01" / gtin / page).read_text("utf-8"))


def _sitemap(site: Path) -> dict[str, str]:
    text = (site / "current" / "sitemaps" / "1.xml").read_text("utf-8")
    return dict(re.findall(r"<loc>[^<]*/01/(\d+)/index.html</loc><lastmod>([^<]+)<", text))


def test_pages_show_the_day_they_last_changed(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for name in ("01-whole-milk.json", "12-croissant-multilingual.json"):
        shutil.copy(EXAMPLE_CATALOG / name, catalog / name)
    site = tmp_path / "site"
    build_site(catalog, site, config=_config(date(2026, 6, 1)))
    assert _shown(site, MILK) == ["2026-06-01"]
    assert _shown(site, CROISSANT, "index.en.html") == ["2026-06-01"]

    # rendered again a day later with nothing changed: the pages keep their day
    build_site(catalog, site, config=_config(date(2026, 6, 2), MILK, CROISSANT))
    assert _shown(site, MILK) == ["2026-06-01"]
    assert _shown(site, CROISSANT) == ["2026-06-01"]

    # a changed product shows the new day, as its manifest row and sitemap entry do
    milk = catalog / "01-whole-milk.json"
    data = json.loads(milk.read_text("utf-8"))
    data["product"]["description"] = "Now in a new bottle."
    milk.write_text(json.dumps(data), "utf-8")
    build_site(catalog, site, config=_config(date(2026, 6, 3)))
    assert _shown(site, MILK) == ["2026-06-03"]
    assert _shown(site, CROISSANT) == ["2026-06-01"]
    manifest = {e.gtin: e.lastmod for e in Manifest.read(site).entries()}
    assert manifest == {MILK: "2026-06-03", CROISSANT: "2026-06-01"}
    assert _sitemap(site) == manifest


def test_a_product_back_to_an_earlier_version_shows_the_day_it_came_back(
    tmp_path: Path,
) -> None:
    """A product changed, then changed back, on three days: its first version's folder is
    still there (the build before the current one serves it) with the first day on its
    pages; the pages published on the third day show the third day, as the manifest row
    and the sitemap entry do, for a static host and for ``gs1ld serve`` alike."""
    from gs1ld.server.app import ServerConfig, create_app
    from support import call_asgi

    catalog = tmp_path / "catalog"
    catalog.mkdir()
    shutil.copy(EXAMPLE_CATALOG / "01-whole-milk.json", catalog / "milk.json")
    shutil.copy(EXAMPLE_CATALOG / "12-croissant-multilingual.json", catalog / "croissant.json")
    first = (catalog / "milk.json").read_text("utf-8")
    changed = json.loads(first)
    changed["product"]["description"] = "Now in a new bottle."
    site = tmp_path / "site"
    for day, text in ((1, first), (2, json.dumps(changed)), (3, first), (4, json.dumps(changed))):
        (catalog / "milk.json").write_text(text, "utf-8")
        build_site(catalog, site, config=_config(date(2026, 6, day)))
        shown = f"2026-06-0{day}"
        assert _shown(site, MILK) == [shown], day
        assert Manifest.read(site).entry(MILK).lastmod == shown  # type: ignore[union-attr]
        assert _sitemap(site)[MILK] == shown
        app = create_app(site, config=ServerConfig(base_url=BASE))
        status, _, body = call_asgi(app, f"/01/{MILK}/index.html")
        assert status == 200, day
        assert _SHOWN.findall(body.decode("utf-8")) == [shown], day
    assert _shown(site, CROISSANT) == ["2026-06-01"]
