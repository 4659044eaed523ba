"""The site-wide files: product index pages, sitemap, manifest."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup
from markupsafe import escape as escape_html

from gs1ld.publish import Manifest, ManifestEntry, content_digest, product_paths
from gs1ld.site.config import SiteConfig
from gs1ld.site.page import environment

__all__ = ["SITE_LAYOUT", "index_pages", "manifest", "site_inputs", "sitemap"]

_ORDERS = (
    ("index.html", "name", "name"),
    ("index-brand.html", "brand", "brand"),
    ("index-gtin.html", "gtin", "GTIN"),
)


def index_pages(products: Sequence[ManifestEntry], config: SiteConfig) -> dict[str, bytes]:
    """One listing per sort order; the default (by name) is ``index.html``.

    With JavaScript the listing filters and re-sorts in place; without it, links
    between the three pre-sorted pages give the same orders. Each product's row
    is written once (escaped as the template escapes) and placed in all three.
    """
    template = environment().get_template("index.html.j2")
    rows = {p.gtin: _index_row(p) for p in products}
    pages = {}
    for filename, key, label in _ORDERS:
        ordered = sorted(products, key=lambda p: (getattr(p, key).casefold(), p.gtin))
        orders = [(f, lbl) for f, _, lbl in _ORDERS if f != filename]
        pages[filename] = template.render(
            name=config.name,
            root=config.export.base_url,
            contact=config.contact,
            count=len(ordered),
            rows=Markup("".join([rows[p.gtin] for p in ordered])),
            sort_label=label,
            orders=orders,
        ).encode("utf-8")
    return pages


def _index_row(p: ManifestEntry) -> str:
    """One product's row of the index pages, every value escaped for HTML text and attributes."""
    gtin, name, brand = escape_html(p.gtin), escape_html(p.name), escape_html(p.brand)
    page = escape_html(product_paths(p.gtin).page)
    return (
        f'<tr data-name="{escape_html(p.name.lower())}" data-brand="{escape_html(p.brand.lower())}"'
        f' data-gtin="{gtin}"><td><a href="{page}">{name}</a></td>'
        f'<td class="brand">{brand}</td><td class="gtin">{gtin}</td></tr>\n'
    )


def sitemap(products: Sequence[ManifestEntry], config: SiteConfig) -> bytes:
    """``sitemap.xml`` listing every product page."""
    today = config.export.today.isoformat()
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for product in sorted(products, key=lambda p: p.gtin):
        url = escape(f"{config.export.base_url}/{product_paths(product.gtin).page}")
        lines.append(f"<url><loc>{url}</loc><lastmod>{today}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


SITE_LAYOUT = 3
"""The shape of a built site: 3 since the Apache link map and the linkset context file.

Part of the site inputs, so a site of another layout is never taken as up to date.
"""


def site_inputs(config: SiteConfig, version: str) -> str:
    """A digest of everything the site-wide files depend on besides the products."""
    material = {
        "layout": SITE_LAYOUT,
        "today": config.export.today.isoformat(),
        "name": config.name,
        "contact": config.contact,
        "validate": config.validate,
        "options": config.export.identity(),
        "tool": version,
    }
    return content_digest(material)


def manifest(products: Sequence[ManifestEntry], config: SiteConfig, version: str) -> Manifest:
    """The site's manifest: its products, plus what the next build needs to reuse them."""
    return Manifest.of(
        products,
        generator=f"gs1ld {version}",
        base_url=config.export.base_url,
        today=config.export.today.isoformat(),
        site_inputs=site_inputs(config, version),
    )
