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

__all__ = ["DIGEST_SIZE", "LineReader", "PassedLines", "line_digest"]

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
        self._absorbed = False  # some passed over by a shadow: still in _previous
        self._unchanged: set[str] = set()  # _passed as a set, when made (see unchanged_gtins)
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

    @property
    def passing_all(self) -> bool:
        """Whether it passes over every further line unasked: too many were read."""
        return self._too_many

    def unchanged_gtins(self) -> set[str]:
        """The GTINs of the lines passed over (their products unchanged).

        Kept as a list while the lines are read and made a set when asked: a rebuild
        of a million lines passes over nearly all of them.  Asked again with no line
        passed over since, it gives the same set (which is not to be changed)."""
        if len(self._unchanged) != len(self._passed):
            self._unchanged = set(self._passed)
        return self._unchanged

    @property
    def not_passed_over(self) -> list[str]:
        """The GTINs of the known lines not passed over (changed, gone from the catalog or
        to be rendered again), once the catalog was read."""
        known = (self._previous or {}).values()
        if not self._absorbed:
            return list(known)
        unchanged = self.unchanged_gtins()
        return [gtin for gtin in known if gtin not in unchanged]

    @property
    def gave_up(self) -> bool:
        """Whether the build must read the catalog again, every line: too many lines
        changed (the rest was passed over unread, to be done sooner), a GTIN was both
        passed over and read (either entry may be the one that wins it), or a line was
        passed over twice (a shadow's, met before: one reader reads it the second time,
        and so gives up as well)."""
        if self._too_many or not self._read_gtins.isdisjoint(self._passed):
            return True
        return self._absorbed and len(self.unchanged_gtins()) != len(self._passed)

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

    def shadow(self) -> PassedLines | None:
        """A filter for a later part of the catalog, read at the same time as this one in
        another process (:mod:`~gs1ld.catalog.halves`): it passes over the lines this
        reader would, as if it had read nothing yet, and records their GTINs for
        :meth:`absorb`.  It adds, removes and replaces no entry of the record.
        None when there is no record: every line is read, and a second process would
        only copy them."""
        if self._previous is None:
            return None
        return PassedLines(self._previous, self._render_again, self._most_read)

    def absorb(self, passed: list[str]) -> bool:
        """Take the lines a :meth:`shadow` passed over (``passed``: their GTINs) as passed
        over here, after the lines this reader was asked about; False, taking none, once
        this reader has given up.

        The record is not looked up again (half a million look-ups cost a build a third
        of a second): a line both passed over and met again shows as its GTIN passed
        over twice, which makes the reader give up (:attr:`gave_up`), as when one reader
        reads such a line."""
        if self._previous is None or self._too_many:
            return False
        self._passed.extend(passed)
        self._absorbed = True
        return True

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


class PassedLines:
    """The filter :meth:`LineReader.shadow` gives: it passes over each line the record
    knows (but one to be rendered again), records its GTIN in :attr:`passed`, and
    reads every other line.  A line met twice is passed over twice: the reader that
    absorbs them finds it (:meth:`LineReader.absorb`).

    It reads the record and changes no entry of it, so a forked process can use the
    parent's.  (Reading still writes the reference counts of the entries it meets: the
    pages holding them are copied into the child as it goes.)"""

    def __init__(
        self,
        previous: dict[bytes, str],
        render_again: frozenset[str] = frozenset(),
        most_read: int | None = None,
    ) -> None:
        self._previous = previous
        self._render_again = render_again
        self.most_read = most_read
        """Lines read past which the reader absorbing these gives up (None: never)."""
        self.passed: list[str] = []
        """The GTINs of the lines passed over, in the order met."""

    @property
    def lines_passed(self) -> int:
        """How many lines were passed over so far."""
        return len(self.passed)

    def pass_over(self, text: bytes | memoryview) -> bool:
        """Whether the line ``text`` is one the record knows (and not to be rendered
        again), passed over then."""
        gtin = self._previous.get(line_digest(text))
        if gtin is None or gtin in self._render_again:
            return False
        self.passed.append(gtin)
        return True

    def read(self, location: str) -> None:
        """Nothing to note: the reader that absorbs these lines reads them again."""
