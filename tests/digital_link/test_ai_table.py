"""The committed AI table is exactly what the generator makes from the syntax dictionary."""

from __future__ import annotations

import json
from pathlib import Path

from gs1ld.digital_link import PRIMARY_KEYS, lookup
from support import PROJECT_ROOT, regenerate, require_shared

TABLE = PROJECT_ROOT / "src" / "gs1ld" / "digital_link" / "_aitable.py"


def test_regenerated_table_matches_committed(tmp_path: Path) -> None:
    source = require_shared("digital-link/gs1-syntax-dictionary.txt")
    produced = regenerate("gen_ai_table.py", source, tmp_path / "_aitable.py")
    assert produced == TABLE.read_bytes()


def test_primary_keys_and_qualifiers_match_the_derived_list() -> None:
    derived = json.loads(
        require_shared("digital-link/dl-primary-keys-and-qualifiers.json").read_text("utf-8")
    )
    expected = {
        row["ai"]: tuple(tuple(chain) for chain in row["qualifier_sequences"])
        for row in derived["primary_keys"]
    }
    assert {ai: entry.dl_qualifiers for ai, entry in PRIMARY_KEYS.items()} == expected


def test_a_few_entries_read_as_the_dictionary_says() -> None:
    gtin = lookup("01")
    assert gtin is not None
    assert (gtin.title, gtin.fnc1, gtin.dl_attribute) == ("GTIN", False, True)
    assert (gtin.min_length, gtin.max_length) == (14, 14)
    gdti = lookup("253")
    assert gdti is not None
    assert (gdti.fnc1, gdti.min_length, gdti.max_length) == (True, 13, 30)
    assert lookup("3105") is not None
    assert lookup("3106") is None
    serial = lookup("21")
    assert serial is not None
    assert not serial.dl_attribute
