"""Claims -> code values on the product (GS1 has no claim class) plus gs1ld:Claim records.

Only claims in effect on the reference day are exported; the others are noted.
Each claim also becomes a ``gs1ld:Claim`` node keeping what GS1 cannot say
(label, code, category, who asserts it, validity), so nothing is lost. Codes no
table row knows fall back to ``gs1:nutritionalClaimStatement`` text, noted.

A claim the product's own data contradicts is not published at all (none of its
values and no record), and a note says why with the figures:

* an allergen its ingredients contain (gluten-free beside wheat flour, dairy-free
  beside butter; ``claim-conflicts.csv`` and the free-from rows of ``claims.csv``);
* a nutrient condition of its GS1 code its own panel breaks (low fat with 7 g of fat
  per serving; ``claim-conditions.csv`` under the regulation ``claim-regulations.csv``
  gives the panel's label_format);
* an ingredient class its GS1 code excludes (vegan beside gelatine, no added sugars
  beside glucose syrup; ``claim-exclusions.csv``, ``ingredient-classes.csv``).

A condition the data cannot check (a nutrient the panel does not give) leaves the
claim standing. Claim labels are catalogue text in the feed's language, unless plainly
in another (see :meth:`MappingContext.label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.claim_conditions import (
    Panel,
    describe_condition,
    missing_figure,
    nutrient_breaches,
    unchecked_conditions,
)
from gs1ld.claim_rules import Exclusion
from gs1ld.feed import ContentClaimOut
from gs1ld.ingredient_classes import ClassMatch, ClassWords, class_matches
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_date
from gs1ld.mapping._domains import FOOD_ONLY
from gs1ld.mapping.allergens import IngredientAllergen, ingredient_allergens
from gs1ld.mapping.nutrition import claim_panel
from gs1ld.mapping.tables import ClaimConflict, ClaimTarget, Tables

__all__ = ["claim_conflicts", "condition_breach", "contradiction", "contribute", "unchecked"]

_CLASSES: dict[int, tuple[ClassWords, dict[tuple[str, str], tuple[ClassMatch, ...]]]] = {}
"""id(class words) -> (the words, (ingredient name, language) -> its classes): catalogs
repeat names, so each is read once per table."""
_MEMO_LIMIT = 100_000
_BOTH_LEVELS = frozenset({"CONTAINS", "MAY_CONTAIN"})


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a claim code means under one set of tables, whatever the product.

    Attributes:
        targets: its rows of claims.csv.
        conflicts: the allergens that contradict it (:func:`claim_conflicts`).
        values: its GS1 code values that have nutrient conditions or ingredient
            exclusions (none: nothing of the product's data can break it).
        conditioned: those of its values that have nutrient conditions.
        non_food: its targets a non-food product may carry.
        food_only: the values of the others, sorted (noted for a non-food product).
    """

    targets: tuple[ClaimTarget, ...]
    conflicts: tuple[ClaimConflict, ...]
    values: tuple[str, ...]
    conditioned: tuple[str, ...]
    non_food: tuple[ClaimTarget, ...]
    food_only: tuple[str, ...]


_PLANS: dict[int, tuple[Tables, dict[str, _Plan]]] = {}
"""id(tables) -> (tables, claim code as the feed spells it -> its :class:`_Plan`)."""


def _plan(code: str, tables: Tables) -> _Plan:
    """The :class:`_Plan` of ``code``, worked out once per code and set of tables."""
    known = _PLANS.get(id(tables))
    if known is None or known[0] is not tables:
        known = _PLANS[id(tables)] = (tables, {})
    plan = known[1].get(code)
    if plan is None:
        rules = tables.claim_rules
        targets = tables.claims.get(code.upper(), ())
        values = tuple(t.value for t in targets)
        non_food = tuple(t for t in targets if t.target not in FOOD_ONLY)
        if len(known[1]) > _MEMO_LIMIT:
            known[1].clear()
        plan = known[1][code] = _Plan(
            targets,
            claim_conflicts(code, tables),
            values if any(v in rules.conditions or v in rules.exclusions for v in values) else (),
            tuple(v for v in values if v in rules.conditions),
            non_food,
            tuple(sorted({t.value for t in targets if t not in non_food})),
        )
    return plan


def claim_conflicts(code: str, tables: Tables) -> tuple[ClaimConflict, ...]:
    """The allergens that contradict claim ``code``: its free-from rows and claim-conflicts.csv."""
    code = code.upper()
    free_from = tuple(
        ClaimConflict(target.value.rsplit("-", 1)[-1], _BOTH_LEVELS)
        for target in tables.claims.get(code, ())
        if target.target == "gs1:hasAllergen"
    )
    return free_from + tables.claim_conflicts.get(code, ())


def contradiction(
    code: str, found: tuple[IngredientAllergen, ...], tables: Tables
) -> tuple[IngredientAllergen, str] | None:
    """The first ingredient allergen that contradicts claim ``code``, and the code it hits."""
    if not found:
        return None
    return _contradiction(_plan(code, tables).conflicts, found)


def _contradiction(
    conflicts: tuple[ClaimConflict, ...], found: tuple[IngredientAllergen, ...]
) -> tuple[IngredientAllergen, str] | None:
    for allergen in found:
        for conflict in conflicts:
            if conflict.allergen in allergen.codes and allergen.level in conflict.levels:
                return allergen, conflict.allergen
    return None


def _regulation(entry: CatalogEntry, ctx: MappingContext) -> str | None:
    panel = entry.content.nutrition_facts
    if panel is None:
        return None
    return ctx.tables.claim_rules.regulations.get(panel.label_format.strip().upper())


def condition_breach(
    claim: ContentClaimOut, entry: CatalogEntry, ctx: MappingContext
) -> str | None:
    """Why the product's own panel or ingredients break ``claim``'s conditions, or None.

    The GS1 code values ``claims.csv`` gives the claim are looked up in the claim
    condition tables; the first broken condition is described with its figures.
    """
    plan = _plan(claim.code, ctx.tables)
    return _breach(plan, entry, ctx) if plan.values else None


def _breach(plan: _Plan, entry: CatalogEntry, ctx: MappingContext) -> str | None:
    """:func:`condition_breach` of a claim of ``plan``."""
    rules = ctx.tables.claim_rules
    regulation = _regulation(entry, ctx)
    # the panel is read (once per entry) only for values with nutrient conditions
    panel = _panel(entry, ctx) if plan.conditioned and regulation is not None else None
    if panel is not None and regulation is not None:
        for value in plan.conditioned:  # the others have no condition a panel can break
            for breach in nutrient_breaches(value, panel, rules, regulation):
                return (
                    f"the product's nutrition panel breaks {value}: {breach.describe()} "
                    "(claim-conditions.csv)"
                )
    for value in plan.values:
        excluded = _excluded(value, regulation, ctx.tables)
        if not excluded:
            continue
        for index, name, found in _ingredient_classes(entry, ctx):
            row = excluded.get(found.ingredient_class)
            if row is not None:
                return (
                    f"ingredient {name!r} (content.ingredients[{index}]) is "
                    f"{found.ingredient_class} ({found.word!r}), which {value} excludes: "
                    f"{row.source} (claim-exclusions.csv)"
                )
    return None


def _excluded(value: str, regulation: str | None, tables: Tables) -> dict[str, Exclusion]:
    """Ingredient class -> the row of claim-exclusions.csv by which ``value`` excludes it under
    ``regulation`` (read-only: shared), worked out once per value, regulation and tables."""
    known = _EXCLUDED.get(id(tables))
    if known is None or known[0] is not tables:
        known = _EXCLUDED[id(tables)] = (tables, {})
    excluded = known[1].get((value, regulation))
    if excluded is None:
        excluded = known[1][(value, regulation)] = {
            e.ingredient_class: e
            for e in tables.claim_rules.exclusions.get(value, ())
            if e.regulation in ("*", regulation)
        }
    return excluded


_EXCLUDED: dict[int, tuple[Tables, dict[tuple[str, str | None], dict[str, Exclusion]]]] = {}


def unchecked(claim: ContentClaimOut, entry: CatalogEntry, ctx: MappingContext) -> str | None:
    """What of ``claim``'s nutrient conditions the product's data cannot decide, or None.

    Such a claim is kept (nothing shows it false); the note tells a reviewer which
    figure would settle it.
    """
    values = _plan(claim.code, ctx.tables).conditioned
    return _unchecked(values, entry, ctx) if values else None


def _unchecked(values: tuple[str, ...], entry: CatalogEntry, ctx: MappingContext) -> str | None:
    """:func:`unchecked` of a claim whose values with nutrient conditions are ``values``."""
    rules = ctx.tables.claim_rules
    panel_row = entry.content.nutrition_facts
    if panel_row is None:
        return "there is no nutrition panel to check its nutrient conditions against"
    regulation = _regulation(entry, ctx)
    if regulation is None:
        return (
            f"label_format {panel_row.label_format!r} names no regulation whose claim "
            "conditions are tabled (claim-regulations.csv)"
        )
    panel = _panel(entry, ctx)
    missing = [
        row for value in values for row in unchecked_conditions(value, panel, rules, regulation)
    ]
    if not missing:
        return None
    return "; ".join(
        f"{describe_condition(row)} needs {missing_figure(row, panel)}, which the panel "
        "does not give"
        for row in missing
    )


def _panel(entry: CatalogEntry, ctx: MappingContext) -> Panel | None:
    """The panel as the claim conditions read it, once per entry."""
    if "claim_panel" not in ctx.memo:
        ctx.memo["claim_panel"] = claim_panel(entry, ctx)
    panel = ctx.memo["claim_panel"]
    return panel if isinstance(panel, Panel) else None


def _ingredient_classes(
    entry: CatalogEntry, ctx: MappingContext
) -> tuple[tuple[int, str, ClassMatch], ...]:
    """(row index, name, class found) for every recipe ingredient, once per entry.

    ``may_contain`` rows are left out: a trace from cross-contact is not an
    ingredient of the recipe.
    """
    cached = ctx.memo.get("ingredient_classes")
    if isinstance(cached, tuple):
        return cached
    language = (entry.product.language if entry.product is not None else "") or ""
    words = ctx.tables.claim_rules.words
    known = _CLASSES.get(id(words))
    if known is None or known[0] is not words:
        known = _CLASSES[id(words)] = (words, {})
    memo = known[1]
    found_list: list[tuple[int, str, ClassMatch]] = []
    for index, ingredient in enumerate(entry.content.ingredients):
        if ingredient.may_contain:
            continue
        key = (ingredient.name, language)
        matches = memo.get(key)
        if matches is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            matches = memo[key] = tuple(class_matches(ingredient.name, words, language))
        found_list.extend((index, ingredient.name, match) for match in matches)
    found = tuple(found_list)
    ctx.memo["ingredient_classes"] = found
    return found


def _label_order(indexed: tuple[int, ContentClaimOut]) -> tuple[str, str]:
    return indexed[1].label, indexed[1].id


def _record(claim: ContentClaimOut, ctx: MappingContext) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "gs1ld:Claim",
        "schema:name": ctx.label(claim.label),
        "gs1ld:claimCode": claim.code,
    }
    if (category := claim.category) is not None:
        node["gs1ld:claimCategory"] = str(category)  # StrEnum: its value
    if (source := claim.source) is not None:
        node["gs1ld:claimSource"] = str(source)
    if (valid_from := claim.valid_from) is not None:
        node["gs1ld:validFrom"] = xsd_date(valid_from)
    if (expiration := claim.expiration_date) is not None:
        node["gs1ld:validThrough"] = xsd_date(expiration)
    return node


def _value(target: str, value: str, ctx: MappingContext) -> Any:
    if target == "gs1:hasAllergen":
        return {
            "@type": "gs1:AllergenDetails",
            "gs1:allergenType": ref(value),
            "gs1:allergenLevelOfContainmentCode": ref("gs1:LevelOfContainmentCode-FREE_FROM"),
        }
    if target == "gs1:dietCode":
        return {"@type": "gs1:DietTypeCodeDetails", "gs1:dietType": ref(value)}
    return ref(value)


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Code values and records of the claims in effect on the reference day."""
    claims = entry.content.claims
    if not claims:
        return {}
    props: Properties = {}
    food = entry.is_food
    tables = ctx.tables
    today = ctx.today
    found = ingredient_allergens(entry, ctx) if food else ()
    indexed = sorted(enumerate(claims), key=_label_order) if len(claims) > 1 else enumerate(claims)
    for index, claim in indexed:
        path = f"content.claims[{index}]"
        if not claim.active_on(today):
            ctx.note(
                path,
                f"claim {claim.code!r} is not in effect on {today.isoformat()}; not exported",
            )
            continue
        plan = _plan(claim.code, tables)
        if food:
            clash = _contradiction(plan.conflicts, found) if found else None
            if clash is not None:
                allergen, code = clash
                label = ctx.tables.allergen_labels.get((code, "en"), code)
                ctx.note(
                    path,
                    f"claim {claim.label!r} ({claim.code}) contradicts ingredient "
                    f"{allergen.ingredient!r}, which "
                    f"{'contains' if allergen.level == 'CONTAINS' else 'may contain'} {label} "
                    f"(AllergenTypeCode-{code}); the claim is not exported",
                )
                continue
            broken = _breach(plan, entry, ctx) if plan.values else None
            if broken is not None:
                ctx.note(
                    path,
                    f"claim {claim.label!r} ({claim.code}) is contradicted: {broken}; "
                    "the claim is not exported",
                )
                continue
            open_question = _unchecked(plan.conditioned, entry, ctx) if plan.conditioned else None
            if open_question is not None:
                ctx.note(
                    path,
                    f"claim {claim.label!r} ({claim.code}) is not checked: {open_question}; "
                    "the claim is kept",
                )
        props.setdefault("gs1ld:claim", []).append(_record(claim, ctx))
        ctx.claims.append(claim.id)
        targets = plan.targets
        usable = targets if food else plan.non_food
        if not targets:
            ctx.note(
                path,
                f"claim code {claim.code!r} has no row in claims.csv; exported as "
                "text" + ("" if food else " in gs1ld:Claim only (not a food product)"),
            )
            if food:
                props.setdefault("gs1:nutritionalClaimStatement", []).append(ctx.label(claim.label))
        elif not usable:
            ctx.note(
                path,
                f"claim {claim.code!r} maps only to food terms and this product is "
                "not food; kept in gs1ld:Claim only",
            )
        elif len(usable) < len(targets):
            ctx.note(
                path,
                f"claim {claim.code!r}: {', '.join(plan.food_only)} not exported: food-only "
                "terms, and this product is not food",
            )
        for target in usable:
            props.setdefault(target.target, []).append(_value(target.target, target.value, ctx))
    return props
