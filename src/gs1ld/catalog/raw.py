"""What every catalog reader needs: file kinds, raw entries and the JSON readers.

The bottom of :mod:`gs1ld.catalog`: the readers of whole catalogs
(:mod:`~gs1ld.catalog.reader`), of catalogs at URLs (:mod:`~gs1ld.catalog.remote`),
of Parquet files (:mod:`~gs1ld.catalog.parquet`) and of parts
(:mod:`~gs1ld.catalog.parts`) all build on this module, and it imports none of them.

A catalog file is a ``.json`` file (one entry or an array of entries), JSON
Lines (``.jsonl``, ``.ndjson``: an entry a line) or Parquet (``.parquet``: an
entry a row); :func:`catalog_file_kind` tells them apart by the name's ending.
JSON Lines are read line by line, so a million-line catalog is never in memory
at once (a line longer than the entry limit is skipped without being held whole).
Each entry comes out as a :class:`RawEntry`: its JSON value, or why it cannot be
used.  Every entry is held to the :mod:`gs1ld.limits` (depth, size) here, at the
edge, so no later step meets one it cannot handle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from gs1ld import gtin as gtin_rules
from gs1ld.catalog.line_blocks import LineFilter, Scanned, scan_lines
from gs1ld.errors import GtinError, ParseError, Problem
from gs1ld.limits import Limits, entry_problem

__all__ = [
    "CATALOG_SUFFIXES",
    "RawEntry",
    "catalog_file_kind",
    "catalog_files",
    "checked_entry",
    "empty_catalog",
    "gtin_of",
    "in_catalog_folder",
    "json_error",
    "line_cap",
    "not_a_catalog",
    "read_json_bytes",
    "read_json_file",
    "read_json_lines",
    "scanned_entries",
]

_KINDS = {".json": "json", ".jsonl": "lines", ".ndjson": "lines", ".parquet": "parquet"}
CATALOG_SUFFIXES = tuple(_KINDS)
"""The file name endings a catalog file may have (a folder's other files are ignored)."""


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


def not_a_catalog(path: str) -> ParseError:
    """The error for a local ``path`` that exists but is not a catalog file or folder."""
    return ParseError(
        f"Catalog {path!r} is not a catalog: expected a .json file, a .jsonl (.ndjson) "
        "file, a .parquet file, a folder of them or '-' for JSON Lines on stdin."
    )


def gtin_of(data: Any) -> str | None:
    """The GTIN-14 of an entry's JSON value, or None when it has no valid one.

    The one reading of a raw entry's ``"gtin"``: what duplicates are told
    apart by, what a shuffle groups by and what a report names.

    >>> gtin_of({"gtin": "9506000134352"}), gtin_of({"gtin": "9506000134353"}), gtin_of([])
    ('09506000134352', None, None)
    """
    value = data.get("gtin") if isinstance(data, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return gtin_rules.normalize(value)
    except GtinError:
        return None


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry's JSON value and location, or the reason it cannot be used.

    Attributes:
        location: where the entry came from: ``catalog.jsonl:7``, ``dir/milk.json``
            or ``dir/many.json[2]`` (array index).
        data: the decoded JSON value; None when ``error`` is set.
        error: why the entry cannot be used: invalid JSON, or a broken limit.
        error_gtin: the GTIN-14 of an entry with an ``error``, read before its
            value was dropped (None when it had none, or was not JSON).
    """

    location: str
    data: Any = None
    error: Problem | None = None
    error_gtin: str | None = None

    @property
    def gtin(self) -> str | None:
        """The GTIN-14 the entry is published (or reported) under; None without a valid one."""
        return self.error_gtin if self.error is not None else gtin_of(self.data)


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
    return RawEntry(location, error=problem, error_gtin=gtin_of(data))


def _too_long(size: int, limits: Limits) -> Problem:
    return Problem(
        "",
        f"entry is {size:,} bytes of JSON, over the limit of {limits.max_entry_bytes:,} "
        "(--max-entry-bytes)",
        has_value=False,
    )


def read_json_lines(
    stream: IO[bytes],
    name: str,
    limits: Limits,
    *,
    first_line: int = 1,
    end: int | None = None,
    skip: LineFilter | None = None,
) -> Iterator[RawEntry]:
    """Yield the entries of JSON Lines read from ``stream`` (named ``name`` in locations).

    Args:
        stream: the bytes, positioned at the start of a line.
        name: the catalog's name, for each entry's location (``name:line``).
        limits: the size and depth limits.
        first_line: the line number of the stream's first line.
        end: stop before the line that starts at or after this offset of the
            stream (one partition of a larger file); None reads to the end.
        skip: told each line's text (within the size limit) before it is parsed;
            a line it passes over is neither parsed nor yielded (a rebuild passes
            over the lines it published unchanged).  Read to the end, the stream
            is then read in blocks (:mod:`~gs1ld.catalog.line_blocks`).
    """
    cap = line_cap(limits)
    if skip is not None and end is None:
        yield from scanned_entries(
            scan_lines(stream, cap, skip, first_line=first_line), name, limits, skip
        )
        return
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
        if line.isspace():  # (not empty: readline gives b"" only at the end)
            continue
        text = line.rstrip(b"\r\n")
        if skip is not None:
            if skip.pass_over(text):
                continue
            skip.read(location)
        yield _parsed(location, text, limits)


def line_cap(limits: Limits) -> int:
    """The longest line (with its ending) whose entry is within ``limits``."""
    return limits.max_entry_bytes + 2  # the line ending is not part of the entry


def scanned_entries(
    scanned: Iterable[Scanned], name: str, limits: Limits, skip: LineFilter
) -> Iterator[RawEntry]:
    """The entries of the lines a scan gave (:func:`~gs1ld.catalog.line_blocks.scan_lines`:
    those ``skip`` did not pass over), each told to ``skip`` as read."""
    for number, text in scanned:
        location = f"{name}:{number}"
        if isinstance(text, int):
            yield RawEntry(location, error=_too_long(text, limits))
        elif text and not text.isspace():
            skip.read(location)
            yield _parsed(location, text, limits)


def _parsed(location: str, text: bytes, limits: Limits) -> RawEntry:
    """The entry of one line's ``text``: its value, or why it cannot be used."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return RawEntry(location, error=json_error(exc))
    return checked_entry(location, data, limits, text)


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


def empty_catalog(name: str) -> ParseError:
    """The error of a catalog without a single entry.

    An export that failed upstream often leaves an empty file or folder; read as
    "no products", it would empty every site built from it, so it is refused.
    """
    return ParseError(
        f"Catalog {name!r} holds no entries: an empty catalog is refused rather than "
        "published (check the export that wrote it)."
    )
