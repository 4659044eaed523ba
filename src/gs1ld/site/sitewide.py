"""The site-wide files: product index pages, sitemap, resolver description, manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import orjson
from markupsafe import Markup
from markupsafe import escape as escape_html

from gs1ld.site.config import SiteConfig
from gs1ld.site.page import environment
from gs1ld.site.product_files import content_digest

__all__ = ["ProductSummary", "index_pages", "manifest", "resolver_description", "sitemap"]

_ORDERS = (
    ("index.html", "name", "name"),
    ("index-brand.html", "brand", "brand"),
    ("index-gtin.html", "gtin", "GTIN"),
)


@dataclass(frozen=True, slots=True)
class ProductSummary:
    """What the site-wide files need of one published product."""

    gtin: str
    digest: str
    name: str
    brand: str


def index_pages(products: Sequence[ProductSummary], config: SiteConfig) -> dict[str, bytes]:
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
            root=config.root,
            contact=config.contact,
            count=len(ordered),
            rows=Markup("".join([rows[p.gtin] for p in ordered])),
            sort_label=label,
            orders=orders,
        ).encode("utf-8")
    return pages


def _index_row(p: ProductSummary) -> str:
    """One product's row of the index pages, every value escaped for HTML text and attributes."""
    gtin, name, brand = escape_html(p.gtin), escape_html(p.name), escape_html(p.brand)
    return (
        f'<tr data-name="{escape_html(p.name.lower())}" data-brand="{escape_html(p.brand.lower())}"'
        f' data-gtin="{gtin}"><td><a href="01/{gtin}/index.html">{name}</a></td>'
        f'<td class="brand">{brand}</td><td class="gtin">{gtin}</td></tr>\n'
    )


def sitemap(products: Sequence[ProductSummary], config: SiteConfig) -> bytes:
    """``sitemap.xml`` listing every product page."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for product in sorted(products, key=lambda p: p.gtin):
        url = escape(f"{config.root}/01/{product.gtin}/index.html")
        lines.append(f"<url><loc>{url}</loc><lastmod>{config.day.isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def resolver_description(root: str, name: str, contact: str | None = None) -> dict[str, Any]:
    """The resolver description file served at ``/.well-known/gs1resolver``."""
    description: dict[str, Any] = {
        "name": name,
        "resolverRoot": root,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": "https://ref.gs1.org/voc/", "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": True,
        "supportsLanguageVariants": True,
        "jsonLdContextLocation": f"{root}/.well-known/linkset-context.jsonld",
    }
    if contact:
        description["contact"] = {"fn": contact}
    return description


SITE_LAYOUT = 2
"""The shape of a built site: 2 since the nginx link-type map became one site-wide file.

Part of the site inputs, so a site of another layout is never taken as up to date.
"""


def site_inputs(config: SiteConfig, version: str) -> str:
    """A digest of everything the site-wide files depend on besides the products."""
    material = {
        "layout": SITE_LAYOUT,
        "root": config.root,
        "day": config.day.isoformat(),
        "name": config.name,
        "contact": config.contact,
        "validate": config.validate,
        "options": list(config.export_options),
        "tool": version,
    }
    return content_digest(material)


def manifest(products: Sequence[ProductSummary], config: SiteConfig, version: str) -> bytes:
    """``manifest.json``: GTIN -> content hash, plus what the next build needs to reuse it."""
    body = {
        "generator": f"gs1ld {version}",
        "base_url": config.root,
        "day": config.day.isoformat(),
        "site_inputs": site_inputs(config, version),
        "products": {
            p.gtin: {"hash": p.digest, "name": p.name, "brand": p.brand}
            for p in sorted(products, key=lambda p: p.gtin)
        },
    }
    return orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
