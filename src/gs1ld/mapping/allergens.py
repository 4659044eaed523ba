"""Which allergens a product's ingredient names declare, read with ``allergens.csv``.

Every allergen named anywhere in an ingredient's name counts: compound names and
lists in parentheses ("Pastry (wheat flour, butter, eggs)" gives wheat, milk and
egg), plurals and derived foods (butter and whey are milk, semolina is wheat).
Names are read as words, case- and accent-insensitively, in the product's
languages (its own, English, and the languages of its localised texts). The
longest name wins, so "cocoa butter" (not an allergen) hides "butter", and an
exact word beats a ``*`` pattern.

The claim mapper (contradictions) and the ingredient mapper (``gs1:hasAllergen``)
read the same findings, computed once per entry: one owner per fact.

>>> from gs1ld.mapping.tables import AllergenName
>>> index = AllergenIndex((AllergenName("butter", "en", ("AM",)),
...     AllergenName("cocoa butter", "en", ()), AllergenName("weizen*", "de", ("UW", "AW"))))
>>> [m.codes for m in index.find("Cocoa Butter, Butter", ("en",))]
[('AM',)]
>>> [m.name for m in index.find("Weizenmehl", ("de",))]
['weizenmehl']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext
from gs1ld.mapping.tables import AllergenName, Tables

__all__ = [
    "AllergenIndex",
    "IngredientAllergen",
    "Match",
    "allergen_index",
    "ingredient_allergens",
    "normal_words",
    "product_languages",
]

_WORDS = re.compile(r"[^\W_]+")
_MEMO_LIMIT = 100_000
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l"})


def normal_words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without accents (``Œufs`` -> ``oeufs``).

    >>> normal_words("Farine de blé (wheat), Œufs")
    ['farine', 'de', 'ble', 'wheat', 'oeufs']
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORDS.findall(plain)


@dataclass(frozen=True, slots=True)
class Match:
    """An allergen name found in a text: the words matched and the codes they give."""

    name: str
    codes: tuple[str, ...]


class AllergenIndex:
    """``allergens.csv`` arranged for matching: phrases by their words, and word patterns."""

    def __init__(self, rows: Iterable[AllergenName]) -> None:
        self._phrases: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        self._prefixes: list[tuple[str, str, tuple[str, ...]]] = []
        self._suffixes: list[tuple[str, str, tuple[str, ...]]] = []
        self._longest = 1
        for row in rows:
            name = row.name.strip()
            if name.endswith("*") or name.startswith("*"):
                words = normal_words(name.strip("*"))
                if len(words) != 1:
                    continue  # a pattern is one word; the loader keeps such rows harmless
                target = self._prefixes if name.endswith("*") else self._suffixes
                target.append((words[0], row.language, row.codes))
                continue
            key = tuple(normal_words(name))
            if key:
                self._phrases.setdefault(key, {})[row.language] = row.codes
                self._longest = max(self._longest, len(key))
        self._prefixes.sort(key=lambda p: -len(p[0]))
        self._suffixes.sort(key=lambda p: -len(p[0]))
        self._found: dict[tuple[str, tuple[str, ...]], tuple[Match, ...]] = {}

    @staticmethod
    def _pick(
        by_language: dict[str, tuple[str, ...]], languages: tuple[str, ...]
    ) -> tuple[str, ...] | None:
        for language in (*languages, "*"):
            if language in by_language:
                return by_language[language]
        return None

    def _pattern(self, word: str, languages: tuple[str, ...]) -> tuple[str, ...] | None:
        allowed = {*languages, "*"}
        best: tuple[int, tuple[str, ...]] | None = None
        for stem, language, codes in self._prefixes:
            if (
                language in allowed
                and word.startswith(stem)
                and (best is None or len(stem) > best[0])
            ):
                best = (len(stem), codes)
        for stem, language, codes in self._suffixes:
            if (
                language in allowed
                and word.endswith(stem)
                and (best is None or len(stem) > best[0])
            ):
                best = (len(stem), codes)
        return None if best is None else best[1]

    def find(self, text: str, languages: tuple[str, ...]) -> list[Match]:
        """Every allergen name in ``text`` read in ``languages``, left to right, longest first.

        Masking names (no codes) consume their words and give no match. Catalogs
        repeat ingredient names, so each (name, languages) is read once per index.
        """
        key = (text, languages)
        found = self._found.get(key)
        if found is None:
            if len(self._found) > _MEMO_LIMIT:
                self._found.clear()
            found = self._found[key] = tuple(self._read(text, languages))
        return list(found)

    def _read(self, text: str, languages: tuple[str, ...]) -> list[Match]:
        words = normal_words(text)
        found: list[Match] = []
        position = 0
        while position < len(words):
            size = min(self._longest, len(words) - position)
            codes = None
            while size > 0:
                phrase = tuple(words[position : position + size])
                by_language = self._phrases.get(phrase)
                if by_language is not None:
                    codes = self._pick(by_language, languages)
                    if codes is not None:
                        break
                size -= 1
            if codes is None:
                size = 1
                codes = self._pattern(words[position], languages)
            if codes:
                found.append(Match(" ".join(words[position : position + size]), codes))
            position += size
        return found


_INDEXES: dict[int, tuple[Tables, AllergenIndex]] = {}


def allergen_index(tables: Tables) -> AllergenIndex:
    """The index of ``tables.allergens``, built once per loaded set of tables."""
    cached = _INDEXES.get(id(tables))
    if cached is None or cached[0] is not tables:
        cached = _INDEXES[id(tables)] = (tables, AllergenIndex(tables.allergens))
    return cached[1]


def product_languages(entry: CatalogEntry, ctx: MappingContext) -> tuple[str, ...]:
    """The languages ingredient names are read in: the product's, English, its texts' ones."""
    languages = [ctx.language.split("-")[0].casefold()]
    product = entry.product
    if product is not None:
        for text in (product.name, product.description):
            if isinstance(text, dict):
                languages.extend(tag.split("-")[0].casefold() for tag in sorted(text))
    languages.append("en")
    return tuple(dict.fromkeys(languages))


@dataclass(frozen=True, slots=True)
class IngredientAllergen:
    """An allergen an ingredient row declares.

    Attributes:
        index: the row's position in ``content.ingredients``.
        ingredient: the row's name, as the feed wrote it.
        level: ``CONTAINS`` or ``MAY_CONTAIN``.
        codes: AllergenTypeCode suffixes, the specific allergen first; empty when a
            flagged row names no allergen any table row knows.
        flagged: whether the feed flagged the row (``is_major_allergen``/``may_contain``).
        name: the words matched ("wheat flour"), or the row's name when unmatched.
    """

    index: int
    ingredient: str
    level: str
    codes: tuple[str, ...]
    flagged: bool
    name: str


def ingredient_allergens(
    entry: CatalogEntry, ctx: MappingContext
) -> tuple[IngredientAllergen, ...]:
    """Every allergen the entry's ingredient rows declare, in label order (computed once).

    A ``may_contain`` row gives MAY_CONTAIN; any other row that names an allergen gives
    CONTAINS, flagged or not (an unflagged "Whole Milk" still contains milk). A flagged
    row no table name matches gives one entry without codes, for the statement.
    """
    cached = ctx.memo.get("ingredient_allergens")
    if isinstance(cached, tuple):
        return cached
    index = allergen_index(ctx.tables)
    languages = product_languages(entry, ctx)
    rows = sorted(enumerate(entry.content.ingredients), key=lambda p: (p[1].priority, p[1].id))
    found: list[IngredientAllergen] = []
    for position, row in rows:
        level = "MAY_CONTAIN" if row.may_contain and not row.is_major_allergen else "CONTAINS"
        flagged = row.is_major_allergen or row.may_contain
        matches = index.find(row.name, languages)
        if not matches and flagged:
            found.append(IngredientAllergen(position, row.name, level, (), True, row.name))
        for match in matches:
            found.append(
                IngredientAllergen(position, row.name, level, match.codes, flagged, match.name)
            )
    result = tuple(found)
    ctx.memo["ingredient_allergens"] = result
    return result
