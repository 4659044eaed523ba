"""The GS1 Web Vocabulary term index (``shapes/gs1-terms.json``), loaded once.

Generated from the vocabulary by ``scripts/gen_vocab_terms.py`` and shipped in
the wheel, so validating needs neither the network nor the 18,000-triple
vocabulary file at run time.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import orjson

from gs1ld._resources import read_bytes

__all__ = ["GS1", "OLD_NAMESPACES", "TermIndex", "term_index"]

GS1 = "https://ref.gs1.org/voc/"
OLD_NAMESPACES = (
    "https://gs1.org/voc/",
    "http://gs1.org/voc/",
    "https://www.gs1.org/voc/",
    "http://www.gs1.org/voc/",
)


@dataclass(frozen=True, slots=True)
class Property:
    """A vocabulary property: its domain alternatives, ranges, and whether it is a link type."""

    domain: frozenset[str]
    range: tuple[str, ...]
    link: bool


class TermIndex:
    """Look-ups over the generated index; names are CURIEs (``gs1:productName``)."""

    def __init__(self, data: dict[str, object]) -> None:
        classes = cast(dict[str, list[str]], data["classes"])
        self.superclasses = {name: frozenset(supers) for name, supers in classes.items()}
        props = cast(dict[str, dict[str, Any]], data["properties"])
        self.properties = {
            name: Property(frozenset(p["domain"]), tuple(p["range"]), bool(p["link"]))
            for name, p in props.items()
        }
        self.codes = cast(dict[str, str], data["codes"])
        self.deprecated = cast(dict[str, str], data["deprecated"])
        self._names = sorted({*self.superclasses, *self.properties})

    def exists(self, name: str) -> bool:
        """True for any class, property or code value of the vocabulary."""
        return name in self.superclasses or name in self.properties or name in self.codes

    def closure(self, classes: frozenset[str] | set[str]) -> set[str]:
        """The classes and all their superclasses."""
        out = set(classes)
        for cls in classes:
            out |= self.superclasses.get(cls, frozenset())
        return out

    def suggest(self, name: str) -> str | None:
        """The closest real class or property name to a misspelt one."""
        matches = difflib.get_close_matches(name, self._names, n=1, cutoff=0.8)
        return matches[0] if matches else None


@cache
def term_index() -> TermIndex:
    """The shipped index (read once per process)."""
    return TermIndex(orjson.loads(read_bytes("shapes", "gs1-terms.json")))
