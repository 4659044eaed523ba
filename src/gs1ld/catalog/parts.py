"""Plan a catalog's parts and read one part: workers read them on their own, in catalog order.

:func:`plan_parts` sends a catalog to its cutter: a local file or folder is cut
here by the rules of :mod:`gs1ld.catalog.cutting` (JSON Lines into ranges of
lines, Parquet into runs of row groups, ``.json`` files into runs of files), a
catalog at a URL by :mod:`gs1ld.catalog.remote`, whose parts carry the URL and
storage options, so each worker opens its own range of the object.
:func:`read_part` sends a part to its reader.  Each entry gets a *position* that
orders it as the catalog does (the part's index, then its place in the part),
so the first of several entries with one GTIN is found wherever they were read.
:func:`read_part_located` also says where each entry of a local JSON Lines
range lies, so a worker can read it again there (:class:`EntryReader`) instead
of receiving its text from another worker.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import orjson

from gs1ld.catalog.cutting import CatalogPart, folder_parts, line_ranges, row_group_runs
from gs1ld.catalog.raw import (
    RawEntry,
    catalog_file_kind,
    catalog_files,
    empty_catalog,
    not_a_catalog,
    read_json_file,
    read_json_lines,
)
from gs1ld.catalog.source import CatalogSource, RemoteCatalog
from gs1ld.errors import ParseError
from gs1ld.limits import Limits

__all__ = [
    "BLOCK_SIZE",
    "CatalogPart",
    "EntryReader",
    "Where",
    "plan_parts",
    "read_part",
    "read_part_located",
]

BLOCK_SIZE = 16 * 1024 * 1024
"""Bytes of catalog a part holds (about 8,000 entries)."""
_READ_SIZE = 1 << 20
"""Bytes read at a time while a JSON Lines file is cut into ranges."""
_PLACES = 1 << 32
"""Positions per part: a part holds fewer entries than this."""

Where = tuple[int, int]
"""Where an entry lies in its part's JSON Lines file: (byte offset of its line, line number)."""


def _local_file_parts(path: Path, block_size: int) -> list[CatalogPart]:
    """The parts of one local catalog file."""
    kind = catalog_file_kind(path.name)
    if kind == "lines":
        return _line_ranges(path, block_size)
    if kind == "parquet":
        from gs1ld.catalog.parquet import parquet_row_groups  # imports pyarrow

        return row_group_runs(str(path), parquet_row_groups(str(path), str(path)), block_size)
    return [CatalogPart(0, files=(str(path),), nbytes=path.stat().st_size)]


def _line_ranges(path: Path, block_size: int) -> list[CatalogPart]:
    """Cut a local JSON Lines file by reading it, never by mapping it: the pages of
    a mapped file count as the process's own memory, and a driver that planned a
    150 MB shard that way held all of it."""
    with open(path, "rb") as handle:
        return line_ranges(handle, str(path), block_size, read_size=_READ_SIZE)


def plan_parts(source: CatalogSource, *, block_size: int = BLOCK_SIZE) -> list[CatalogPart]:
    """The parts of ``source`` (a catalog file, or a folder of them).

    Args:
        source: the catalog.
        block_size: bytes of catalog a part holds at most (a longer line or
            file makes a part of its own).

    Raises:
        ParseError: the catalog cannot be opened, holds nothing, or is standard
            input (which cannot be cut: build it in one process).
    """
    parts = _plan(source, block_size)
    if not parts:
        raise empty_catalog(str(source))
    return parts


def _plan(source: CatalogSource, block_size: int) -> list[CatalogPart]:
    if isinstance(source, RemoteCatalog):
        from gs1ld.catalog.remote import plan_remote_parts  # imports fsspec

        return plan_remote_parts(source, block_size)
    path = Path(source)
    if str(source) == "-":
        raise ParseError("A catalog on standard input cannot be cut into parts; pass a file.")
    if path.is_dir():
        files = ((str(file), file.stat().st_size) for file in catalog_files(path))
        return folder_parts(
            files, block_size, lambda name, _: _local_file_parts(Path(name), block_size)
        )
    if not path.exists():
        raise ParseError(f"Catalog {str(path)!r} does not exist.")
    if catalog_file_kind(path.name) is None:
        raise not_a_catalog(str(path))
    return _local_file_parts(path, block_size)


def read_part(part: CatalogPart, limits: Limits) -> Iterator[tuple[int, RawEntry]]:
    """Yield (position, entry) for every entry of one part, in catalog order."""
    base = part.index * _PLACES
    if part.storage is not None:
        from gs1ld.catalog.remote import read_remote_part  # imports fsspec

        for n, raw in enumerate(read_remote_part(part, limits)):
            yield base + n, raw
        return
    if part.row_groups:
        from gs1ld.catalog.parquet import parquet_entries  # imports pyarrow

        entries = parquet_entries(
            part.path, part.path, limits, row_groups=part.row_groups, first_row=part.first_line
        )
        for n, raw in enumerate(entries):
            yield base + n, raw
        return
    if part.path:
        with open(part.path, "rb") as stream:
            stream.seek(part.start)
            entries = read_json_lines(
                stream, part.path, limits, first_line=part.first_line, end=part.end
            )
            for n, raw in enumerate(entries):
                yield base + n, raw
        return
    n = 0
    for file in part.files:
        for raw in read_json_file(Path(file), limits):
            yield base + n, raw
            n += 1


def read_part_located(
    part: CatalogPart, limits: Limits
) -> Iterator[tuple[int, RawEntry, Where | None]]:
    """Yield (position, entry, where) for every entry of one part, as :func:`read_part` does.

    ``where`` is set for a readable entry of a local JSON Lines range, which
    :class:`EntryReader` reads again from it; None for any other entry (one
    with an error, or from a ``.json`` file, Parquet or a URL).
    """
    if part.storage is not None or part.row_groups or not part.path:
        for position, raw in read_part(part, limits):
            yield position, raw, None
        return
    base = part.index * _PLACES
    n = 0
    number = part.first_line
    with open(part.path, "rb") as stream:
        stream.seek(part.start)
        offset = part.start
        while offset < part.end:
            # one line at a time (the reader stops before the line after ``offset``),
            # so each entry is read by the very rules of a whole read
            for raw in read_json_lines(
                stream, part.path, limits, first_line=number, end=offset + 1
            ):
                yield base + n, raw, (offset, number) if raw.error is None else None
                n += 1
            following = stream.tell()
            if following == offset:  # the end of the file
                return
            offset = following
            number += 1


class EntryReader:
    """Reads readable entries of JSON Lines parts again where :func:`read_part_located` found them.

    Files stay open until :meth:`close` (or the end of a ``with`` block), so a
    worker reading many entries of one shard opens it once.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        """``paths[i]``: the JSON Lines file of the part with index ``i``."""
        self._paths = paths
        self._open: dict[str, IO[bytes]] = {}

    def entry(self, position: int, where: Where) -> RawEntry:
        """The entry at ``position`` of the catalog, which lies at ``where``.

        Raises:
            ParseError: the line there is no longer JSON (the file changed since).
        """
        path = self._paths[position // _PLACES]
        stream = self._open.get(path)
        if stream is None:
            stream = self._open[path] = open(path, "rb")  # noqa: SIM115 (closed by close())
        offset, number = where
        stream.seek(offset)
        try:
            return RawEntry(f"{path}:{number}", orjson.loads(stream.readline().rstrip(b"\r\n")))
        except orjson.JSONDecodeError:
            raise ParseError(
                f"Catalog file {path!r} changed during the build: line {number} no longer holds "
                "the entry read there first; build again once it is written."
            ) from None

    def close(self) -> None:
        for stream in self._open.values():
            stream.close()
        self._open.clear()

    def __enter__(self) -> EntryReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
