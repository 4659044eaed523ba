"""With --pages-url, every host sends the default link to the pages URL, as the linkset does.

nginx and ``apache.conf`` look the default up in the link map (written from each
product's linkset); ``.htaccess`` and ``_redirects`` cannot read a map, so they
name the pages URL themselves.  Without any page (GS1's resolver as base, no
pages URL) a product's default answer is its linkset, as on ``gs1ld serve``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.hosts import host_rules, link_map_entries
from gs1ld.publish import read_linkset
from gs1ld.publish.layout import PROBLEM_FILES
from gs1ld.site import build_site
from support import EXAMPLE_CATALOG

BASE = "https://id.brand.example"
PAGES = "https://www.brand.example/products"
GTIN = "09506000134352"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = ExportConfig(base_url=BASE, pages_url=PAGES, today=date(2026, 6, 1))
    out = tmp_path_factory.mktemp("pages-url") / "site"
    build_site(EXAMPLE_CATALOG, out, config=SiteConfig(export, validate=False))
    return out / "current"


def _default_in_linkset(site: Path) -> str:
    linkset = read_linkset((site / "01" / GTIN / "linkset.json").read_bytes())
    (default,) = [link.href for link in linkset.links if link.rel == "defaultLink"]
    return default


def test_the_linkset_s_default_is_on_the_pages_url(site: Path) -> None:
    assert _default_in_linkset(site) == f"{PAGES}/01/{GTIN}/index.html"


def test_the_link_map_sends_the_default_to_the_pages_url(site: Path) -> None:
    lines = b"".join(p.read_bytes() for p in sorted((site / "nginx-map").glob("*.map")))
    defaults = {
        g: href for g, rel, href in link_map_entries(lines.splitlines()) if rel == "defaultLink"
    }
    assert defaults[GTIN] == _default_in_linkset(site)


def test_htaccess_and_redirects_name_the_pages_url(site: Path) -> None:
    htaccess = (site / ".htaccess").read_text()
    assert "RewriteRule ^01/([0-9]{14})" in htaccess
    assert f" {PAGES}/01/$1/index.html [R=307" in htaccess
    redirects = (site / "_redirects").read_text()
    assert f"/01/:gtin {PAGES}/01/:gtin/index.html 307" in redirects


def test_without_pages_the_default_answer_is_the_linkset() -> None:
    files = host_rules(SiteConfig(ExportConfig()))  # GS1's resolver, no pages URL
    assert b"index.html" not in files["_redirects"]
    assert b"/01/:gtin /01/:gtin/linkset.json 200" in files["_redirects"]
    assert b"01/$1/linkset.json [L]" in files[".htaccess"]


def test_the_problem_documents_are_rfc_9457(site: Path) -> None:
    for status, path in PROBLEM_FILES.items():
        body = orjson.loads((site / path).read_bytes())
        assert body["status"] == status
        assert set(body) == {"type", "title", "status", "detail"}
