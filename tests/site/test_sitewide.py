"""The site-wide index pages: every product in each order, feed text escaped."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.publish import ManifestEntry
from gs1ld.site.sitewide import index_pages

CONFIG = SiteConfig(ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)))
HOSTILE = "</td><script>alert(1)</script> \"q\" 'a' & Über"
PRODUCTS = [
    ManifestEntry("09506000134352", "d1", "Zebra Milk", "Acme"),
    ManifestEntry("09506000134369", "d2", HOSTILE, HOSTILE),
    ManifestEntry("09506000134376", "d3", "apple Juice", "Brand <B>"),
]


class _Rows(HTMLParser):
    """(data-gtin, data-name, data-brand, link text, brand cell) of each table row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.scripts = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-gtin" in a:
            self.rows.append([a["data-gtin"] or "", a["data-name"] or "", a["data-brand"] or ""])
        elif tag == "td" and self.rows:
            self._cell = []
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None


def _rows(html: bytes) -> _Rows:
    parser = _Rows()
    parser.feed(html.decode("utf-8"))
    return parser


def test_each_page_lists_every_product_in_its_order() -> None:
    pages = index_pages(PRODUCTS, CONFIG)
    by_name = [r[0] for r in _rows(pages["index.html"]).rows]
    by_brand = [r[0] for r in _rows(pages["index-brand.html"]).rows]
    by_gtin = [r[0] for r in _rows(pages["index-gtin.html"]).rows]
    assert by_name == ["09506000134369", "09506000134376", "09506000134352"]
    assert by_brand == ["09506000134369", "09506000134352", "09506000134376"]
    assert by_gtin == sorted(p.gtin for p in PRODUCTS)
    assert "3 products" in pages["index.html"].decode()


def test_feed_text_is_text_in_cells_and_attributes() -> None:
    parsed = _rows(index_pages(PRODUCTS, CONFIG)["index.html"])
    assert parsed.scripts == 1  # the page's own filter script only
    gtin, name_key, brand_key, name, brand, gtin_cell = parsed.rows[0]
    assert (gtin, gtin_cell) == ("09506000134369", "09506000134369")
    assert (name, brand) == (HOSTILE, HOSTILE)
    assert name_key == brand_key == HOSTILE.lower()
