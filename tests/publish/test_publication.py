"""One published product, worked out once: every consumer sees the same facts."""

from __future__ import annotations

from typing import Any

import pytest

import gs1ld
from gs1ld.catalog import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.pages import build_view
from gs1ld.publish import publish_entry
from gs1ld.testing import synthetic_catalog

CONFIG = ExportConfig(base_url="https://id.brand.example")


def _image(n: int, *, priority: int, primary: bool = False) -> dict[str, Any]:
    return {
        "id": "23456789ABCDEFGHJKMNPQ"[n] * 22,
        "image_url": f"https://cdn.brand.example/{n}.jpg",
        "is_primary": primary,
        "priority": priority,
    }


def _entry(images: list[dict[str, Any]]) -> CatalogEntry:
    raw = next(synthetic_catalog(1, seed=7))
    raw["content"]["images"] = images
    return CatalogEntry.model_validate(raw)


@pytest.mark.parametrize(
    "images",
    [
        [_image(1, priority=1), _image(2, priority=2, primary=True), _image(3, priority=0)],
        [_image(4, priority=5, primary=True), _image(5, priority=5), _image(6, priority=1)],
        [_image(7, priority=2), _image(8, priority=2)],
    ],
)
def test_image_n_is_the_same_image_on_the_page_in_the_jsonld_and_in_the_linkset(
    images: list[dict[str, Any]],
) -> None:
    entry = _entry(images)
    published = publish_entry(entry, CONFIG)
    numbered = {  # the linkset is sorted by target; its titles carry the numbers
        int(link.title.rsplit(" ", 1)[1]): link.href
        for link in published.links
        if link.rel == "relatedImage"
    }
    linkset = [numbered[n] for n in sorted(numbered)]
    page = [image.src for image in build_view(published).images]
    nodes = published.document["gs1:image"]
    jsonld = [node["gs1:referencedFileURL"]["@value"] for node in nodes]
    assert linkset == page == jsonld
    assert sorted(linkset) == sorted(image["image_url"] for image in images)
    if any(image["is_primary"] for image in images):
        primary = next(image["image_url"] for image in images if image["is_primary"])
        assert linkset[0] == primary


def test_the_publish_subpackage_is_reachable_from_the_root() -> None:
    assert gs1ld.publish.Manifest.__name__ == "Manifest"
    assert gs1ld.publish_entry is publish_entry
