"""The claim condition tables of ``mappings/``, read and checked once.

Four tables say what a claim needs of the product's own data
(:mod:`gs1ld.claim_conditions` judges it, :mod:`gs1ld.ingredient_classes` reads
ingredient names): ``claim-conditions.csv`` (nutrient limits per regulation),
``claim-exclusions.csv`` (ingredient classes a claim rules out),
``claim-regulations.csv`` (which regulation a label format or a document's basis
is read under) and ``ingredient-classes.csv`` (the words of each class). The mapping
reads them with a user's ``--mappings`` copies added (:mod:`gs1ld.mapping.tables`);
``gs1ld validate`` reads the bundled ones (:func:`bundled_rules`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from gs1ld._csv import csv_rows
from gs1ld._resources import data_dir
from gs1ld.claim_conditions import BASES, COMPARISONS, UNITS, Condition
from gs1ld.errors import MappingError
from gs1ld.ingredient_classes import ClassWords, class_word, class_words

__all__ = ["RULE_FILES", "ClaimRules", "Exclusion", "bundled_rules", "parse_rules"]

RULE_FILES = (
    "claim-conditions.csv",
    "claim-exclusions.csv",
    "claim-regulations.csv",
    "ingredient-classes.csv",
)
"""The tables these rules are read from, in ``mappings/``."""


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One row of ``claim-exclusions.csv``: an ingredient class a claim rules out."""

    claim: str
    regulation: str
    ingredient_class: str
    source: str


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """The four tables, keyed for lookup.

    Attributes:
        conditions: GS1 claim code CURIE -> its nutrient conditions.
        exclusions: GS1 claim code CURIE -> the ingredient classes it excludes.
        regulations: label_format (or BY_MEASURE / BY_SERVING) -> regulation key.
        words: the words of each ingredient class, and the false friends (class "-").
    """

    conditions: Mapping[str, tuple[Condition, ...]]
    exclusions: Mapping[str, tuple[Exclusion, ...]]
    regulations: Mapping[str, str]
    words: ClassWords = field(repr=False)


def _check(ok: bool, source: str, number: int, message: str) -> None:
    if not ok:
        raise MappingError(f"{source}:{number}: {message}")


def _condition(row: dict[str, str], source: str, number: int) -> Condition:
    _check(
        row["comparison"] in COMPARISONS,
        source,
        number,
        f"comparison: expected one of 'below', 'max', 'min', got {row['comparison']!r}",
    )
    _check(
        row["basis"] in BASES,
        source,
        number,
        f"basis: expected one of {', '.join(repr(b) for b in sorted(BASES))}, got {row['basis']!r}",
    )
    _check(
        row["unit"] in UNITS,
        source,
        number,
        f"unit: expected a mass or energy Rec 20 code (GRM, MGM, MC, E14, KJO) or %, "
        f"got {row['unit']!r}",
    )
    _check(
        (row["unit"] == "%") == (row["basis"] == "energy"),
        source,
        number,
        "unit % (a share of energy) goes with basis 'energy' and only with it",
    )
    try:
        threshold = float(row["threshold"])
    except ValueError:
        raise MappingError(
            f"{source}:{number}: threshold: expected a number, got {row['threshold']!r}"
        ) from None
    return Condition(
        row["claim"],
        row["regulation"].upper(),
        row["condition"],
        row["nutrient"],
        row["comparison"],
        threshold,
        row["unit"],
        row["basis"],
        row["source"],
    )


def parse_rules(texts: Mapping[str, Iterable[tuple[str, str]]]) -> ClaimRules:
    """The rules from each table's texts (bundled first, then a user's, whose rows add).

    Args:
        texts: table file name (:data:`RULE_FILES`) -> (source name, text) pairs.

    Raises:
        MappingError: a row is malformed (naming the file, the line and the rule).
    """
    conditions: dict[str, list[Condition]] = {}
    for source, text in texts.get("claim-conditions.csv", ()):
        columns = (
            "claim",
            "regulation",
            "condition",
            "nutrient",
            "comparison",
            "threshold",
            "unit",
            "basis",
            "source",
        )
        for number, row in csv_rows(text, source, columns):
            conditions.setdefault(row["claim"], []).append(_condition(row, source, number))
    exclusions: dict[str, list[Exclusion]] = {}
    for source, text in texts.get("claim-exclusions.csv", ()):
        for _, row in csv_rows(text, source, ("claim", "regulation", "class", "source")):
            exclusions.setdefault(row["claim"], []).append(
                Exclusion(row["claim"], row["regulation"].upper(), row["class"], row["source"])
            )
    regulations: dict[str, str] = {}
    for source, text in texts.get("claim-regulations.csv", ()):
        for _, row in csv_rows(text, source, ("key", "regulation")):
            regulations[row["key"].upper()] = row["regulation"].upper()
    words = class_words(
        class_word(row["class"], row["language"], row["word"])
        for source, text in texts.get("ingredient-classes.csv", ())
        for _, row in csv_rows(text, source, ("class", "language", "word"))
    )
    return ClaimRules(
        {claim: tuple(rows) for claim, rows in conditions.items()},
        {claim: tuple(rows) for claim, rows in exclusions.items()},
        regulations,
        words,
    )


@cache
def bundled_rules() -> ClaimRules:
    """The rules of the bundled tables (``gs1ld validate`` reads these)."""
    folder = data_dir("mappings")
    return parse_rules(
        {
            name: [(f"mappings/{name}", folder.joinpath(name).read_text(encoding="utf-8"))]
            for name in RULE_FILES
        }
    )
