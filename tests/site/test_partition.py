"""The engine-neutral partition function on Arrow record batches, as Spark passes them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.publish import ManifestEntry
from gs1ld.site.engines.arrow import SUMMARY_COLUMNS, stage_arrow_batches
from gs1ld.site.folder import staged_folder
from support import EXAMPLE_CATALOG

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)), validate=False
)


def test_arrow_batches_in_summary_rows_out(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    files = sorted(EXAMPLE_CATALOG.glob("*.json"))
    records = [
        {"position": n, "location": f.name, "entry": f.read_text("utf-8")}
        for n, f in enumerate(files)
    ]
    records.append({"position": len(files), "location": "dup", "entry": records[0]["entry"]})
    records.append({"position": len(files) + 1, "location": "bad", "entry": "{"})
    batches = [pa.RecordBatch.from_pylist(records[:5]), pa.RecordBatch.from_pylist(records[5:])]
    staging = tmp_path / "staging"
    (out,) = stage_arrow_batches(
        batches, site=tmp_path / "none", staging=staging, config=CONFIG, version="t"
    )
    assert out.schema.names == [name for name, _ in SUMMARY_COLUMNS]
    rows = out.to_pylist()
    assert [r["status"] for r in rows] == ["built"] * len(files) + ["duplicate", "invalid"]
    assert [r["position"] for r in rows] == list(range(len(files) + 2))
    first = ManifestEntry.from_row(orjson.loads(rows[0]["entry"]))
    assert first.lastmod == "2026-06-01"
    # staged as its version, named by its input hash, ready to be published
    assert (staging / staged_folder(first.gtin, first.digest) / "index.html").is_file()
    assert orjson.loads(rows[-1]["problems"])[0][1].startswith("invalid JSON")
