"""Ingredients -> ``gs1:ingredient`` nodes, ``gs1:ingredientStatement`` and allergens.

Allergens come from the ingredient names (:mod:`gs1ld.mapping.allergens`): every
allergen a name declares gives its own ``gs1:AllergenDetails`` (CONTAINS, or
MAY_CONTAIN for a ``may_contain`` row), with the umbrella code beside the specific
one. ``gs1:allergenStatement`` is the whole statement a shopper reads ("Contains:
wheat, milk, egg. May contain: tree nuts."), and ``gs1:allergenSpecificationAgency``
/ ``gs1:allergenSpecificationName`` name the regulation the codes are read against
(``allergen-regulations.csv``). Non-food products have no GS1 ingredient terms:
their list goes to ``gs1ld:ingredientStatement`` and what is left out is noted.
"""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties, ref, xsd_float
from gs1ld.mapping.allergens import IngredientAllergen, ingredient_allergens
from gs1ld.mapping.tables import Regulation

__all__ = ["allergen_node", "allergen_statement", "contribute", "regulation_for"]

_LEVELS = ("CONTAINS", "MAY_CONTAIN")


def allergen_node(code: str, level: str) -> dict[str, Any]:
    """One ``gs1:AllergenDetails`` node: an AllergenTypeCode suffix at a containment level."""
    return {
        "@type": "gs1:AllergenDetails",
        "gs1:allergenType": ref(f"gs1:AllergenTypeCode-{code}"),
        "gs1:allergenLevelOfContainmentCode": ref(f"gs1:LevelOfContainmentCode-{level}"),
    }


def allergen_statement(
    found: tuple[IngredientAllergen, ...], labels: dict[tuple[str, str], str], language: str
) -> tuple[str, str] | None:
    """The statement and its language: in ``language`` when every label exists, else English.

    >>> from gs1ld.mapping.allergens import IngredientAllergen as A
    >>> found = (A(0, "Wheat flour", "CONTAINS", ("UW", "AW"), True, "wheat flour"),
    ...          A(1, "Nuts", "MAY_CONTAIN", ("AN",), True, "nuts"))
    >>> labels = {("CONTAINS", "en"): "Contains", ("MAY_CONTAIN", "en"): "May contain",
    ...           ("UW", "en"): "wheat", ("AN", "en"): "tree nuts"}
    >>> allergen_statement(found, labels, "fr")
    ('Contains: wheat. May contain: tree nuts.', 'en')
    """
    contained = {code for a in found if a.level == "CONTAINS" for code in a.codes[:1]}
    for candidate in dict.fromkeys((language.split("-")[0].casefold(), "en")):
        sentences = []
        complete = True
        for level in _LEVELS:
            names: list[str] = []
            for allergen in found:
                if allergen.level != level:
                    continue
                if allergen.codes:
                    code = allergen.codes[0]
                    if level == "MAY_CONTAIN" and code in contained:
                        continue
                    label = labels.get((code, candidate))
                    if label is None:
                        complete = False
                        break
                else:
                    label = allergen.ingredient
                if label not in names:
                    names.append(label)
            lead = labels.get((level, candidate))
            if not complete or lead is None:
                complete = False
                break
            if names:
                sentences.append(f"{lead}: {', '.join(names)}.")
        if complete and sentences:
            return " ".join(sentences), candidate
    return None


def regulation_for(entry: CatalogEntry, ctx: MappingContext) -> tuple[str, Regulation] | None:
    """The regulation the allergen codes are read against, and the key that chose it.

    ``ExportConfig.allergen_regulation`` first, then the panel's ``label_format``,
    then the country of origin (``allergen-regulations.csv`` keys).
    """
    table = ctx.tables.allergen_regulations
    panel = entry.content.nutrition_facts
    product = entry.product
    for key in (
        ctx.config.allergen_regulation,
        panel.label_format if panel is not None else None,
        product.country_of_origin if product is not None else None,
    ):
        if key and key.upper() in table:
            return key.upper(), table[key.upper()]
    return None


def _non_food(entry: CatalogEntry, ctx: MappingContext, statement: str) -> Properties:
    for index, row in enumerate(entry.content.ingredients):
        dropped = []
        if row.percentage is not None:
            dropped.append(f"percentage {row.percentage:g}")
        if row.origin:
            dropped.append(f"origin {row.origin!r}")
        if row.notes:
            dropped.append(f"notes {row.notes!r}")
        if row.is_major_allergen:
            dropped.append("is_major_allergen")
        if row.may_contain:
            dropped.append("may_contain")
        if dropped:
            ctx.note(
                f"content.ingredients[{index}]",
                f"{', '.join(dropped)} of {row.name!r} not exported: the product is not food "
                "(gs1:Product has no ingredient or allergen terms); the name is kept in "
                "gs1ld:ingredientStatement",
            )
    return {"gs1ld:ingredientStatement": [ctx.text(statement)]}


def _allergen_props(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    found = ingredient_allergens(entry, ctx)
    props: Properties = {}
    for allergen in found:
        path = f"content.ingredients[{allergen.index}].name"
        if not allergen.codes:
            ctx.note(
                path,
                f"allergen {allergen.ingredient!r} matches no row of allergens.csv; kept in "
                "gs1:allergenStatement text",
            )
            continue
        if not allergen.flagged:
            ctx.note(
                path,
                f"{allergen.ingredient!r} names {allergen.name!r} but is not flagged as an "
                f"allergen; declared {allergen.level} "
                f"({', '.join('AllergenTypeCode-' + c for c in allergen.codes)}) from its name",
            )
        for code in allergen.codes:
            props.setdefault("gs1:hasAllergen", []).append(allergen_node(code, allergen.level))
    if not found:
        return props
    statement = allergen_statement(found, ctx.tables.allergen_labels, ctx.language)
    if statement is not None:
        props["gs1:allergenStatement"] = [ctx.text(*statement)]
    regulation = regulation_for(entry, ctx)
    if regulation is None:
        ctx.note(
            "content.ingredients",
            "no allergen regulation applies (no --allergen-regulation, and neither the "
            "panel's label_format nor the country of origin is in allergen-regulations.csv); "
            "gs1:allergenSpecificationAgency and -Name left out",
        )
    else:
        props["gs1:allergenSpecificationAgency"] = [ctx.feed_text(regulation[1].agency)]
        props["gs1:allergenSpecificationName"] = [ctx.feed_text(regulation[1].name)]
    return props


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Ingredient nodes in label order, the statement, and the allergens they declare."""
    rows = sorted(enumerate(entry.content.ingredients), key=lambda p: (p[1].priority, p[1].id))
    if not rows:
        return {}
    statement = ", ".join(row.name for _, row in rows)
    if not entry.is_food:
        return _non_food(entry, ctx, statement)
    props: Properties = {"gs1:ingredientStatement": [ctx.text(statement)]}
    nodes = []
    for sequence, (_, row) in enumerate(rows, start=1):
        node: dict[str, Any] = {
            "@type": "gs1:FoodBeverageTobaccoIngredientDetails",
            "gs1:ingredientName": ctx.text(row.name),
            "gs1:ingredientSequence": sequence,
        }
        if row.percentage is not None:
            node["gs1:ingredientContentPercentage"] = xsd_float(row.percentage)
        if row.origin:
            node["gs1ld:ingredientOrigin"] = ctx.text(row.origin)
        if row.notes:
            node["gs1ld:ingredientNote"] = ctx.text(row.notes)
        nodes.append(node)
    props["gs1:ingredient"] = nodes
    props.update(_allergen_props(entry, ctx))
    return props
