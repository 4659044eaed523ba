"""The shape of one Application Identifier as the GS1 Barcode Syntax Dictionary describes it.

The generated table (:mod:`gs1ld.digital_link._aitable`) is made of these
records; everything that parses or checks AI data reads them, so the
dictionary stays the single source of every format and association rule.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["AIEntry", "Component"]


class Component(NamedTuple):
    """One part of an AI's value, e.g. the ``N13,csum`` of a GDTI.

    Attributes:
        cset: character set: ``N`` digits, ``X`` CSET 82, ``Y`` CSET 39, ``Z`` base64url.
        min_length: fewest characters (equal to ``max_length`` for fixed-length parts).
        max_length: most characters.
        optional: the part may be left out (only trailing parts are optional).
        linters: names of the GS1 syntax tests applied to the part, in order.
    """

    cset: str
    min_length: int
    max_length: int
    optional: bool
    linters: tuple[str, ...]


class AIEntry(NamedTuple):
    """One Application Identifier.

    Attributes:
        ai: the numeric AI, e.g. ``"01"``.
        title: the dictionary's short title, e.g. ``"GTIN"``.
        fnc1: a following AI needs an FNC1 separator (not a predefined-length AI).
        dl_attribute: allowed as a Digital Link query-string data attribute.
        components: the parts of the value, in order.
        requires: each ``req=`` rule: alternatives, each a group of AI patterns
            that must all be present (``n`` in a pattern matches any digit).
        excludes: AI patterns that must not appear alongside this AI.
        dl_qualifiers: ``None`` unless the AI is a Digital Link primary key; then
            its alternative qualifier chains, each an ordered tuple of AIs.
    """

    ai: str
    title: str
    fnc1: bool
    dl_attribute: bool
    components: tuple[Component, ...]
    requires: tuple[tuple[tuple[str, ...], ...], ...]
    excludes: tuple[str, ...]
    dl_qualifiers: tuple[tuple[str, ...], ...] | None

    @property
    def min_length(self) -> int:
        """Fewest characters a value can have."""
        return sum(c.min_length for c in self.components if not c.optional)

    @property
    def max_length(self) -> int:
        """Most characters a value can have."""
        return sum(c.max_length for c in self.components)
