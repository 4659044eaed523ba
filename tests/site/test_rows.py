"""The build's summary rows come back in any order through an external merge sort."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gs1ld.publish import ManifestEntry
from gs1ld.site import rows as rows_module
from gs1ld.site.rows import RowStore


@pytest.mark.parametrize("fan_in", [3, 256])
def test_rows_sort_across_runs_and_merge_passes_leaving_no_run_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fan_in: int
) -> None:
    monkeypatch.setattr(rows_module, "FAN_IN", fan_in)
    rng = random.Random(4)
    entries = [ManifestEntry(f"{n:014d}", "h", f"{rng.random():.6f}", "") for n in range(205)]
    store = RowStore(tmp_path / "rows", run_size=10)  # 21 runs: two merge passes at fan-in 3
    for entry in entries:
        store.add(entry)
    assert list(store.sorted(lambda e: e.name)) == sorted(entries, key=lambda e: e.name)
    assert list(store.sorted(lambda e: e.gtin)) == entries
    assert [p.name for p in (tmp_path / "rows").iterdir()] == ["rows.bin"]
