"""What a claim needs of the product's own data, and whether that data breaks it.

A nutrition or diet claim holds only under conditions the law sets: "low fat" is at most
3 g of fat per 100 g (Regulation (EC) No 1924/2006) or per serving (21 CFR 101.62), "no
added sugars" means no sugars or syrups among the ingredients (read by
:mod:`gs1ld.ingredient_classes`). The conditions are data (:mod:`gs1ld.claim_rules`)
keyed by the GS1 code value a claim states, so the mapping (a feed's panel) and
``gs1ld validate`` (any GS1 JSON-LD's nutrient values) judge them the same way, here.

A condition is broken only when the product's own figures show it; a figure that is
missing, or on a basis the row is not about, leaves the claim standing.

>>> from gs1ld.claim_rules import bundled_rules
>>> rules = bundled_rules()
>>> panel = Panel({"gs1:fatPerNutrientBasis": (Amount(7, "GRM"),)}, "serving", False)
>>> [b.describe() for b in nutrient_breaches("gs1:NutritionalClaimTypeCode-LOW_FAT", panel,
...     rules, "US")]
['fat 7 g per serving; 21 CFR 101.62(b)(2): low fat allows at most 3 g per serving']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = [
    "BASES",
    "COMPARISONS",
    "UNITS",
    "Amount",
    "Breach",
    "Condition",
    "ConditionTable",
    "Panel",
    "describe_condition",
    "missing_figure",
    "nutrient_breaches",
    "nutrient_label",
    "unchecked_conditions",
]

Basis = Literal["measure", "serving"]
COMPARISONS = {"max": "at most", "below": "less than", "min": "at least"}
"""The comparisons a condition row may make, and how a note words them."""
_VERBS = {"max": "allows", "below": "allows", "min": "requires"}
BASES = frozenset({"100 g", "100 ml", "100 kcal", "energy", "serving"})
"""The bases a condition row may be about."""
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
UNITS = frozenset({*_TO_BASE, "%"})
"""The units a condition row may state its threshold in (Rec 20 codes, or % of energy)."""
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


class ConditionTable(Protocol):
    """What the checks read of the claim tables (:class:`gs1ld.claim_rules.ClaimRules`):
    the nutrient conditions of each claim code."""

    @property
    def conditions(self) -> Mapping[str, tuple[Condition, ...]]: ...


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
            f"{_VERBS[row.comparison]} {COMPARISONS[row.comparison]} {limit}{per}"
        )


def _number(value: float, digits: int = 3) -> str:
    return f"{round(value, digits):g}"


def nutrient_label(prop: str) -> str:
    """``gs1:saturatedFatPerNutrientBasis`` -> ``saturated fat``."""
    stem = prop.split(":", 1)[-1].removesuffix("PerNutrientBasis")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", stem).lower()


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


def _groups(
    claim: str, rules: ConditionTable, regulation: str
) -> tuple[tuple[Condition, ...], ...]:
    """The conditions of ``claim`` under ``regulation``, each with its alternatives.

    Table work, the same for every product: done once per (claim, regulation) and table.
    """
    conditions = rules.conditions
    known = _GROUPS.get(id(conditions))
    if known is None or known[0] is not conditions:
        known = _GROUPS[id(conditions)] = (conditions, {})
    found = known[1].get((claim, regulation))
    if found is None:
        groups: dict[str, list[Condition]] = {}
        for row in conditions.get(claim, ()):
            if row.regulation == regulation:
                groups.setdefault(row.condition, []).append(row)
        found = known[1][(claim, regulation)] = tuple(tuple(rows) for rows in groups.values())
    return found


_GROUPS: dict[
    int,
    tuple[
        Mapping[str, tuple[Condition, ...]],
        dict[tuple[str, str], tuple[tuple[Condition, ...], ...]],
    ],
] = {}
"""id(conditions) -> (conditions, (claim, regulation) -> :func:`_groups`)."""


def _applies(row: Condition, panel: Panel) -> bool:
    """Whether the row is about the panel's basis (per 100 g of a solid, per serving...)."""
    if row.basis in ("100 g", "100 ml"):
        return panel.basis == "measure" and (row.basis == "100 ml") == (panel.liquid is True)
    return row.basis != "serving" or panel.basis == "serving"


def nutrient_breaches(
    claim: str, panel: Panel, rules: ConditionTable, regulation: str
) -> list[Breach]:
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
    claim: str, panel: Panel | None, rules: ConditionTable, regulation: str
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
        f"{nutrient_label(row.nutrient)} {COMPARISONS[row.comparison]} {limit}{per} ({row.source})"
    )
