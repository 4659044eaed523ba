"""Read a catalog as a stream of per-entry outcomes: which reader reads which catalog.

A catalog is a single file, a directory of them (read in path order, sub-folders
included) or JSON Lines on stdin (``-``), on this machine or at an fsspec URL
(:mod:`gs1ld.catalog.remote`).  A file is a ``.json`` file (one entry or an
array of entries), JSON Lines (``.jsonl``, ``.ndjson``: an entry a line, so a
catalog can be many shards) or Parquet (``.parquet``: an entry a row,
:mod:`gs1ld.catalog.parquet`); a folder's hidden files and folders (``.``, ``_``)
are not part of it.  The readers themselves, and the limits every entry is held
to, are in :mod:`gs1ld.catalog.raw`; this module sends each catalog to its reader.
Reading never stops at a bad entry: each entry yields an :class:`EntryOutcome`
that is either a parsed entry or the list of its problems.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.catalog.halves import scan_file
from gs1ld.catalog.line_blocks import LineFilter
from gs1ld.catalog.raw import (
    RawEntry,
    catalog_file_kind,
    catalog_files,
    empty_catalog,
    gtin_of,
    line_cap,
    not_a_catalog,
    read_json_file,
    read_json_lines,
    scanned_entries,
)
from gs1ld.catalog.source import CatalogSource, RemoteCatalog
from gs1ld.errors import EntryError, ParseError, Problem
from gs1ld.feed import STRICT
from gs1ld.limits import Limits
from gs1ld.problems import problems_from_validation_error

__all__ = [
    "EntryOutcome",
    "iter_raw_entries",
    "outcome_of",
    "parse_entry",
    "read_catalog",
    "read_catalog_file",
]

STDIN = "-"


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What reading one entry gave.

    Attributes:
        location: where the entry came from: ``catalog.jsonl:7``, ``dir/milk.json``
            or ``dir/many.json[2]`` (array index).
        gtin: the GTIN-14 when it could be read, else None.
        entry: the parsed entry, or None when it has problems.
        problems: every broken rule; empty when the entry is valid.
        raw: the entry's JSON value as read (None when the text was not JSON).
    """

    location: str
    gtin: str | None
    entry: CatalogEntry | None
    problems: tuple[Problem, ...] = ()
    raw: Any = None

    @property
    def ok(self) -> bool:
        """True when the entry parsed without problems."""
        return self.entry is not None and not self.problems


def parse_entry(data: Any, *, strict: bool = False) -> CatalogEntry:
    """Validate one entry's JSON value.

    Args:
        data: the decoded JSON object.
        strict: reject fields the API does not document instead of keeping them.

    Returns:
        The parsed entry, with its GTIN normalised to GTIN-14.

    Raises:
        EntryError: listing every problem, each with its path, value and rule.
    """
    if not isinstance(data, dict):
        raise EntryError([Problem("", "expected a JSON object (a catalog entry)", data)])
    try:
        return CatalogEntry.model_validate(data, context=STRICT if strict else None)
    except ValidationError as exc:
        raise EntryError(problems_from_validation_error(exc), gtin=gtin_of(data)) from None


def iter_raw_entries(
    source: CatalogSource, *, limits: Limits | None = None, skip: LineFilter | None = None
) -> Iterator[RawEntry]:
    """Yield each entry's JSON value (or why it cannot be used) from a catalog, streaming.

    Args:
        source: a catalog file or folder (see the module doc), ``"-"`` for
            stdin, or a :class:`~gs1ld.catalog.source.RemoteCatalog` (read through fsspec).
        limits: the size and depth limits (default :class:`~gs1ld.limits.Limits`()).
        skip: asked about each line of a local JSON Lines file before it is parsed
            (a :class:`~gs1ld.catalog.line_blocks.LineFilter`, such as
            :class:`~gs1ld.catalog.lines.LineReader`); a line it passes over is neither
            parsed nor yielded (see :func:`~gs1ld.catalog.raw.read_json_lines`).  Other
            files are read whole.

    Raises:
        ParseError: the catalog itself cannot be opened (missing path, not a
            catalog, no access) or holds no entry at all; problems inside
            entries are yielded, not raised.
    """
    count = 0
    for raw in _raw_entries(source, limits or Limits(), skip):
        count += 1
        yield raw
    if count == 0 and (skip is None or skip.lines_passed == 0):
        raise empty_catalog(str(source))


def _raw_entries(
    source: CatalogSource, limits: Limits, skip: LineFilter | None
) -> Iterator[RawEntry]:
    if isinstance(source, RemoteCatalog):
        from gs1ld.catalog.remote import iter_remote_entries  # imports fsspec

        yield from iter_remote_entries(source, limits)
        return
    if str(source) == STDIN:
        yield from read_json_lines(sys.stdin.buffer, "<stdin>", limits)
        return
    path = Path(source)
    if path.is_dir():
        for file in catalog_files(path):
            yield from read_catalog_file(file, limits, skip=skip)
        return
    if not path.exists():
        raise ParseError(f"Catalog {str(path)!r} does not exist.")
    if catalog_file_kind(path.name) is None:
        raise not_a_catalog(str(path))
    yield from read_catalog_file(path, limits, skip=skip)


def read_catalog_file(
    path: Path, limits: Limits, *, skip: LineFilter | None = None
) -> Iterator[RawEntry]:
    """Yield the entries of one local catalog file, read as its name ending says
    (``skip`` passes over lines of a JSON Lines file, see :func:`iter_raw_entries`)."""
    kind = catalog_file_kind(path.name)
    if kind == "lines" and skip is not None:  # a large file: scanned in two halves at once
        scanned = scan_file(path, line_cap(limits), skip)
        yield from scanned_entries(scanned, str(path), limits, skip)
    elif kind == "lines":
        with path.open("rb") as stream:
            yield from read_json_lines(stream, str(path), limits)
    elif kind == "parquet":
        from gs1ld.catalog.parquet import parquet_entries  # imports pyarrow

        yield from parquet_entries(str(path), str(path), limits)
    else:
        yield from read_json_file(path, limits)


def read_catalog(
    source: CatalogSource, *, strict: bool = False, limits: Limits | None = None
) -> Iterator[EntryOutcome]:
    """Yield one :class:`EntryOutcome` per entry of a catalog, never stopping at a bad one.

    Args:
        source: a catalog file or folder, ``"-"`` for stdin, or a
            :class:`~gs1ld.catalog.source.RemoteCatalog`.
        strict: reject fields the API does not document.
        limits: the size and depth limits (default :class:`~gs1ld.limits.Limits`()).

    Raises:
        ParseError: the catalog itself cannot be opened.
    """
    for raw in iter_raw_entries(source, limits=limits):
        yield outcome_of(raw, strict=strict)


def outcome_of(raw: RawEntry, *, strict: bool = False) -> EntryOutcome:
    """The outcome of one entry as read: parsed, or the problems that stopped it."""
    if raw.error is not None:
        return EntryOutcome(raw.location, raw.gtin, None, (raw.error,))
    try:
        entry = parse_entry(raw.data, strict=strict)
    except EntryError as exc:
        return EntryOutcome(raw.location, exc.gtin, None, exc.problems, raw.data)
    return EntryOutcome(raw.location, entry.gtin, entry, (), raw.data)
