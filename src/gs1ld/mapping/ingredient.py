"""Ingredients -> ``gs1:ingredient`` nodes, ``gs1:ingredientStatement`` and allergens.

Allergens come from ingredient flags: ``is_major_allergen`` -> ``gs1:hasAllergen``
with CONTAINS, ``may_contain`` -> MAY_CONTAIN, the allergen type found by name in
``allergens.csv``. A flagged ingredient no row matches is noted and kept in
``gs1:allergenStatement`` text. Non-food products have no GS1 ingredient terms:
their list goes to ``gs1ld:ingredientStatement``.
"""

from __future__ import annotations

import re
from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_float

__all__ = ["allergen_code", "contribute"]

_WORDS = re.compile(r"[a-z]+")


def allergen_code(name: str, table: dict[str, str]) -> str | None:
    """The AllergenTypeCode for an ingredient name: the longest table name in it, as words.

    >>> allergen_code("Roasted Peanut Butter", {"peanut": "AP", "peanut butter": "AP2"})
    'AP2'
    """
    words = _WORDS.findall(name.casefold())
    best: tuple[int, str] | None = None
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            code = table.get(" ".join(words[start : start + size]))
            if code is not None and (best is None or size > best[0]):
                best = (size, code)
        if best is not None:
            return best[1]
    return None


def _allergen(code: str, level: str, ctx: MappingContext) -> dict[str, Any]:
    return {
        "@type": "gs1:AllergenDetails",
        "gs1:allergenType": ref(f"gs1:AllergenTypeCode-{code}"),
        "gs1:allergenLevelOfContainmentCode": ref(f"gs1:LevelOfContainmentCode-{level}"),
    }


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Ingredient nodes in label order, the statement, and the allergens they declare."""
    rows = sorted(enumerate(entry.content.ingredients), key=lambda p: (p[1].priority, p[1].id))
    if not rows:
        return {}
    statement = ", ".join(row.name for _, row in rows)
    if not entry.is_food:
        return {"gs1ld:ingredientStatement": [ctx.text(statement)]}
    props: Properties = {"gs1:ingredientStatement": [ctx.text(statement)]}
    nodes = []
    unmatched = []
    for sequence, (index, row) in enumerate(rows, start=1):
        node: dict[str, Any] = {
            "@type": "gs1:FoodBeverageTobaccoIngredientDetails",
            "gs1:ingredientName": ctx.text(row.name),
            "gs1:ingredientSequence": sequence,
        }
        if row.percentage is not None:
            node["gs1:ingredientContentPercentage"] = xsd_float(row.percentage)
        if row.origin:
            node["gs1ld:ingredientOrigin"] = ctx.text(row.origin)
        nodes.append(node)
        if not (row.is_major_allergen or row.may_contain):
            continue
        level = "CONTAINS" if row.is_major_allergen else "MAY_CONTAIN"
        code = allergen_code(row.name, ctx.tables.allergens)
        if code is None:
            ctx.note(
                f"content.ingredients[{index}].name",
                f"allergen {row.name!r} matches no row of allergens.csv; kept in "
                "gs1:allergenStatement text",
            )
            unmatched.append(row.name if level == "CONTAINS" else f"may contain {row.name}")
            continue
        props.setdefault("gs1:hasAllergen", []).append(_allergen(code, level, ctx))
    props["gs1:ingredient"] = nodes
    if unmatched:
        props["gs1:allergenStatement"] = [ctx.text("Contains: " + ", ".join(unmatched))]
    return props
