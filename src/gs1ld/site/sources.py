"""Which catalog line each published product was built from, so a rebuild reads only the new ones.

Telling an unchanged product apart by its input hash means parsing its entry
and hashing the decoded value: most of a rebuild's time when few products
changed.  So each local build also records, per product it built or carried
over, a digest of the catalog line (its bytes, as read) it came from:
``SITE/.gs1ld-products/sources.bin``, bound to the build id of the manifest it
was written with.  The next build digests each line as it reads it and passes
over, unparsed, every line whose digest the record names (:class:`LineReader`):
the same bytes give the same entry, and under the same site inputs (day,
options, tool version: the manifests' ``site_inputs``) the same input hash, so
that product is unchanged by the rule every build applies.

The record is a fact about one build: a build that finds it bound to another
manifest than the current one (a build died between its commit and the record)
ignores it and parses every entry, as does a build whose site inputs changed.
A line digest names one GTIN; when a GTIN would be both passed over and read
(a duplicate, or a line repeated) the build cannot apply the first-entry-wins
rule without the entry, and starts over, reading every line
(:attr:`LineReader.gave_up`).  Only JSON Lines files have lines to digest; a catalog of
``.json`` or Parquet files is parsed whole as before, and no record is written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from gs1ld.catalog import RawEntry

__all__ = [
    "SOURCES_FILE",
    "LineReader",
    "read_sources",
    "remove_sources",
    "write_sources",
]

SOURCES_FILE = "sources.bin"
"""In the shared products folder: the record of the current build's catalog lines."""
_HEADER = b"gs1ld sources 1 "
_DIGEST = 16
_RECORD = _DIGEST + 14  # line digest, then the GTIN-14 in ASCII


def line_digest(text: bytes) -> bytes:
    """The digest a catalog line is known by (its bytes without the line ending)."""
    return hashlib.blake2b(text, digest_size=_DIGEST).digest()


def read_sources(shared: Path, build_id: str) -> dict[bytes, str] | None:
    """Line digest -> GTIN of the build ``build_id``; None when the record is of another
    build, unreadable, or absent."""
    try:
        data = (shared / SOURCES_FILE).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if header != _HEADER + build_id.encode("ascii") or len(body) % _RECORD:
        return None
    return {
        body[at : at + _DIGEST]: body[at + _DIGEST : at + _RECORD].decode("ascii")
        for at in range(0, len(body), _RECORD)
    }


def write_sources(shared: Path, build_id: str, sources: Iterable[tuple[str, bytes]]) -> None:
    """Record (GTIN, line digest) of every product of the build ``build_id``, whole
    (a temporary file renamed into place), in GTIN order."""
    body = b"".join(digest + gtin.encode("ascii") for gtin, digest in sorted(sources))
    temporary = shared / f".{SOURCES_FILE}-{os.getpid()}"
    temporary.write_bytes(_HEADER + build_id.encode("ascii") + b"\n" + body)
    os.replace(temporary, shared / SOURCES_FILE)


def remove_sources(shared: Path) -> None:
    """Drop the record (a build that could not write one: a catalog without lines)."""
    (shared / SOURCES_FILE).unlink(missing_ok=True)


class LineReader:
    """Digests each catalog line as it is read, and passes over the ones published unchanged.

    Called by the catalog reader with each line's location and text (a
    :data:`~gs1ld.catalog.raw.LineFilter`); :meth:`watch` sees the entries of
    the lines that were read.

    Args:
        previous: the current build's record (line digest -> GTIN), or None to
            read every line.
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
