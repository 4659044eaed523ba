"""Linksets: GS1 schema validity, link types, one defaultLink, the Link header form."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gs1ld.catalog import CatalogEntry, parse_entry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.publish import LINK_TYPES, Link, link_header, publish_entry
from support import EXAMPLE_CATALOG, PROJECT_ROOT, regenerate, require_shared

BASE = "https://id.brand.example"
SID = "2" * 22

FULL = {
    "gtin": "09506000134352",
    "product": {"name": {"en": "Oat Bar", "fr": "Barre d'avoine"}, "language": "fr"},
    "content": {
        "images": [{"id": SID, "image_url": "https://cdn.brand.example/bar.png", "priority": 1}],
        "ingredients": [
            {"id": SID, "name": "Oats"},
            {"id": "3" * 22, "name": "Milk", "is_major_allergen": True},
        ],
        "certifications": [
            {
                "id": SID,
                "label": "EU Organic",
                "is_active": True,
                "verification_url": "https://registry.example/cert/1",
            },
            {
                "id": "3" * 22,
                "label": "Fairtrade",
                "is_active": True,
                "url": "https://www.fairtrade.example/",
            },
            {"id": "4" * 22, "label": "No link", "is_active": True},
        ],
        "claims": [],
        "recalls": [{"id": SID, "title": "Undeclared nuts"}],
        "nutrition_facts": {"label_format": "EU", "nutrients": []},
        "circularity": {"overall_score": 5},
        "ftl_data": {"is_ftl": True},
    },
}
EMPTY = {
    "gtin": "00036000291452",
    "content": {"images": [], "ingredients": [], "certifications": [], "claims": [], "recalls": []},
}


@cache
def _validator() -> jsonschema.Draft7Validator:
    schema_path = require_shared("digital-link/linkset/gs1-linkset-schema.json")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _entries() -> list[CatalogEntry]:
    entries = [parse_entry(FULL), parse_entry(EMPTY)]
    if EXAMPLE_CATALOG.is_dir():
        entries += [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]
    return entries


def _linkset(entry: CatalogEntry, base_url: str = BASE) -> dict[str, Any]:
    return publish_entry(entry, ExportConfig(base_url=base_url)).linkset()


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e.gtin)
def test_every_linkset_validates_against_the_gs1_schema(entry: CatalogEntry) -> None:
    document = _linkset(entry)
    errors = sorted(_validator().iter_errors(document), key=str)
    assert errors == []
    (context,) = document["linkset"]
    assert context["anchor"] == f"{BASE}/01/{entry.gtin}"
    assert len(context["https://ref.gs1.org/voc/defaultLink"]) == 1


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e.gtin)
def test_every_link_type_is_a_current_gs1_link_type(entry: CatalogEntry) -> None:
    for link in publish_entry(entry, ExportConfig(base_url=BASE)).links:
        _title, status, _restricted = LINK_TYPES[link.rel]
        assert status != "deprecated", link.rel


def test_full_product_links() -> None:
    document = _linkset(parse_entry(FULL), BASE + "/")
    (context,) = document["linkset"]
    uri = f"{BASE}/01/09506000134352"
    page = f"{uri}/index.html"
    voc = "https://ref.gs1.org/voc/"
    english = {
        "href": f"{uri}/index.en.html",
        "title": "Oat Bar: product information",
        "type": "text/html",
        "hreflang": ["en"],
    }
    french = {
        "href": page,
        "title": "Barre d'avoine: product information",
        "type": "text/html",
        "hreflang": ["fr"],
    }
    assert context == {
        "anchor": uri,
        "itemDescription": "Barre d'avoine",
        voc + "allergenInfo": [
            {
                "href": f"{page}#allergens",
                "title": "Barre d'avoine: allergens",
                "type": "text/html",
                "hreflang": ["fr"],
            }
        ],
        voc + "certificationInfo": [
            {
                "href": "https://registry.example/cert/1",
                "title": "EU Organic: certificate verification",
            },
            {"href": "https://www.fairtrade.example/", "title": "Fairtrade: programme"},
        ],
        # the resolver standard: a default link has a title and no other attribute
        voc + "defaultLink": [{"href": page, "title": "Barre d'avoine: product information"}],
        # a product in two languages: one default per language, chosen by Accept-Language
        voc + "defaultLinkMulti": [english, french],
        voc + "ingredientsInfo": [
            {
                "href": f"{page}#ingredients",
                "title": "Barre d'avoine: ingredients",
                "type": "text/html",
                "hreflang": ["fr"],
            }
        ],
        voc + "masterData": [
            {
                "href": f"{uri}/index.jsonld",
                "title": "Barre d'avoine: GS1 master data",
                "type": "application/ld+json",
            }
        ],
        voc + "nutritionalInfo": [
            {
                "href": f"{page}#nutrition",
                "title": "Barre d'avoine: nutrition",
                "type": "text/html",
                "hreflang": ["fr"],
            }
        ],
        voc + "pip": [english, french],
        voc + "recallStatus": [{"href": f"{page}#recalls", "title": "Recall: Undeclared nuts"}],
        voc + "relatedImage": [
            {
                "href": "https://cdn.brand.example/bar.png",
                "title": "Barre d'avoine: image 1",
                "type": "image/png",
            }
        ],
        voc + "sustainabilityInfo": [
            {
                "href": f"{page}#sustainability",
                "title": "Barre d'avoine: circularity",
                "type": "text/html",
                "hreflang": ["fr"],
            }
        ],
        voc + "traceability": [
            {
                "href": f"{page}#traceability",
                "title": "Barre d'avoine: food traceability",
                "type": "text/html",
                "hreflang": ["fr"],
            }
        ],
    }


def test_minimal_product_has_page_default_and_master_data_only() -> None:
    (context,) = _linkset(parse_entry(EMPTY))["linkset"]
    assert sorted(k.rsplit("/", 1)[-1] for k in context if k.startswith("https://")) == [
        "defaultLink",
        "masterData",
        "pip",
    ]
    assert context["itemDescription"] == "GTIN 00036000291452"


def test_link_header_quotes_titles_and_encodes_non_ascii() -> None:
    links = [
        Link("pip", "https://b.example/p", 'Say "hi" \\ bye', "text/html", ("en",)),
        Link("pip", "https://b.example/fr", "Crème brûlée", "text/html", ("fr",)),
    ]
    header = link_header(links, linkset_url="https://b.example/01/1/linkset.json")
    assert header.split(", ") == [
        '<https://b.example/01/1/linkset.json>; rel="linkset"; type="application/linkset+json"',
        '<https://b.example/p>; rel="https://ref.gs1.org/voc/pip"; title="Say \\"hi\\" \\\\ bye"; '
        'type="text/html"; hreflang="en"',
        '<https://b.example/fr>; rel="https://ref.gs1.org/voc/pip"; '
        'title*=UTF-8\'\'Cr%C3%A8me%20br%C3%BBl%C3%A9e; type="text/html"; hreflang="fr"',
    ]


def test_generated_link_type_table_is_current(tmp_path: Path) -> None:
    source = require_shared("gs1/v1.17/linktypes.json")
    target = tmp_path / "_linktypes.py"
    produced = regenerate("gen_linktypes.py", source, target)
    committed = PROJECT_ROOT / "src" / "gs1ld" / "publish" / "linktypes.py"
    assert produced == committed.read_bytes()
    assert len(LINK_TYPES) == 60


def test_top_level_publish_takes_the_export_config() -> None:
    import gs1ld

    entry = parse_entry(EMPTY)
    config = gs1ld.ExportConfig(base_url="https://b.example")
    assert gs1ld.publish_entry(entry, config).linkset()["linkset"][0]["anchor"] == (
        "https://b.example/01/" + entry.gtin
    )
    assert gs1ld.publish_entry(entry).uri.startswith("https://id.gs1.org/01/")


def _rels(publication_links: tuple[Link, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in publication_links:
        found.setdefault(link.rel, []).append(link.href)
    return found


def test_pages_live_on_the_users_domain_never_on_gs1s() -> None:
    entry = parse_entry(FULL)
    on_gs1 = publish_entry(entry, ExportConfig())  # GS1's resolver, no pages URL
    kept = _rels(on_gs1.links)
    assert set(kept) == {"certificationInfo", "relatedImage"}  # none points at gs1ld's pages
    assert "gs1:pip" not in on_gs1.document
    assert "gs1:allergenInfo" not in on_gs1.document
    assert on_gs1.uri == "https://id.gs1.org/01/09506000134352"

    pages = publish_entry(entry, ExportConfig(pages_url="https://www.brand.example/p/"))
    found = _rels(pages.links)
    assert pages.uri == "https://id.gs1.org/01/09506000134352"  # the URI stays on the resolver
    assert found["defaultLink"] == ["https://www.brand.example/p/01/09506000134352/index.html"]
    assert found["allergenInfo"] == [
        "https://www.brand.example/p/01/09506000134352/index.html#allergens"
    ]
    assert pages.document["gs1:masterData"] == {
        "@id": "https://www.brand.example/p/01/09506000134352/index.jsonld"
    }
    elsewhere = ("https://registry.", "https://www.fair", "https://cdn.")  # the feed's own
    assert all(
        href.startswith(("https://www.brand.example/", *elsewhere))
        for hrefs in found.values()
        for href in hrefs
    )


def test_a_recall_without_a_public_notice_links_to_the_page_only_where_there_is_one() -> None:
    entry = parse_entry(FULL)
    assert "recallStatus" not in _rels(publish_entry(entry, ExportConfig()).links)
    assert _rels(publish_entry(entry, ExportConfig(base_url=BASE)).links)["recallStatus"] == [
        f"{BASE}/01/09506000134352/index.html#recalls"
    ]
