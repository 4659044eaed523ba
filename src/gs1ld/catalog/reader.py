"""Read a catalog as a stream of per-entry outcomes.

A catalog is a single file, a directory of them (read in path order, sub-folders
included) or JSON Lines on stdin (``-``), on this machine or at an fsspec URL
(:mod:`gs1ld.catalog.remote`).  A file is a ``.json`` file (one entry or an
array of entries), JSON Lines (``.jsonl``, ``.ndjson``: an entry a line, so a
catalog can be many shards) or Parquet (``.parquet``: an entry a row,
:mod:`gs1ld.catalog.parquet`); a folder's hidden files and folders (``.``, ``_``)
are not part of it.
JSON Lines are read line by line, so a million-line catalog is never in memory
at once (a line longer than the entry limit is skipped without being held whole).
Reading never stops at a bad entry: each entry yields an :class:`EntryOutcome`
that is either a parsed entry or the list of its problems.  Every entry is held
to the :mod:`gs1ld.limits` (depth, size) here, at the edge, so no later step
meets one it cannot handle.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from gs1ld import gtin as gtin_rules
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.catalog.source import CatalogSource, RemoteCatalog
from gs1ld.errors import EntryError, GtinError, ParseError, Problem
from gs1ld.feed import STRICT
from gs1ld.limits import Limits, entry_problem
from gs1ld.problems import problems_from_validation_error

__all__ = [
    "CATALOG_SUFFIXES",
    "EntryOutcome",
    "RawEntry",
    "catalog_file_kind",
    "catalog_files",
    "checked_entry",
    "in_catalog_folder",
    "iter_raw_entries",
    "json_error",
    "outcome_of",
    "parse_entry",
    "read_catalog",
    "read_catalog_file",
    "read_json_bytes",
    "read_json_file",
    "read_json_lines",
]

STDIN = "-"
_KINDS = {".json": "json", ".jsonl": "lines", ".ndjson": "lines", ".parquet": "parquet"}
CATALOG_SUFFIXES = tuple(_KINDS)
"""The file name endings a catalog file may have (a folder's other files are ignored)."""
_NOT_A_CATALOG = (
    "expected a .json file, a .jsonl (.ndjson) file, a .parquet file, a folder of "
    "them or '-' for JSON Lines on stdin"
)


def catalog_file_kind(name: str) -> str | None:
    """``json``, ``lines`` (JSON Lines) or ``parquet``: how the file ``name`` is read; None if none.

    >>> catalog_file_kind("s3://bucket/part-0001.JSONL"), catalog_file_kind("notes.txt")
    ('lines', None)
    """
    dot = name.rfind(".")
    return None if dot < 0 or "/" in name[dot:] else _KINDS.get(name[dot:].lower())


def in_catalog_folder(relative: str) -> bool:
    """True when the file at ``relative`` (a path below a catalog folder) is one of its files.

    A catalog file's name ends as :data:`CATALOG_SUFFIXES` say; a file or folder
    whose name starts with ``.`` or ``_`` is left out, as Parquet data sets do
    (Spark's ``_temporary/`` and ``_SUCCESS``, ``.ipynb_checkpoints/``).

    >>> in_catalog_folder("2026/part-0001.jsonl"), in_catalog_folder("_temporary/0/part.jsonl")
    (True, False)
    """
    parts = relative.split("/")
    return catalog_file_kind(parts[-1]) is not None and not any(
        part.startswith((".", "_")) for part in parts
    )


def catalog_files(folder: Path) -> list[Path]:
    """Every catalog file under ``folder`` (sub-folders included), in path order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if in_catalog_folder(p.relative_to(folder).as_posix()) and p.is_file()
    )


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


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry's JSON value and location, or the reason it cannot be used.

    Attributes:
        location: where the entry came from (see :class:`EntryOutcome`).
        data: the decoded JSON value; None when ``error`` is set.
        error: why the entry cannot be used: invalid JSON, or a broken limit.
        gtin: the GTIN-14 of an entry with an ``error``, when it could be read.
    """

    location: str
    data: Any = None
    error: Problem | None = None
    gtin: str | None = None


def _gtin_of(data: Any) -> str | None:
    value = data.get("gtin") if isinstance(data, dict) else None
    if isinstance(value, str):
        try:
            return gtin_rules.normalize(value)
        except GtinError:
            return None
    return None


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
        raise EntryError(problems_from_validation_error(exc), gtin=_gtin_of(data)) from None


def json_error(exc: orjson.JSONDecodeError) -> Problem:
    """The problem of an entry whose text is not JSON."""
    return Problem(
        "", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", has_value=False
    )


def checked_entry(location: str, data: Any, limits: Limits, raw: bytes | None = None) -> RawEntry:
    """The entry ``data`` read at ``location``, or its broken limit (see :mod:`gs1ld.limits`)."""
    problem = entry_problem(data, limits, raw=raw)
    if problem is None:
        return RawEntry(location, data)
    return RawEntry(location, error=problem, gtin=_gtin_of(data))


def _too_long(size: int, limits: Limits) -> Problem:
    return Problem(
        "",
        f"entry is {size:,} bytes of JSON, over the limit of {limits.max_entry_bytes:,} "
        "(--max-entry-bytes)",
        has_value=False,
    )


def read_json_lines(
    stream: IO[bytes], name: str, limits: Limits, *, first_line: int = 1, end: int | None = None
) -> Iterator[RawEntry]:
    """Yield the entries of JSON Lines read from ``stream`` (named ``name`` in locations).

    Args:
        stream: the bytes, positioned at the start of a line.
        name: the catalog's name, for each entry's location (``name:line``).
        limits: the size and depth limits.
        first_line: the line number of the stream's first line.
        end: stop before the line that starts at or after this offset of the
            stream (one partition of a larger file); None reads to the end.
    """
    cap = limits.max_entry_bytes + 2  # the line ending is not part of the entry
    number = first_line - 1
    while (end is None or stream.tell() < end) and (line := stream.readline(cap + 1)):
        number += 1
        location = f"{name}:{number}"
        if len(line) > cap and not line.endswith(b"\n"):
            size = len(line)
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                size += len(rest)  # skipped, never held whole
            yield RawEntry(location, error=_too_long(size + len(rest), limits))
            continue
        if not line.strip():
            continue
        text = line.rstrip(b"\r\n")
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield RawEntry(location, error=json_error(exc))
            continue
        yield checked_entry(location, data, limits, text)


def read_json_file(path: Path, limits: Limits) -> Iterator[RawEntry]:
    """Yield the entries of one ``.json`` file (an entry or an array of entries)."""
    name = str(path)
    try:
        text = path.read_bytes()
    except OSError as exc:  # one unreadable file of a folder is that file's problem
        problem = Problem("", f"cannot read the file: {exc.strerror}", has_value=False)
        yield RawEntry(name, error=problem)
        return
    yield from read_json_bytes(name, text, limits)


def read_json_bytes(name: str, text: bytes, limits: Limits) -> Iterator[RawEntry]:
    """Yield the entries of one ``.json`` file's bytes, named ``name`` in locations."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield RawEntry(name, error=json_error(exc))
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield checked_entry(f"{name}[{index}]", item, limits)
    else:
        yield checked_entry(name, data, limits, text)


def iter_raw_entries(source: CatalogSource, *, limits: Limits | None = None) -> Iterator[RawEntry]:
    """Yield each entry's JSON value (or why it cannot be used) from a catalog, streaming.

    Args:
        source: a catalog file or folder (see the module doc), ``"-"`` for
            stdin, or a :class:`~gs1ld.catalog.source.RemoteCatalog` (read through fsspec).
        limits: the size and depth limits (default :class:`~gs1ld.limits.Limits`()).

    Raises:
        ParseError: the catalog itself cannot be opened (missing path, not a
            catalog, no access); problems inside entries are yielded, not raised.
    """
    limits = limits or Limits()
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
            yield from read_catalog_file(file, limits)
        return
    if not path.exists():
        raise ParseError(f"Catalog {str(path)!r} does not exist.")
    if catalog_file_kind(path.name) is None:
        raise ParseError(f"Catalog {str(path)!r} is not a catalog: {_NOT_A_CATALOG}.")
    yield from read_catalog_file(path, limits)


def read_catalog_file(path: Path, limits: Limits) -> Iterator[RawEntry]:
    """Yield the entries of one local catalog file, read as its name ending says."""
    kind = catalog_file_kind(path.name)
    if kind == "lines":
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
