"""Which allergens a product's ingredient names declare, under the product's regulation.

Names are read with the tables of ``mappings/``: ``allergens.csv`` (the words, in ten
languages and E-numbers), ``allergen-false-friends.csv`` (cocoa butter, buckwheat,
Kokosmilch: words that hide an allergen word and are not that allergen),
``allergen-ambiguous.csv`` (lecithin: noted, never guessed), ``allergen-exemptions.csv``
(fully refined soybean oil under EU rules) and ``allergen-phrases.csv`` (negations such
as "sans gluten" or "glutenfrei", and precautionary wording such as "kann Spuren von
... enthalten").

Matching is one pass over the folded text (lower case, no accents, E-numbers in one
notation) with a character trie of every name, compiled into one regular expression per
tuple of reading languages once that tuple is read often (the engine then walks it in C;
until then Python walks the trie, with the same result): at each position the longest
name that may start there wins, so a false friend hides the allergen word inside it. A
name may have to start and end a word ("egg"), start one ("mlek*"), end one ("*milk") or
sit anywhere in one ("*milch*": the head, modifier or infix of a German, Dutch or
Scandinavian compound). Whole words take the language's plural endings.

What is *declared* depends on the regulation (``allergen-rules.csv``): pine nut is a
tree nut under US FDA rules and nothing under EU Annex II. The claim mapper reads
:attr:`IngredientAllergen.codes` (every code any regulation gives, a fact about the
food); ``gs1:hasAllergen`` and ``gs1:allergenStatement`` read
:attr:`IngredientAllergen.declared`. Both come from :func:`ingredient_allergens`,
computed once per entry: one owner per fact.

>>> from gs1ld.mapping.tables import AllergenName
>>> index = AllergenIndex((AllergenName("butter", "en", ("AM",)),
...     AllergenName("cocoa butter", "en", ()), AllergenName("*weizen*", "de", ("UW",))))
>>> [m.codes for m in index.find("Cocoa Butter, Butter", ("en",))]
[('AM',)]
>>> [m.name for m in index.find("Weizenvollkornmehl", ("de",))]
['weizen']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.feed import IngredientOut
from gs1ld.mapping._context import MappingContext
from gs1ld.mapping.tables import AllergenName, AllergenPhrase, Regulation, Tables

__all__ = [
    "AllergenIndex",
    "Ambiguity",
    "IngredientAllergen",
    "Match",
    "Reading",
    "allergen_index",
    "declared_codes",
    "declared_in",
    "declared_levels",
    "fold",
    "ingredient_allergens",
    "label_order",
    "normal_words",
    "product_languages",
    "regulation_for",
    "shared_levels",
]

_WORDS = re.compile(r"[^\W_]+")
_NOT_WORD = re.compile(r"[\W_]+")
_E_NUMBER = re.compile(r"(?<![a-z0-9])e[\s\-]?(\d{3,4})(?![0-9])")
_MEMO_LIMIT = 100_000
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("s", "es"),
    "fr": ("s", "x"),
    "es": ("s", "es"),
    "pt": ("s", "es"),
    "de": ("e", "n", "en", "er", "s", "es", "ern"),
    "nl": ("s", "en", "n"),
    "sv": ("er", "ar", "or", "en", "na", "n", "et", "t", "s"),
    "da": ("er", "e", "en", "et", "ne", "r", "s"),
}
_LEVELS = ("CONTAINS", "MAY_CONTAIN")


def fold(text: str) -> str:
    """``text`` as names are matched: case-folded, no accents, words apart by one space.

    E-numbers are written one way whatever the label's notation ("E 220", "E-220").

    >>> fold("Farine de blé (wheat), Œufs, E-220, d'arachide")
    'farine de ble wheat oeufs e220 d arachide'
    """
    if text.isascii():  # no accents or ligatures to take off: most names
        plain = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
        plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = _E_NUMBER.sub(r"e\1", plain)
    return _NOT_WORD.sub(" ", plain).strip()


def normal_words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without accents (``Œufs`` -> ``oeufs``).

    >>> normal_words("Farine de blé (wheat), Œufs")
    ['farine', 'de', 'ble', 'wheat', 'oeufs']
    """
    return fold(text).split()


@dataclass(frozen=True, slots=True)
class Match:
    """A name found in a text: the words matched and the codes they name.

    Attributes:
        name: the table's name as matched (folded, without ``*``).
        codes: the allergen codes it names.
        may_contain: it stands in a precautionary phrase ("traces of nuts").
        exempt: the regulations (``rules`` values) that exempt it (allergen-exemptions.csv).
        reason: for an exempt name, the provision that exempts it.
    """

    name: str
    codes: tuple[str, ...]
    may_contain: bool = False
    exempt: frozenset[str] = frozenset()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A name that may or may not be an allergen ("lecithin"): its candidates and why."""

    name: str
    candidates: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything one text says about allergens: matches, ambiguities, negated names."""

    matches: tuple[Match, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()
    negated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    row: AllergenName
    starts_word: bool
    ends_word: bool
    open_end: bool


def _split_form(name: str) -> tuple[str, bool, bool, bool]:
    """(folded words, must start a word, must end a word, runs to the end of the word)."""
    head = name.startswith("*")
    tail = name.endswith("*")
    words = fold(name.strip("*"))
    return words, not head, not tail, (tail and not head)


@dataclass(slots=True)
class _Phrases:
    without: dict[str, list[str]] = field(default_factory=dict)
    free: dict[str, set[str]] = field(default_factory=dict)
    may_contain: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    filler: dict[str, set[str]] = field(default_factory=dict)


class AllergenIndex:
    """The allergen tables arranged for matching: one trie, compiled per tuple of languages."""

    def __init__(
        self, rows: Iterable[AllergenName], phrases: Iterable[AllergenPhrase] = ()
    ) -> None:
        rows_seen = tuple(rows)
        self._entries: tuple[_Entry, ...] = tuple(
            _Entry(words, row, starts, ends, open_end)
            for row in rows_seen
            for words, starts, ends, open_end in (_split_form(row.name.strip()),)
            if words
        )
        self._root = _trie(self._entries)
        self._matchers: dict[tuple[str, ...], tuple[_Matcher, _Wording]] = {}
        self._phrases = _Phrases()
        for phrase in phrases:
            text = fold(phrase.phrase) if phrase.kind != "may_contain" else phrase.phrase
            if phrase.kind == "without":
                self._phrases.without.setdefault(phrase.language, []).append(text)
            elif phrase.kind == "free":
                self._phrases.free.setdefault(phrase.language, set()).add(text)
            elif phrase.kind == "filler":
                self._phrases.filler.setdefault(phrase.language, set()).update(text.split())
            else:
                pieces = tuple(fold(p) for p in phrase.phrase.split("..."))
                self._phrases.may_contain.setdefault(phrase.language, []).append(pieces)
        self._found: dict[tuple[str, tuple[str, ...]], Reading] = {}
        self.languages: tuple[str, ...] = tuple(
            sorted({row.language for row in rows_seen if row.language != "*"})
        )

    def find(self, text: str, languages: tuple[str, ...]) -> list[Match]:
        """Every allergen name in ``text`` read in ``languages``, left to right.

        False friends that name nothing, negated names and ambiguous names give no match.
        """
        return [m for m in self.read(text, languages).matches if m.codes]

    def read(self, text: str, languages: tuple[str, ...]) -> Reading:
        """What ``text`` says about allergens in ``languages`` (memoised per index)."""
        key = (text, languages)
        found = self._found.get(key)
        if found is None:
            if len(self._found) > _MEMO_LIMIT:
                self._found.clear()
            found = self._found[key] = self._read(fold(text), languages)
        return found

    def _matcher(self, languages: tuple[str, ...]) -> tuple[_Matcher, _Wording]:
        """The compiled names and wording of ``languages`` (built on first use, then kept)."""
        found = self._matchers.get(languages)
        if found is None:
            found = self._matchers[languages] = (
                _Matcher(self._entries, self._root, languages),
                _Wording(self._phrases, languages),
            )
        return found

    def _read(self, text: str, languages: tuple[str, ...]) -> Reading:
        matcher, wording = self._matcher(languages)
        may_from = wording.may_contain_start(text)
        matches: list[Match] = []
        ambiguities: list[Ambiguity] = []
        negated: list[str] = []
        negated_end = -1  # where the last negated name ended: "sans gluten ni lactose"
        position = 0
        while (found := matcher.next(text, position)) is not None:
            position, stop, entry = found
            row = entry.row
            if row.kind == "ambiguous":
                ambiguities.append(Ambiguity(entry.name, row.codes, row.reason))
            elif row.codes and (
                wording.negated(text, position, stop)
                or (negated_end >= 0 and wording.joined(text[negated_end:position]))
            ):
                negated.append(entry.name)
                negated_end = stop
            else:
                exempt = row.regulations if row.kind == "exempt" else frozenset()
                matches.append(
                    Match(
                        entry.name,
                        row.codes,
                        may_from is not None and position >= may_from,
                        exempt,
                        row.reason if row.kind == "exempt" else "",
                    )
                )
            position = stop
        settled = {code for m in matches for code in m.codes}
        kept = tuple(a for a in ambiguities if not settled & set(a.candidates))
        return Reading(tuple(matches), kept, tuple(negated))


class _Wording:
    """The phrases around names in one tuple of languages (and ``*``), gathered once."""

    def __init__(self, phrases: _Phrases, languages: tuple[str, ...]) -> None:
        every = (*languages, "*")
        free = [w for x in every for w in phrases.free.get(x, ())]
        self._free = (
            re.compile(f"(?:{'|'.join(map(re.escape, free))})(?![^ ])").match if free else None
        )
        self._without = tuple(" " + p for x in every for p in phrases.without.get(x, ()))
        self._fillers = frozenset().union(*(phrases.filler.get(x, set()) for x in every))
        self._may_contain = tuple(p for x in every for p in phrases.may_contain.get(x, ()))
        firsts = "|".join(re.escape(pieces[0]) for pieces in self._may_contain)
        self._may_open = re.compile(f" (?:{firsts}) ").search if self._may_contain else None

    def negated(self, text: str, start: int, stop: int) -> bool:
        """Whether the name at ``start:stop`` is negated ("sans gluten", "glutenfrei")."""
        after = stop + 1 if text.startswith(" ", stop) else stop
        if self._free is not None and self._free(text, after):
            return True
        words = text[:start].split()
        while words and words[-1] in self._fillers:
            words.pop()
        return (" " + " ".join(words)).endswith(self._without)

    def joined(self, between: str) -> bool:
        """Whether only small words stand between two names ("ohne Milch und Ei")."""
        return all(word in self._fillers for word in between.split())

    def may_contain_start(self, text: str) -> int | None:
        """Where the first precautionary statement ("may contain ...") opens, or None."""
        padded = f" {text} "
        if self._may_open is None or self._may_open(padded) is None:
            return None  # no phrase opens here: most names
        first: int | None = None
        for pieces in self._may_contain:
            at = padded.find(f" {pieces[0]} ")
            if at < 0:
                continue
            after = at + len(pieces[0]) + 1
            if all(f" {piece} " in padded[after:] for piece in pieces[1:]) and (
                first is None or at < first
            ):
                first = at
        return first


def _rank(language: str, languages: tuple[str, ...]) -> int | None:
    """Where ``language`` stands in the reading order (``*``, any language, comes last)."""
    if language == "*":
        return len(languages)
    try:
        return languages.index(language)
    except ValueError:
        return None


class _Matcher:
    """The names read in one tuple of languages: a trie walk, then one regular expression.

    The expression is the names' character trie written as nested alternatives, so the
    regular expression engine walks it in C: at a node, the longer names (its children)
    are tried before the names that end there, and the names that end there in reading
    order (language rank, then table order), each with its own ending (the language's
    plural suffixes and a word end, the rest of the word, or nothing). Backtracking
    gives what the walk gives: at each position the longest name that may stop there.
    Names that must start a word are tried only where a word starts.

    Compiling costs about as much as walking the trie in Python for a few names per
    name in the tuple (a twentieth of a second for English, up to half a second for
    every language at once), so a tuple is walked until it has been searched that
    often, then compiled: a tuple read for a handful of names never pays for it.
    """

    def __init__(
        self, entries: tuple[_Entry, ...], root: _Trie, languages: tuple[str, ...]
    ) -> None:
        self._ranked = sorted(
            (rank, order, entry)
            for order, entry in enumerate(entries)
            if (rank := _rank(entry.row.language, languages)) is not None
        )
        self._root = root
        self._languages = languages
        self._walks_left = _WALKS_PER_NAME * len(self._ranked)
        self._search: Callable[[str, int], re.Match[str] | None] | None = None
        self._groups: list[_Entry | None] = [None]  # group 0 is the whole match

    def next(self, text: str, start: int) -> tuple[int, int, _Entry] | None:
        """The first name at or after ``start``: (where it starts, where it stops, entry)."""
        search = self._search
        if search is None:
            if self._walks_left > 0:
                self._walks_left -= 1
                return self._walk(text, start)
            search = self._search = self._compile()
        found = search(text, start)
        if found is None:
            return None
        entry = self._groups[found.lastindex or 0]
        assert entry is not None
        return found.start(), found.end(), entry

    def _walk(self, text: str, start: int) -> tuple[int, int, _Entry] | None:
        position = start
        size = len(text)
        while position < size:
            if text[position] != " ":
                candidate = self._candidate(text, position)
                if candidate is not None:
                    return position, candidate[0], candidate[1]
            position += 1
        return None

    def _candidate(self, text: str, start: int) -> tuple[int, _Entry] | None:
        """The longest name that may start at ``start``, and where its match stops."""
        at_start = start == 0 or text[start - 1] == " "
        node = self._root
        position = start
        found: list[tuple[int, list[_Entry]]] = []
        size = len(text)
        while position < size:
            child = node.get(text[position])
            if not isinstance(child, dict):
                break
            node = child
            position += 1
            ending = node.get(_ENDS)
            if isinstance(ending, list):
                found.append((position, ending))
        for end, ending in reversed(found):
            best: tuple[int, int, _Entry] | None = None
            for entry in ending:
                rank = _rank(entry.row.language, self._languages)
                if rank is None or (entry.starts_word and not at_start):
                    continue
                stop = _end_of(text, end, entry)
                if stop is not None and (best is None or rank < best[0]):
                    best = (rank, stop, entry)
            if best is not None:
                return best[1], best[2]
        return None

    def _compile(self) -> Callable[[str, int], re.Match[str] | None]:
        word_start = self._pattern(_trie(entry for _, _, entry in self._ranked))
        inside = self._pattern(
            _trie(entry for _, _, entry in self._ranked if not entry.starts_word)
        )
        branches = []
        if word_start:
            branches.append(f"(?<![^ ]){word_start}")
        if inside:
            branches.append(f"(?<=[^ ]){inside}")
        return re.compile("|".join(branches) or "(?!)").search

    def _pattern(self, node: _Trie) -> str:
        branches = []
        ending: list[_Entry] = []
        for char, child in node.items():
            if isinstance(child, list):
                ending = child
            else:
                branches.append(re.escape(char) + self._pattern(child))
        for entry in ending:  # after the children: longer names first
            self._groups.append(entry)
            branches.append(f"({_ending(entry)})")
        if not branches:
            return ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _trie(entries: Iterable[_Entry]) -> _Trie:
    """The character trie of ``entries``: each node keeps the names ending there, in order."""
    root: _Trie = {}
    for entry in entries:
        node = root
        for char in entry.name:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        ending = node.setdefault(_ENDS, [])
        assert isinstance(ending, list)
        ending.append(entry)
    return root


def _end_of(text: str, end: int, entry: _Entry) -> int | None:
    """Where a match of ``entry`` that reaches ``end`` stops, or None if it may not stop."""
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


_Trie = dict[str, "_Trie | list[_Entry]"]
_ENDS = ""
"""The key under which a trie node keeps the names that end there (no name char is "")."""
_WALKS_PER_NAME = 4
"""A tuple of languages is compiled after this many searches per name it reads."""


def _ending(entry: _Entry) -> str:
    """How a match of ``entry`` may stop, as a regular expression."""
    if entry.open_end:
        return "[^ ]*"
    if not entry.ends_word:
        return ""
    language = entry.row.language
    suffixes = _SUFFIXES.get(language, ()) if language != "*" else ()
    if not suffixes:
        return "(?![^ ])"
    return f"(?:|{'|'.join(suffixes)})(?![^ ])"


_INDEXES: dict[int, tuple[Tables, AllergenIndex]] = {}


def allergen_index(tables: Tables) -> AllergenIndex:
    """The index of ``tables``' allergen names and phrases, built once per set of tables."""
    cached = _INDEXES.get(id(tables))
    if cached is None or cached[0] is not tables:
        index = AllergenIndex(tables.allergens, tables.allergen_phrases)
        cached = _INDEXES[id(tables)] = (tables, index)
    return cached[1]


def product_languages(entry: CatalogEntry, ctx: MappingContext) -> tuple[str, ...]:
    """The languages ingredient names are read in: the product's, English, its texts' ones."""
    cached = ctx.memo.get("product_languages")
    if isinstance(cached, tuple):
        return cached
    languages = [ctx.language.split("-")[0].casefold()]
    product = entry.product
    if product is not None:
        for text in (product.name, product.description):
            if isinstance(text, dict):
                languages.extend(tag.split("-")[0].casefold() for tag in sorted(text))
    languages.append("en")
    found = ctx.memo["product_languages"] = tuple(dict.fromkeys(languages))
    return found


def regulation_for(entry: CatalogEntry, ctx: MappingContext) -> tuple[str, Regulation] | None:
    """The regulation the allergens are read against, and the key that chose it.

    The panel's ``label_format`` first (the label the product wears), then the country of
    origin, then ``ExportConfig.allergen_regulation`` (``allergen-regulations.csv`` keys).
    """
    cached = ctx.memo.get("allergen_regulation")
    if isinstance(cached, tuple) or cached == "none":
        return cached if isinstance(cached, tuple) else None
    table = ctx.tables.allergen_regulations
    panel = entry.content.nutrition_facts
    product = entry.product
    found: tuple[str, Regulation] | None = None
    for key in (
        panel.label_format if panel is not None else None,
        product.country_of_origin if product is not None else None,
        ctx.config.allergen_regulation,
    ):
        if key and key.upper() in table:
            found = (key.upper(), table[key.upper()])
            break
    ctx.memo["allergen_regulation"] = found if found is not None else "none"
    return found


def declared_codes(code: str, rules: str, tables: Tables) -> tuple[str, ...]:
    """The codes regulation ``rules`` declares for allergen ``code`` (empty: not an allergen).

    With no regulation (``rules`` empty), what any regulation declares.

    >>> from gs1ld.mapping.tables import load_tables
    >>> tables = load_tables()
    >>> declared_codes("PN", "US", tables), declared_codes("PN", "EU", tables)
    (('PN', 'AN'), ())
    """
    if rules:
        return tables.allergen_rules.get((rules, code), ())
    return _any_rules(tables).get(code, ())


_UNIONS: dict[int, tuple[Tables, dict[str, tuple[str, ...]]]] = {}


def _any_rules(tables: Tables) -> dict[str, tuple[str, ...]]:
    """Code -> what any regulation declares for it (the code first), built once per tables."""
    cached = _UNIONS.get(id(tables))
    if cached is None or cached[0] is not tables:
        union: dict[str, dict[str, None]] = {}
        for (_, code), codes in sorted(tables.allergen_rules.items()):
            union.setdefault(code, {}).update(dict.fromkeys(codes))
        built = {
            code: ((code, *(c for c in codes if c != code)) if code in codes else tuple(codes))
            for code, codes in union.items()
        }
        cached = _UNIONS[id(tables)] = (tables, built)
    return cached[1]


def declared_in(
    text: str, languages: tuple[str, ...], rules: str, tables: Tables
) -> dict[str, str]:
    """The codes ``text`` declares under regulation ``rules``, each with its level.

    One ingredient name read on its own (no flags), as the corpus benchmark reads it.

    >>> from gs1ld.mapping.tables import load_tables
    >>> declared_in("Weizenmehl; kann Spuren von Pinienkernen enthalten", ("de", "en"),
    ...             "US", load_tables())
    {'UW': 'CONTAINS', 'PN': 'MAY_CONTAIN', 'AN': 'MAY_CONTAIN'}
    """
    found: dict[str, str] = {}
    for match in allergen_index(tables).find(text, languages):
        if rules and rules in match.exempt:
            continue
        level = "MAY_CONTAIN" if match.may_contain else "CONTAINS"
        for code in match.codes:
            for declared in declared_codes(code, rules, tables):
                if found.get(declared) != "CONTAINS":
                    found[declared] = level
    return found


@dataclass(frozen=True, slots=True)
class IngredientAllergen:
    """An allergen an ingredient row names.

    Attributes:
        index: the row's position in ``content.ingredients``.
        ingredient: the row's name, as the feed wrote it.
        level: ``CONTAINS`` or ``MAY_CONTAIN``.
        codes: every AllergenTypeCode any regulation gives the name, the specific allergen
            first (the fact about the food, which claims are checked against).
        flagged: whether the feed flagged the row (``is_major_allergen``/``may_contain``).
        name: the table name matched ("weizen").
        declared: the codes the product's regulation declares (``gs1:hasAllergen`` and
            the statement); empty when the regulation does not list it or exempts it.
        why_not: when ``declared`` is empty although ``codes`` is not, the reason.
    """

    index: int
    ingredient: str
    level: str
    codes: tuple[str, ...]
    flagged: bool
    name: str
    declared: tuple[str, ...] = ()
    why_not: str = ""


_Judgement = tuple[tuple[str, ...], tuple[str, ...], str]
_JUDGED: dict[int, tuple[Tables, dict[tuple[Match, str, str], _Judgement]]] = {}


def _judge(match: Match, regulation: Regulation | None, tables: Tables) -> _Judgement:
    """(every code any regulation gives, the codes ``regulation`` declares, why none).

    Catalogs repeat names, so each (match, regulation) is judged once per set of tables.
    """
    cached = _JUDGED.get(id(tables))
    if cached is None or cached[0] is not tables:
        cached = _JUDGED[id(tables)] = (tables, {})
    rules = regulation.rules if regulation is not None else ""
    key = (match, rules, regulation.name if regulation is not None else "")
    judged = cached[1].get(key)
    if judged is None:
        if len(cached[1]) > _MEMO_LIMIT:
            cached[1].clear()
        every: dict[str, None] = {}
        declared: dict[str, None] = {}
        for code in match.codes:
            every[code] = None
            every.update(dict.fromkeys(declared_codes(code, "", tables)))
            declared.update(dict.fromkeys(declared_codes(code, rules, tables)))
        why_not = ""
        if rules and rules in match.exempt:
            declared = {}
            why_not = f"exempt under {regulation.name if regulation else rules}: {match.reason}"
        elif not declared:
            where = regulation.name if regulation is not None else "any regulation gs1ld knows"
            why_not = f"not an allergen under {where}"
        judged = cached[1][key] = (tuple(every), tuple(declared), why_not)
    return judged


def ingredient_allergens(
    entry: CatalogEntry, ctx: MappingContext
) -> tuple[IngredientAllergen, ...]:
    """Every allergen the entry's ingredient rows name, in label order (computed once).

    Containment comes from the flags first: a ``may_contain`` row gives MAY_CONTAIN (also
    when it is ``is_major_allergen`` as well); otherwise a name inside a precautionary
    phrase ("traces of nuts") gives MAY_CONTAIN, any other name CONTAINS, flagged or not
    (an unflagged "Whole Milk" still contains milk). A flagged row no name matches in the
    product's languages is read in every language ("Weizenmehl" in an English feed); if
    still nothing matches it gives one entry without codes, so the mapper can say so.

    A row's allergens depend only on its position, name and flags, the reading languages
    and the regulation, which catalogs repeat: each such row is read once per set of
    tables, and its (immutable) allergens are shared.
    """
    cached = ctx.memo.get("ingredient_allergens")
    if isinstance(cached, tuple):
        return cached
    ingredients = entry.content.ingredients
    if not ingredients:
        ctx.memo["ingredient_allergens"] = ()
        return ()
    languages = product_languages(entry, ctx)
    chosen = regulation_for(entry, ctx)
    regulation = chosen[1] if chosen is not None else None
    rules = regulation.rules if regulation is not None else ""
    name = regulation.name if regulation is not None else ""
    tables = ctx.tables
    known = _ROWS.get(id(tables))
    if known is None or known[0] is not tables:
        known = _ROWS[id(tables)] = (tables, {})
    memo = known[1]
    found: list[IngredientAllergen] = []
    for position, row in label_order(entry, ctx):
        key = (position, row.name, row.is_major_allergen, row.may_contain, languages, rules, name)
        allergens = memo.get(key)
        if allergens is None:
            allergens = _row_allergens(position, row, languages, regulation, tables)
            if len(memo) > _ROWS_LIMIT:
                memo.clear()
            # kept from its second sighting: a one-off row is only marked as seen
            memo[key] = allergens if key in memo else None
        found += allergens
    result = tuple(found)
    ctx.memo["ingredient_allergens"] = result
    return result


def label_order(entry: CatalogEntry, ctx: MappingContext) -> tuple[tuple[int, IngredientOut], ...]:
    """The entry's ingredient rows with their positions, in label order (by priority,
    then id), worked out once per entry."""
    cached = ctx.memo.get("label_order")
    if isinstance(cached, tuple):
        return cached
    ingredients = entry.content.ingredients
    rows = tuple(enumerate(ingredients))
    if len(rows) > 1:
        rows = tuple(sorted(rows, key=_label_order))
    ctx.memo["label_order"] = rows
    return rows


def _label_order(row: tuple[int, IngredientOut]) -> tuple[int, str]:
    return row[1].priority, row[1].id


_RowAllergens = tuple[IngredientAllergen, ...]
_ROWS: dict[int, tuple[Tables, dict[tuple[object, ...], _RowAllergens | None]]] = {}
"""id(tables) -> (tables, (position, name, flags, languages, regulation) -> its allergens,
or None for a row seen once)."""
_ROWS_LIMIT = 4_096
"""Rows remembered: a product line's rows repeat, one-off names do not. A small memo that
keeps a row's allergens from its second sighting holds the frequent ones without filling
the heap the garbage collector walks with one-off rows (a catalog of fresh names would
otherwise keep every row's allergens alive a while, and pay for it in full collections)."""


def _row_allergens(
    position: int,
    row: IngredientOut,
    languages: tuple[str, ...],
    regulation: Regulation | None,
    tables: Tables,
) -> tuple[IngredientAllergen, ...]:
    """The allergens one ingredient row names (see :func:`ingredient_allergens`)."""
    index = allergen_index(tables)
    flagged = row.is_major_allergen or row.may_contain
    matches = index.find(row.name, languages)
    if not matches and flagged:  # the feed says it is one: read it in every language
        matches = index.find(row.name, index.languages)
    found: list[IngredientAllergen] = []
    if not matches and flagged:
        level = "MAY_CONTAIN" if row.may_contain else "CONTAINS"
        found.append(IngredientAllergen(position, row.name, level, (), True, row.name))
    for match in matches:
        level = "MAY_CONTAIN" if row.may_contain or match.may_contain else "CONTAINS"
        every, declared, why_not = _judge(match, regulation, tables)
        found.append(
            IngredientAllergen(
                position, row.name, level, every, flagged, match.name, declared, why_not
            )
        )
    return tuple(found)


def declared_levels(found: Iterable[IngredientAllergen]) -> dict[str, list[tuple[str, ...]]]:
    """Declared allergens per level, each once, in label order.

    Each value lists ``declared`` tuples (specific code first). A code contained is not
    repeated as a trace, since GS1 gives each allergen type one containment level: "may
    contain other nuts" beside almonds (tree nuts contained) says nothing more. A group
    named on its own ("fish") is left out beside a member of it ("haddock").
    """
    found = tuple(found)
    contained = {c for a in found if a.level == "CONTAINS" for c in a.declared}
    levels: dict[str, list[tuple[str, ...]]] = {level: [] for level in _LEVELS}
    seen: set[tuple[str, str]] = set()
    for allergen in found:
        if not allergen.declared:
            continue
        codes = allergen.declared
        if allergen.level == "MAY_CONTAIN":
            if codes[0] in contained:
                continue
            codes = tuple(c for c in codes if c not in contained)
        if (allergen.level, codes[0]) in seen:
            continue
        seen.add((allergen.level, codes[0]))
        levels[allergen.level].append(codes)
    for level, entries in levels.items():  # "fish" beside "haddock (fish)" says no more
        wider = [set(codes) for codes in entries if len(codes) > 1]
        levels[level] = [
            codes
            for codes in entries
            if len(codes) > 1 or not any(codes[0] in other for other in wider)
        ]
    return levels


_LEVELS_MEMO: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, list[tuple[str, ...]]]] = {}


def shared_levels(found: tuple[IngredientAllergen, ...]) -> dict[str, list[tuple[str, ...]]]:
    """:func:`declared_levels` of ``found``, worked out once per combination (read-only: shared).

    The levels depend only on each allergen's level and declared codes, which catalogs
    repeat from product to product.
    """
    key = tuple([(a.level, a.declared) for a in found])
    levels = _LEVELS_MEMO.get(key)
    if levels is None:
        if len(_LEVELS_MEMO) > _MEMO_LIMIT:
            _LEVELS_MEMO.clear()
        levels = _LEVELS_MEMO[key] = declared_levels(found)
    return levels
