"""Nutrition rows, units and equivalents, and language tags of names (issue 22, points 6-7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.mapping import map_entry
from gs1ld.publish.layout import product_uri
from gs1ld.validation import validate_document
from support import food_entry

DAY = date(2026, 6, 1)
SID = "2" * 22


def _uri(entry: CatalogEntry) -> str:
    """The product's Digital Link URI on GS1's resolver (the mapping takes it as given)."""
    return product_uri("https://id.gs1.org", entry.gtin)


def _map(product: dict[str, Any], **content: Any) -> tuple[dict[str, Any], list[str]]:
    mapped = map_entry(
        (entry := food_entry(product, **content)), uri=_uri(entry), config=ExportConfig(today=DAY)
    )
    return mapped.document, [str(n) for n in mapped.notes]


def _value(node: dict[str, Any]) -> tuple[str, str]:
    return node["gs1:value"]["@value"], node["gs1:unitCode"]


def test_every_annex_xv_row_reaches_the_json_ld_in_the_labels_language() -> None:
    rows = [
        ("Brennwert", 1500, "kJ"),
        ("Fett", 12, "g"),
        ("davon gesättigte Fettsäuren", 2, "g"),
        ("davon einfach ungesättigte Fettsäuren", 6, "g"),
        ("davon mehrfach ungesättigte Fettsäuren", 3, "g"),
        ("Kohlenhydrate", 50, "g"),
        ("davon Zucker", 9, "g"),
        ("davon mehrwertige Alkohole", 1, "g"),
        ("davon Stärke", 38, "g"),
        ("Ballaststoffe", 7, "g"),
        ("Eiweiß", 11, "g"),
        ("Salz", 0.4, "g"),
        ("Vitamin B1", 0.3, "mg"),
        ("Eisen", 4, "mg"),
    ]
    doc, notes = _map(
        {"kind": "food", "language": "de", "net_content": [{"value": 500, "unit": "g"}]},
        nutrition_facts={
            "label_format": "EU",
            "nutrients": [{"name": n, "amount": a, "unit": u} for n, a, u in rows],
        },
    )
    found = {
        key: _value(value)
        for key, value in doc.items()
        if key.endswith("PerNutrientBasis") and isinstance(value, dict)
    }
    assert found == {
        "gs1:energyPerNutrientBasis": ("1500", "KJO"),
        "gs1:fatPerNutrientBasis": ("12", "GRM"),
        "gs1:saturatedFatPerNutrientBasis": ("2", "GRM"),
        "gs1:monounsaturatedFatPerNutrientBasis": ("6", "GRM"),
        "gs1:polyunsaturatedFatPerNutrientBasis": ("3", "GRM"),
        "gs1:carbohydratesPerNutrientBasis": ("50", "GRM"),
        "gs1:sugarsPerNutrientBasis": ("9", "GRM"),
        "gs1:polyolsPerNutrientBasis": ("1", "GRM"),
        "gs1:starchPerNutrientBasis": ("38", "GRM"),
        "gs1:fibrePerNutrientBasis": ("7", "GRM"),
        "gs1:proteinPerNutrientBasis": ("11", "GRM"),
        "gs1:saltPerNutrientBasis": ("0.4", "GRM"),
        "gs1:thiaminPerNutrientBasis": ("0.3", "MGM"),
        "gs1:ironPerNutrientBasis": ("4", "MGM"),
    }
    assert notes == []


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("gal", "GLL"),
        ("gallons", "GLL"),
        ("qt", "QTL"),
        ("quart", "QTL"),
        ("pint", "PTL"),
        ("pt", "PTL"),
        ("cups", "G21"),
        ("fl oz", "OZA"),
        ("fl. oz.", "OZA"),
    ],
)
def test_us_customary_volumes_are_net_content(unit: str, code: str) -> None:
    doc, notes = _map({"kind": "food", "net_content": [{"value": 1, "unit": unit}]})
    assert doc["gs1:netContent"]["gs1:unitCode"] == code
    assert notes == []


@pytest.mark.parametrize(
    ("name", "unit", "prop", "code"),
    [
        ("Folate", "mcg DFE", "gs1ld:folateDFEPerNutrientBasis", "MC"),
        ("Vitamin A", "mcg RAE", "gs1ld:vitaminARAEPerNutrientBasis", "MC"),
        ("Niacin", "mg NE", "gs1ld:niacinNEPerNutrientBasis", "MGM"),
    ],
)
def test_an_equivalent_is_never_a_mass_of_another_substance(
    name: str, unit: str, prop: str, code: str
) -> None:
    doc, notes = _map(
        {"kind": "food"},
        nutrition_facts={
            "label_format": "US_FDA",
            "serving_size_g": 30,
            "nutrients": [{"name": name, "amount": 400, "unit": unit}],
        },
    )
    assert _value(doc[prop]) == ("400", code)
    assert not [k for k in doc if k.startswith("gs1:") and k.endswith("PerNutrientBasis")]
    assert any("is an equivalent, not a mass of the nutrient" in n for n in notes)
    assert validate_document(doc).conforms


def test_a_liquids_serving_is_a_volume_beside_a_per_100_ml_basis() -> None:
    drink = {"kind": "food", "net_content": [{"value": 1, "unit": "l"}]}
    panel = {"label_format": "EU", "nutrients": [{"name": "Fat", "amount": 1, "unit": "g"}]}
    doc, _ = _map(drink, nutrition_facts={**panel, "serving_size": "1 glass (250 ml)"})
    assert doc["gs1:nutrientBasisQuantity"]["gs1:unitCode"] == "MLT"
    assert _value(doc["gs1:servingSize"]) == ("250", "MLT")
    doc, notes = _map(
        drink, nutrition_facts={**panel, "serving_size": "1 glass", "serving_size_g": 250}
    )
    assert "gs1:servingSize" not in doc
    assert any("serving size 250 g is not exported as gs1:servingSize" in n for n in notes)
    doc, _ = _map(
        {"kind": "food", "net_content": [{"value": 2, "unit": "qt"}]},
        nutrition_facts={**panel, "serving_size": "1 cup (240 ml)"},
    )
    assert _value(doc["gs1:servingSize"]) == ("240", "MLT")


@pytest.mark.parametrize(
    ("label", "feed", "tag"),
    [
        ("Gluten free", "en", "en"),
        ("Vegan", "en", "en"),  # no marked word: the feed's language, as declared
        ("Sans gluten", "en", "und"),
        ("Ohne Gentechnik", "en", "und"),
        ("Glutenfrei", "en", "und"),
        ("Glutenfrei", "de", "de"),
        ("Sin lactosa", "es", "es"),
        ("Gluten free", "fr", "und"),
    ],
)
def test_a_claim_label_is_tagged_only_with_a_language_it_can_be_in(
    label: str, feed: str, tag: str
) -> None:
    entry = food_entry({"kind": "food"}, claims=[{"id": SID, "label": label, "code": "KETO"}])
    doc = map_entry(
        entry, uri=_uri(entry), config=ExportConfig(today=DAY, feed_language=feed)
    ).document
    assert doc["gs1ld:claim"]["schema:name"] == {"@value": label, "@language": tag}
    assert doc["gs1:nutritionalClaimStatement"] == {"@value": label, "@language": tag}


def test_scheme_agency_and_firm_names_carry_no_language() -> None:
    doc, _ = _map(
        {"kind": "food", "language": "fr"},
        certifications=[
            {
                "id": SID,
                "label": "Agriculture Biologique",
                "issuing_body": "Ecocert France",
                "is_active": True,
            }
        ],
        recalls=[{"id": SID, "title": "Undeclared milk", "company_name": "Laiterie Dupont SA"}],
    )
    certificate = doc["gs1:certification"]
    assert certificate["gs1:certificationStandard"] == {
        "@value": "Agriculture Biologique",
        "@language": "und",
    }
    assert certificate["gs1:certificationAgency"] == {
        "@value": "Ecocert France",
        "@language": "und",
    }
    assert doc["gs1ld:recall"]["gs1ld:recallingFirm"] == "Laiterie Dupont SA"
    assert doc["gs1ld:recall"]["schema:name"] == {"@value": "Undeclared milk", "@language": "en"}
    assert validate_document(doc).conforms
