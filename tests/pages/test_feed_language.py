"""Text from the API (not the brand) carries its own ``lang`` on a page in another language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import parse_entry
from gs1ld.config import ExportConfig
from gs1ld.pages.product import render_product_page
from gs1ld.publish import publish_entry
from gs1ld.testing import synthetic_catalog


def _french_entry() -> dict[str, Any]:
    """A synthetic product with certificates, claims and nutrients, its own text in French."""
    for raw in synthetic_catalog(400, seed=5):
        content = raw["content"]
        nutrition = content.get("nutrition_facts") or {}
        if content.get("certifications") and content.get("claims") and nutrition.get("nutrients"):
            raw["product"] = {**raw["product"], "name": "Biscuits", "language": "fr"}
            return raw
    raise AssertionError("no synthetic product has certificates, claims and nutrients")


def _page(feed_language: str) -> str:
    config = ExportConfig(
        base_url="https://id.brand.example", today=date(2026, 6, 1), feed_language=feed_language
    )
    return render_product_page(publish_entry(parse_entry(_french_entry()), config))


@pytest.mark.parametrize("feed_language", ["en", "en-US"])
def test_english_feed_text_on_a_french_page_is_marked(feed_language: str) -> None:
    page = _page(feed_language)
    assert '<html lang="fr">' in page
    certificates = re.findall(r'<h3><span( lang="[^"]+")?>', page)
    claims = re.findall(r"<li data-claim=[^>]*><strong( lang=\"[^\"]+\")?>", page)
    nutrients = re.findall(r'<th scope="row"( lang="[^"]+")?>', page)
    assert certificates
    assert claims
    for found in (certificates, claims):
        assert set(found) == {f' lang="{feed_language}"'}
    assert nutrients == [] or set(nutrients) == {f' lang="{feed_language}"'}


def test_feed_text_in_the_page_language_is_not_marked() -> None:
    page = _page("fr")
    assert re.findall(r'<h3><span( lang="[^"]+")?>', page) == [""] * page.count("<h3><span")
    assert '<strong lang="' not in page
