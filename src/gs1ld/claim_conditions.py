"""What a claim needs of the product's own data, and whether that data breaks it.

A nutrition or diet claim holds only under conditions the law sets: "low fat" is at most
3 g of fat per 100 g (Regulation (EC) No 1924/2006) or per serving (21 CFR 101.62), "no
added sugars" means no sugars or syrups among the ingredients, "vegan" no animal flesh or
gelatin. The conditions are data (``mappings/claim-conditions.csv``,
``claim-exclusions.csv``, ``ingredient-classes.csv``, ``claim-regulations.csv``) keyed by
the GS1 code value a claim states, so the mapping (a feed's panel and ingredient names)
and ``gs1ld validate`` (any GS1 JSON-LD's nutrient values) read the same rules.

A condition is broken only when the product's own figures show it; a figure that is
missing, or on a basis the row is not about, leaves the claim standing.

>>> rules = bundled_rules()
>>> panel = Panel({"gs1:fatPerNutrientBasis": (Amount(7, "GRM"),)}, "serving", False)
>>> [b.describe() for b in nutrient_breaches("gs1:NutritionalClaimTypeCode-LOW_FAT", panel,
...     rules, "US")]
['fat 7 g per serving; 21 CFR 101.62(b)(2): low fat allows at most 3 g per serving']
>>> [m.ingredient_class for m in class_matches("Rindfleisch, Meersalz", rules, "de")]
['animal flesh', 'salt']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from gs1ld._resources import data_dir
from gs1ld.errors import MappingError

__all__ = [
    "RULE_FILES",
    "Amount",
    "Breach",
    "ClaimRules",
    "ClassMatch",
    "Condition",
    "Exclusion",
    "Panel",
    "bundled_rules",
    "class_matches",
    "describe_condition",
    "missing_figure",
    "nutrient_breaches",
    "nutrient_label",
    "parse_rules",
    "unchecked_conditions",
]

RULE_FILES = (
    "claim-conditions.csv",
    "claim-exclusions.csv",
    "claim-regulations.csv",
    "ingredient-classes.csv",
)
"""The tables these rules are read from, in ``mappings/``."""

Basis = Literal["measure", "serving"]
_COMPARISONS = {"max": "at most", "below": "less than", "min": "at least"}
_VERBS = {"max": "allows", "below": "allows", "min": "requires"}
_BASES = frozenset({"100 g", "100 ml", "100 kcal", "energy", "serving"})
_TO_BASE = {"GRM": 1.0, "MGM": 1e-3, "MC": 1e-6, "KGM": 1e3, "E14": 1.0, "KJO": 1 / 4.184}
"""Factor to grams (mass) or kilocalories (energy); 1 kcal = 4.184 kJ (1169/2011 Annex XIV)."""
_KIND = {
    "GRM": "mass",
    "MGM": "mass",
    "MC": "mass",
    "KGM": "mass",
    "E14": "energy",
    "KJO": "energy",
}
_UNIT_TEXT = {"GRM": "g", "MGM": "mg", "MC": "µg", "E14": "kcal", "%": "% of energy"}
_ENERGY = "gs1:energyPerNutrientBasis"
_SODIUM = "gs1:sodiumPerNutrientBasis"
_SALT = "gs1:saltPerNutrientBasis"
_SALT_PER_SODIUM = 2.5
"""Salt = sodium x 2.5: Regulation (EU) No 1169/2011 Annex I point 11."""
_KCAL_PER_G = {
    "gs1:proteinPerNutrientBasis": 4.0,
    "gs1:carbohydratesPerNutrientBasis": 4.0,
    "gs1:sugarsPerNutrientBasis": 4.0,
    "gs1:fatPerNutrientBasis": 9.0,
    "gs1:saturatedFatPerNutrientBasis": 9.0,
    "gs1:transFatPerNutrientBasis": 9.0,
}
"""Energy conversion factors of Regulation (EU) No 1169/2011 Annex XIV (21 CFR 101.9(c)(1))."""
_COMPOUNDING = frozenset({"de", "nl", "sv", "da"})
_NEGATION = re.compile(
    r"(?:\b(?:sans|ohne|sin|senza|zonder|utan|uden|bez|sem|without|no added|no|free from)"
    r"\s+(?:\w+\s+)?$)",
    re.IGNORECASE,
)
_FREE_AFTER = re.compile(r"^[\w]*?(?:[- ]?(?:free|frei|fri|fritt|vrij|libre))\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Condition:
    """One row of ``claim-conditions.csv``: a nutrient limit a claim must meet."""

    claim: str
    regulation: str
    condition: str
    nutrient: str
    comparison: str
    threshold: float
    unit: str
    basis: str
    source: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One row of ``claim-exclusions.csv``: an ingredient class a claim rules out."""

    claim: str
    regulation: str
    ingredient_class: str
    source: str


@dataclass(frozen=True, slots=True)
class _Word:
    ingredient_class: str
    language: str
    whole: re.Pattern[str]
    """The word on its own (a plural -s/-es too)."""
    compound: re.Pattern[str]
    """The word inside a compound too, used for a compounding language's own words."""
    word: str

    key: str
    """A part every match contains, to skip the regular expression cheaply."""


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
    words: tuple[_Word, ...] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Amount:
    """A nutrient amount as the panel states it: value and UN/ECE Rec 20 unit code."""

    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Panel:
    """A product's nutrient amounts on one basis.

    Attributes:
        amounts: ``gs1:*PerNutrientBasis`` property CURIE -> the amounts stated for it.
        basis: ``measure`` (per 100 g, or 100 ml for a liquid) or ``serving``.
        liquid: True for per 100 ml; False or None (not known) reads a measure as per 100 g.
    """

    amounts: Mapping[str, Sequence[Amount]]
    basis: Basis
    liquid: bool | None


@dataclass(frozen=True, slots=True)
class Breach:
    """A condition the panel breaks, with the figure that breaks it (in the row's unit)."""

    claim: str
    condition: Condition
    measured: float

    def describe(self) -> str:
        """``fat 7 g per serving; 21 CFR 101.62(b)(2): low fat allows at most 3 g per serving``."""
        row = self.condition
        unit = _UNIT_TEXT.get(row.unit, row.unit)
        per = "" if row.basis == "energy" else f" per {row.basis}"
        if row.basis == "energy":
            unit = f"{'' if row.unit == '%' else ' '}{unit}"
            figure = f"{_number(self.measured, 1)}{unit}"
            limit = f"{_number(row.threshold)}{unit}"
        else:
            figure, limit = f"{_number(self.measured)} {unit}", f"{_number(row.threshold)} {unit}"
        return (
            f"{nutrient_label(row.nutrient)} {figure}{per}; {row.source} "
            f"{_VERBS[row.comparison]} {_COMPARISONS[row.comparison]} {limit}{per}"
        )


@dataclass(frozen=True, slots=True)
class ClassMatch:
    """An ingredient-class word found in a name."""

    ingredient_class: str
    word: str


def _number(value: float, digits: int = 3) -> str:
    return f"{round(value, digits):g}"


def nutrient_label(prop: str) -> str:
    """``gs1:saturatedFatPerNutrientBasis`` -> ``saturated fat``."""
    stem = prop.split(":", 1)[-1].removesuffix("PerNutrientBasis")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", stem).lower()


def _rows(text: str, source: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    number, header = lines[0]
    if tuple(next(csv.reader([header]))) != columns:
        raise MappingError(
            f"{source}:{number}: expected the header {','.join(columns)!r}, got {header!r}"
        )
    rows = []
    for number, line in lines[1:]:
        values = [v.strip() for v in next(csv.reader(io.StringIO(line)))]
        if len(values) != len(columns) or not all(values):
            raise MappingError(
                f"{source}:{number}: expected {len(columns)} non-empty values "
                f"({', '.join(columns)}), got {line!r}"
            )
        rows.append((number, dict(zip(columns, values, strict=True))))
    return rows


def _check(ok: bool, source: str, number: int, message: str) -> None:
    if not ok:
        raise MappingError(f"{source}:{number}: {message}")


def _condition(row: dict[str, str], source: str, number: int) -> Condition:
    _check(
        row["comparison"] in _COMPARISONS,
        source,
        number,
        f"comparison: expected one of 'below', 'max', 'min', got {row['comparison']!r}",
    )
    _check(
        row["basis"] in _BASES,
        source,
        number,
        f"basis: expected one of {', '.join(repr(b) for b in sorted(_BASES))}, "
        f"got {row['basis']!r}",
    )
    _check(
        row["unit"] in _TO_BASE or row["unit"] == "%",
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


def _word(row: dict[str, str]) -> _Word:
    word = row["word"].lower()
    language = row["language"].casefold()
    body = re.escape(word).replace(r"\ ", r"[\s-]+")
    letter = r"[^\W\d_]"
    whole = rf"(?<!{letter}){body}(?:s|es)?(?!{letter})"
    compound = whole
    if language in _COMPOUNDING and " " not in word:
        # a long word anywhere in a compound; a short one as its head or first part only
        short = rf"(?:(?<!{letter}){body}|{body}(?!{letter}))"
        compound = body if len(word) >= 5 else short
    return _Word(
        row["class"],
        language,
        re.compile(whole, re.IGNORECASE),
        re.compile(compound, re.IGNORECASE),
        word,
        re.split(r"[\s-]", word, maxsplit=1)[0],
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
        for number, row in _rows(text, source, columns):
            conditions.setdefault(row["claim"], []).append(_condition(row, source, number))
    exclusions: dict[str, list[Exclusion]] = {}
    for source, text in texts.get("claim-exclusions.csv", ()):
        for _, row in _rows(text, source, ("claim", "regulation", "class", "source")):
            exclusions.setdefault(row["claim"], []).append(
                Exclusion(row["claim"], row["regulation"].upper(), row["class"], row["source"])
            )
    regulations: dict[str, str] = {}
    for source, text in texts.get("claim-regulations.csv", ()):
        for _, row in _rows(text, source, ("key", "regulation")):
            regulations[row["key"].upper()] = row["regulation"].upper()
    words = [
        _word(row)
        for source, text in texts.get("ingredient-classes.csv", ())
        for _, row in _rows(text, source, ("class", "language", "word"))
    ]
    words.sort(key=lambda w: -len(w.word))  # false friends and phrases before their words
    return ClaimRules(
        {claim: tuple(rows) for claim, rows in conditions.items()},
        {claim: tuple(rows) for claim, rows in exclusions.items()},
        regulations,
        tuple(words),
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


def _amount(panel: Panel, prop: str, unit: str) -> float | None:
    """The panel's amount of ``prop`` in ``unit`` (sodium from salt too), or None."""
    kind = _KIND.get(unit)
    for amount in panel.amounts.get(prop, ()):
        if kind is not None and _KIND.get(amount.unit) == kind:
            return amount.value * _TO_BASE[amount.unit] / _TO_BASE[unit]
    if prop == _SODIUM:
        salt = _amount(panel, _SALT, unit)
        return None if salt is None else salt / _SALT_PER_SODIUM
    return None


def _measured(row: Condition, panel: Panel) -> float | None:
    """The figure the row compares, on the row's basis, or None when it cannot be known."""
    if row.basis in ("100 g", "100 ml"):
        if panel.basis != "measure" or (row.basis == "100 ml") != (panel.liquid is True):
            return None
        return _amount(panel, row.nutrient, row.unit)
    if row.basis == "serving":
        return _amount(panel, row.nutrient, row.unit) if panel.basis == "serving" else None
    energy = _amount(panel, _ENERGY, "E14")
    if not energy:
        return None
    if row.basis == "100 kcal":
        value = _amount(panel, row.nutrient, row.unit)
        return None if value is None else value / energy * 100
    factor = _KCAL_PER_G.get(row.nutrient)
    grams = _amount(panel, row.nutrient, "GRM")
    return None if factor is None or grams is None else grams * factor / energy * 100


def _holds(row: Condition, value: float) -> bool:
    if row.comparison == "max":
        return value <= row.threshold
    if row.comparison == "below":
        return value < row.threshold
    return value >= row.threshold


def _groups(claim: str, rules: ClaimRules, regulation: str) -> list[list[Condition]]:
    groups: dict[str, list[Condition]] = {}
    for row in rules.conditions.get(claim, ()):
        if row.regulation == regulation:
            groups.setdefault(row.condition, []).append(row)
    return list(groups.values())


def _applies(row: Condition, panel: Panel) -> bool:
    """Whether the row is about the panel's basis (per 100 g of a solid, per serving...)."""
    if row.basis in ("100 g", "100 ml"):
        return panel.basis == "measure" and (row.basis == "100 ml") == (panel.liquid is True)
    return row.basis != "serving" or panel.basis == "serving"


def nutrient_breaches(claim: str, panel: Panel, rules: ClaimRules, regulation: str) -> list[Breach]:
    """The conditions of ``claim`` under ``regulation`` that the panel's figures break.

    A condition with alternatives is broken only when every alternative is known and
    fails; the breach reported is its first alternative.
    """
    breaches = []
    for rows in _groups(claim, rules, regulation):
        figures = [_measured(row, panel) for row in rows]
        if all(f is not None and not _holds(r, f) for r, f in zip(rows, figures, strict=True)):
            first = figures[0]
            assert first is not None
            breaches.append(Breach(claim, rows[0], first))
    return breaches


def unchecked_conditions(
    claim: str, panel: Panel | None, rules: ClaimRules, regulation: str
) -> list[Condition]:
    """The conditions of ``claim`` about the panel's basis that its figures cannot decide.

    A condition none of whose rows is about the panel's basis (a liquid's limit on a
    solid) is not the product's and is left out; one the panel meets or breaks is
    decided. What is left needs a figure the panel does not give (no fat row, no
    energy for a share of energy), or, without a panel, every condition.
    """
    found = []
    for rows in _groups(claim, rules, regulation):
        if panel is None:
            found.append(rows[0])
            continue
        relevant = [row for row in rows if _applies(row, panel)]
        if not relevant:
            continue
        figures = [_measured(row, panel) for row in rows]
        holds = any(f is not None and _holds(r, f) for r, f in zip(rows, figures, strict=True))
        if not holds and any(f is None for f in figures):
            missing = [r for r, f in zip(rows, figures, strict=True) if f is None]
            found.append(next((r for r in missing if _applies(r, panel)), missing[0]))
    return found


def missing_figure(row: Condition, panel: Panel | None) -> str:
    """What the panel lacks to decide ``row``: ``a fat figure``, ``an energy figure``..."""
    if panel is None:
        return "a nutrition panel"
    if not _applies(row, panel):
        return f"figures per {row.basis}"
    unit = "GRM" if row.basis == "energy" else row.unit
    if _amount(panel, row.nutrient, unit) is None:
        return f"a {nutrient_label(row.nutrient)} figure"
    return "an energy figure"


def describe_condition(row: Condition) -> str:
    """``fat at most 3 g per 100 g (Reg. (EC) 1924/2006 Annex: low fat)``."""
    unit = _UNIT_TEXT.get(row.unit, row.unit)
    limit = (
        f"{_number(row.threshold)}{unit}" if row.unit == "%" else f"{_number(row.threshold)} {unit}"
    )
    per = "" if row.basis == "energy" else f" per {row.basis}"
    return (
        f"{nutrient_label(row.nutrient)} {_COMPARISONS[row.comparison]} {limit}{per} ({row.source})"
    )


def class_matches(name: str, rules: ClaimRules, language: str = "") -> list[ClassMatch]:
    """The ingredient classes an ingredient name names, in the order of the words found.

    Words of every language are read as whole words; the words of ``language`` (the
    product's), when it writes compounds, also inside compounds. False friends (class
    ``-``) are cut out of the name first; a word with a negation next to it
    ("sugar-free", "ohne Zucker") does not count.
    """
    text = name
    lowered = name.lower()
    language = language.casefold().split("-")[0]
    found: list[tuple[int, ClassMatch]] = []
    for word in rules.words:
        if word.key not in lowered:
            continue
        pattern = word.compound if word.language == language else word.whole
        for match in pattern.finditer(text):
            start, end = match.span()
            if word.ingredient_class != "-":
                if _NEGATION.search(text[:start]) or _FREE_AFTER.match(text[end:]):
                    continue
                found.append((start, ClassMatch(word.ingredient_class, word.word)))
            text = text[:start] + " " * (end - start) + text[end:]
    seen: set[str] = set()
    out = []
    for _, hit in sorted(found, key=lambda p: p[0]):
        if hit.ingredient_class not in seen:
            seen.add(hit.ingredient_class)
            out.append(hit)
    return out
