"""On a phone (390 × 844), the allergen summary starts on the first screen of every example
page that states allergens, whatever size the product's images turn out to be.

Layout is measured, not compared with screenshots: the top of the summary box
(``getBoundingClientRect().top`` at scroll 0) after every image, lazy ones too,
has loaded at the size the image host serves.  Which pages state allergens is
read from the product's JSON-LD (it contains or may contain one), so the page
cannot leave one out by drawing no box.
"""

from __future__ import annotations

from typing import Any

import pytest

from browser_support import (
    ALLERGEN_SUMMARY,
    FULL_SIZE_IMAGES,
    PHONE,
    TALL_IMAGES,
    Images,
    load_every_image,
    product_pages,
    top_of,
)
from support import EXAMPLE_CATALOG

ALLERGEN_PAGES = [page.path for page in product_pages(EXAMPLE_CATALOG) if page.allergens]
IMAGES = [FULL_SIZE_IMAGES, TALL_IMAGES]
"""Smaller images take less room: a box above these is above those too."""


def test_the_check_has_pages_to_bite_on() -> None:
    """Pages with allergens, among them pages with images, one with two languages."""
    pages = [page for page in product_pages(EXAMPLE_CATALOG) if page.allergens]
    assert len(pages) >= 10
    assert len({page.gtin for page in pages if page.images}) >= 3
    assert any(page.images and len(page.languages) > 1 for page in pages)


@pytest.mark.parametrize("images", IMAGES, ids=lambda images: images.name)
@pytest.mark.parametrize("path", ALLERGEN_PAGES)
def test_the_allergen_summary_starts_on_the_first_phone_screen(
    path: str, images: Images, open_tab: Any, example_server: str
) -> None:
    tab = open_tab(example_server, "phone", images)
    tab.goto(path)
    sizes = load_every_image(tab.page)
    assert set(sizes) <= {(images.width, images.height)}, sizes
    top = top_of(tab.page, ALLERGEN_SUMMARY)
    assert top is not None, f"{path} has no {ALLERGEN_SUMMARY}"
    assert tab.page.is_visible(ALLERGEN_SUMMARY)
    assert 0 <= top < PHONE["height"], (
        f"{ALLERGEN_SUMMARY} of {path} starts at {top:.0f} px, below the first"
        f" {PHONE['height']} px of a {PHONE['width']} px wide phone with {images.name} images"
    )
