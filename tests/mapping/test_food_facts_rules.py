"""Facts, not just form: the boundaries of allergens, contradictions, typing, certificates,
nutrition and language tags of a food product."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.feed import CertificationAssignmentOut
from gs1ld.mapping import map_entry
from gs1ld.mapping.certification import certificate_status
from gs1ld.mapping.tables import load_tables
from gs1ld.publish.layout import product_uri
from support import food_entry

DAY = date(2026, 6, 1)
SID = "2" * 22


def _entry(product: dict[str, Any] | None = None, **content: Any) -> CatalogEntry:
    entry: CatalogEntry = food_entry(product, **content)
    return entry


def _ing(n: int, name: str, **flags: Any) -> dict[str, Any]:
    return {"id": str(n + 1) * 22, "name": name, "priority": n, **flags}


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
    }


# Rule 1 ------------------------------------------------------------------------------


def test_a_compound_ingredient_gives_every_allergen_with_umbrella_codes() -> None:
    doc, notes = _map(
        _entry(
            ingredients=[
                _ing(2, "Pastry (wheat flour, butter, eggs)", is_major_allergen=True),
                _ing(3, "Walnuts, spelt", may_contain=True),
            ],
            nutrition_facts={"label_format": "EU", "nutrients": []},
        )
    )
    assert _allergens(doc) == {
        ("UW", "CONTAINS"),
        ("AW", "CONTAINS"),
        ("AM", "CONTAINS"),
        ("AE", "CONTAINS"),
        ("SW", "MAY_CONTAIN"),
        ("AN", "MAY_CONTAIN"),
        ("GS", "MAY_CONTAIN"),
    }
    assert doc["gs1:allergenStatement"] == {
        "@value": "Allergens: wheat, milk, egg. May contain: walnut, spelt.",
        "@language": "en",
    }
    assert doc["gs1:allergenSpecificationName"]["@value"].startswith("Regulation (EU) No 1169/2011")
    assert notes == [  # the guess about the basis, and nothing else
        "content.nutrition_facts.label_format: neither net content nor serving size says "
        "whether the product is liquid; its per-measure panel is read as per 100 g"
    ]


def test_french_names_match_in_a_french_product_and_the_statement_is_french() -> None:
    doc, _ = _map(
        _entry(
            {"kind": "food", "language": "fr", "country_of_origin": "FR"},
            ingredients=[_ing(1, "Farine de blé", is_major_allergen=True), _ing(2, "Beurre")],
        )
    )
    assert _allergens(doc) == {("UW", "CONTAINS"), ("AW", "CONTAINS"), ("AM", "CONTAINS")}
    assert doc["gs1:allergenStatement"] == {"@value": "Allergènes: blé, lait.", "@language": "fr"}
    assert doc["gs1:allergenSpecificationAgency"] == {
        "@value": "European Union",
        "@language": "en",
    }


def test_the_regulation_is_configurable_and_absent_when_unknown() -> None:
    entry = _entry(ingredients=[_ing(1, "Peanuts", is_major_allergen=True)])
    doc, notes = _map(entry)
    assert "gs1:allergenSpecificationAgency" not in doc
    assert any("no allergen regulation applies" in n for n in notes)
    doc, _ = _map(entry, allergen_regulation="us_fda")
    assert doc["gs1:allergenSpecificationAgency"]["@value"] == "US FDA"
    assert "FASTER Act" in doc["gs1:allergenSpecificationName"]["@value"]


# Rule 2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "ingredient", "flags", "gone"),
    [
        ("GLUTEN_FREE", "Rye bread", {}, "gs1:dietCode"),
        ("GLUTEN_FREE", "Oats", {"may_contain": True}, "gs1:packagingMarkedFreeFrom"),
        ("DAIRY_FREE", "Whey powder", {}, "gs1:nutritionalClaim"),
        ("DAIRY_FREE", "Cheese", {}, "gs1:packagingMarkedFreeFrom"),
        ("VEGAN", "Anchovies", {}, "gs1:dietCode"),
        ("VEGETARIAN", "Shrimp", {}, "gs1:dietCode"),
        ("EGG_FREE", "Mayonnaise", {}, "gs1:hasAllergen"),
    ],
)
def test_a_contradicted_claim_is_dropped_with_every_value(
    code: str, ingredient: str, flags: dict[str, Any], gone: str
) -> None:
    """``gone`` names one value the claim would give uncontradicted; none of them stays."""
    claims = [{"id": SID, "label": code.title(), "code": code}]
    alone, _ = _map(_entry(ingredients=[_ing(1, "Water")], claims=claims))
    assert gone in alone
    doc, notes = _map(
        _entry(
            ingredients=[_ing(1, ingredient, **flags)],
            claims=[{"id": SID, "label": code.title(), "code": code}],
        )
    )
    assert "gs1ld:claim" not in doc
    assert "FREE_FROM" not in {level for _, level in _allergens(doc)}
    for key in ("gs1:dietCode", "gs1:packagingMarkedFreeFrom", "gs1:nutritionalClaim"):
        assert key not in doc
    assert any(
        f"claim {code.title()!r} ({code}) contradicts ingredient {ingredient!r}" in n for n in notes
    )


def test_a_diet_claim_is_not_contradicted_by_a_may_contain_warning() -> None:
    doc, notes = _map(
        _entry(
            ingredients=[_ing(1, "Milk", may_contain=True)],
            claims=[{"id": SID, "label": "Vegan", "code": "VEGAN"}],
        )
    )
    assert doc["gs1:dietCode"]["gs1:dietType"] == {"@id": "gs1:DietTypeCode-VEGAN"}
    assert not any("contradicts" in n for n in notes)


# Rule 3 ------------------------------------------------------------------------------


def test_a_flagged_allergen_makes_an_unlabelled_product_food() -> None:
    doc, _ = _map(
        _entry({"name": "Nuts"}, ingredients=[_ing(1, "Roasted Peanuts", is_major_allergen=True)])
    )
    assert doc["@type"] == "gs1:FoodBeverageTobaccoProduct"
    assert _allergens(doc) == {("AP", "CONTAINS")}


def test_what_a_non_food_class_cannot_carry_is_noted() -> None:
    doc, notes = _map(
        _entry(
            {"kind": "non_food"},
            ingredients=[
                _ing(1, "Sweet almond oil", percentage=12, origin="Spain", may_contain=True)
            ],
        )
    )
    assert doc["@type"] == "gs1:Product"
    assert "gs1:hasAllergen" not in doc
    assert notes == [
        "content.ingredients[0]: percentage 12, origin 'Spain', may_contain of 'Sweet almond oil' "
        "not exported: the product is not food (gs1:Product has no ingredient or allergen "
        "terms); the name is kept in gs1ld:ingredientStatement"
    ]


# Rule 4 ------------------------------------------------------------------------------


def _cert(**fields: Any) -> CertificationAssignmentOut:
    base = {"id": SID, "label": "Organic", "is_active": True, "code": "USDA_ORGANIC"}
    return CertificationAssignmentOut.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("fields", "status", "reason", "mark"),
    [
        (
            {"verification_status": "verified", "expiry_date": "2026-05-31"},
            "INACTIVE",
            "ended",
            False,
        ),
        (
            {"verification_status": "verified", "expiry_date": "2026-06-01"},
            "ACTIVE",
            "in-effect",
            True,
        ),
        (
            {
                "verification_status": "verified",
                "expiration_date": "2026-05-31",
                "expiry_date": "2027-01-01",
            },
            "INACTIVE",
            "ended",
            False,
        ),
        (
            {"verification_status": "verified", "valid_from": "2026-06-02"},
            "INACTIVE",
            "not-started",
            False,
        ),
        ({"verification_status": "unverified"}, "ACTIVE", "in-effect", False),
        ({"verification_status": "expired"}, "INACTIVE", "tier", False),
    ],
)
def test_certificate_status_is_computed_from_the_emitted_dates(
    fields: dict[str, Any], status: str | None, reason: str, mark: bool
) -> None:
    decision = certificate_status(_cert(**fields), DAY, load_tables().certification_status)
    assert (decision.status, decision.reason, decision.pack_mark) == (status, reason, mark)


def test_both_end_dates_are_kept_and_the_earlier_bounds_the_status() -> None:
    cert = {
        "id": SID,
        "label": "USDA Organic",
        "is_active": True,
        "code": "USDA_ORGANIC",
        "verification_status": "verified",
        "expiry_date": "2027-06-30",
        "expiration_date": "2026-12-31",
        "url": "https://programme.example/organic",
        "verification_url": "https://registry.example/cert/1",
    }
    doc, _ = _map(_entry(certifications=[cert]))
    node = doc["gs1:certification"]
    assert node["gs1:certificationEndDate"]["@value"] == "2026-12-31"
    assert node["gs1ld:certificateExpiryDate"]["@value"] == "2027-06-30"
    assert node["gs1:certificationStatus"] == {"@id": "gs1:CertificationStatus-ACTIVE"}
    assert node["schema:url"] == {"@id": "https://programme.example/organic"}
    assert node["gs1:certificationURI"]["@value"] == "https://registry.example/cert/1"
    assert doc["gs1:organicClaim"] == {
        "@type": "gs1:OrganicClaimDetails",
        "gs1:organicClaimAgency": {"@id": "gs1:OrganicClaimAgencyCode-6"},
    }
    assert doc["gs1:packagingMarkedLabelAccreditation"] == {
        "@id": "gs1:PackagingMarkedLabelAccreditationCode-USDA"
    }


# Rule 5 ------------------------------------------------------------------------------


def _panel(label_format: str, **extra: Any) -> dict[str, Any]:
    return {
        "label_format": label_format,
        "nutrients": [{"name": "Protein", "amount": 3, "unit": "g"}],
        **extra,
    }


@pytest.mark.parametrize(
    ("product", "panel", "basis"),
    [
        (
            {"kind": "food", "net_content": {"value": 1, "unit": "l"}},
            _panel("EU"),
            ("BY_MEASURE", "100", "MLT"),
        ),
        (
            {"kind": "food", "net_content": {"value": 500, "unit": "g"}},
            _panel("EU"),
            ("BY_MEASURE", "100", "GRM"),
        ),
        (
            {"kind": "food"},
            _panel("EU", serving_size="1 glass (250 ml)"),
            ("BY_MEASURE", "100", "MLT"),
        ),
        (
            {"kind": "food"},
            _panel("CA", serving_size="3/4 cup (55 g)", serving_size_g=55),
            ("BY_SERVING", "55", "GRM"),
        ),
        (
            {"kind": "food", "net_content": {"value": 12, "unit": "fl oz"}},
            _panel("US_FDA", serving_size="1 can (355 mL)", serving_size_g=370),
            ("BY_SERVING", "355", "MLT"),
        ),
    ],
)
def test_the_nutrient_basis_follows_format_and_state(
    product: dict[str, Any], panel: dict[str, Any], basis: tuple[str, str, str]
) -> None:
    doc, _ = _map(_entry(product, nutrition_facts=panel))
    quantity = doc["gs1:nutrientBasisQuantity"]
    assert (
        doc["gs1:nutrientBasisQuantityType"]["@id"].rsplit("-", 1)[1],
        quantity["gs1:value"]["@value"],
        quantity["gs1:unitCode"],
    ) == basis


def test_an_unknown_format_or_a_serving_panel_without_serving_is_noted_not_guessed() -> None:
    doc, notes = _map(_entry(nutrition_facts=_panel("MARS")))
    assert "gs1:nutrientBasisQuantityType" not in doc
    assert "gs1:proteinPerNutrientBasis" not in doc
    assert any("label_format 'MARS' is not in nutrition-formats.csv" in n for n in notes)
    doc, notes = _map(_entry(nutrition_facts=_panel("US_FDA")))
    assert "gs1:nutrientBasisQuantityType" not in doc
    assert any("without a serving size" in n for n in notes)


def test_us_label_units_and_dv_only_rows_never_invalidate_the_product() -> None:
    from gs1ld.validation import validate_document

    rows = [
        {"name": "Folate", "amount": 680, "unit": "mcg DFE", "daily_value_percent": 170},
        {"name": "Vitamin D", "amount": 1000, "unit": "IU", "daily_value_percent": 125},
        {"name": "Iron", "daily_value_percent": 10},
        {"name": "Calories", "amount": 90, "unit": "Cal"},
    ]
    entry = _entry(
        nutrition_facts={"label_format": "US_FDA", "serving_size_g": 30, "nutrients": rows}
    )
    doc, notes = _map(entry)
    assert "gs1:folicAcidPerNutrientBasis" not in doc  # µg DFE is not a mass of folic acid
    assert doc["gs1ld:folateDFEPerNutrientBasis"]["gs1:unitCode"] == "MC"
    assert doc["gs1:vitaminDPerNutrientBasis"] == {
        "@type": "gs1:NutritionMeasurementType",
        "gs1:dailyValueIntakePercent": {"@value": "125", "@type": "xsd:float"},
    }
    assert doc["gs1:ironPerNutrientBasis"]["gs1:dailyValueIntakePercent"]["@value"] == "10"
    assert doc["gs1:energyPerNutrientBasis"]["gs1:unitCode"] == "E14"
    assert any("Vitamin D 1000 IU" in n and "%DV is kept" in n for n in notes)
    assert any("DFE is an equivalent, not a mass of the nutrient" in n for n in notes)
    assert validate_document(doc).conforms


# Rule 6 ------------------------------------------------------------------------------


def test_only_brand_text_takes_the_product_language() -> None:
    entry = _entry(
        {"kind": "food", "language": "fr", "name": "Miel"},
        ingredients=[_ing(1, "Miel")],
        claims=[{"id": SID, "label": "Raw", "code": "RAW"}],
        certifications=[{"id": SID, "label": "USDA Organic", "is_active": True}],
        recalls=[{"id": SID, "title": "Undeclared milk", "hazard": "Allergic reaction"}],
    )
    for feed_language in ("en", "de"):
        doc, _ = _map(entry, feed_language=feed_language)
        assert doc["gs1:productName"]["@language"] == "fr"
        assert doc["gs1:ingredient"]["gs1:ingredientName"]["@language"] == "fr"
        # a scheme name is a proper name: no language (issue 22)
        assert doc["gs1:certification"]["gs1:certificationStandard"]["@language"] == "und"
        assert doc["gs1ld:claim"]["schema:name"]["@language"] == feed_language
        assert doc["gs1:nutritionalClaimStatement"]["@language"] == feed_language
        assert doc["gs1ld:recall"]["schema:name"]["@language"] == feed_language
        assert doc["gs1ld:recall"]["gs1ld:hazard"]["@language"] == feed_language
