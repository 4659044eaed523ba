"""``gs1ld validate --scheduler``: the same findings, in the same order, as in this process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gs1ld.catalog import read_catalog
from gs1ld.cli import cli
from gs1ld.config import ExportConfig
from gs1ld.publish import to_jsonld
from gs1ld.validation import validate_stream
from support import EXAMPLE_CATALOG

pytest.importorskip("distributed")


def _documents() -> list[dict[str, Any]]:
    config = ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1))
    documents = [
        to_jsonld(o.entry, config=config) for o in read_catalog(EXAMPLE_CATALOG) if o.entry
    ]
    documents[3]["gs1:netContent"] = {"@value": "lots"}  # planted: not a QuantitativeValue
    documents[7]["@type"] = "gs1:Nonsense"  # planted: no such class
    return documents * 20  # enough batches to spread over the workers


def test_the_library_takes_a_dask_client(dask_client: Any) -> None:
    pairs = [(f"doc{i}", d) for i, d in enumerate(_documents())]
    local = list(validate_stream(pairs, jobs=1))
    spread = list(validate_stream(pairs, batch_size=7, executor=dask_client))
    assert spread == local
    assert sum(not r.conforms for r in local) == 40


def test_the_cli_validates_on_a_running_scheduler(tmp_path: Path, dask_client: Any) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in _documents()) + "\n", encoding="utf-8")
    runner = CliRunner()
    local = runner.invoke(cli, ["validate", str(path), "--jobs", "1"])
    spread = runner.invoke(
        cli, ["validate", str(path), "--scheduler", dask_client.scheduler.address]
    )
    assert (spread.exit_code, local.exit_code) == (1, 1)
    assert spread.output == local.output
    valid = len(_documents()) - 40  # two planted defects in each of 20 copies
    assert spread.output.endswith(f"{valid} valid, 40 invalid, 0 warnings\n")
