"""Allergens that hold on any product (issue 22): the regulation decides what is declared,
containment comes from the flags first, and the statement is written from the structure."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.mapping import map_entry
from gs1ld.mapping.tables import load_tables
from gs1ld.publish.layout import product_uri
from support import EXAMPLE_CATALOG, food_entry

DAY = date(2026, 6, 1)


def _ing(n: int, name: str, **flags: Any) -> dict[str, Any]:
    return {"id": str(n + 1) * 22, "name": name, "priority": n, **flags}


def _entry(
    ingredients: list[dict[str, Any]], label_format: str | None = None, **product: Any
) -> CatalogEntry:
    content: dict[str, Any] = {"ingredients": ingredients}
    if label_format is not None:
        content["nutrition_facts"] = {"label_format": label_format, "nutrients": []}
    entry: CatalogEntry = food_entry({"kind": "food", **product}, **content)
    return entry


def _map(entry: CatalogEntry, **options: Any) -> tuple[dict[str, Any], list[str]]:
    config = ExportConfig(today=DAY, **options)
    mapped = map_entry(entry, uri=product_uri(config.base_url, entry.gtin), config=config)
    return mapped.document, [str(n) for n in mapped.notes]


def _allergens(doc: dict[str, Any]) -> set[tuple[str, str]]:
    nodes = doc.get("gs1:hasAllergen", [])
    nodes = nodes if isinstance(nodes, list) else [nodes]
    return {
        (
            n["gs1:allergenType"]["@id"].rsplit("-", 1)[1],
            n["gs1:allergenLevelOfContainmentCode"]["@id"].rsplit("-", 1)[1],
        )
        for n in nodes
        if n["gs1:allergenLevelOfContainmentCode"]["@id"].endswith(("CONTAINS", "MAY_CONTAIN"))
    }


# The regulation decides ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("label_format", "country", "expected"),
    [
        ("US_FDA", None, {("PN", "CONTAINS"), ("AN", "CONTAINS")}),
        ("CA", None, {("PN", "CONTAINS"), ("AN", "CONTAINS")}),
        ("AU_NZ", None, {("PN", "CONTAINS"), ("AN", "CONTAINS")}),
        ("EU", None, set()),
        (None, "GB", set()),
        (None, "CH", set()),
    ],
)
def test_pine_nut_is_a_tree_nut_only_where_the_regulation_lists_it(
    label_format: str | None, country: str | None, expected: set[tuple[str, str]]
) -> None:
    product = {"country_of_origin": country} if country else {}
    entry = _entry([_ing(1, "Pine nuts", is_major_allergen=True)], label_format, **product)
    doc, notes = _map(entry)
    assert _allergens(doc) == expected
    assert "gs1:allergenSpecificationAgency" in doc  # every one of them is known
    if not expected:
        assert any("'Pine nuts' names 'pine nuts'" in n and "not declared" in n for n in notes)


def test_coconut_and_chestnut_are_allergens_under_no_regulation() -> None:
    for label_format in ("US_FDA", "EU", "CA", "AU_NZ"):
        entry = _entry([_ing(1, "Coconut milk"), _ing(2, "Chestnut puree")], label_format)
        doc, _ = _map(entry)
        assert "gs1:hasAllergen" not in doc, label_format


def test_gluten_cereals_and_eu_only_allergens_follow_the_regulation() -> None:
    names = [_ing(1, "Barley malt"), _ing(2, "Celery"), _ing(3, "Mussels"), _ing(4, "Wheat")]
    us, _ = _map(_entry(names, "US_FDA"))
    assert _allergens(us) == {("UW", "CONTAINS")}  # FALCPA: wheat, no AW, no molluscs
    eu, _ = _map(_entry(names, "EU"))
    assert _allergens(eu) == {
        ("GB", "CONTAINS"),
        ("AW", "CONTAINS"),
        ("BC", "CONTAINS"),
        ("MSS", "CONTAINS"),
        ("UM", "CONTAINS"),
        ("UW", "CONTAINS"),
    }
    assert eu["gs1:allergenStatement"]["@value"] == "Allergens: barley, celery, mussel, wheat."


def test_an_exempt_derivative_is_not_declared_and_is_noted() -> None:
    names = [_ing(1, "Fully refined soybean oil"), _ing(2, "Wheat glucose syrup")]
    eu, notes = _map(_entry(names, "EU"))
    assert "gs1:hasAllergen" not in eu
    assert any("exempt under Regulation (EU) No 1169/2011" in n for n in notes)
    us, _ = _map(_entry(names, "US_FDA"))
    assert _allergens(us) == {("UW", "CONTAINS")}  # the US exempts only the refined oil
    ca, _ = _map(_entry(names, "CA"))
    assert _allergens(ca) == {("AY", "CONTAINS"), ("UW", "CONTAINS"), ("AW", "CONTAINS")}


def test_the_label_format_beats_the_country_which_beats_the_option() -> None:
    entry = _entry([_ing(1, "Pine nuts")], "EU", country_of_origin="US")
    doc, _ = _map(entry, allergen_regulation="US_FDA")
    assert doc["gs1:allergenSpecificationAgency"]["@value"] == "European Union"
    entry = _entry([_ing(1, "Pine nuts")], None, country_of_origin="US")
    doc, _ = _map(entry, allergen_regulation="EU")
    assert doc["gs1:allergenSpecificationAgency"]["@value"] == "US FDA"
    entry = _entry([_ing(1, "Pine nuts")], None)
    doc, _ = _map(entry, allergen_regulation="EU")
    assert doc["gs1:allergenSpecificationAgency"]["@value"] == "European Union"


# Containment --------------------------------------------------------------------------


def test_may_contain_wins_over_is_major_allergen_and_keeps_a_vegan_claim() -> None:
    entry = food_entry(
        {"kind": "food"},
        ingredients=[
            _ing(1, "Oat flour", is_major_allergen=True),
            _ing(2, "Milk", is_major_allergen=True, may_contain=True),
        ],
        claims=[{"id": "2" * 22, "label": "Vegan", "code": "VEGAN"}],
        nutrition_facts={"label_format": "EU", "nutrients": []},
    )
    doc, _ = _map(entry)
    assert ("AM", "MAY_CONTAIN") in _allergens(doc)
    assert ("AM", "CONTAINS") not in _allergens(doc)
    assert doc["gs1:dietCode"] == {
        "@type": "gs1:DietTypeCodeDetails",
        "gs1:dietType": {"@id": "gs1:DietTypeCode-VEGAN"},
    }
    assert doc["gs1:allergenStatement"]["@value"] == "Allergens: oats. May contain: milk."


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("May contain traces of hazelnuts", "en"),
        ("Peut contenir des traces de noisettes", "fr"),
        ("Kann Spuren von Haselnüssen enthalten", "de"),
        ("Puede contener trazas de avellanas", "es"),
        ("Può contenere tracce di nocciole", "it"),
        ("Kan sporen van hazelnoten bevatten", "nl"),
    ],
)
def test_a_precautionary_phrase_in_a_name_means_may_contain(name: str, language: str) -> None:
    entry = _entry([_ing(1, name, is_major_allergen=True)], "EU", language=language)
    doc, _ = _map(entry)
    assert _allergens(doc) == {("SH", "MAY_CONTAIN"), ("AN", "MAY_CONTAIN")}


def test_an_ambiguous_name_is_noted_not_guessed() -> None:
    doc, notes = _map(_entry([_ing(1, "Emulsifier (lecithin)")], "EU"))
    assert "gs1:hasAllergen" not in doc
    assert (
        "content.ingredients[0].name: 'Emulsifier (lecithin)': lecithin is made from soya or "
        "egg yolk (or sunflower/rapeseed); the source is not named (AllergenTypeCode-AY or "
        "AllergenTypeCode-AE); not declared"
    ) in notes
    doc, notes = _map(_entry([_ing(1, "Emulsifier (soy lecithin)")], "EU"))
    assert _allergens(doc) == {("AY", "CONTAINS")}
    assert not any("lecithin is made" in n for n in notes)


# The statement is the structure, written out ----------------------------------------

_SENTENCE = re.compile(r"([^:.]+): ([^.]+)\.")


def _statement_agrees(doc: dict[str, Any], regulation: str) -> None:
    """Every declared allergen is in its sentence (by its label or the specific allergen
    whose umbrella it is), and every name in the statement is a declared allergen."""
    tables = load_tables()
    statement = doc.get("gs1:allergenStatement")
    nodes = _allergens(doc)
    if statement is None:
        assert not nodes
        return
    language = statement["@language"]
    labels = tables.allergen_labels
    sections: dict[str, set[str]] = {}
    for lead, names in _SENTENCE.findall(statement["@value"]):
        level = next(
            lv
            for lv in ("CONTAINS", "ALLERGENS", "MAY_CONTAIN")
            if labels.get((lv, language)) == lead.strip()
        )
        sections["CONTAINS" if level == "ALLERGENS" else level] = {
            n.strip() for n in names.split(", ")
        }
    for level in ("CONTAINS", "MAY_CONTAIN"):
        codes = {c for c, lv in nodes if lv == level}
        named = sections.get(level, set())

        def label(code: str) -> str | None:
            return labels.get((code, language))

        for code in codes:
            covers = {code} | {
                other
                for other in codes
                if code in tables.allergen_rules.get((regulation, other), ())
            }
            assert any(label(c) in named for c in covers), (code, level, statement)
        for name in named:
            assert any(label(c) == name for c in codes), (name, level, statement)


@pytest.mark.parametrize("path", sorted(EXAMPLE_CATALOG.glob("*.json")), ids=lambda p: p.name)
def test_every_example_statement_agrees_with_its_structure(path: Any) -> None:
    for outcome in read_catalog(path):
        assert outcome.entry is not None
        doc, _ = _map(outcome.entry)
        agency = doc.get("gs1:allergenSpecificationName", {}).get("@value", "")
        regulation = next(
            (r.rules for r in load_tables().allergen_regulations.values() if r.name == agency),
            "",
        )
        if regulation:
            _statement_agrees(doc, regulation)


@pytest.mark.parametrize("label_format", ["US_FDA", "EU", "CA", "AU_NZ"])
def test_a_mixed_product_statement_agrees_with_its_structure(label_format: str) -> None:
    entry = _entry(
        [
            _ing(1, "Wheat flour, spelt", is_major_allergen=True),
            _ing(2, "Salmon, prawns, mussels"),
            _ing(3, "Almonds, pine nuts, celery, mustard", is_major_allergen=True),
            _ing(4, "Hazelnuts, milk, sesame", may_contain=True),
            _ing(5, "May contain other nuts and egg"),
        ],
        label_format,
    )
    doc, _ = _map(entry)
    rules = load_tables().allergen_regulations[label_format].rules
    _statement_agrees(doc, rules)


def test_a_flagged_name_in_another_language_is_still_read() -> None:
    doc, _ = _map(_entry([_ing(1, "Weizenmehl", is_major_allergen=True)], "EU"))
    assert _allergens(doc) == {("UW", "CONTAINS"), ("AW", "CONTAINS")}
    doc, _ = _map(_entry([_ing(1, "Weizenmehl")], "EU"))  # unflagged: English only
    assert "gs1:hasAllergen" not in doc


@pytest.mark.parametrize(
    ("country", "agency"),
    [
        ("GB", "UK Food Standards Agency"),
        ("AU", "Food Standards Australia New Zealand"),
        ("NZ", "Food Standards Australia New Zealand"),
        ("CH", "Swiss Federal Food Safety and Veterinary Office (FSVO)"),
        ("NO", "European Economic Area"),
    ],
)
def test_products_from_every_listed_country_get_a_regulation(country: str, agency: str) -> None:
    doc, _ = _map(
        _entry([_ing(1, "Milk", is_major_allergen=True)], None, country_of_origin=country)
    )
    assert doc["gs1:allergenSpecificationAgency"]["@value"] == agency
    assert _allergens(doc) == {("AM", "CONTAINS")}
