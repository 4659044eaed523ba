"""The allergen corpus: every name declares what its regulation requires, and nothing else.

Rows are data (``tests/mapping/allergen_corpus/*.tsv``, described in its README), each
read as an ingredient name on its own in its language and English. A few rows are
known misses, listed with the reason; a row that starts to pass must leave the list.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gs1ld.mapping.allergens import declared_in
from gs1ld.mapping.tables import load_tables

CORPUS = Path(__file__).parent / "allergen_corpus"
KNOWN_MISSES: dict[tuple[str, str, str], str] = {}


def _rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(CORPUS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    return rows


ROWS = _rows()


def test_the_corpus_has_two_thousand_names_in_ten_languages() -> None:
    names = {(r["name"], r["language"]) for r in ROWS}
    assert len(names) >= 2000
    assert {r["language"] for r in ROWS} == {
        "da",
        "de",
        "en",
        "es",
        "fr",
        "it",
        "nl",
        "pl",
        "pt",
        "sv",
    }


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['language']}-{r['regulation']}-{r['name']}" for r in ROWS]
)
def test_corpus_row(row: dict[str, str]) -> None:
    languages = tuple(dict.fromkeys((row["language"], "en")))
    found = declared_in(row["name"], languages, row["regulation"], load_tables())
    expected = set() if row["expected"] == "-" else set(row["expected"].split())
    key = (row["name"], row["language"], row["regulation"])
    if key in KNOWN_MISSES:
        assert set(found) != expected, f"now passes; remove from KNOWN_MISSES: {key}"
        return
    assert set(found) == expected
    if expected:
        assert set(found.values()) == {row["level"]}
