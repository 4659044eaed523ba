"""``gs1ld explain``: every fact of one product, where it came from and what decided."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig
from gs1ld.mapping.explain import explain_entry
from gs1ld.publish import publish_entry
from support import EXAMPLE_CATALOG, food_entry

YOGHURT = EXAMPLE_CATALOG / "26-yoghurt-claims-its-panel-breaks.json"
GTIN = "09506000134604"
SID = "2" * 22


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["explain", *args, "--today", "2026-06-01"])


def test_the_text_names_field_value_and_rule_of_each_fact() -> None:
    result = _run(str(YOGHURT), "--gtin", GTIN)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{GTIN} ({YOGHURT})"
    at = lines.index("claim Low fat (LOW_FAT): dropped")
    assert lines[at + 1] == "  from content.claims[0] = 'LOW_FAT'"
    assert lines[at + 2] == (
        "  by claims.csv: LOW_FAT -> gs1:nutritionalClaim gs1:NutritionalClaimTypeCode-LOW_FAT"
    )
    assert (
        "fat 3.1 g per 100 g; Reg. (EC) 1924/2006 Annex: low fat allows at most 3 g"
        in (lines[at + 3])
    )
    assert "claim Lactose free (LACTOSE_FREE): published -> gs1:packagingMarkedFreeFrom " in (
        result.output
    )
    assert "allergen AM CONTAINS: published -> gs1:hasAllergen AllergenTypeCode-AM CONTAINS" in (
        result.output
    )
    assert "nutrient of which sugars: published -> gs1:sugarsPerNutrientBasis" in result.output


def test_json_lists_every_fact_with_its_outcome() -> None:
    result = _run(str(YOGHURT), "--gtin", "9506000134604", "--report-format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["gtin"], report["valid"]) == (GTIN, True)
    claims = {f["value"]: f["outcome"] for f in report["facts"] if f["kind"] == "claim"}
    assert claims == {
        "LOW_FAT": "dropped",
        "LOW_SUGAR": "dropped",
        "HIGH_PROTEIN": "dropped",
        "SOURCE_OF_PROTEIN": "published",
        "NO_ADDED_SUGAR": "dropped",
        "VEGETARIAN": "dropped",
        "LACTOSE_FREE": "published",
        "LOW_SALT": "published",
    }
    kinds = [f["kind"] for f in report["facts"]]
    assert kinds == sorted(kinds, key=["allergen", "claim", "certificate", "nutrient"].index)
    assert sum(k == "nutrient" for k in kinds) == 8
    assert set(report["facts"][0]) == {
        "kind",
        "subject",
        "outcome",
        "field",
        "value",
        "output",
        "decided_by",
    }


def test_exit_codes(tmp_path: Path) -> None:
    missing = _run(str(YOGHURT), "--gtin", "09506000134352")
    assert missing.exit_code == 2
    assert "no entry of" in missing.output
    assert _run(str(YOGHURT), "--gtin", "09506000134605").exit_code == 2  # bad check digit
    assert _run(str(tmp_path / "nowhere.json"), "--gtin", GTIN).exit_code == 2
    broken = json.loads(YOGHURT.read_text("utf-8"))
    broken["content"]["claims"][0]["valid_from"] = "someday"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), "utf-8")
    invalid = _run(str(path), "--gtin", GTIN)
    assert invalid.exit_code == 1
    assert "content.claims[0].valid_from" in invalid.output


def test_the_library_call_explains_certificates_and_dropped_nutrients() -> None:
    entry = food_entry(
        {"kind": "food"},
        certifications=[
            {
                "id": SID,
                "label": "EU Organic",
                "code": "EU_ORGANIC",
                "is_active": True,
                "verification_status": "verified",
                "expiry_date": "2026-01-31",
            }
        ],
        nutrition_facts={
            "label_format": "EU",
            "nutrients": [
                {"name": "Caffeine", "amount": 30, "unit": "mg"},
                {"name": "Fat", "amount": 1, "unit": "g"},
            ],
        },
    )
    config = ExportConfig(today=date(2026, 6, 1))
    explanation = explain_entry(entry, publish_entry(entry, config).mapped, config=config)
    certificate, caffeine, fat = explanation.facts
    assert certificate.kind == "certificate"
    assert certificate.output == "gs1:certificationStatus INACTIVE"
    assert "certification-status.toml: verification_status 'verified' -> window" in (
        certificate.decided_by
    )
    assert (caffeine.outcome, caffeine.output) == ("dropped", "")
    assert caffeine.decided_by[0] == "nutrients.csv: no row for 'Caffeine'"
    assert (fat.outcome, fat.output, fat.value) == (
        "published",
        "gs1:fatPerNutrientBasis",
        "Fat 1 g",
    )
