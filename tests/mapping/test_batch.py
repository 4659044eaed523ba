"""mapping_batch: tables loaded, the collector set for a batch, and put back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gs1ld.config import ExportConfig
from gs1ld.errors import MappingError
from gs1ld.mapping import mapping_batch
from gs1ld.mapping.batch import YOUNG_THRESHOLD


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_inside_the_block_the_loaded_heap_is_frozen_and_young_collections_are_rarer() -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    with mapping_batch(ExportConfig(today=date(2026, 6, 1))):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (max(before[0], YOUNG_THRESHOLD), *before[1:])
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_a_heap_frozen_before_stays_frozen_after_the_block() -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with mapping_batch(ExportConfig(today=date(2026, 6, 1))):
        pass
    assert gc.get_freeze_count() >= frozen > 0


def test_cycles_made_inside_the_block_are_still_collected() -> None:
    gc.unfreeze()
    with mapping_batch(ExportConfig(today=date(2026, 6, 1))):
        node: list[object] = []
        node.append(node)
        del node
        assert gc.collect() >= 1


def test_unusable_tables_fail_before_the_block_changes_the_collector(tmp_path: Path) -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    (tmp_path / "units.csv").write_text("unit,code\nkg\n", encoding="utf-8")
    with (
        pytest.raises(MappingError),
        mapping_batch(ExportConfig(today=date(2026, 6, 1), mappings_dir=str(tmp_path))),
    ):
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
