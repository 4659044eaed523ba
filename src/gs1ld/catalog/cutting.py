"""Cut a catalog into parts that workers read on their own, in catalog order.

A JSON Lines file is cut into byte ranges that each start at a line, with
the number of that line, so a worker reads its range and names every entry
exactly as a whole read would (``catalog.jsonl:1234``).  A Parquet file is cut
into runs of row groups, with the index of their first row
(``catalog.parquet[5000]``).  ``.json`` files are grouped into runs of files.  A
folder is its files in path order, each cut as above (a catalog of 16 JSON
Lines shards gives the ranges of each shard in turn).  The cutting reads bytes
and sizes only, the same for a local file and an object at a URL; which files
there are, and how to read a part, is :mod:`gs1ld.catalog.parts`' dispatch (local)
and :mod:`gs1ld.catalog.remote`'s (at a URL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import IO

from gs1ld.catalog.raw import catalog_file_kind
from gs1ld.catalog.source import RemoteCatalog

__all__ = [
    "CatalogPart",
    "file_runs",
    "folder_parts",
    "line_ranges",
    "row_group_runs",
    "sequence",
]


@dataclass(frozen=True, slots=True)
class CatalogPart:
    """One part of a catalog.

    Attributes:
        index: where the part comes in the catalog (from 0).
        path: the JSON Lines file of a range or the Parquet file of a run of row
            groups; "" for a run of ``.json`` files.
        start: the range's first byte (at the start of a line).
        end: the byte after the range (the start of the next part's first line).
        first_line: the line number of the range's first line; for Parquet, the
            index of the run's first row.
        files: the ``.json`` files of a run, in catalog order.
        lines: newlines in the range, or rows in the row groups (about how many
            entries it holds).
        row_groups: the Parquet row groups of the part.
        nbytes: bytes of catalog the part reads.
        storage: the catalog URL and its storage options when ``path`` and
            ``files`` are URLs read through fsspec; None for local files.
    """

    index: int
    path: str = ""
    start: int = 0
    end: int = 0
    first_line: int = 1
    files: tuple[str, ...] = ()
    lines: int = 0
    nbytes: int = 0
    storage: RemoteCatalog | None = None
    row_groups: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        """About how many entries the part holds."""
        return self.lines if self.path else len(self.files)


def sequence(runs: Sequence[list[CatalogPart]]) -> list[CatalogPart]:
    """The parts of several files' runs, numbered in catalog order."""
    return [replace(part, index=n) for n, part in enumerate(p for run in runs for p in run)]


def row_group_runs(
    path: str,
    groups: Sequence[tuple[int, int, int]],
    block_size: int,
    storage: RemoteCatalog | None = None,
) -> list[CatalogPart]:
    """Cut a Parquet file's row groups into runs of about ``block_size`` bytes.

    Args:
        path: the file (its path, or its URL when ``storage`` is given).
        groups: (index, rows, bytes) of each row group, in file order
            (:func:`gs1ld.catalog.parquet.parquet_row_groups`).
        block_size: bytes a run holds at most (a larger row group is a run of its own).
        storage: the catalog URL and options when ``path`` is read through fsspec.

    Returns:
        The parts, numbered from 0, each with the index of its first row.
    """
    parts: list[CatalogPart] = []
    run: list[int] = []
    rows = nbytes = first = 0

    def cut() -> None:
        parts.append(
            CatalogPart(
                len(parts),
                path,
                first_line=first,
                lines=rows,
                nbytes=nbytes,
                storage=storage,
                row_groups=tuple(run),
            )
        )

    for index, count, size in groups:
        if run and nbytes + size > block_size:
            cut()
            first, run, rows, nbytes = first + rows, [], 0, 0
        run.append(index)
        rows += count
        nbytes += size
    if run:
        cut()
    return parts


def folder_parts(
    files: Iterable[tuple[str, int]],
    block_size: int,
    cut: Callable[[str, int], list[CatalogPart]],
    storage: RemoteCatalog | None = None,
) -> list[CatalogPart]:
    """The parts of a folder's (name, size) files, in order: runs of ``.json`` files,
    every other file cut on its own by ``cut`` (line ranges, row-group runs)."""
    runs: list[list[CatalogPart]] = []
    singles: list[tuple[str, int]] = []
    for name, size in files:
        if catalog_file_kind(name) == "json":
            singles.append((name, size))
            continue
        if singles:
            runs.append(file_runs(singles, block_size, storage))
            singles = []
        runs.append(cut(name, size))
    if singles:
        runs.append(file_runs(singles, block_size, storage))
    return sequence(runs)


def line_ranges(
    stream: IO[bytes],
    path: str,
    block_size: int,
    *,
    read_size: int,
    storage: RemoteCatalog | None = None,
) -> list[CatalogPart]:
    """Cut the JSON Lines read from ``stream`` into ranges of about ``block_size`` bytes.

    Each range ends at the first line end at or after its ``block_size``-th byte
    and carries the number of its first line; the stream is read ``read_size``
    bytes at a time, never held whole (a local file or an object at a URL alike).

    Args:
        stream: the bytes, from the start.
        path: the file or URL each part names.
        block_size: the bytes a range holds before it looks for a line end.
        read_size: the bytes read at a time.
        storage: the catalog URL and its options, for an object read through fsspec.
    """
    parts: list[CatalogPart] = []
    part_start, first_line, lines, offset = 0, 1, 0, 0

    def add(end: int) -> None:
        nonlocal part_start, first_line, lines
        parts.append(
            CatalogPart(
                len(parts),
                path,
                part_start,
                end,
                first_line,
                lines=lines,
                nbytes=end - part_start,
                storage=storage,
            )
        )
        part_start, first_line, lines = end, first_line + lines, 0

    while chunk := stream.read(read_size):
        at = 0
        while True:
            cut = chunk.find(b"\n", max(part_start + block_size - 1 - offset, at))
            if cut < 0:
                lines += chunk.count(b"\n", at)
                break
            lines += chunk.count(b"\n", at, cut + 1)
            add(offset + cut + 1)
            at = cut + 1
        offset += len(chunk)
    if part_start < offset:
        add(offset)
    return parts


def file_runs(
    files: list[tuple[str, int]], block_size: int, storage: RemoteCatalog | None = None
) -> list[CatalogPart]:
    """Cut (file, size) pairs, in catalog order, into runs of at most ``block_size`` bytes."""
    parts: list[CatalogPart] = []
    run: list[str] = []
    size = 0
    for file, nbytes in files:
        if run and size + nbytes > block_size:
            parts.append(CatalogPart(len(parts), files=tuple(run), nbytes=size, storage=storage))
            run, size = [], 0
        run.append(file)
        size += nbytes
    if run:
        parts.append(CatalogPart(len(parts), files=tuple(run), nbytes=size, storage=storage))
    return parts
