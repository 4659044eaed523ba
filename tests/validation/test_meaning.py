"""The meaning rules: planted contradictions are found (defects/meaning-*), examples are clean."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.catalog import read_catalog
from gs1ld.cli import cli
from gs1ld.config import ExportConfig
from gs1ld.publish import to_jsonld
from gs1ld.validation import validate_document
from gs1ld.validation.meaning import MEANING_RULES
from support import EXAMPLE_CATALOG

DEFECTS = Path(__file__).parent / "defects"
DAY = date(2026, 6, 1)


def test_every_meaning_rule_has_a_planted_defect() -> None:
    planted = set()
    for path in DEFECTS.glob("*.expected.json"):
        for document in json.loads(path.read_text("utf-8")).get("documents", []):
            planted.update(f["rule"] for f in document["findings"])
    assert set(MEANING_RULES) <= planted


@pytest.mark.parametrize(
    "config",
    [
        ExportConfig(today=DAY),
        ExportConfig(base_url="https://id.brand.example", today=DAY, feed_language="fr"),
    ],
    ids=["gs1", "own"],
)
def test_no_meaning_finding_on_the_examples(config: ExportConfig) -> None:
    for outcome in read_catalog(EXAMPLE_CATALOG):
        assert outcome.entry is not None
        report = validate_document(to_jsonld(outcome.entry, config=config), today=DAY)
        assert [f for f in report.findings if f.rule in MEANING_RULES] == [], outcome.location
        assert report.conforms, outcome.location


def test_the_date_rule_needs_a_reference_day_and_the_cli_gives_one(tmp_path: Path) -> None:
    path = DEFECTS / "meaning-active-certificate-ended.jsonld"
    document = json.loads(path.read_text("utf-8"))
    assert validate_document(document).conforms  # no day, no date rule
    assert validate_document(document, today=date(2026, 1, 31)).conforms  # the last day counts
    assert not validate_document(document, today=date(2026, 2, 1)).conforms
    runner = CliRunner()
    early = runner.invoke(cli, ["validate", "--today", "2026-01-15", str(path)])
    assert (early.exit_code, early.output) == (0, "1 valid, 0 invalid, 0 warnings\n")
    late = runner.invoke(cli, ["validate", "--today", "2026-06-01", str(path)])
    assert late.exit_code == 1
    assert (
        "certificate is ACTIVE but its gs1:certificationEndDate 2026-01-31 is before "
        "2026-06-01 (active-certificate-ended)"
    ) in late.output
    bad = runner.invoke(cli, ["validate", "--today", "June", str(path)])
    assert bad.exit_code == 2
    assert "expected a date YYYY-MM-DD, got 'June'" in bad.output
