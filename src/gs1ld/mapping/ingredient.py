"""Ingredients -> ``gs1:ingredient`` nodes, ``gs1:ingredientStatement`` and allergens.

Allergens come from the ingredient names (:mod:`gs1ld.mapping.allergens`): every
allergen the product's regulation declares gives its own ``gs1:AllergenDetails``
(CONTAINS, or MAY_CONTAIN for a ``may_contain`` row or a precautionary phrase), with
the regulation's umbrella code beside the specific one, each code once per level and
CONTAINS winning. ``gs1:allergenStatement`` is written from those same declared
allergens in the regulation's form ("Contains: wheat, milk. May contain: hazelnut.",
or the EU "Allergens: ..."), never from raw names, so statement and structure cannot
disagree; ``gs1:allergenSpecificationAgency`` / ``gs1:allergenSpecificationName``
name the regulation (``allergen-regulations.csv``). Non-food products have no GS1 ingredient terms:
their list goes to ``gs1ld:ingredientStatement`` and what is left out is noted.
"""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import FLOAT_FORMS, MappingContext, Properties, float_form, ref
from gs1ld.mapping.allergens import (
    IngredientAllergen,
    allergen_index,
    declared_codes,
    ingredient_allergens,
    label_order,
    product_languages,
    regulation_for,
    shared_levels,
)
from gs1ld.mapping.tables import Tables

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
    levels: dict[str, list[tuple[str, ...]]],
    labels: dict[tuple[str, str], str],
    language: str,
    form: str = "contains",
) -> tuple[str, str] | None:
    """The statement of the declared allergens, and its language, never from raw names.

    ``levels`` is :func:`~gs1ld.mapping.allergens.declared_levels`: per containment
    level, each allergen's declared codes, the specific one first. Each allergen is
    named by its specific code's label, else its umbrella's, in ``language`` when every
    allergen has a label there, else in English. ``form`` is the regulation's:
    ``contains`` ("Contains: wheat, milk. May contain: hazelnut.") or ``allergens``
    (EU: "Allergens: wheat, milk. May contain: hazelnut.").

    >>> labels = {("CONTAINS", "en"): "Contains", ("MAY_CONTAIN", "en"): "May contain",
    ...           ("UW", "en"): "wheat", ("AN", "en"): "tree nuts"}
    >>> allergen_statement({"CONTAINS": [("UW", "AW")], "MAY_CONTAIN": [("AN",)]},
    ...                    labels, "fr")
    ('Contains: wheat. May contain: tree nuts.', 'en')
    """
    lead = {"CONTAINS": "ALLERGENS" if form == "allergens" else "CONTAINS"}
    for candidate in dict.fromkeys((language.split("-")[0].casefold(), "en")):
        sentences = []
        complete = True
        for level in _LEVELS:
            names: list[str] = []
            for codes in levels.get(level, ()):
                label = next(
                    (labels[(c, candidate)] for c in codes if (c, candidate) in labels), None
                )
                if label is None:
                    complete = False
                    break
                if label not in names:
                    names.append(label)
            opening = labels.get((lead.get(level, level), candidate))
            if not complete or opening is None:
                complete = False
                break
            if names:
                sentences.append(f"{opening}: {', '.join(names)}.")
        if complete and sentences:
            return " ".join(sentences), candidate
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
    regulation = regulation_for(entry, ctx)
    _note_ambiguities(entry, ctx)
    props: Properties = {}
    for allergen in found:
        path = f"content.ingredients[{allergen.index}].name"
        if not allergen.codes:
            ctx.note(
                path,
                f"{allergen.ingredient!r} is flagged as an allergen but names no allergen "
                "allergens.csv knows; not declared",
            )
            continue
        if not allergen.declared:
            if allergen.flagged or any(declared_codes(c, "", ctx.tables) for c in allergen.codes):
                ctx.note(
                    path,
                    f"{allergen.ingredient!r} names {allergen.name!r} "
                    f"({', '.join('AllergenTypeCode-' + c for c in allergen.codes)}), "
                    f"{allergen.why_not}; not declared",
                )
            continue
        if not allergen.flagged:
            ctx.note(
                path,
                f"{allergen.ingredient!r} names {allergen.name!r} but is not flagged as an "
                f"allergen; declared {allergen.level} "
                f"({', '.join('AllergenTypeCode-' + c for c in allergen.declared)}) from its name",
            )
    contained = {c for a in found if a.level == "CONTAINS" for c in a.declared}
    for allergen in found:
        if (
            allergen.level == "MAY_CONTAIN"
            and allergen.declared[:1]
            and (allergen.declared[0] in contained)
        ):
            ctx.note(
                f"content.ingredients[{allergen.index}].name",
                f"{allergen.ingredient!r} may contain {allergen.name!r} "
                f"(AllergenTypeCode-{allergen.declared[0]}), which the product contains; "
                "declared once, as CONTAINS",
            )
    form = regulation[1].statement if regulation is not None else "contains"
    stated, statement = _declared(found, ctx, form)
    if stated:
        props["gs1:hasAllergen"] = [
            {
                "@type": "gs1:AllergenDetails",
                "gs1:allergenType": {"@id": kind},
                "gs1:allergenLevelOfContainmentCode": {"@id": level},
            }
            for kind, level in stated
        ]
    if not found:
        return props
    if statement is not None:
        props["gs1:allergenStatement"] = [ctx.text(*statement)]
    if regulation is None:
        ctx.note(
            "content.ingredients",
            "no allergen regulation applies (neither the panel's label_format nor the "
            "country of origin is in allergen-regulations.csv, and no --allergen-regulation); "
            "every allergen some regulation lists is declared; "
            "gs1:allergenSpecificationAgency and -Name left out",
        )
    else:
        props["gs1:allergenSpecificationAgency"] = [ctx.feed_text(regulation[1].agency)]
        props["gs1:allergenSpecificationName"] = [ctx.feed_text(regulation[1].name)]
    return props


_Stated = tuple[tuple[str, str], ...]
_Declared = tuple[_Stated, tuple[str, str] | None]
_DECLARED: dict[int, tuple[Tables, dict[tuple[object, ...], _Declared]]] = {}
_MEMO_LIMIT = 100_000


def _declared(found: tuple[IngredientAllergen, ...], ctx: MappingContext, form: str) -> _Declared:
    """The (allergen type, containment level) CURIEs ``found`` declares, and their statement.

    Each code once per level, CONTAINS first (:func:`allergen_node` makes the nodes). Both
    depend only on each allergen's level and declared codes, the language and the
    statement's form, which catalogs repeat: each combination is worked out once.
    """
    cached = _DECLARED.get(id(ctx.tables))
    if cached is None or cached[0] is not ctx.tables:
        cached = _DECLARED[id(ctx.tables)] = (ctx.tables, {})
    key = (tuple([(a.level, a.declared) for a in found]), ctx.language, form)
    declared = cached[1].get(key)
    if declared is None:
        levels = shared_levels(found)
        statement = (
            allergen_statement(levels, ctx.tables.allergen_labels, ctx.language, form)
            if found
            else None
        )
        stated: list[tuple[str, str]] = []
        for level in _LEVELS:
            seen: set[str] = set()
            for codes in levels[level]:
                for code in codes:
                    if code not in seen:
                        seen.add(code)
                        stated.append(
                            (f"gs1:AllergenTypeCode-{code}", f"gs1:LevelOfContainmentCode-{level}")
                        )
        if len(cached[1]) > _MEMO_LIMIT:
            cached[1].clear()
        declared = cached[1][key] = (tuple(stated), statement)
    return declared


def _note_ambiguities(entry: CatalogEntry, ctx: MappingContext) -> None:
    """Note the names that may be allergens but are not declared ("lecithin": soy or egg)."""
    index = allergen_index(ctx.tables)
    languages = product_languages(entry, ctx)
    for position, row in enumerate(entry.content.ingredients):
        for ambiguity in index.read(row.name, languages).ambiguities:
            ctx.note(
                f"content.ingredients[{position}].name",
                f"{row.name!r}: {ambiguity.reason} "
                f"({' or '.join('AllergenTypeCode-' + c for c in ambiguity.candidates)}); "
                "not declared",
            )


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """Ingredient nodes in label order, the statement, and the allergens they declare."""
    if not entry.content.ingredients:
        return {}
    rows = label_order(entry, ctx)
    statement = ", ".join([row.name for _, row in rows])
    if not entry.is_food:
        return _non_food(entry, ctx, statement)
    props: Properties = {"gs1:ingredientStatement": [ctx.text(statement)]}
    nodes = []
    language = ctx.language
    for sequence, (_, row) in enumerate(rows, start=1):  # values as ctx.text, xsd_float
        node: dict[str, Any] = {
            "@type": "gs1:FoodBeverageTobaccoIngredientDetails",
            "gs1:ingredientName": {"@value": row.name, "@language": language},
            "gs1:ingredientSequence": sequence,
        }
        percentage = row.percentage
        if percentage is not None:
            node["gs1:ingredientContentPercentage"] = {
                "@value": FLOAT_FORMS.get(percentage) or float_form(percentage),
                "@type": "xsd:float",
            }
        if origin := row.origin:
            node["gs1ld:ingredientOrigin"] = {"@value": origin, "@language": language}
        if notes := row.notes:
            node["gs1ld:ingredientNote"] = {"@value": notes, "@language": language}
        nodes.append(node)
    props["gs1:ingredient"] = nodes
    props.update(_allergen_props(entry, ctx))
    return props
