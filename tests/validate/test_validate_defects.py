"""Planted defects: each gets exactly the expected findings (rule, path, severity)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.validation import validate, validate_document
from support import PROJECT_ROOT, regenerate, require_shared

CTX = {"gs1": "https://ref.gs1.org/voc/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
ID = "https://id.brand.example/01/09506000134352"


def _doc(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": CTX,
        "@id": ID,
        "@type": "gs1:FoodBeverageTobaccoProduct",
        "gs1:gtin": "09506000134352",
        "gs1:productName": {"@value": "Milk", "@language": "en"},
    }
    doc.update(extra)
    return {k: v for k, v in doc.items() if v is not None}


def _allergen(code: str, level: str = "CONTAINS") -> dict[str, Any]:
    return {
        "@type": "gs1:AllergenDetails",
        "gs1:allergenType": {"@id": code},
        "gs1:allergenLevelOfContainmentCode": {"@id": f"gs1:LevelOfContainmentCode-{level}"},
    }


def _nutrient(value: str) -> dict[str, Any]:
    return {
        "@type": "gs1:NutritionMeasurementType",
        "gs1:unitCode": "MGM",
        "gs1:value": {"@value": value, "@type": "xsd:float"},
    }


DEFECTS: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {
    "valid": (_doc(), []),
    "missing-gtin": (_doc(**{"gs1:gtin": None}), [("gtin", "gs1:gtin", "Violation")]),
    "two-gtins": (
        _doc(**{"gs1:gtin": ["09506000134352", "09506000134369"]}),
        [("gtin", "gs1:gtin", "Violation")],
    ),
    "13-digit-gtin": (_doc(**{"gs1:gtin": "9506000134352"}), [("gtin", "gs1:gtin", "Violation")]),
    "bad-check-digit": (
        _doc(**{"gs1:gtin": "09506000134353"}),
        [("gtin", "gs1:gtin", "Violation")],
    ),
    "id-for-another-gtin": (
        _doc(**{"@id": "https://id.brand.example/01/09506000134369"}),
        [("digital-link-id", "@id", "Violation")],
    ),
    "id-not-digital-link": (
        _doc(**{"@id": "https://shop.example/products/milk"}),
        [("digital-link-id", "@id", "Warning")],
    ),
    "date-as-plain-string": (
        _doc(
            **{
                "gs1:certification": {
                    "@type": "gs1:CertificationDetails",
                    "gs1:certificationStartDate": "2025-01-01",
                }
            }
        ),
        [("datatype", "gs1:certificationStartDate", "Violation")],
    ),
    "untagged-product-name": (
        _doc(**{"gs1:productName": "Milk"}),
        [("language", "gs1:productName", "Violation")],
    ),
    "deprecated-allergen-code": (
        _doc(**{"gs1:hasAllergen": _allergen("gs1:AllergenTypeCode-MILK")}),
        [("code-list", "gs1:allergenType", "Violation")],
    ),
    "code-from-wrong-list": (
        _doc(**{"gs1:hasAllergen": _allergen("gs1:DietTypeCode-VEGAN")}),
        [("code-list", "gs1:allergenType", "Violation")],
    ),
    "unknown-code": (
        _doc(**{"gs1:nutritionalClaim": {"@id": "gs1:NutritionalClaimTypeCode-NON_GMO"}}),
        [("code-list", "gs1:nutritionalClaim", "Violation")],
    ),
    "percentage-150": (
        _doc(
            **{
                "gs1:ingredient": {
                    "@type": "gs1:FoodBeverageTobaccoIngredientDetails",
                    "gs1:ingredientContentPercentage": {"@value": "150", "@type": "xsd:float"},
                }
            }
        ),
        [("range", "gs1:ingredientContentPercentage", "Violation")],
    ),
    "negative-sodium": (
        _doc(**{"gs1:sodiumPerNutrientBasis": _nutrient("-5")}),
        [("range", "gs1:value", "Violation")],
    ),
    "old-namespace-term": (
        _doc(**{"https://gs1.org/voc/productDescription": "x"}),
        [("vocabulary", "https://gs1.org/voc/productDescription", "Violation")],
    ),
    "misspelt-term": (
        _doc(**{"gs1:productNmae": {"@value": "x", "@language": "en"}}),
        [("vocabulary", "gs1:productNmae", "Violation")],
    ),
    "food-term-on-a-product": (
        _doc(**{"@type": "gs1:Product", "gs1:hasAllergen": _allergen("gs1:AllergenTypeCode-AM")}),
        [("domain", "gs1:hasAllergen", "Violation")],
    ),
    "unknown-class": (
        _doc(**{"@type": "gs1:FoodProduct"}),
        [("vocabulary", "@type", "Violation")],
    ),
    "link-type-as-string": (
        _doc(**{"gs1:pip": "https://brand.example/p"}),
        [("datatype", "gs1:pip", "Violation")],
    ),
}


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_planted_defect(name: str) -> None:
    document, expected = DEFECTS[name]
    report = validate_document(document, source=name)
    got = sorted((f.rule, f.path, f.severity) for f in report.findings)
    if name == "unknown-class":  # with no known class left, every property is off its domain
        got = [g for g in got if g[0] != "domain"]
    assert got == sorted(expected)
    assert report.conforms == all(sev == "Warning" for _, _, sev in expected)


def test_messages_say_what_to_do() -> None:
    old = validate_document(DEFECTS["old-namespace-term"][0]).findings[0]
    assert old.message == (
        "https://gs1.org/voc/productDescription is in GS1's old namespace: "
        "use https://ref.gs1.org/voc/productDescription"
    )
    typo = validate_document(DEFECTS["misspelt-term"][0]).findings[0]
    assert typo.message == (
        "gs1:productNmae is not a term of the GS1 Web Vocabulary v1.17; "
        "did you mean gs1:productName?"
    )
    milk = validate_document(DEFECTS["deprecated-allergen-code"][0]).findings[0]
    assert milk.message == "gs1:AllergenTypeCode-MILK is deprecated: use gs1:AllergenTypeCode-AM"
    check = validate_document(DEFECTS["bad-check-digit"][0]).findings[0]
    assert check.message == "Invalid GTIN check digit in '09506000134353': expected 2, got 3."


def test_blank_nodes_of_two_documents_never_merge() -> None:
    first = _doc(**{"gs1:hasAllergen": {"@id": "_:b0", **_allergen("gs1:AllergenTypeCode-AM")}})
    second = _doc(
        **{
            "@id": "https://id.brand.example/01/09506000134369",
            "gs1:gtin": "09506000134369",
            "gs1:hasAllergen": {"@id": "_:b0", "@type": "gs1:AllergenDetails"},
        }
    )
    report = validate([first, second])
    assert report.conforms
    assert [d.source for d in report.documents] == ["<document>[0]", "<document>[1]"]


def test_remote_context_refused_and_invalid_json_ld_reported() -> None:
    remote = validate_document({**_doc(), "@context": "https://example.org/context.jsonld"})
    assert remote.error is not None
    assert "'https://example.org/context.jsonld' is not known locally" in remote.error
    broken = validate_document({"@context": {"@vocab": 5}, "@id": ID})
    assert broken.error == "invalid JSON-LD: @vocab value must be a string"
    assert not broken.conforms


def test_graph_documents_and_known_context_urls() -> None:
    doc = {
        "@context": "https://ref.gs1.org/voc/data/gs1Voc.jsonld",
        "@graph": [{k: v for k, v in _doc().items() if k != "@context"}],
    }
    assert validate_document(doc).conforms


def test_cli_reports_lines_json_and_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonld"
    good.write_text(json.dumps(_doc()), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(_doc()) + "\n" + json.dumps(DEFECTS["bad-check-digit"][0]) + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(good)])
    assert (ok.exit_code, ok.output) == (0, "1 valid, 0 invalid, 0 warnings\n")
    failed = runner.invoke(cli, ["validate", str(bad)])
    assert failed.exit_code == 1
    assert failed.output.splitlines() == [
        f"{bad}:2 09506000134353 gs1:gtin: Invalid GTIN check digit in '09506000134353': "
        "expected 2, got 3. (gtin)",
        "1 valid, 1 invalid, 0 warnings",
    ]
    machine = json.loads(runner.invoke(cli, ["validate", "--format", "json", str(bad)]).output)
    assert machine["conforms"] is False
    assert [d["conforms"] for d in machine["documents"]] == [True, False]
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    unreadable = runner.invoke(cli, ["validate", str(tmp_path / "x.json")])
    assert unreadable.exit_code == 2
    assert "invalid JSON" in unreadable.output
    remote = tmp_path / "remote.jsonld"
    remote.write_text(
        json.dumps({**_doc(), "@context": "https://example.org/c.jsonld"}), encoding="utf-8"
    )
    assert runner.invoke(cli, ["validate", str(remote)]).exit_code == 2


def test_term_index_is_generated_from_the_vocabulary(tmp_path: Path) -> None:
    source = require_shared("gs1/v1.17/gs1Voc.ttl")
    target = tmp_path / "gs1-terms.json"
    produced = regenerate("gen_vocab_terms.py", source, target)
    assert produced == (PROJECT_ROOT / "shapes" / "gs1-terms.json").read_bytes()
