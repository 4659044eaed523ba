"""Claims checked against the product's own panel and ingredients (issue 22, point 5).

The cases are written from the regulations' conditions (Regulation (EC) No 1924/2006
Annex, 21 CFR 101.54-101.62), on products built here, not on the examples.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gs1ld.catalog import CatalogEntry
from gs1ld.claim_conditions import Amount, Panel, nutrient_breaches
from gs1ld.claim_rules import bundled_rules, parse_rules
from gs1ld.config import ExportConfig
from gs1ld.errors import MappingError
from gs1ld.ingredient_classes import class_matches
from gs1ld.mapping import map_entry
from gs1ld.publish.layout import product_uri
from gs1ld.validation import validate_document
from support import food_entry, require_shared

DAY = date(2026, 6, 1)
SID = "2" * 22


def _uri(entry: CatalogEntry) -> str:
    """The product's Digital Link URI on GS1's resolver (the mapping takes it as given)."""
    return product_uri("https://id.gs1.org", entry.gtin)


def _ing(n: int, name: str, **flags: Any) -> dict[str, Any]:
    return {"id": str(n + 1) * 22, "name": name, "priority": n, **flags}


def _row(name: str, amount: float, unit: str = "g") -> dict[str, Any]:
    return {"name": name, "amount": amount, "unit": unit}


def _entry(
    code: str,
    rows: list[dict[str, Any]] | None = None,
    *,
    label_format: str = "EU",
    ingredients: list[str] = (),  # type: ignore[assignment]
    net: tuple[float, str] = (500, "g"),
    language: str = "en",
    serving_size_g: float | None = 30,
) -> CatalogEntry:
    product = {
        "kind": "food",
        "language": language,
        "net_content": [{"value": net[0], "unit": net[1]}],
    }
    content: dict[str, Any] = {
        "claims": [{"id": SID, "label": code.replace("_", " ").capitalize(), "code": code}],
        "ingredients": [_ing(i, name) for i, name in enumerate(ingredients, 1)],
    }
    if rows is not None:
        content["nutrition_facts"] = {
            "label_format": label_format,
            "serving_size_g": serving_size_g,
            "nutrients": rows,
        }
    entry: CatalogEntry = food_entry(product, **content)
    return entry


def _published(entry: CatalogEntry) -> tuple[bool, list[str]]:
    mapped = map_entry(entry, uri=_uri(entry), config=ExportConfig(today=DAY))
    notes = [str(n) for n in mapped.notes if n.path == "content.claims[0]"]
    return "gs1ld:claim" in mapped.document, notes


@pytest.mark.parametrize(
    ("code", "rows", "fmt", "net", "figure"),
    [
        ("LOW_FAT", [_row("Total Fat", 7)], "US_FDA", (200, "g"), "fat 7 g per serving"),
        ("LOW_FAT", [_row("Fat", 3.4)], "EU", (500, "g"), "fat 3.4 g per 100 g"),
        ("LOW_FAT", [_row("Fat", 1.6)], "EU", (1, "l"), "fat 1.6 g per 100 ml"),
        ("FAT_FREE", [_row("Fat", 0.6)], "EU", (500, "g"), "at most 0.5 g"),
        ("FAT_FREE", [_row("Total Fat", 0.5)], "US_FDA", (200, "g"), "less than 0.5 g"),
        ("LOW_SUGAR", [_row("of which sugars", 2.6)], "EU", (1, "l"), "sugars 2.6 g per 100 ml"),
        ("SUGAR_FREE", [_row("Sugars", 0.7)], "UK", (500, "g"), "sugars 0.7 g per 100 g"),
        ("LOW_SODIUM", [_row("Salt", 0.5)], "EU", (500, "g"), "sodium 0.2 g per 100 g"),
        ("LOW_SODIUM", [_row("Sodium", 160, "mg")], "US_FDA", (200, "g"), "sodium 160 mg"),
        ("VERY_LOW_SODIUM", [_row("Salz", 0.2)], "EU", (500, "g"), "sodium 0.08 g per 100 g"),
        ("VERY_LOW_SODIUM", [_row("Natrium", 0.05)], "EU", (500, "g"), "sodium 0.05 g"),
        (
            "HIGH_FIBER",
            [_row("Fibre", 4), _row("Energy", 400, "kcal")],
            "EU",
            (500, "g"),
            "fibre 4 g per 100 g",
        ),
        (
            "SOURCE_OF_PROTEIN",
            [_row("Protein", 5), _row("Energy", 1700, "kJ")],
            "EU",
            (500, "g"),
            "protein 4.9% of energy",
        ),
        ("HIGH_PROTEIN", [_row("Protein", 6)], "US_FDA", (200, "g"), "at least 10 g per serving"),
        ("LOW_CALORIE", [_row("Energy", 45, "kcal")], "EU", (500, "g"), "energy 45 kcal per 100 g"),
        (
            "CHOLESTEROL_FREE",
            [_row("Cholesterol", 5, "mg")],
            "US_FDA",
            (200, "g"),
            "cholesterol 5 mg",
        ),
    ],
)
def test_a_claim_its_own_panel_breaks_is_not_published(
    code: str, rows: list[dict[str, Any]], fmt: str, net: tuple[float, str], figure: str
) -> None:
    published, notes = _published(_entry(code, rows, label_format=fmt, net=net))
    assert not published
    (note,) = notes
    assert "is contradicted: the product's nutrition panel breaks" in note
    assert figure in note
    assert note.endswith("(claim-conditions.csv); the claim is not exported")


@pytest.mark.parametrize(
    ("code", "rows", "fmt", "net"),
    [
        ("LOW_FAT", [_row("Fat", 3)], "EU", (500, "g")),  # at most 3 g: 3 g holds
        ("LOW_FAT", [_row("Fat", 2.9)], "US_FDA", (200, "g")),
        ("LOW_FAT", [_row("Fat", 1.5)], "EU", (1, "l")),
        ("LOW_FAT", [_row("Carbohydrate", 50)], "EU", (500, "g")),  # no fat figure: unchecked
        ("LOW_FAT", [_row("Fat", 12)], "CA", (500, "g")),  # Canada's conditions: not tabled
        ("LOW_FAT", [_row("Fat", 12)], "MYSTERY", (500, "g")),  # no known basis
        ("LOW_SODIUM", [_row("Salt", 0.3)], "EU", (500, "g")),  # 0.12 g sodium
        ("HIGH_FIBER", [_row("Fibre", 4), _row("Energy", 120, "kcal")], "EU", (500, "g")),
        ("SOURCE_OF_FIBER", [_row("Fibre", 2)], "EU", (500, "g")),  # per 100 kcal unknown
        ("SOURCE_OF_PROTEIN", [_row("Protein", 5)], "EU", (500, "g")),  # energy unknown
        ("SOURCE_OF_PROTEIN", [_row("Protein", 13), _row("Energy", 400, "kcal")], "EU", (500, "g")),
        ("LACTOSE_FREE", [_row("Sugars", 12)], "EU", (1, "l")),
    ],
)
def test_a_claim_its_panel_meets_or_cannot_check_is_kept(
    code: str, rows: list[dict[str, Any]], fmt: str, net: tuple[float, str]
) -> None:
    published, notes = _published(_entry(code, rows, label_format=fmt, net=net))
    assert published
    assert all(" is not checked: " in n and n.endswith("; the claim is kept") for n in notes)


@pytest.mark.parametrize(
    ("code", "rows", "fmt", "said"),
    [
        ("LOW_FAT", [_row("Fat", 2)], "EU", None),
        (
            "LOW_FAT",
            [_row("Protein", 2)],
            "EU",
            "fat at most 3 g per 100 g (Reg. (EC) 1924/2006 Annex: low fat) needs a fat figure",
        ),
        (
            "SOURCE_OF_PROTEIN",
            [_row("Protein", 5)],
            "EU",
            "protein at least 12% of energy (Reg. (EC) 1924/2006 Annex: source of protein) "
            "needs an energy figure",
        ),
        ("LOW_FAT", [_row("Fat", 12)], "CA", "label_format 'CA' names no regulation"),
        ("LOW_FAT", None, "EU", "there is no nutrition panel"),
        ("VEGAN", [_row("Fat", 12)], "EU", None),  # no nutrient condition at all
    ],
)
def test_a_claim_that_cannot_be_checked_says_what_would_settle_it(
    code: str, rows: list[dict[str, Any]] | None, fmt: str, said: str | None
) -> None:
    published, notes = _published(_entry(code, rows, label_format=fmt))
    assert published
    if said is None:
        assert notes == []
    else:
        (note,) = notes
        assert said in note
        assert note.endswith("; the claim is kept")


@pytest.mark.parametrize(
    ("code", "ingredient", "language", "klass"),
    [
        ("NO_ADDED_SUGAR", "Glucose-fructose syrup", "en", "sugars"),
        ("NO_ADDED_SUGAR", "Rohrzucker", "de", "sugars"),
        ("NO_ADDED_SUGARS", "Miel de fleurs", "fr", "honey"),
        ("NO_ADDED_SALT", "Meersalz", "de", "salt"),
        ("VEGAN", "Gelatine", "en", "gelatin"),
        ("VEGAN", "Wildblütenhonig", "de", "honey"),
        ("VEGAN", "Colour: carmine", "en", "animal derived"),
        ("VEGETARIAN", "Rindfleisch", "de", "animal flesh"),
        ("VEGETARIAN", "Kipfilet", "nl", "animal flesh"),
        ("VEGETARIAN", "Chicken stock", "en", "animal flesh"),
    ],
)
def test_a_claim_an_ingredient_class_breaks_is_not_published(
    code: str, ingredient: str, language: str, klass: str
) -> None:
    published, notes = _published(_entry(code, ingredients=[ingredient], language=language))
    assert not published
    (note,) = notes
    assert f"ingredient {ingredient!r} (content.ingredients[0]) is {klass}" in note
    assert "(claim-exclusions.csv)" in note


@pytest.mark.parametrize(
    ("code", "ingredient", "language"),
    [
        ("NO_ADDED_SUGAR", "Sugar snap peas", "en"),
        ("NO_ADDED_SUGAR", "Zuckerschoten", "de"),
        ("NO_ADDED_SUGAR", "Honeydew melon", "en"),
        ("NO_ADDED_SUGAR", "Sugar-free chocolate", "en"),
        ("NO_ADDED_SUGAR", "Ohne Zucker", "de"),
        ("VEGAN", "Beef tomatoes", "en"),
        ("VEGAN", "Fruchtfleisch", "de"),
        ("VEGAN", "Champignons", "nl"),
        ("VEGAN", "Cocoa butter", "en"),
        ("VEGAN", "Graham crackers", "en"),
        ("LACTOSE_FREE", "Whole milk", "en"),  # lactose-free is about lactose, not milk
    ],
)
def test_false_friends_negations_and_lactose_free_keep_the_claim(
    code: str, ingredient: str, language: str
) -> None:
    published, notes = _published(_entry(code, ingredients=[ingredient], language=language))
    assert published, notes


def test_dairy_free_still_conflicts_with_milk_and_may_contain_is_not_an_ingredient() -> None:
    published, _ = _published(_entry("DAIRY_FREE", ingredients=["Whole milk"]))
    assert not published
    entry = food_entry(
        {"kind": "food"},
        claims=[{"id": SID, "label": "Vegan", "code": "VEGAN"}],
        ingredients=[_ing(1, "Gelatine", may_contain=True)],
    )
    assert _published(entry) == (True, [])


def test_the_mapped_document_passes_the_same_check_in_validate() -> None:
    """What the mapping publishes never trips the validate rule, and a kept claim is checked."""
    entry = _entry("LOW_FAT", [_row("Total Fat", 2)], label_format="US_FDA", net=(200, "g"))
    document = map_entry(entry, uri=_uri(entry), config=ExportConfig(today=DAY)).document
    assert document["gs1:nutritionalClaim"] == {"@id": "gs1:NutritionalClaimTypeCode-LOW_FAT"}
    assert validate_document(document).conforms
    document["gs1:fatPerNutrientBasis"]["gs1:value"]["@value"] = "4"
    (finding,) = validate_document(document).findings
    assert finding.rule == "claim-broken-by-nutrient"
    assert finding.message == (
        "gs1:NutritionalClaimTypeCode-LOW_FAT is broken by the product's own nutrient values: "
        "fat 4 g per serving; 21 CFR 101.62(b)(2): low fat allows at most 3 g per serving"
    )


def test_alternatives_break_only_when_every_one_fails() -> None:
    rules = bundled_rules()
    claim = "gs1:NutritionalClaimTypeCode-SOURCE_OF_FIBRE"

    def panel(fibre: float, kcal: float | None) -> Panel:
        amounts = {"gs1:fibrePerNutrientBasis": (Amount(fibre, "GRM"),)}
        if kcal is not None:
            amounts["gs1:energyPerNutrientBasis"] = (Amount(kcal, "E14"),)
        return Panel(amounts, "measure", False)

    assert nutrient_breaches(claim, panel(2, None), rules, "EU") == []  # per 100 kcal unknown
    assert nutrient_breaches(claim, panel(2, 100), rules, "EU") == []  # 2 g per 100 kcal
    (breach,) = nutrient_breaches(claim, panel(2, 200), rules, "EU")
    assert breach.describe() == (
        "fibre 2 g per 100 g; Reg. (EC) 1924/2006 Annex: source of fibre requires at least "
        "3 g per 100 g"
    )
    assert nutrient_breaches(claim, panel(2, 200), rules, "US") == []  # per serving only


def test_a_malformed_condition_row_names_file_line_and_rule() -> None:
    text = (
        "claim,regulation,condition,nutrient,comparison,threshold,unit,basis,source\n"
        "gs1:X,EU,fat,gs1:fatPerNutrientBasis,under,3,GRM,100 g,somewhere\n"
    )
    with pytest.raises(MappingError) as raised:
        parse_rules({"claim-conditions.csv": [("mine.csv", text)]})
    assert str(raised.value) == (
        "mine.csv:2: comparison: expected one of 'below', 'max', 'min', got 'under'"
    )


def test_a_users_table_adds_conditions(tmp_path: Any) -> None:
    (tmp_path / "claim-regulations.csv").write_text("key,regulation\nCA,CA\n", "utf-8")
    (tmp_path / "claim-conditions.csv").write_text(
        "claim,regulation,condition,nutrient,comparison,threshold,unit,basis,source\n"
        "gs1:NutritionalClaimTypeCode-LOW_FAT,CA,fat,gs1:fatPerNutrientBasis,max,3,GRM,"
        "serving,FDR B.01.513 item 12\n",
        "utf-8",
    )
    entry = _entry("LOW_FAT", [_row("Fat", 5)], label_format="CA")
    mapped = map_entry(
        entry, uri=_uri(entry), config=ExportConfig(today=DAY, mappings_dir=tmp_path)
    )
    assert "gs1ld:claim" not in mapped.document
    assert any(
        "FDR B.01.513 item 12 allows at most 3 g per serving" in str(n) for n in mapped.notes
    )


def test_class_words_read_compounds_only_in_their_own_language() -> None:
    rules = bundled_rules()
    assert [m.ingredient_class for m in class_matches("Zeezout", rules.words, "nl")] == ["salt"]
    assert class_matches("Zeezout", rules.words, "en") == []
    assert [m.word for m in class_matches("Hähnchenbrustfilet", rules.words, "de")] == ["hähnchen"]


def test_every_code_and_nutrient_the_tables_name_is_a_current_gs1_term() -> None:
    """The condition tables never invent a gs1: term, and each claim in them is reachable."""
    from gs1ld.mapping.tables import load_tables

    vocabulary = require_shared("gs1/v1.17/gs1Voc.ttl").read_text("utf-8")
    rules = bundled_rules()
    named = {row.claim for rows in rules.conditions.values() for row in rows}
    named |= {row.nutrient for rows in rules.conditions.values() for row in rows}
    named |= {row.claim for rows in rules.exclusions.values() for row in rows}
    for curie in sorted(named):
        assert f"\n{curie}\n" in vocabulary, curie
        assert "owl:deprecated" not in vocabulary.split(f"\n{curie}\n", 1)[1].split("\n\n")[0]
    reachable = {t.value for targets in load_tables().claims.values() for t in targets}
    assert set(rules.conditions) | set(rules.exclusions) <= reachable
