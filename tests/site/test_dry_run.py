"""``site build --dry-run``: every change a build would make, fact by fact, and nothing touched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG, sync_down, tree_bytes

BASE = "https://id.brand.example"
ARGS = ["site", "build", "--base-url", BASE, "--today", "2026-06-01", "--no-validate"]
MILK = "09506000134352"


def _edited_catalog(tmp_path: Path) -> tuple[Path, str]:
    """The examples with one product gone and the milk gaining hazelnuts and a new name."""
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    files = sorted(catalog.glob("*.json"))
    gone = json.loads(files[1].read_text("utf-8"))["gtin"].zfill(14)
    files[1].unlink()
    milk = next(f for f in files if json.loads(f.read_text("utf-8"))["gtin"].zfill(14) == MILK)
    entry = json.loads(milk.read_text("utf-8"))
    entry["content"]["ingredients"].append(
        {
            "id": "KLMNPQRSTUVWXYZabcdefg",
            "name": "Hazelnuts",
            "priority": 99,
            "is_major_allergen": True,
        }
    )
    entry["product"]["name"] = "Whole Milk, Hazelnut"
    milk.write_text(json.dumps(entry), "utf-8")
    return catalog, gone


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, [*ARGS, "--workers", "1", *args])


def test_a_dry_run_lists_each_change_and_touches_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _run(str(EXAMPLE_CATALOG), "-o", str(site)).exit_code == 0
    before = tree_bytes(site)
    catalog, gone = _edited_catalog(tmp_path)
    result = _run(str(catalog), "-o", str(site), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith(f"- {gone} ") and line.endswith("(removed)") for line in lines)
    assert f"~ {MILK} Whole Milk, Hazelnut (changed)" in lines
    assert "    + gs1:productName Whole Milk, Hazelnut" in lines
    assert any(line.startswith("    + gs1:hasAllergen ") and "CONTAINS" in line for line in lines)
    assert lines[-1].startswith("0 added, 1 changed, 1 removed, ")
    assert tree_bytes(site) == before


def test_the_json_report_carries_the_changes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _run(str(EXAMPLE_CATALOG), "-o", str(site)).exit_code == 0
    catalog, _ = _edited_catalog(tmp_path)
    report = json.loads(
        _run(str(catalog), "-o", str(site), "--dry-run", "--report-format", "json").output
    )
    assert (report["dry_run"], report["changed"], report["removed"], report["refused"]) == (
        True,
        1,
        1,
        None,
    )
    milk = next(c for c in report["changes"] if c["gtin"] == MILK)
    assert {"change": "+", "property": "gs1:productName", "value": "Whole Milk, Hazelnut"} in milk[
        "facts"
    ]


def test_a_dry_run_says_when_the_guard_would_refuse(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _run(str(EXAMPLE_CATALOG), "-o", str(site)).exit_code == 0
    few = tmp_path / "few"
    few.mkdir()
    for path in sorted(EXAMPLE_CATALOG.glob("*.json"))[:2]:
        shutil.copy(path, few / path.name)
    result = _run(str(few), "-o", str(site), "--dry-run")
    assert result.exit_code == 0
    assert "the build would be refused: the build would remove" in result.output
    refused = _run(str(few), "-o", str(site))
    assert "--dry-run` lists every change" in refused.output


def test_a_dry_run_against_a_bucket_touches_nothing(
    s3_bucket: tuple[Any, str], tmp_path: Path
) -> None:
    fs, name = s3_bucket
    url = f"s3://{name}/site"
    assert _run(str(EXAMPLE_CATALOG), "-o", url).exit_code == 0
    before = tree_bytes(sync_down(fs, url, tmp_path / "before"))
    catalog, _ = _edited_catalog(tmp_path)
    result = _run(str(catalog), "-o", url, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"~ {MILK} Whole Milk, Hazelnut (changed)" in result.output
    assert tree_bytes(sync_down(fs, url, tmp_path / "after")) == before


def test_a_new_site_lists_every_product_as_added(tmp_path: Path) -> None:
    result = _run(str(EXAMPLE_CATALOG), "-o", str(tmp_path / "new"), "--dry-run")
    assert result.exit_code == 0
    count = len(list(EXAMPLE_CATALOG.glob("*.json")))
    assert result.output.splitlines()[-1].startswith(f"{count} added, 0 changed, 0 removed")
    assert not (tmp_path / "new").exists()
