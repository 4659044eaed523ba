"""map_published (gs1ld convert's mapping) gives what publish_entry's JSON-LD says."""

from __future__ import annotations

from datetime import date

import pytest

from gs1ld.catalog import CatalogEntry, parse_entry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.publish import map_published, publish_entry, to_jsonld
from gs1ld.testing import synthetic_catalog
from support import EXAMPLE_CATALOG

CONFIGS = {
    "brand domain": ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    "GS1's resolver, no pages": ExportConfig(today=date(2025, 1, 1)),
    "pages elsewhere, other languages": ExportConfig(
        base_url="https://id.brand.example",
        pages_url="https://pages.example",
        today=date(2027, 3, 1),
        feed_language="fr",
        allergen_regulation="EU",
        language="de",
    ),
}


@pytest.fixture(scope="module")
def entries() -> list[CatalogEntry]:
    found = [parse_entry(raw) for raw in synthetic_catalog(400, seed=19)]
    found += [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]
    # certificates in and out of effect, on and off the reference days above
    assert sum(len(e.content.certifications) for e in found) > 100
    return found


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_the_document_notes_claims_and_allergens_are_publish_entrys(
    entries: list[CatalogEntry], config: ExportConfig
) -> None:
    for entry in entries:
        published = publish_entry(entry, config).mapped
        mapped = map_published(entry, config)
        assert mapped == published, entry.gtin
        assert list(mapped.document) == list(published.document)  # the same key order
        assert to_jsonld(entry, config=config) == published.document
