"""What every mapper shares: the options, the tables, the notes, and value builders.

JSON-LD values are built here once, the way the vocabulary's ranges require:
language-tagged strings for ``rdf:langString``, typed literals for ``xsd:date``
and ``xsd:float``, ``{"@id": ...}`` for code values and link targets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.config import ExportConfig
from gs1ld.mapping.tables import LanguageMarkers, Tables

__all__ = [
    "FLOAT_FORMS",
    "UNDETERMINED",
    "JsonObject",
    "Mapper",
    "MappingContext",
    "Note",
    "Properties",
    "float_form",
    "ref",
    "xsd_date",
    "xsd_float",
    "xsd_uri",
]

JsonObject = dict[str, Any]
Properties = dict[str, list[Any]]
"""Product-level properties a mapper contributes: CURIE -> values."""


@dataclass(frozen=True, slots=True)
class Note:
    """Something the export did that a user may want to know (``--verbose``).

    Attributes:
        path: where in the entry (``content.claims[1]``).
        message: what happened and why.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class MappingContext:
    """Per-entry state shared by the mappers.

    ``links`` are the product's links, each a tuple that begins with its (link type,
    target) (a :class:`gs1ld.publish.Link` does, so the publisher passes its own), given
    by the caller that publishes the product (none when the document is mapped on its own).
    """

    config: ExportConfig
    tables: Tables
    language: str
    today: date
    links: Sequence[tuple[Any, ...]] = ()
    decisions: Mapping[str, Any] = field(default_factory=dict)
    """Certificate id -> its status decision, when the publisher already made it."""
    notes: list[Note] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    """Ids of the feed claims the document states (the claim mapper fills it)."""
    memo: dict[str, object] = field(default_factory=dict)
    """Facts several mappers read, computed once per entry (e.g. the ingredients' allergens)."""

    def note(self, path: str, message: str) -> None:
        """Report something the user may want to know; it never stops the export."""
        self.notes.append(Note(path, message))

    def unit_code(self, unit: str, path: str) -> str | None:
        """The UN/ECE Rec 20 code of a feed unit, or None (noted) when units.csv lacks it."""
        code = self.tables.units.get(unit.strip().casefold())
        if code is None:
            self.note(path, f"unit {unit!r} has no UN/ECE Rec 20 code in units.csv; not exported")
        elif code == "-":
            self.note(path, f"unit {unit!r} has no UN/ECE Rec 20 code (units.csv); not exported")
            return None
        return code

    def text(self, value: str, language: str | None = None) -> JsonObject:
        """An ``rdf:langString`` value of the brand's product text, in the product's language."""
        return {"@value": value, "@language": language or self.language}

    def feed_text(self, value: str) -> JsonObject:
        """An ``rdf:langString`` value of API catalogue or regulator text (feed language).

        Certification and claim names come from the API's catalogue and recall text
        from regulators, not from the brand's label: they are in the feed's language
        (``ExportConfig.feed_language``), whatever the product's language.
        """
        return {"@value": value, "@language": self.config.feed_language}

    def label(self, value: str) -> JsonObject:
        """An ``rdf:langString`` value of a catalogue label (a claim name).

        The feed does not say a label's language; ``ExportConfig.feed_language`` says
        the catalogue's. A label whose words mark only other languages
        (``language-markers.csv``: "Sans gluten", "Glutenfrei" in an English feed) is
        plainly not in it, and is tagged ``und`` rather than wrongly.
        """
        feed = self.config.feed_language
        markers = self.tables.language_markers
        key = (value, feed)
        cached = _LABEL_LANGUAGES.get(id(markers))
        if cached is None or cached[0] is not markers:
            cached = _LABEL_LANGUAGES[id(markers)] = (markers, {})
        language = cached[1].get(key)
        if language is None:  # catalogs repeat labels: each is read once per table
            marked: set[str] = set()
            for word in _WORD.findall(value.casefold()):
                marked |= markers.words.get(word, frozenset())
                for ending, languages in markers.endings:
                    if len(word) >= len(ending) + 3 and word.endswith(ending):
                        marked |= languages
            base = feed.casefold().split("-")[0]
            language = UNDETERMINED if marked and base not in marked else feed
            if len(cached[1]) > _FORMS_LIMIT:
                cached[1].clear()
            cached[1][key] = language
        return {"@value": value, "@language": language}

    def name(self, value: str, *, lang_string: bool = False) -> str | JsonObject:
        """A name whose language the feed does not state: untagged, never tagged wrongly.

        Certification scheme and agency names and company names come with no
        language: "Agriculture Biologique" or "Ohne Gentechnik" in an English
        feed are not English, and a proper name is in no language at all. So the value
        is a plain ``xsd:string``; where GS1's range is ``rdf:langString``
        (``lang_string``: gs1:certificationAgency, gs1:certificationStandard,
        gs1:nutritionalClaimStatement), which needs a tag, it is tagged ``und``, the
        BCP 47 tag for "language not determined".
        """
        if lang_string:
            return {"@value": value, "@language": UNDETERMINED}
        return value


_WORD = re.compile(r"[^\W\d_]+")
_LABEL_LANGUAGES: dict[int, tuple[LanguageMarkers, dict[tuple[str, str], str]]] = {}
"""id(markers) -> (markers, (label, feed language) -> the label's tag)."""
UNDETERMINED = "und"
"""BCP 47's tag for a text whose language is not determined (RFC 5646 section 4.1)."""


def xsd_date(value: date) -> JsonObject:
    """An ``xsd:date`` value."""
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def xsd_float(value: float) -> JsonObject:
    """An ``xsd:float`` value with a canonical-looking lexical form (``240``, ``7.5``).

    Catalogs repeat amounts, so each number's lexical form is worked out once (zero is
    not kept: -0.0 equals 0.0 as a key but is written ``-0``).
    """
    return {"@value": FLOAT_FORMS.get(value) or float_form(value), "@type": "xsd:float"}


def float_form(value: float) -> str:
    """The lexical form :func:`xsd_float` gives ``value`` (``240``, ``7.5``), remembered in
    :data:`FLOAT_FORMS` (zero is not: -0.0 equals 0.0 as a key but is written ``-0``)."""
    lexical = repr(float(value))
    if lexical.endswith(".0"):
        lexical = lexical[:-2]
    if value:
        if len(FLOAT_FORMS) > _FORMS_LIMIT:
            FLOAT_FORMS.clear()
        FLOAT_FORMS[value] = lexical
    return lexical


FLOAT_FORMS: dict[float, str] = {}
"""Number -> its lexical form, as far as worked out (:func:`float_form`): a mapper's hot
loop reads it first, ``FLOAT_FORMS.get(value) or float_form(value)``, saving a call."""
_FORMS_LIMIT = 100_000


def xsd_uri(value: str) -> JsonObject:
    """An ``xsd:anyURI`` value."""
    return {"@value": value, "@type": "xsd:anyURI"}


def ref(curie_or_iri: str) -> JsonObject:
    """A node reference: a code value or a link target."""
    return {"@id": curie_or_iri}


class Mapper(Protocol):
    """The contract every mapping module meets: entry in, product properties out."""

    def __call__(self, entry: CatalogEntry, ctx: MappingContext) -> Properties:
        """Return the product-level properties this resource contributes."""
        ...
