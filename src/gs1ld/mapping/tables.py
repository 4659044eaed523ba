"""The crosswalk tables of ``mappings/``, loaded and checked once.

Each table is a small CSV with ``#`` comment lines saying where its facts come
from.  ``--mappings DIR`` points at a folder of the user's own copies: a file
there with the same name *extends* the bundled table, and its rows win where
both have the same key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

from gs1ld._csv import csv_rows
from gs1ld._resources import data_dir
from gs1ld.claim_rules import RULE_FILES, ClaimRules, parse_rules
from gs1ld.errors import MappingError

__all__ = [
    "AllergenName",
    "AllergenPhrase",
    "CertificationPolicy",
    "ClaimConflict",
    "ClaimTarget",
    "LanguageMarkers",
    "Regulation",
    "Tables",
    "load_tables",
]


@dataclass(frozen=True, slots=True)
class ClaimTarget:
    """One value a claim code emits: ``target`` property (CURIE) and ``value`` code CURIE."""

    target: str
    value: str


@dataclass(frozen=True, slots=True)
class AllergenName:
    """A name to find in ingredient text, in a language, and the allergen codes it names.

    Attributes:
        name: the words, with ``*`` marking where a compound may go on (allergens.csv).
        language: ISO 639-1 code, or ``*`` for every language.
        codes: the allergen codes it names; empty for a false friend that names none.
        kind: ``allergen`` (allergens.csv), ``false_friend`` (allergen-false-friends.csv),
            ``ambiguous`` (allergen-ambiguous.csv: ``codes`` are the candidates) or
            ``exempt`` (allergen-exemptions.csv).
        reason: why a false friend, ambiguous name or exemption is what it is.
        regulations: for ``exempt``, the regulations (``rules`` values) that exempt it.
    """

    name: str
    language: str
    codes: tuple[str, ...]
    kind: str = "allergen"
    reason: str = ""
    regulations: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AllergenPhrase:
    """One row of ``allergen-phrases.csv``: words that negate or make a name precautionary.

    ``kind`` is ``without``, ``free``, ``may_contain`` or ``filler``.
    """

    kind: str
    language: str
    phrase: str


@dataclass(frozen=True, slots=True)
class ClaimConflict:
    """An allergen that contradicts a claim code, at these containment levels."""

    allergen: str
    levels: frozenset[str]


@dataclass(frozen=True, slots=True)
class Regulation:
    """A row of ``allergen-regulations.csv``.

    Attributes:
        agency: ``gs1:allergenSpecificationAgency``.
        name: ``gs1:allergenSpecificationName``.
        rules: the regulation of ``allergen-rules.csv`` (``US``, ``EU``, ``UK``, ``CA``,
            ``ANZ``, ``CH``); empty for a user row without one (every listed allergen).
        statement: ``contains`` ("Contains: ...") or ``allergens`` (the EU form).
    """

    agency: str
    name: str
    rules: str = ""
    statement: str = "contains"


@dataclass(frozen=True, slots=True)
class CertificationPolicy:
    """``certification-status.toml``: the status rule per tier, and who may give pack marks.

    Attributes:
        verification: verification_status -> ``window`` / ``ACTIVE`` / ``INACTIVE``.
        mark_tiers: the verification tiers whose ACTIVE certificates may give a pack mark.
    """

    verification: dict[str, str]
    mark_tiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class LanguageMarkers:
    """``language-markers.csv``: whole words, and compound endings, -> the languages they mark."""

    words: dict[str, frozenset[str]]
    endings: tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True, slots=True)
class Tables:
    """Every crosswalk, keyed the way the mappers look things up (lower-case names)."""

    claims: dict[str, tuple[ClaimTarget, ...]]
    allergens: tuple[AllergenName, ...]
    nutrients: dict[str, str]
    units: dict[str, str]
    certifications: dict[str, str]
    certification_status: CertificationPolicy
    allergen_labels: dict[tuple[str, str], str]
    allergen_regulations: dict[str, Regulation]
    allergen_rules: dict[tuple[str, str], tuple[str, ...]]
    """(regulation, allergen code) -> the codes that regulation declares for it."""
    allergen_phrases: tuple[AllergenPhrase, ...]
    claim_conflicts: dict[str, tuple[ClaimConflict, ...]]
    nutrition_formats: dict[str, str]
    unit_dimensions: dict[str, str]
    organic_certifications: dict[str, str]
    claim_rules: ClaimRules
    """Claim conditions and exclusions (``claim-conditions.csv`` and its three siblings)."""
    nutrient_equivalents: dict[str, str]
    """Unit qualifier (``dfe``, ``rae``, ``ne``) -> the property its amounts go to."""
    language_markers: LanguageMarkers
    """``language-markers.csv``: the words and endings that mark a label's language."""


def _read(folder: Traversable | Path, name: str) -> str | None:
    file = folder.joinpath(name)
    return file.read_text(encoding="utf-8") if file.is_file() else None


def _texts(name: str, override: Path | None) -> list[tuple[str, str]]:
    texts = []
    bundled = _read(data_dir("mappings"), name)
    if bundled is None:
        raise MappingError(f"the bundled crosswalk {name!r} is missing from this installation")
    texts.append((f"mappings/{name}", bundled))
    if override is not None:
        extra = _read(override, name)
        if extra is not None:
            texts.append((str(override / name), extra))
    return texts


def _curie(value: str, source: str, number: int) -> str:
    if not value.startswith(("gs1:", "gs1ld:")):
        raise MappingError(f"{source}:{number}: expected a gs1: or gs1ld: term, got {value!r}")
    return value


_STATUS_VALUES = frozenset({"window", "ACTIVE", "INACTIVE"})
_LEVELS = frozenset({"CONTAINS", "MAY_CONTAIN"})
_BASES = frozenset({"serving", "measure"})
_PHRASE_KINDS = frozenset({"without", "free", "may_contain", "filler"})
_STATEMENT_FORMS = frozenset({"contains", "allergens"})
_DIMENSIONS = frozenset({"mass", "volume"})


def _status_rules(override: Path | None) -> CertificationPolicy:
    rules: dict[str, str] = {}
    tiers: frozenset[str] = frozenset()
    for source, text in _texts("certification-status.toml", override):
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MappingError(f"{source}: {exc}") from None
        table = document.get("verification_status", {})
        mark = document.get("packaging_mark", {}).get("verification_status")
        if mark is not None:
            if not isinstance(mark, list) or not all(isinstance(m, str) for m in mark):
                raise MappingError(
                    f"{source}: packaging_mark.verification_status: expected a list of "
                    f"verification tiers, got {mark!r}"
                )
            tiers = frozenset(mark)
        for status, rule in table.items():
            if rule not in _STATUS_VALUES:
                raise MappingError(
                    f"{source}: verification_status.{status}: expected one of "
                    f"'window', 'ACTIVE', 'INACTIVE', got {rule!r}"
                )
            rules[status] = rule
    return CertificationPolicy(rules, tiers)


def _codes(value: str, source: str, number: int) -> tuple[str, ...]:
    if value == "-":
        return ()
    codes = tuple(value.split())
    if not all(code.replace("_", "").isalnum() for code in codes):
        raise MappingError(
            f"{source}:{number}: expected AllergenTypeCode suffixes such as 'UW AW' or '-', "
            f"got {value!r}"
        )
    return codes


def _one_of(value: str, allowed: frozenset[str], column: str, source: str, number: int) -> str:
    if value not in allowed:
        raise MappingError(
            f"{source}:{number}: {column}: expected one of "
            f"{', '.join(repr(a) for a in sorted(allowed))}, got {value!r}"
        )
    return value


def _allergen_tables(
    override: Path | None,
) -> tuple[tuple[AllergenName, ...], dict[tuple[str, str], str]]:
    names: dict[tuple[str, str], AllergenName] = {}
    for source, text in _texts("allergens.csv", override):
        for number, row in csv_rows(text, source, ("name", "language", "codes")):
            language = row["language"].casefold()
            key = (row["name"].casefold(), language)
            names[key] = AllergenName(row["name"], language, _codes(row["codes"], source, number))
    for source, text in _texts("allergen-false-friends.csv", override):
        for number, row in csv_rows(text, source, ("name", "language", "codes", "reason")):
            language = row["language"].casefold()
            names[(row["name"].casefold(), language)] = AllergenName(
                row["name"],
                language,
                _codes(row["codes"], source, number),
                "false_friend",
                row["reason"],
            )
    for source, text in _texts("allergen-ambiguous.csv", override):
        for number, row in csv_rows(text, source, ("name", "language", "candidates", "reason")):
            language = row["language"].casefold()
            names[(row["name"].casefold(), language)] = AllergenName(
                row["name"],
                language,
                _codes(row["candidates"], source, number),
                "ambiguous",
                row["reason"],
            )
    columns = ("name", "language", "codes", "regulations", "source")
    for source, text in _texts("allergen-exemptions.csv", override):
        for number, row in csv_rows(text, source, columns):
            language = row["language"].casefold()
            names[(row["name"].casefold(), language)] = AllergenName(
                row["name"],
                language,
                _codes(row["codes"], source, number),
                "exempt",
                row["source"],
                frozenset(row["regulations"].upper().split()),
            )
    labels: dict[tuple[str, str], str] = {}
    for source, text in _texts("allergen-labels.csv", override):
        for _, row in csv_rows(text, source, ("code", "language", "label")):
            labels[(row["code"].upper(), row["language"].casefold())] = row["label"]
    return tuple(names.values()), labels


def _allergen_rules(override: Path | None) -> dict[tuple[str, str], tuple[str, ...]]:
    rules: dict[tuple[str, str], tuple[str, ...]] = {}
    for source, text in _texts("allergen-rules.csv", override):
        for number, row in csv_rows(text, source, ("regulation", "code", "declares", "source")):
            key = (row["regulation"].upper(), row["code"].upper())
            rules[key] = _codes(row["declares"], source, number)
    return rules


def _allergen_phrases(override: Path | None) -> tuple[AllergenPhrase, ...]:
    phrases: dict[tuple[str, str, str], AllergenPhrase] = {}
    for source, text in _texts("allergen-phrases.csv", override):
        for number, row in csv_rows(text, source, ("kind", "language", "phrase")):
            kind = _one_of(row["kind"], _PHRASE_KINDS, "kind", source, number)
            key = (kind, row["language"].casefold(), row["phrase"].casefold())
            phrases[key] = AllergenPhrase(*key)
    return tuple(phrases.values())


def _regulations(override: Path | None) -> dict[str, Regulation]:
    """``allergen-regulations.csv``; a user file may keep the old three columns."""
    regulations: dict[str, Regulation] = {}
    full = ("key", "rules", "statement", "agency", "name")
    for source, text in _texts("allergen-regulations.csv", override):
        try:
            rows = csv_rows(text, source, full)
        except MappingError as exc:
            try:
                old = csv_rows(text, source, ("key", "agency", "name"))
            except MappingError:
                raise exc from None
            rows = [(number, {**row, "rules": "", "statement": "contains"}) for number, row in old]
        for number, row in rows:
            form = _one_of(row["statement"], _STATEMENT_FORMS, "statement", source, number)
            regulations[row["key"].upper()] = Regulation(
                row["agency"], row["name"], row["rules"].upper(), form
            )
    return regulations


def _conflicts(override: Path | None) -> dict[str, tuple[ClaimConflict, ...]]:
    found: dict[str, list[ClaimConflict]] = {}
    for source, text in _texts("claim-conflicts.csv", override):
        for number, row in csv_rows(text, source, ("code", "allergen", "levels")):
            levels = frozenset(row["levels"].upper().split())
            for level in levels:
                _one_of(level, _LEVELS, "levels", source, number)
            found.setdefault(row["code"].upper(), []).append(
                ClaimConflict(row["allergen"].upper(), levels)
            )
    return {code: tuple(items) for code, items in found.items()}


def _markers(override: Path | None) -> LanguageMarkers:
    found: dict[str, set[str]] = {}
    for source, text in _texts("language-markers.csv", override):
        for _, row in csv_rows(text, source, ("language", "marker")):
            found.setdefault(row["marker"].casefold(), set()).add(row["language"].casefold())
    words = {m: frozenset(langs) for m, langs in found.items() if not m.startswith("-")}
    endings = tuple(
        (m.removeprefix("-"), frozenset(langs)) for m, langs in found.items() if m.startswith("-")
    )
    return LanguageMarkers(words, endings)


@cache
def load_tables(override: Path | None = None) -> Tables:
    """The bundled tables, extended by the files in ``override`` when given.

    Raises:
        MappingError: a table is missing or malformed (naming the file and line).
    """
    claims: dict[str, list[ClaimTarget]] = {}
    for source, text in _texts("claims.csv", override):
        seen_here: set[str] = set()
        for number, row in csv_rows(text, source, ("code", "target", "value")):
            code = row["code"].upper()
            if code not in seen_here:  # a user's rows for a code replace the bundled ones
                claims[code] = []
                seen_here.add(code)
            claims[code].append(
                ClaimTarget(
                    _curie(row["target"], source, number), _curie(row["value"], source, number)
                )
            )
    simple: dict[str, dict[str, str]] = {}
    for name, key, value in (
        ("nutrients.csv", "name", "property"),
        ("units.csv", "unit", "code"),
        ("certifications.csv", "code", "accreditation"),
        ("nutrition-formats.csv", "label_format", "basis"),
        ("unit-dimensions.csv", "code", "dimension"),
        ("organic-certifications.csv", "code", "agency"),
        ("nutrient-equivalents.csv", "qualifier", "property"),
    ):
        table: dict[str, str] = {}
        for source, text in _texts(name, override):
            for number, row in csv_rows(text, source, (key, value)):
                if value in ("property", "accreditation", "agency"):
                    _curie(row[value], source, number)
                elif value == "basis":
                    _one_of(row[value], _BASES, value, source, number)
                elif value == "dimension":
                    _one_of(row[value], _DIMENSIONS, value, source, number)
                upper = key in ("code", "label_format")
                table[row[key].upper() if upper else row[key].casefold()] = row[value]
        simple[name] = table
    allergens, labels = _allergen_tables(override)
    return Tables(
        certification_status=_status_rules(override),
        claims={code: tuple(targets) for code, targets in claims.items()},
        allergens=allergens,
        nutrients=simple["nutrients.csv"],
        units=simple["units.csv"],
        certifications=simple["certifications.csv"],
        allergen_labels=labels,
        allergen_regulations=_regulations(override),
        allergen_rules=_allergen_rules(override),
        allergen_phrases=_allergen_phrases(override),
        claim_conflicts=_conflicts(override),
        nutrition_formats=simple["nutrition-formats.csv"],
        unit_dimensions=simple["unit-dimensions.csv"],
        organic_certifications=simple["organic-certifications.csv"],
        claim_rules=parse_rules({name: _texts(name, override) for name in RULE_FILES}),
        nutrient_equivalents=simple["nutrient-equivalents.csv"],
        language_markers=_markers(override),
    )
