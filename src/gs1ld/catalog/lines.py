"""Catalog lines known by their digest, so a reader passes over the ones it has seen.

A catalog of JSON Lines can be read without parsing every entry: each line is
digested as bytes (:func:`line_digest`), and a line whose digest a previous
reading recorded is the same entry as then.  :class:`LineReader` is the filter
:func:`~gs1ld.catalog.reader.iter_raw_entries` takes: a site rebuild gives it the
record of the lines its current build came from (:mod:`gs1ld.site.folder`) and
reads, parses and stages only the others (:mod:`gs1ld.site.build`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from gs1ld.catalog.raw import RawEntry

__all__ = ["DIGEST_SIZE", "LineReader", "line_digest"]

DIGEST_SIZE = 16
"""Bytes of a line's digest."""


def line_digest(text: bytes) -> bytes:
    """The digest a catalog line is known by (its bytes without the line ending)."""
    return hashlib.blake2b(text, digest_size=DIGEST_SIZE).digest()


class LineReader:
    """Digests each catalog line as it is read, and passes over the ones already known.

    Called by the catalog reader with each line's location and text (a
    :data:`~gs1ld.catalog.raw.LineFilter`); :meth:`watch` sees the entries of
    the lines that were read.

    Args:
        previous: the lines known (line digest -> the GTIN of their entry), or None
            to read every line.
        render_again: GTINs never passed over.
        most_read: give up once more lines than this must be read: so many
            changes are cheaper to build as a whole.
    """

    def __init__(
        self,
        previous: dict[bytes, str] | None,
        render_again: frozenset[str] = frozenset(),
        most_read: int | None = None,
    ) -> None:
        self._previous = previous
        self._render_again = render_again
        self._most_read = most_read
        self.read: dict[str, bytes] = {}
        """Location -> line digest of every line read (parsed)."""
        self.unchanged: dict[str, bytes] = {}
        """GTIN -> line digest of every line passed over."""
        self._read_gtins: set[str] = set()
        self.gave_up = False
        """Whether the build must read the catalog again, every line: a GTIN was both
        passed over and read, or too many lines changed (the rest is passed over
        unread, to be done sooner)."""

    @property
    def passing_over(self) -> bool:
        """Whether there was a record to pass lines over by."""
        return self._previous is not None

    def __call__(self, location: str, text: bytes) -> bool:
        if self.gave_up:
            return True
        digest = line_digest(text)
        gtin = self._previous.pop(digest, None) if self._previous is not None else None
        if gtin is not None and gtin not in self._render_again:
            if gtin in self._read_gtins:  # the GTIN's first entry was read: it may win
                self.gave_up = True
            self.unchanged[gtin] = digest
            return True
        self.read[location] = digest
        if self._most_read is not None and len(self.read) > self._most_read:
            self.gave_up = True
        return False

    def watch(self, entries: Iterable[RawEntry]) -> Iterator[RawEntry]:
        """``entries`` (those read), checking none shares its GTIN with a line passed over."""
        for raw in entries:
            gtin = raw.gtin
            if gtin is not None and self.passing_over:
                if gtin in self.unchanged:
                    self.gave_up = True
                self._read_gtins.add(gtin)
            yield raw
