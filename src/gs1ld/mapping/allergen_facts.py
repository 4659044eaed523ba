"""The allergens a product's JSON-LD states, as facts a page can show: :func:`allergen_facts`.

``gs1:hasAllergen`` states one containment level per ``gs1:AllergenTypeCode``: the
specific allergen and the regulation's umbrella apart (wheat ``UW`` and "cereals
containing gluten" ``AW``). A shopper reads them as one allergen, "wheat (cereals
containing gluten)", so the facts group the codes back the way the ingredient mapper
declared them (:func:`~gs1ld.mapping.allergens.declared_levels`), with the ingredient
rows each was read in. Codes stated otherwise (a free-from claim's) each make their own
fact. The facts are built from the document's final ``gs1:hasAllergen``, so every
(code, level) it states is in exactly the facts of that level and nothing else is:
a page rendered from them cannot say more or less than the data.

>>> nodes = [{"gs1:allergenType": {"@id": "gs1:AllergenTypeCode-UW"},
...           "gs1:allergenLevelOfContainmentCode": {"@id": "gs1:LevelOfContainmentCode-CONTAINS"}}]
>>> labels = {("UW", "en"): "wheat", ("UW", "fr"): "blé"}
>>> [(f.level, f.codes, f.name_in("fr")) for f in allergen_facts(nodes, (), labels)]
[('CONTAINS', ('UW',), ('blé', 'fr'))]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gs1ld.mapping.allergens import IngredientAllergen, shared_levels

__all__ = ["LEVELS", "AllergenFact", "allergen_facts"]

LEVELS = ("CONTAINS", "MAY_CONTAIN", "FREE_FROM")
"""The ``gs1:LevelOfContainmentCode`` values a product's allergens are stated at, in
the order a page shows them."""


@dataclass(frozen=True, slots=True)
class AllergenFact:
    """One allergen the JSON-LD states, at one containment level.

    Attributes:
        level: ``CONTAINS``, ``MAY_CONTAIN`` or ``FREE_FROM`` (a LevelOfContainmentCode).
        codes: the ``gs1:AllergenTypeCode`` suffixes stated for it at that level, the
            specific allergen first, then the regulation's umbrella ("UW", "AW").
        ingredients: the positions in ``content.ingredients`` of the rows it was read in
            (empty for a free-from claim's).
        names: (language, name) for each language ``allergen-labels.csv`` names it in,
            in the regulation's wording ("wheat (cereals containing gluten)").
    """

    level: str
    codes: tuple[str, ...]
    ingredients: tuple[int, ...]
    names: tuple[tuple[str, str], ...]

    def name_in(self, language: str) -> tuple[str, str]:
        """Its name for a page in ``language`` and the language that name is in.

        The page's language when the tables name it there, else English, else the code.
        """
        names = dict(self.names)
        for candidate in (language.split("-")[0].casefold(), "en"):
            if candidate in names:
                return names[candidate], candidate
        return self.codes[0], ""


class _Suffixes(dict[str, str]):
    """Code CURIE -> its code (``gs1:AllergenTypeCode-UW`` -> ``UW``), each split once.

    The CURIEs come from the tables (allergen and containment codes), so it stays small.
    """

    def __missing__(self, curie: str) -> str:
        code = self[curie] = str(curie).rsplit("-", 1)[-1]
        return code


_SUFFIX = _Suffixes()


_Names = tuple[tuple[str, str], ...]
_LABELLED: dict[int, tuple[Mapping[tuple[str, str], str], dict[str, list[str]], dict[Any, _Names]]]
_LABELLED = {}
"""id(labels) -> (labels, code -> its languages sorted, codes -> their names): the label
table is read once, not scanned per allergen (the table is kept, so its id stays its own)."""


def _names(codes: tuple[str, ...], labels: Mapping[tuple[str, str], str]) -> _Names:
    """(language, name) of an allergen: its own label, its umbrella's in brackets."""
    cached = _LABELLED.get(id(labels))
    if cached is None or cached[0] is not labels:
        if len(_LABELLED) > 8:
            _LABELLED.clear()
        languages: dict[str, list[str]] = {}
        for code, language in labels:
            languages.setdefault(code, []).append(language)
        cached = _LABELLED[id(labels)] = (
            labels,
            {code: sorted(set(tags)) for code, tags in languages.items()},
            {},
        )
    names = cached[2].get(codes)
    if names is None:
        names = cached[2][codes] = _names_of(codes, labels, cached[1])
    return names


def _names_of(
    codes: tuple[str, ...],
    labels: Mapping[tuple[str, str], str],
    languages_of: Mapping[str, list[str]],
) -> _Names:
    languages = languages_of.get(codes[0], [])
    if not languages and len(codes) > 1:  # only the umbrella is named ("fish")
        return _names_of(codes[1:], labels, languages_of)
    names = []
    for language in languages:
        name = labels[(codes[0], language)]
        umbrella = next((labels[(c, language)] for c in codes[1:] if (c, language) in labels), None)
        if umbrella and umbrella != name:
            name = f"{name} ({umbrella})"
        names.append((language, name))
    return tuple(names)


def allergen_facts(
    has_allergen: Iterable[Mapping[str, Any]],
    found: Iterable[IngredientAllergen],
    labels: Mapping[tuple[str, str], str],
) -> tuple[AllergenFact, ...]:
    """The allergens ``has_allergen`` (the document's final ``gs1:hasAllergen``) states.

    Args:
        has_allergen: the ``gs1:AllergenDetails`` nodes of the document.
        found: what the ingredient names declare
            (:func:`~gs1ld.mapping.allergens.ingredient_allergens`), for grouping and
            for where each allergen was read.
        labels: ``allergen-labels.csv`` ((code, language) -> name).

    Returns:
        The facts, level by level (CONTAINS, MAY_CONTAIN, FREE_FROM), ingredients'
        allergens in label order first.
    """
    stated: dict[str, str] = {}
    for node in has_allergen:
        level = _SUFFIX[node["gs1:allergenLevelOfContainmentCode"]["@id"]]
        stated[_SUFFIX[node["gs1:allergenType"]["@id"]]] = level
    found = tuple(found)
    grouped = shared_levels(found) if found else {}
    read_in: dict[tuple[str, tuple[str, ...]], dict[int, None]] = {}
    for a in found:  # the rows each (level, specific code) was read in, in label order
        read_in.setdefault((a.level, a.declared[:1]), {})[a.index] = None
    facts: list[AllergenFact] = []
    covered: set[tuple[str, str]] = set()
    for level in LEVELS:
        for codes in grouped.get(level, ()):
            kept = tuple([c for c in codes if stated.get(c) == level])
            if not kept:
                continue
            rows = tuple(read_in.get((level, codes[:1]), ()))
            facts.append(AllergenFact(level, kept, rows, _names(kept, labels)))
            covered.update([(c, level) for c in kept])
        for code, code_level in stated.items():
            if code_level == level and (code, level) not in covered:
                facts.append(AllergenFact(level, (code,), (), _names((code,), labels)))
                covered.add((code, level))
    return tuple(facts)
