"""The cached "no finding" test agrees with the full checks it stands in for.

``validate_document`` asks :class:`~gs1ld.validation._clean.CleanCheck` first
and runs the shapes and the rules only when it does not answer "clean". So
"clean" must never hide a finding (whatever the cache already holds), and the
gtin it reports must be the one the full checks report. Both read the same
N-Triples text here, so blank-node labels agree.
"""

from __future__ import annotations

import copy
import random
from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.publish import to_jsonld
from gs1ld.testing import synthetic_catalog
from gs1ld.validation._clean import CleanCheck
from gs1ld.validation.rdf import document_ntriples
from gs1ld.validation.report import DocumentReport, _full_report, extension_namespace
from gs1ld.validation.shapes import compiled_shapes
from gs1ld.validation.terms import term_index
from support import EXAMPLE_CATALOG, json_positions

CONFIGS = (
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)),
    ExportConfig(today=date(2026, 6, 1)),
    ExportConfig(
        base_url="https://id.brand.example",
        extension_namespace="https://vocab.brand.example/terms#",
        today=date(2026, 6, 1),
    ),
)
GS1 = "https://ref.gs1.org/voc/"


def _entries(count: int) -> list[tuple[CatalogEntry, ExportConfig]]:
    entries = []
    for seed, config in enumerate(CONFIGS):
        entries += [(o.entry, config) for o in read_catalog(EXAMPLE_CATALOG) if o.entry]
        entries += [
            (CatalogEntry.model_validate(raw), config)
            for raw in synthetic_catalog(count, seed=seed)
        ]
    return entries


def _documents(count: int) -> list[Any]:
    return [to_jsonld(entry, config=config) for entry, config in _entries(count)]


def _agree(check: CleanCheck, document: Any) -> bool:
    """Assert the fast answer is the full one; True when the full checks find something."""
    try:
        text = document_ntriples(document)
    except ValueError:  # a mutation that is not JSON-LD: nothing to compare
        return False
    clean, gtin = check.gtin_if_clean(text)
    full = _full_report(text, "doc", extension_namespace(document))
    if clean:
        assert full.findings == ()
        assert full.gtin == gtin
    return bool(full.findings)


def _check(document: Any) -> CleanCheck:
    return CleanCheck(compiled_shapes(extension_namespace(document)), term_index())


def test_clean_documents_are_answered_without_the_full_checks() -> None:
    """Every mapped document is clean: the fast answer says so with the entry's gtin,
    the full checks agree (no finding, the same gtin), and so do the caches."""
    checks: dict[str, CleanCheck] = {}
    for entry, config in _entries(150):
        document = to_jsonld(entry, config=config)
        text = document_ntriples(document)
        namespace = extension_namespace(document)
        check = checks.setdefault(namespace, _check(document))
        assert check.gtin_if_clean(text) == (True, entry.gtin)
        assert _full_report(text, "doc", namespace) == DocumentReport("doc", entry.gtin)
        assert check.gtin_if_clean(text) == (True, entry.gtin)  # again, from the caches


def _mutate(document: dict[str, Any], rng: random.Random) -> None:
    """One random defect, of the kinds each cached verdict stands for."""
    container, key, value = rng.choice(list(json_positions(document)))
    if isinstance(value, dict) and "@language" in value:
        container[key] = rng.choice([value["@value"], {"@value": value["@value"]}, 7])
    elif isinstance(value, dict) and "@value" in value:
        value["@value"] = rng.choice(["-3", "150", "abc", "2025-13-45", "NaN", "1e400"])
        if rng.random() < 0.3:
            value["@type"] = rng.choice(["xsd:integer", "xsd:string", "xsd:date"])
    elif isinstance(value, dict) and set(value) == {"@id"}:
        container[key] = rng.choice(
            [
                value["@id"],
                {"@id": "gs1:AllergenTypeCode-MILK"},
                {"@id": "gs1:DietTypeCode-VEGAN"},
                {"@id": "gs1:NoSuchCode-X"},
                {"@id": "https://gs1.org/voc/AllergenTypeCode-AM"},
                {"@type": "gs1:Brand"},
                [value, value],
                [value, {"@id": "https://x.example/other"}],
            ]
        )
    elif isinstance(value, dict) and "@type" in value and container is not document:
        keys = [k for k in value if not k.startswith("@")]
        if keys and rng.random() < 0.5:
            del value[rng.choice(keys)]
        else:
            value["@type"] = rng.choice(["gs1:Organization", "gs1:Brand", "gs1:QuantitativeValue"])
    elif key == "gs1:gtin":
        container[key] = rng.choice(
            [
                value[1:],
                [value, value],
                [value, "09506000134352"],
                value[:-1] + "0",
                {"@id": "urn:x"},
            ]
        )
    elif key == "@id" and container is document:
        container[key] = rng.choice(["https://x.example/p", value.replace("/01/", "/01/1")])
    elif key == "@type":
        container[key] = rng.choice(
            ["gs1:Brand", "gs1:NoSuchClass", [value, value], [value, "gs1:NoSuchClass"]]
        )
    elif isinstance(value, str | bool | int | float):
        container[key] = rng.choice(
            [[value, value], [value, f"{value}!"], "", {"@id": "https://x.example/v"}]
        )
    if rng.random() < 0.2:
        document[rng.choice(["gs1:productNmae", "https://gs1.org/voc/productName"])] = "x"


@pytest.mark.parametrize("warm", [True, False], ids=["warm-caches", "cold-caches"])
def test_clean_never_hides_a_finding(warm: bool) -> None:
    documents = _documents(60)
    checks = {extension_namespace(d): _check(d) for d in documents}
    if warm:  # the cached verdicts of clean documents meet the defects
        for document in documents:
            _agree(checks[extension_namespace(document)], document)
    rng = random.Random(17)
    found = 0
    for _ in range(3):
        for original in documents:
            document = copy.deepcopy(original)
            for _ in range(rng.randint(1, 3)):
                _mutate(document, rng)
            found += _agree(checks[extension_namespace(document)], document)
    assert found > len(documents)  # most mutations did plant a finding
    for original in documents:  # the caches the defects met still answer clean ones clean
        text = document_ntriples(original)
        assert checks[extension_namespace(original)].gtin_if_clean(text)[0] is True
        assert _full_report(text, "doc", extension_namespace(original)).findings == ()


NO = (False, None)
CLEAN = (True, "09506000134352")
Outcome = tuple[tuple[bool, str | None], str | None, tuple[tuple[str, str, str], ...]]
"""(the fast answer, the full checks' gtin, their findings as (rule, path, severity))."""


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # a class that is not (or no longer) in the vocabulary, beside a real one
        pytest.param(
            {"@type": ["gs1:Product", "gs1:NoSuchClass"], "gs1:gtin": "09506000134352"},
            (NO, "09506000134352", (("vocabulary", "@type", "Violation"),)),
            id="unknown-class",
        ),
        pytest.param(
            {"@type": ["gs1:Product", "https://gs1.org/voc/Product"], "gs1:gtin": "09506000134352"},
            (NO, "09506000134352", (("vocabulary", "@type", "Violation"),)),
            id="old-namespace-class",
        ),
        # the same triple twice: the full checks count it once, the cache declines
        pytest.param(
            {"@type": ["gs1:Product", "gs1:Product"], "gs1:gtin": "09506000134352"},
            (NO, "09506000134352", ()),
            id="type-twice",
        ),
        pytest.param(
            {"@type": "gs1:Product", "gs1:gtin": ["09506000134353", "09506000134353"]},
            (NO, "09506000134353", (("gtin", "gs1:gtin", "Violation"),)),
            id="gtin-twice",
        ),
        pytest.param(
            {
                "@type": "gs1:Product",
                "gs1:gtin": "09506000134352",
                "gs1:productName": [{"@value": "x", "@language": "en"}] * 2,
            },
            (NO, "09506000134352", ()),
            id="name-twice",
        ),
        # classes the document itself derives with rdfs:subClassOf
        pytest.param(
            {
                "@graph": [
                    {"@id": "https://id.gs1.org/01/09506000134352", "@type": "https://x.example/P"},
                    {"@id": "https://x.example/P", "rdfs:subClassOf": {"@id": "gs1:Product"}},
                ]
            },
            (NO, None, (("sh:MinCountConstraintComponent", "gs1:gtin", "Violation"),)),
            id="subclass",
        ),
        # two nodes with a gtin: the report's gtin is the first line's
        pytest.param(
            {
                "@graph": [
                    {"@id": "_:x", "@type": "gs1:Offer", "gs1:gtin": "09506000134352"},
                    {
                        "@id": "https://id.gs1.org/01/09506000134352",
                        "@type": "gs1:Product",
                        "gs1:gtin": "09506000134352",
                    },
                ]
            },
            (NO, "09506000134352", (("domain", "gs1:gtin", "Violation"),)),
            id="two-gtins",
        ),
        # two clean products: the gtin is the first line's, not the last node's
        pytest.param(
            {
                "@graph": [
                    {
                        "@id": "https://id.gs1.org/01/09506000134352",
                        "@type": "gs1:Product",
                        "gs1:gtin": "09506000134352",
                    },
                    {
                        "@id": "https://id.gs1.org/01/09506000134369",
                        "@type": "gs1:Product",
                        "gs1:gtin": "09506000134369",
                    },
                ]
            },
            (CLEAN, "09506000134352", ()),
            id="two-products",
        ),
        # a blank-node product, and a product IRI that is not a Digital Link URI
        pytest.param(
            {"@id": "_:p", "@type": "gs1:Product", "gs1:gtin": "09506000134352"},
            (NO, "09506000134352", (("digital-link-id", "@id", "Warning"),)),
            id="blank-product",
        ),
        pytest.param(
            {"@id": "https://x.example/p", "@type": "gs1:Product", "gs1:gtin": "09506000134352"},
            (NO, "09506000134352", (("digital-link-id", "@id", "Warning"),)),
            id="not-digital-link",
        ),
        # a literal that looks like a gtin line
        pytest.param(
            {
                "@type": "gs1:Product",
                "gs1:gtin": "09506000134352",
                "gs1:productName": {
                    "@value": 'x> <https://ref.gs1.org/voc/gtin> "1" .',
                    "@language": "en",
                },
            },
            (CLEAN, "09506000134352", ()),
            id="gtin-lookalike",
        ),
    ],
)
def test_edge_cases_agree(document: dict[str, Any], expected: Outcome) -> None:
    """Both verdicts, cold and then from the caches: the fast answer and the full report."""
    document = {
        "@context": {"gs1": GS1, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        "@id": "https://id.gs1.org/01/09506000134352",
        **document,
    }
    if "@graph" in document:
        del document["@id"]
    check = _check(document)
    text = document_ntriples(document)
    for _ in range(2):  # cold, then from the caches
        full = _full_report(text, "doc", extension_namespace(document))
        found = tuple((f.rule, f.path, f.severity) for f in full.findings)
        assert (check.gtin_if_clean(text), full.gtin, found) == expected
