"""``gs1ld convert`` on a Dask cluster writes what the in-process conversion writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.config import ExportConfig
from gs1ld.convert import ConvertReport, convert_catalog
from gs1ld.testing import synthetic_catalog
from gs1ld.validation import document_problems
from support import EXAMPLE_CATALOG

pytest.importorskip("distributed")

CONFIG = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))


def _catalog(tmp_path: Path) -> Path:
    """Examples, synthetic products, a broken line and a GTIN repeated far from its first entry."""
    examples = [json.loads(p.read_text("utf-8")) for p in sorted(EXAMPLE_CATALOG.glob("*.json"))]
    rows = examples + list(synthetic_catalog(600, seed=3))
    rows.insert(700, dict(examples[0], product={"name": "A later copy"}))
    lines = [json.dumps(row) for row in rows]
    lines.insert(300, "{not json")
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _failures(report: ConvertReport) -> list[tuple[str, str | None, list[str]]]:
    return [(r.location, r.gtin, [str(p) for p in r.problems]) for r in report.failed]


def test_a_cluster_conversion_is_byte_identical_and_reports_the_same(
    tmp_path: Path, dask_client: Any
) -> None:
    catalog = _catalog(tmp_path)
    local = convert_catalog(catalog, tmp_path / "local", config=CONFIG, validator=document_problems)
    spread = convert_catalog(
        catalog,
        tmp_path / "cluster",
        config=CONFIG,
        validator=document_problems,
        client=dask_client,
        part_bytes=40_000,  # many parts: the repeated GTIN lands in a later one
    )
    assert spread.written == local.written > 600
    assert _failures(spread) == _failures(local)
    assert any("duplicate GTIN" in " ".join(f[2]) for f in _failures(local))
    assert any(f[0].endswith(":301") for f in _failures(local))  # the broken line
    assert _files(tmp_path / "cluster") == _files(tmp_path / "local")


def test_the_cli_converts_on_a_running_scheduler(tmp_path: Path, dask_client: Any) -> None:
    catalog = _catalog(tmp_path)
    out = tmp_path / "out.jsonl"
    address = dask_client.scheduler.address
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(catalog),
            "-o",
            str(out),
            "--base-url",
            "https://id.brand.example",
            "--today",
            "2026-06-01",
            "--scheduler",
            address,
        ],
    )
    assert result.exit_code == 1, result.output  # the broken line and the duplicate
    local = tmp_path / "local.jsonl"
    convert_catalog(catalog, local, config=CONFIG, validator=document_problems)
    assert out.read_bytes() == local.read_bytes()
