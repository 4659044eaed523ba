"""The in-process build's shuffle: every GTIN's entries side by side, however the sort spills."""

from __future__ import annotations

import itertools
import os
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import orjson
import pytest

from gs1ld.catalog import RawEntry
from gs1ld.config import ExportConfig, SiteConfig
from gs1ld.publish import Manifest
from gs1ld.site import shuffle as shuffle_module
from gs1ld.site.build import build_site
from gs1ld.site.shuffle import SortedEntry, gtin_runs
from gs1ld.testing import synthetic_catalog

CONFIG = SiteConfig(
    ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)), validate=False
)


def _record(gtin: str, position: int) -> SortedEntry:
    return (gtin and f"k{gtin}", gtin, position, RawEntry(f"c:{position}", error=None))


@pytest.mark.parametrize("size", [1, 3, 16])
def test_runs_keep_order_and_never_cut_a_gtin_apart(size: int) -> None:
    rng = random.Random(size)
    gtins = sorted(rng.choice(["", "1", "2", "3", "4", "5"]) for _ in range(60))
    records = [_record(gtin, n) for n, gtin in enumerate(gtins)]
    runs = list(gtin_runs(iter(records), size))
    assert [r for run in runs for r in run] == records
    for before, after in itertools.pairwise(runs):
        assert len(before) >= size  # only the last run may be short
        assert not after[0][1] or after[0][1] != before[-1][1]


def _catalog(tmp_path: Path) -> tuple[Path, list[str]]:
    """Synthetic products in four shards; the last shard repeats (changed) a product of
    each earlier shard, and holds one line that is not JSON."""
    entries = list(synthetic_catalog(400, seed=5))
    folder = tmp_path / "catalog"
    folder.mkdir()
    repeated = [entries[n]["gtin"] for n in (3, 150, 299)]
    for shard in range(4):
        lines = [orjson.dumps(e) for e in entries[shard * 100 : (shard + 1) * 100]]
        if shard == 3:
            for n in (3, 150, 299):
                lines.append(orjson.dumps({**entries[n], "gtin": entries[n]["gtin"]} | {"x": 1}))
            lines.append(b"{not json")
        (folder / f"part-{shard}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return folder, repeated


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(Path(folder, name).relative_to(root)): Path(folder, name).read_bytes()
        for folder, _, names in os.walk(root, followlinks=True)  # products are behind links
        for name in names
    }


def test_a_build_whose_shuffle_spills_many_runs_gives_the_same_site_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog, repeated = _catalog(tmp_path)
    whole = build_site(catalog, tmp_path / "whole", config=replace(CONFIG, workers=1))
    monkeypatch.setattr(shuffle_module, "_RUN_SIZE", 37)  # 11 runs, merged
    spilled = build_site(catalog, tmp_path / "spilled", config=replace(CONFIG, workers=2))
    assert _tree(tmp_path / "spilled") == _tree(tmp_path / "whole")
    assert spilled == whole
    assert whole.built == 400
    duplicates = [p for p in whole.invalid if p.problems[0].rule.startswith("duplicate")]
    assert [(Path(p.location).name, p.gtin) for p in duplicates] == [
        (f"part-3.jsonl:{101 + n}", gtin.zfill(14)) for n, gtin in enumerate(repeated)
    ]
    assert Path(whole.invalid[-1].location).name == "part-3.jsonl:104"  # reported in catalog order
    assert Manifest.read(tmp_path / "whole").count == 400
    assert not list(tmp_path.glob(".*rows-*"))  # the shuffle's files are gone
