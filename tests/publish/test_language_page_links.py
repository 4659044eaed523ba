"""A product's first links tell whether it has language pages, and its linkset which ones,
as the store's cleanup reads them."""

from __future__ import annotations

from datetime import date

import orjson

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.publish import first_links, publish_entry
from gs1ld.publish.layout import product_paths
from gs1ld.publish.links import (
    language_page_names,
    linkset_names_every_page,
    may_have_language_pages,
)
from gs1ld.publish.linkset import read_linkset
from gs1ld.testing import synthetic_catalog

OWN_DOMAIN = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
ELSEWHERE = ExportConfig(
    base_url="https://id.brand.example",
    pages_url="https://pages.brand.example/site",
    today=date(2026, 6, 1),
)
GS1_RESOLVER = ExportConfig(today=date(2026, 6, 1))  # no page base: no page links


def test_with_a_page_base_the_links_say_exactly_which_products_have_language_pages() -> None:
    products = [publish_entry(parse_entry(raw), OWN_DOMAIN) for raw in synthetic_catalog(300)]
    several = [len(p.languages) > 1 for p in products]
    assert any(several)
    assert not all(several)
    for product, has_pages in zip(products, several, strict=True):
        assert may_have_language_pages(first_links(product.links)) is has_pages


def test_with_a_page_base_the_linkset_names_every_language_page() -> None:
    """Read back from the linkset's bytes, as the store reads a product's previous one:
    the names of the files the build writes beside the four (any page base)."""
    named = 0
    for config in (OWN_DOMAIN, ELSEWHERE):
        for raw in synthetic_catalog(300):
            product = publish_entry(parse_entry(raw), config)
            assert linkset_names_every_page(first_links(product.links))
            links = read_linkset(orjson.dumps(product.linkset())).links
            paths = product_paths(product.gtin)
            expected = {paths.language_page(tag) for tag in product.languages[1:]}
            assert {f"{paths.folder}/{n}" for n in language_page_names(links)} == expected
            named += bool(expected)
    assert named


def test_without_a_page_base_the_links_cannot_tell() -> None:
    for raw in synthetic_catalog(50):
        product = publish_entry(parse_entry(raw), GS1_RESOLVER)
        first = first_links(product.links)
        assert may_have_language_pages(first)
        assert not linkset_names_every_page(first)
        assert language_page_names(product.links) == frozenset()
