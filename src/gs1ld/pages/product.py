"""Render a product's human page: HTML with its GS1 JSON-LD and a schema.org block.

The Jinja2 environment is built once, with autoescaping on for every template;
feed text reaches the page only as escaped text, safe URLs, or JSON that cannot
end its ``<script>`` block.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from gs1ld._urls import safe_url
from gs1ld.pages._safe import json_for_script
from gs1ld.pages.qr import qr_svg
from gs1ld.pages.schema_org import schema_org_product
from gs1ld.pages.view import ProductView, build_view
from gs1ld.publish import Publication

__all__ = ["environment", "render_product_page", "render_view"]


@cache
def environment() -> Environment:
    """The site's one Jinja2 environment (autoescape on, templates from the package)."""
    env = Environment(
        loader=PackageLoader("gs1ld.pages", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship in the package: no mtime check on every page
    )
    env.filters["safe_url"] = safe_url
    return env


def render_view(view: ProductView, *, jsonld: dict[str, Any], qr: str | None = None) -> str:
    """Render the page for an already computed view and its GS1 JSON-LD document.

    ``qr`` is the product's QR code SVG when the caller already made it (QR
    encoding is the costliest step of a page, so it is done once per product).
    """
    template = environment().get_template("product.html.j2")
    return template.render(
        p=view,
        # Markup: JSON escaped for <script> by json_for_script; SVG from segno with the
        # URI XML-escaped. Nothing else bypasses autoescaping.
        gs1_jsonld=Markup(json_for_script(jsonld)),
        schema_org=Markup(json_for_script(schema_org_product(view))),
        qr_svg=Markup(qr if qr is not None else qr_svg(view.uri)),
    )


def render_product_page(publication: Publication) -> str:
    """The HTML page of a published product, with its JSON-LD embedded verbatim."""
    return render_view(build_view(publication), jsonld=publication.document)
