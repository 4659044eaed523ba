"""Catalog lines known by their digest, so a reader passes over the ones it has seen.

A catalog of JSON Lines can be read without parsing every entry: each line is
digested as bytes (:func:`line_digest`), and a line whose digest a previous
reading recorded is the same entry as then.  :class:`LineReader` is the filter
:func:`~gs1ld.catalog.reader.iter_raw_entries` takes: a site rebuild gives it the
record of the lines its current build came from (:mod:`gs1ld.site.folder`) and
reads, parses and stages only the others (:mod:`gs1ld.site.build`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import xxhash

from gs1ld.catalog.raw import RawEntry

__all__ = ["DIGEST_SIZE", "LineReader", "line_digest"]

DIGEST_SIZE = 16
"""Bytes of a line's digest."""


def line_digest(text: bytes | memoryview) -> bytes:
    """The digest a catalog line is known by (its bytes without the line ending).

    XXH3's 128 bits, not a cryptographic hash: a rebuild digests every line of the
    catalog, and XXH3 does it about nine times faster than BLAKE2b (a third of a
    no-change rebuild's time).  A collision only makes a rebuild keep the product the
    colliding line's digest was recorded for, as published; chance gives one at
    odds of 2^-128 a pair, and forcing one gains nothing a catalog's author could not
    do by leaving the line as it was.
    """
    return xxhash.xxh3_128_digest(text)


class LineReader:
    """Digests each catalog line as it is read, and passes over the ones already known.

    The filter the catalog reader asks about each line (a
    :class:`~gs1ld.catalog.line_blocks.LineFilter`); :meth:`watch` sees the entries
    of the lines that were read.

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
        self._pending: dict[str, bytes] = {}  # location -> digest of lines read, not yet watched
        self._digests = bytearray()  # DIGEST_SIZE bytes an entry watched, in catalog order
        self._from_line = bytearray()  # 1 where that entry came from a line read
        self._count_read = 0
        self._digest = b""  # of the line last asked about
        self._passed: list[str] = []  # the GTINs of the lines passed over
        self._read_gtins: set[str] = set()
        self._too_many = False

    @property
    def passing_over(self) -> bool:
        """Whether there was a record to pass lines over by."""
        return self._previous is not None

    @property
    def lines_passed(self) -> int:
        """How many lines were passed over as known (none is counted once it gave up)."""
        return len(self._passed)

    def unchanged_gtins(self) -> set[str]:
        """The GTINs of the lines passed over (their products unchanged).

        Kept as a list while the lines are read and made a set when asked: a rebuild
        of a million lines passes over nearly all of them."""
        return set(self._passed)

    @property
    def not_passed_over(self) -> list[str]:
        """The GTINs of the known lines not passed over (changed, gone from the catalog or
        to be rendered again), once the catalog was read."""
        return list((self._previous or {}).values())

    @property
    def gave_up(self) -> bool:
        """Whether the build must read the catalog again, every line: too many lines
        changed (the rest was passed over unread, to be done sooner), or a GTIN was
        both passed over and read (either entry may be the one that wins it)."""
        return self._too_many or not self._read_gtins.isdisjoint(self._passed)

    def pass_over(self, text: bytes | memoryview) -> bool:
        """Whether the line ``text`` is one the record knows (and not to be rendered
        again): it is then passed over unread, its product unchanged."""
        if self._too_many:  # the rest is not worth reading: the build reads it all again
            return True
        digest = line_digest(text)
        previous = self._previous
        gtin = previous.get(digest) if previous is not None else None
        if previous is not None and gtin is not None and gtin not in self._render_again:
            del previous[digest]  # (a second line the same is a duplicate: read)
            self._passed.append(gtin)
            return True
        self._digest = digest
        return False

    def read(self, location: str) -> None:
        """The line last asked about is read as the entry at ``location``."""
        self._pending[location] = self._digest
        self._count_read += 1
        if self._most_read is not None and self._count_read > self._most_read:
            self._too_many = True

    def watch(self, entries: Iterable[RawEntry]) -> Iterator[RawEntry]:
        """``entries`` (those read), their GTINs noted: none may share its GTIN with a line
        passed over (:attr:`gave_up`).

        The entries are numbered from 0 as they pass (the catalog positions a
        shuffle gives them); :meth:`digest_at` tells the digest of each one's line.
        """
        blank = bytes(DIGEST_SIZE)
        for raw in entries:
            gtin = raw.gtin
            if gtin is not None and self.passing_over:
                self._read_gtins.add(gtin)
            digest = self._pending.pop(raw.location, None)
            self._digests += blank if digest is None else digest
            self._from_line.append(digest is not None)
            yield raw

    def digest_at(self, position: int) -> bytes | None:
        """The digest of the line the entry at ``position`` (as :meth:`watch` numbered
        it) was read from; None when it came from no line (a ``.json`` file, an
        over-long line).

        Kept as 17 bytes an entry, not a dict of locations: a build of a million
        lines holds them until it commits its record.
        """
        if position >= len(self._from_line) or not self._from_line[position]:
            return None
        at = position * DIGEST_SIZE
        return bytes(self._digests[at : at + DIGEST_SIZE])
