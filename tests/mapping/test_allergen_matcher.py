"""The compiled allergen matcher reads every text exactly as the character-trie walk did.

:class:`gs1ld.mapping.allergens.AllergenIndex` compiles the names of each tuple of
languages into one regular expression (issue 26: mapping speed). The walk it replaced
(commit c749dd4) is kept here as a slow reference, and both read the same texts: every
name of the allergen corpus in its language and English, in English alone and in every
language, lists of two or three corpus names (so negations, "may contain" statements
and false friends meet across names), and the ingredient names of 2,000 synthetic
products. Whole readings are compared (matches with their levels and exemptions,
ambiguities, negated names), so the speed-up cannot drop or add a fact.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gs1ld.mapping import allergens
from gs1ld.mapping.allergens import (
    _LIGATURES,
    _SUFFIXES,
    AllergenIndex,
    Ambiguity,
    Match,
    Reading,
    fold,
)
from gs1ld.mapping.tables import AllergenName, AllergenPhrase, load_tables
from gs1ld.testing import synthetic_catalog

CORPUS = Path(__file__).parent / "allergen_corpus"


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    row: AllergenName
    starts_word: bool
    ends_word: bool
    open_end: bool


@dataclass(slots=True)
class _Phrases:
    without: dict[str, list[str]] = field(default_factory=dict)
    free: dict[str, set[str]] = field(default_factory=dict)
    may_contain: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    filler: dict[str, set[str]] = field(default_factory=dict)


def _rank(language: str, languages: tuple[str, ...]) -> int | None:
    if language == "*":
        return len(languages)
    return languages.index(language) if language in languages else None


def _end_of(text: str, end: int, entry: _Entry) -> int | None:
    size = len(text)
    if entry.open_end:
        space = text.find(" ", end)
        return size if space < 0 else space
    if not entry.ends_word:
        return end
    if end == size or text[end] == " ":
        return end
    language = entry.row.language
    for suffix in _SUFFIXES.get(language, ()) if language != "*" else ():
        stop = end + len(suffix)
        if text.startswith(suffix, end) and (stop == size or text[stop] == " "):
            return stop
    return None


class TrieReference:
    """The matcher before issue 26: a character trie walked in Python at every position."""

    def __init__(self, rows: Iterable[AllergenName], phrases: Iterable[AllergenPhrase]) -> None:
        self.root: dict[str, object] = {}
        for row in rows:
            name = row.name.strip()
            head, tail = name.startswith("*"), name.endswith("*")
            words = fold(name.strip("*"))
            if not words:
                continue
            node = self.root
            for char in words:
                node = node.setdefault(char, {})  # type: ignore[assignment]
            entries = node.setdefault("", [])
            assert isinstance(entries, list)
            entries.append(_Entry(words, row, not head, not tail, tail and not head))
        self.phrases = _Phrases()
        for phrase in phrases:
            text = fold(phrase.phrase) if phrase.kind != "may_contain" else phrase.phrase
            if phrase.kind == "without":
                self.phrases.without.setdefault(phrase.language, []).append(text)
            elif phrase.kind == "free":
                self.phrases.free.setdefault(phrase.language, set()).add(text)
            elif phrase.kind == "filler":
                self.phrases.filler.setdefault(phrase.language, set()).update(text.split())
            else:
                pieces = tuple(fold(p) for p in phrase.phrase.split("..."))
                self.phrases.may_contain.setdefault(phrase.language, []).append(pieces)

    def candidate(
        self, text: str, start: int, languages: tuple[str, ...]
    ) -> tuple[int, _Entry] | None:
        at_start = start == 0 or text[start - 1] == " "
        node: dict[str, object] = self.root
        position = start
        found: list[tuple[int, list[_Entry]]] = []
        while position < len(text):
            child = node.get(text[position])
            if child is None:
                break
            node = child  # type: ignore[assignment]
            position += 1
            entries = node.get("")
            if entries is not None:
                found.append((position, entries))  # type: ignore[arg-type]
        for end, entries in reversed(found):
            best: tuple[int, int, _Entry] | None = None
            for entry in entries:
                rank = _rank(entry.row.language, languages)
                if rank is None or (entry.starts_word and not at_start):
                    continue
                stop = _end_of(text, end, entry)
                if stop is not None and (best is None or rank < best[0]):
                    best = (rank, stop, entry)
            if best is not None:
                return best[1], best[2]
        return None

    def read(self, raw: str, languages: tuple[str, ...]) -> Reading:
        text = fold(raw)
        may_from = self.may_contain_start(text, languages)
        matches: list[Match] = []
        ambiguities: list[Ambiguity] = []
        negated: list[str] = []
        negated_end = -1
        position = 0
        while position < len(text):
            if text[position] == " ":
                position += 1
                continue
            candidate = self.candidate(text, position, languages)
            if candidate is None:
                position += 1
                continue
            stop, entry = candidate
            row = entry.row
            if row.kind == "ambiguous":
                ambiguities.append(Ambiguity(entry.name, row.codes, row.reason))
            elif row.codes and (
                self.negated(text, position, stop, languages)
                or (negated_end >= 0 and self.joined(text[negated_end:position], languages))
            ):
                negated.append(entry.name)
                negated_end = stop
            else:
                exempt = row.regulations if row.kind == "exempt" else frozenset()
                reason = row.reason if row.kind == "exempt" else ""
                may = may_from is not None and position >= may_from
                matches.append(Match(entry.name, row.codes, may, exempt, reason))
            position = stop
        settled = {code for m in matches for code in m.codes}
        kept = tuple(a for a in ambiguities if not settled & set(a.candidates))
        return Reading(tuple(matches), kept, tuple(negated))

    def fillers(self, languages: tuple[str, ...]) -> set[str]:
        return set().union(*(self.phrases.filler.get(x, set()) for x in (*languages, "*")))

    def negated(self, text: str, start: int, stop: int, languages: tuple[str, ...]) -> bool:
        after = text[stop:].lstrip(" ")
        for language in (*languages, "*"):
            for word in self.phrases.free.get(language, ()):
                if after.startswith(word) and (len(after) == len(word) or after[len(word)] == " "):
                    return True
        words = text[:start].split()
        fillers = self.fillers(languages)
        while words and words[-1] in fillers:
            words.pop()
        before = " " + " ".join(words)
        return any(
            before.endswith(" " + phrase)
            for language in (*languages, "*")
            for phrase in self.phrases.without.get(language, ())
        )

    def joined(self, between: str, languages: tuple[str, ...]) -> bool:
        fillers = self.fillers(languages)
        return all(word in fillers for word in between.split())

    def may_contain_start(self, text: str, languages: tuple[str, ...]) -> int | None:
        padded = f" {text} "
        first: int | None = None
        for language in (*languages, "*"):
            for pieces in self.phrases.may_contain.get(language, ()):
                at = padded.find(f" {pieces[0]} ")
                if at < 0:
                    continue
                after = at + len(pieces[0]) + 1
                if all(f" {piece} " in padded[after:] for piece in pieces[1:]) and (
                    first is None or at < first
                ):
                    first = at
        return first


def _slow_fold(text: str) -> str:
    """:func:`fold` before its ASCII shortcut."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = re.sub(r"(?<![a-z0-9])e[\s\-]?(\d{3,4})(?![0-9])", r"e\1", plain)
    return re.sub(r"[\W_]+", " ", plain).strip()


def _corpus() -> list[tuple[str, str]]:
    rows: dict[tuple[str, str], None] = {}
    for path in sorted(CORPUS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows[(row["name"], row["language"])] = None
    return list(rows)


def _texts() -> list[tuple[str, tuple[str, ...]]]:
    """(text, languages) pairs: corpus names, lists of them, synthetic products' names."""
    every = AllergenIndex(load_tables().allergens).languages
    corpus = _corpus()
    texts: dict[tuple[str, tuple[str, ...]], None] = {}
    for name, language in corpus:
        for languages in ((language, "en"), ("en",), every):
            texts[(name, tuple(dict.fromkeys(languages)))] = None
    rng = random.Random(26)
    for _ in range(4_000):
        picked = rng.sample(corpus, rng.randint(2, 3))
        text = rng.choice((", ", "; ", " and ", " ")).join(name for name, _ in picked)
        texts[(text, tuple(dict.fromkeys((picked[0][1], "en"))))] = None
    for entry in synthetic_catalog(2_000, seed=26):
        product = entry["product"]
        languages = tuple(dict.fromkeys((product["language"], "en")))
        for row in entry["content"]["ingredients"]:
            texts[(row["name"], languages)] = None
            texts[(row["name"], every)] = None
    return list(texts)


@pytest.fixture(scope="module")
def indexes() -> tuple[AllergenIndex, TrieReference]:
    """An index that compiles every tuple of languages at once, and the reference."""
    tables = load_tables()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(allergens, "_WALKS_PER_NAME", 0)
        index = AllergenIndex(tables.allergens, tables.allergen_phrases)
        for languages in {languages for _, languages in _texts()}:
            index.read("", languages)  # compiled now, under the patch
    return index, TrieReference(tables.allergens, tables.allergen_phrases)


def test_compiled_matcher_reads_every_text_as_the_trie_did(
    indexes: tuple[AllergenIndex, TrieReference],
) -> None:
    index, reference = indexes
    texts = _texts()
    assert len(texts) > 10_000
    differ = [
        (text, languages, index.read(text, languages), reference.read(text, languages))
        for text, languages in texts
        if index.read(text, languages) != reference.read(text, languages)
    ]
    assert differ == []


def test_the_reference_is_not_vacuous(indexes: tuple[AllergenIndex, TrieReference]) -> None:
    """The texts exercise every part of a reading, so equality above means something."""
    _, reference = indexes
    readings = [reference.read(text, languages) for text, languages in _texts()]
    assert sum(bool(r.matches) for r in readings) > 5_000
    assert any(m.may_contain for r in readings for m in r.matches)
    assert any(m.exempt for r in readings for m in r.matches)
    assert any(r.negated for r in readings)
    assert any(r.ambiguities for r in readings)


@pytest.mark.parametrize(
    ("text", "languages", "names"),
    [
        ("Weizenvollkornmehl", ("de",), ["weizen"]),  # inside a compound
        ("Cocoa butter, butter", ("en",), ["butter"]),  # the false friend hides its word
        ("Sans gluten, lait", ("fr", "en"), []),  # negated, and joined by a comma
        ("Wheat flour. May contain traces of nuts", ("en",), ["wheat", "nuts"]),
    ],
    ids=["infix", "false-friend", "negation", "may-contain"],
)
def test_compiled_matcher_examples(
    indexes: tuple[AllergenIndex, TrieReference],
    text: str,
    languages: tuple[str, ...],
    names: list[str],
) -> None:
    index, reference = indexes
    assert [m.name for m in index.find(text, languages)] == names
    assert index.read(text, languages) == reference.read(text, languages)


def test_fold_takes_the_same_short_cut_for_plain_ascii() -> None:
    texts = [text for text, _ in _texts()] + ["E-220, E 330", "Eggs_and-MILK", "Œufs, blé"]
    assert [fold(text) for text in texts] == [_slow_fold(text) for text in texts]


def test_a_tuple_read_for_few_names_is_walked_then_compiled() -> None:
    """Before compiling, the index walks its trie in Python: same readings, either way."""
    tables = load_tables()
    index = AllergenIndex(tables.allergens, tables.allergen_phrases)
    reference = TrieReference(tables.allergens, tables.allergen_phrases)
    texts = [(text, languages) for text, languages in _texts() if languages == ("de", "en")]
    readings = [index.read(text, languages) for text, languages in texts]
    assert readings == [reference.read(text, languages) for text, languages in texts]
    matcher, _ = index._matcher(("de", "en"))
    assert matcher._search is None  # a few thousand names: still walked
    while matcher._search is None:
        matcher.next("x", 0)
    index._found.clear()
    assert [index.read(text, languages) for text, languages in texts] == readings
