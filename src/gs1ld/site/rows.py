"""The summary rows of a build, spilled to disk and read back in any order.

Every site-wide file (manifest partitions, sitemaps, index pages, link maps) is
made from one row per published product, each in its own order.  Holding the
rows in a list costs memory in the size of the site; here they are appended to
a file and each order is an external merge sort: runs of ``run_size`` rows
sorted in memory, spilled, and merged lazily.  Memory stays at one run whatever
the site's size.

The files are private to one build and read back by the process that wrote
them, so rows are stored as pickled blocks of :data:`BLOCK` rows: reading and
writing them is a few C calls per block, where JSON cost a parse and a
:class:`ManifestEntry` construction per row each of the ten times a row is read
(half the site-wide phase's time).  A finished store is a :class:`RowFile`,
which any process that sees the folder can sort on its own: the site-wide
files are written by several processes at once (:mod:`gs1ld.site.sitewide`).
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from gs1ld.publish import ManifestEntry

__all__ = ["RowFile", "RowStore", "SummaryRows"]

T = TypeVar("T")

RUN_SIZE = 25_000
"""Rows sorted in memory at a time (some 30 MB of row objects)."""
FAN_IN = 256
"""Runs merged at once; more are first merged into longer runs (open files stay few)."""
BLOCK = 1000
"""Rows pickled together (a merge holds one block of each run it reads)."""


def _write_blocks(target: IO[bytes], rows: Iterable[T], block: int) -> None:
    iterator = iter(rows)
    while chunk := list(islice(iterator, block)):
        pickle.dump(chunk, target, protocol=pickle.HIGHEST_PROTOCOL)


def _read(path: Path) -> Iterator[Any]:
    with open(path, "rb") as source:
        while True:
            try:
                block: list[Any] = pickle.load(source)
            except EOFError:
                return
            yield from block


@dataclass(frozen=True, slots=True)
class RowFile(Generic[T]):
    """Finished rows: read back in any order, by any process seeing ``path``.

    Attributes:
        path: the file of rows.
        count: how many rows it holds.
        run_size: rows sorted in memory at a time.
        block: rows pickled together.
    """

    path: Path
    count: int
    run_size: int = RUN_SIZE
    block: int = BLOCK

    def sorted(self, key: Callable[[T], Any]) -> Iterator[T]:
        """Every row in ``key`` order (ties in the order they were added)."""
        with self.ordered(key) as rows:
            yield from rows()

    @contextmanager
    def ordered(self, key: Callable[[T], Any]) -> Iterator[Callable[[], Iterator[T]]]:
        """Read the rows in ``key`` order as often as needed while the context lasts.

        The runs are sorted once; each call of the function given merges them
        again (a build that first checks whether anything changed, then builds,
        reads its catalog twice but sorts it once).
        """
        rows = _read(self.path)
        first = sorted(islice(rows, self.run_size), key=key)
        if len(first) < self.run_size:
            yield lambda: iter(first)
            return
        runs = [self._spill(first)]
        first = []  # the run is on disk; the merge must not hold it too
        try:
            while chunk := sorted(islice(rows, self.run_size), key=key):
                runs.append(self._spill(chunk))
            while len(runs) > FAN_IN:
                merged = [
                    self._spill(self._merge(runs[i : i + FAN_IN], key))
                    for i in range(0, len(runs), FAN_IN)
                ]
                runs, old = merged, runs
                for run in old:
                    run.unlink(missing_ok=True)
            yield lambda: self._merge(runs, key)
        finally:
            for run in runs:
                run.unlink(missing_ok=True)

    def _merge(self, runs: list[Path], key: Callable[[T], Any]) -> Iterator[T]:
        return heapq.merge(*(_read(run) for run in runs), key=key)

    def _spill(self, rows: Iterable[T]) -> Path:
        """Write a sorted run beside the rows, under a name no other process takes: the
        site-wide jobs of a cluster sort the same rows on workers that may share a
        process id (one per host or container) and the folder."""
        descriptor, name = tempfile.mkstemp(prefix="run-", suffix=".bin", dir=self.path.parent)
        try:
            with os.fdopen(descriptor, "wb") as target:
                _write_blocks(target, rows, self.block)
        except BaseException:
            os.unlink(name)  # (a full disk: the part written goes)
            raise
        return Path(name)


class RowStore(Generic[T]):
    """An append-only file of picklable rows in ``workdir`` (a build's manifest entries,
    or the catalog entries the in-process build shuffles).

    Args:
        workdir: the folder of the file and of its sort runs.
        name: the file's name in ``workdir``.
        run_size: rows sorted in memory at a time.
        block: rows pickled together; a merge holds one block of each run, so
            large rows take small blocks.
    """

    def __init__(
        self, workdir: Path, *, name: str = "rows.bin", run_size: int = RUN_SIZE, block: int = BLOCK
    ) -> None:
        self._dir = workdir
        self._dir.mkdir(parents=True, exist_ok=True)
        self._path = workdir / name
        self._file = open(self._path, "wb")  # noqa: SIM115 - closed by close()/sorted()
        self._pending: list[T] = []
        self._run_size = run_size
        self._block = block
        self.count = 0

    def add(self, row: T) -> None:
        """Append one row."""
        self._pending.append(row)
        self.count += 1
        if len(self._pending) >= self._block:
            _write_blocks(self._file, self._pending, self._block)
            self._pending = []

    def close(self) -> None:
        """Finish appending (reading sorts the rows written so far)."""
        if not self._file.closed:
            _write_blocks(self._file, self._pending, self._block)
            self._pending = []
            self._file.close()

    def finished(self) -> RowFile[T]:
        """Finish appending and give the rows as a file any process can sort."""
        self.close()
        return RowFile(self._path, self.count, self._run_size, self._block)

    def sorted(self, key: Callable[[T], Any]) -> Iterator[T]:
        """Every row in ``key`` order (ties in the order they were added)."""
        return self.finished().sorted(key)


class SummaryRows:
    """A build's summary rows, stored twice: whole, and as listed.

    The manifest and the host maps need a row whole (digest, page digest,
    links); the sitemaps and the listing pages need only its GTIN, name, brand
    and ``lastmod``, and read the rows four times.  Reading rows without their
    links costs a third as much, so each row is also kept as listed.

    Args:
        workdir: the folder of both files and their sort runs.
        run_size: rows sorted in memory at a time.
    """

    def __init__(self, workdir: Path, *, run_size: int = RUN_SIZE) -> None:
        self._whole: RowStore[ManifestEntry] = RowStore(workdir, run_size=run_size)
        self._listed: RowStore[ManifestEntry] = RowStore(
            workdir, name="listed.bin", run_size=run_size
        )

    @property
    def count(self) -> int:
        """Rows added so far."""
        return self._whole.count

    def add(self, entry: ManifestEntry) -> None:
        """Append one row."""
        self._whole.add(entry)
        self._listed.add(ManifestEntry(entry.gtin, "", entry.name, entry.brand, entry.lastmod))

    def close(self) -> None:
        """Finish appending."""
        self._whole.close()
        self._listed.close()

    def finished(self) -> tuple[RowFile[ManifestEntry], RowFile[ManifestEntry]]:
        """The rows whole and as listed, as files any process can sort."""
        return self._whole.finished(), self._listed.finished()
