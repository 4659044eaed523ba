"""The example catalog's JSON-LD against the GS1 Web Vocabulary v1.17: zero violations."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest
import rdflib

from gs1ld.catalog import CatalogEntry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.jsonld import to_graph
from gs1ld.publish import to_jsonld
from support import EXAMPLE_CATALOG, PROJECT_ROOT, require_shared
from vocab_conformance import GS1, Violation, check, load_vocabulary

DAY = date(2026, 6, 1)
CONFIGS = {
    "own-domain": ExportConfig(base_url="https://id.brand.example", today=DAY),
    "gs1-resolver": ExportConfig(today=DAY),
}


@cache
def _entries() -> list[CatalogEntry]:
    return [o.entry for o in read_catalog(EXAMPLE_CATALOG) if o.entry is not None]


def _violations(entry: CatalogEntry, config: ExportConfig) -> list[Violation]:
    vocabulary = load_vocabulary(
        require_shared("gs1/v1.17/gs1Voc.ttl"), PROJECT_ROOT / "mappings" / "extension.ttl"
    )
    document = to_jsonld(entry, config=config)
    graph = to_graph(document)
    ext = config.extension_ns
    if ext.startswith("urn:"):
        return check(graph, vocabulary, (GS1,))
    extension = rdflib.Graph().parse(
        data=(PROJECT_ROOT / "mappings" / "extension.ttl")
        .read_text("utf-8")
        .replace("<urn:gs1ld:voc:>", f"<{ext}>"),
        format="turtle",
    )
    return check(graph, load_vocabulary_with(vocabulary, extension), (GS1, ext))


def load_vocabulary_with(vocabulary, extension):  # type: ignore[no-untyped-def]
    from vocab_conformance import Vocabulary

    return Vocabulary([vocabulary.graph, extension])


def test_example_catalog_is_complete() -> None:
    assert len(_entries()) >= 19


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("index", range(len(list(EXAMPLE_CATALOG.glob("*.json")))))
def test_example_output_conforms_to_the_vocabulary(index: int, config_name: str) -> None:
    entry = _entries()[index]
    assert _violations(entry, CONFIGS[config_name]) == []


def test_the_checker_catches_the_usual_mistakes() -> None:
    """A negative control: the checker is not vacuous."""
    vocabulary = load_vocabulary(require_shared("gs1/v1.17/gs1Voc.ttl"))
    bad = {
        "@context": {"gs1": GS1, "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": "https://id.gs1.org/01/09506000134352",
        "@type": "gs1:Product",
        "gs1:productName": "no language tag",
        "gs1:gtin": "09506000134352",
        "gs1:nutritionalClaim": {"@id": "gs1:NutritionalClaimTypeCode-NON_GMO"},
        "gs1:hasAllergen": {
            "@type": "gs1:AllergenDetails",
            "gs1:allergenType": {"@id": "gs1:AllergenTypeCode-MILK"},
        },
        "gs1:productNmae": {"@value": "typo", "@language": "en"},
        "gs1:certification": {
            "@type": "gs1:CertificationDetails",
            "gs1:certificationStartDate": "2025-01-01",
            "gs1:certificationStatus": {"@id": "gs1:LevelOfContainmentCode-CONTAINS"},
        },
    }
    messages = sorted(
        v.message.split(" ")[0] + ":" + v.predicate.rsplit("/", 1)[-1]
        for v in check(to_graph(bad), vocabulary, (GS1,))
    )
    assert messages == [
        "code:allergenType",
        "property:productNmae",
        "subject:hasAllergen",
        "subject:nutritionalClaim",
        "value:certificationStartDate",
        "value:certificationStatus",
        "value:nutritionalClaim",
        "value:productName",
    ]
