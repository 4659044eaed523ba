"""A product's first links tell whether it has language pages, as the store's cleanup reads them."""

from __future__ import annotations

from datetime import date

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.publish import first_links, publish_entry
from gs1ld.publish.links import may_have_language_pages
from gs1ld.testing import synthetic_catalog

OWN_DOMAIN = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
GS1_RESOLVER = ExportConfig(today=date(2026, 6, 1))  # no page base: no page links


def test_with_a_page_base_the_links_say_exactly_which_products_have_language_pages() -> None:
    products = [publish_entry(parse_entry(raw), OWN_DOMAIN) for raw in synthetic_catalog(300)]
    several = [len(p.languages) > 1 for p in products]
    assert any(several)
    assert not all(several)
    for product, has_pages in zip(products, several, strict=True):
        assert may_have_language_pages(first_links(product.links)) is has_pages


def test_without_a_page_base_the_links_cannot_tell() -> None:
    for raw in synthetic_catalog(50):
        product = publish_entry(parse_entry(raw), GS1_RESOLVER)
        assert may_have_language_pages(first_links(product.links))
