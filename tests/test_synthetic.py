"""The synthetic catalog: deterministic, valid, varied."""

from __future__ import annotations

from pathlib import Path

from gs1ld.catalog import parse_entry, read_catalog
from gs1ld.testing import synthetic_catalog, write_jsonl


def test_same_seed_same_catalog_other_seed_other_catalog() -> None:
    assert list(synthetic_catalog(50, seed=4)) == list(synthetic_catalog(50, seed=4))
    assert list(synthetic_catalog(50, seed=4)) != list(synthetic_catalog(50, seed=5))


def test_every_entry_is_valid_even_strictly_and_gtins_are_unique() -> None:
    entries = [parse_entry(e, strict=True) for e in synthetic_catalog(500, seed=9)]
    assert len({e.gtin for e in entries}) == 500
    assert any(e.is_food for e in entries)
    assert any(not e.is_food for e in entries)
    assert any(
        e.content.nutrition_facts and e.content.nutrition_facts.label_format == "EU"
        for e in entries
    )
    assert any(e.content.certifications for e in entries)
    assert any(e.content.claims for e in entries)
    assert any(e.product and isinstance(e.product.name, dict) for e in entries)


def test_write_jsonl_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    assert write_jsonl(synthetic_catalog(20, seed=1), path) == 20
    assert sum(1 for o in read_catalog(path) if o.ok) == 20
