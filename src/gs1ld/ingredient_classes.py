"""Ingredient classes in ingredient names: is "Rohrzucker" a sugar, "Beef tomatoes" meat?

Claims exclude classes of ingredients (no added sugars: sugars, syrups, honey; vegan:
animal flesh, gelatin; ``mappings/claim-exclusions.csv``). The words of each class are
data (``mappings/ingredient-classes.csv``, eleven languages); this module reads names
with them the way labels are written:

* a word matches whole, a plural ``-s``/``-es`` too, in every language;
* in German, Dutch, Swedish and Danish, the product's own language's words also match
  inside compounds: a word of five letters or more anywhere ("Rohrzucker"), a shorter
  one as the head or first part only ("zeezout", "kipfilet", never "champignon");
* false friends (class ``-``: "sugar snap", "Fruchtfleisch") are cut out of the name
  before the other words are read;
* a word beside a negation ("sugar-free", "zuckerfrei", "ohne Zucker", "sans sucre")
  does not count.

>>> words = class_words([class_word("sugars", "de", "zucker"),
...     class_word("-", "de", "zuckerschote")])
>>> [m.ingredient_class for m in class_matches("Rohrzucker", words, "de")]
['sugars']
>>> class_matches("Zuckerschoten, zuckerfrei", words, "de")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ClassMatch", "ClassWord", "ClassWords", "class_matches", "class_word", "class_words"]

_COMPOUNDING = frozenset({"de", "nl", "sv", "da"})
_LETTER = r"[^\W\d_]"
_TOKEN = re.compile(r"[^\W_]+")
_NEGATION = re.compile(
    r"(?:\b(?:sans|ohne|sin|senza|zonder|utan|uden|bez|sem|without|no added|no|free from)"
    r"\s+(?:\w+\s+)?$)",
    re.IGNORECASE,
)
_FREE_AFTER = re.compile(r"^[\w]*?(?:[- ]?(?:free|frei|fri|fritt|vrij|libre))\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClassWord:
    """One row of ``ingredient-classes.csv``, compiled.

    Attributes:
        ingredient_class: the class (``sugars``), or ``-`` for a false friend.
        language: the row's language.
        whole: the word on its own (a plural -s/-es too).
        compound: the word inside a compound too (for a compounding language's words).
        word: the word, lower-case.
        key: a part every match contains, to skip the patterns cheaply.
    """

    ingredient_class: str
    language: str
    whole: re.Pattern[str]
    compound: re.Pattern[str]
    word: str
    key: str


@dataclass(frozen=True, slots=True)
class ClassMatch:
    """An ingredient-class word found in a name."""

    ingredient_class: str
    word: str


@dataclass(frozen=True, slots=True)
class ClassWords:
    """The class words in matching order (longest first), indexed to find candidates fast.

    Attributes:
        words: every word, false friends and phrases before the words inside them.
        by_key: a word's first part -> the positions of the words starting with it.
        compounding: a compounding language -> the positions of its words.
    """

    words: tuple[ClassWord, ...]
    by_key: dict[str, tuple[int, ...]]
    compounding: dict[str, tuple[int, ...]]


def class_words(words: Iterable[ClassWord]) -> ClassWords:
    """The words sorted longest first and indexed (see :class:`ClassWords`)."""
    ordered = tuple(sorted(words, key=lambda w: -len(w.word)))
    by_key: dict[str, list[int]] = {}
    compounding: dict[str, list[int]] = {}
    for position, word in enumerate(ordered):
        by_key.setdefault(word.key, []).append(position)
        if word.language in _COMPOUNDING:
            compounding.setdefault(word.language, []).append(position)
    return ClassWords(
        ordered,
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in compounding.items()},
    )


def _candidates(lowered: str, words: ClassWords, language: str) -> list[int]:
    """Positions of the words that can match: their first part is a token of the name
    (or, for the product's own compounding language, anywhere in it)."""
    found: set[int] = set()
    for token in _TOKEN.findall(lowered):
        for key in (token, token[:-1], token[:-2]):
            found.update(words.by_key.get(key, ()))
    for position in words.compounding.get(language, ()):
        if words.words[position].key in lowered:
            found.add(position)
    return sorted(found)


def class_word(ingredient_class: str, language: str, word: str) -> ClassWord:
    """A class word compiled for :func:`class_matches`."""
    word = word.lower()
    language = language.casefold()
    body = re.escape(word).replace(r"\ ", r"[\s-]+")
    whole = rf"(?<!{_LETTER}){body}(?:s|es)?(?!{_LETTER})"
    compound = whole
    if language in _COMPOUNDING and " " not in word:
        # a long word anywhere in a compound; a short one as its head or first part only
        short = rf"(?:(?<!{_LETTER}){body}|{body}(?!{_LETTER}))"
        compound = body if len(word) >= 5 else short
    return ClassWord(
        ingredient_class,
        language,
        re.compile(whole, re.IGNORECASE),
        re.compile(compound, re.IGNORECASE),
        word,
        re.split(r"[\s-]", word, maxsplit=1)[0],
    )


def class_matches(name: str, words: ClassWords, language: str = "") -> list[ClassMatch]:
    """The ingredient classes an ingredient name names, in the order of the words found.

    Args:
        name: the ingredient name as the feed wrote it.
        words: the class words (:func:`class_words`).
        language: the product's language: its words are also read inside compounds.
    """
    text = name
    lowered = name.lower()
    language = language.casefold().split("-")[0]
    found: list[tuple[int, ClassMatch]] = []
    for position in _candidates(lowered, words, language):
        word = words.words[position]
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
