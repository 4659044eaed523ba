"""Claims -> code values on the product (GS1 has no claim class) plus gs1ld:Claim records.

Only claims in effect on the reference day are exported; the others are noted.
Each claim also becomes a ``gs1ld:Claim`` node keeping what GS1 cannot say
(label, code, category, who asserts it, validity), so nothing is lost. Codes no
table row knows fall back to ``gs1:nutritionalClaimStatement`` text, noted.

A claim the product's own ingredients contradict (gluten-free beside wheat flour,
vegan beside butter; ``claim-conflicts.csv`` and the free-from rows of
``claims.csv``) is not published at all: none of its values and no record, and a
note names the claim and the ingredient. Claim labels are API catalogue text, so
they carry the feed's language.
"""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import ContentClaimOut
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_date
from gs1ld.mapping._domains import FOOD_ONLY
from gs1ld.mapping.allergens import IngredientAllergen, ingredient_allergens
from gs1ld.mapping.tables import ClaimConflict, Tables

__all__ = ["claim_conflicts", "contradiction", "contribute"]

_BOTH_LEVELS = frozenset({"CONTAINS", "MAY_CONTAIN"})


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
    conflicts = claim_conflicts(code, tables)
    for allergen in found:
        for conflict in conflicts:
            if conflict.allergen in allergen.codes and allergen.level in conflict.levels:
                return allergen, conflict.allergen
    return None


def _record(claim: ContentClaimOut, ctx: MappingContext) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "gs1ld:Claim",
        "schema:name": ctx.feed_text(claim.label),
        "gs1ld:claimCode": claim.code,
    }
    if claim.category is not None:
        node["gs1ld:claimCategory"] = claim.category.value
    if claim.source is not None:
        node["gs1ld:claimSource"] = claim.source.value
    if claim.valid_from is not None:
        node["gs1ld:validFrom"] = xsd_date(claim.valid_from)
    if claim.expiration_date is not None:
        node["gs1ld:validThrough"] = xsd_date(claim.expiration_date)
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
    props: Properties = {}
    food = entry.is_food
    indexed = sorted(enumerate(entry.content.claims), key=lambda p: (p[1].label, p[1].id))
    for index, claim in indexed:
        path = f"content.claims[{index}]"
        if not claim.active_on(ctx.today):
            ctx.note(
                path,
                f"claim {claim.code!r} is not in effect on {ctx.today.isoformat()}; not exported",
            )
            continue
        if food:
            clash = contradiction(claim.code, ingredient_allergens(entry, ctx), ctx.tables)
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
        props.setdefault("gs1ld:claim", []).append(_record(claim, ctx))
        ctx.claims.append(claim.id)
        targets = ctx.tables.claims.get(claim.code.upper(), ())
        usable = [t for t in targets if food or t.target not in FOOD_ONLY]
        if not targets:
            ctx.note(
                path,
                f"claim code {claim.code!r} has no row in claims.csv; exported as "
                "text" + ("" if food else " in gs1ld:Claim only (not a food product)"),
            )
            if food:
                props.setdefault("gs1:nutritionalClaimStatement", []).append(
                    ctx.feed_text(claim.label)
                )
        elif not usable:
            ctx.note(
                path,
                f"claim {claim.code!r} maps only to food terms and this product is "
                "not food; kept in gs1ld:Claim only",
            )
        elif len(usable) < len(targets):
            left = sorted({t.value for t in targets if t not in usable})
            ctx.note(
                path,
                f"claim {claim.code!r}: {', '.join(left)} not exported: food-only terms, and "
                "this product is not food",
            )
        for target in usable:
            props.setdefault(target.target, []).append(_value(target.target, target.value, ctx))
    return props
