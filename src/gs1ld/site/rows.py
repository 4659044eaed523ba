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
import itertools
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from gs1ld.publish import ManifestEntry

__all__ = ["RowFile", "RowStore"]

RUN_SIZE = 25_000
"""Rows sorted in memory at a time (some 30 MB of row objects)."""
FAN_IN = 256
"""Runs merged at once; more are first merged into longer runs (open files stay few)."""
BLOCK = 1000
"""Rows pickled together (a merge holds one block of each run it reads)."""
_RUNS = itertools.count(1)
"""Numbers run files apart within one process (the process id sets processes apart)."""


def _write_blocks(target: IO[bytes], rows: Iterable[ManifestEntry]) -> None:
    iterator = iter(rows)
    while block := list(islice(iterator, BLOCK)):
        pickle.dump(block, target, protocol=pickle.HIGHEST_PROTOCOL)


def _read(path: Path) -> Iterator[ManifestEntry]:
    with open(path, "rb") as source:
        while True:
            try:
                block: list[ManifestEntry] = pickle.load(source)
            except EOFError:
                return
            yield from block


@dataclass(frozen=True, slots=True)
class RowFile:
    """The finished rows of a build: read back in any order, by any process seeing ``path``.

    Attributes:
        path: the file of rows.
        count: how many rows it holds.
        run_size: rows sorted in memory at a time.
    """

    path: Path
    count: int
    run_size: int = RUN_SIZE

    def sorted(self, key: Callable[[ManifestEntry], Any]) -> Iterator[ManifestEntry]:
        """Every row in ``key`` order (ties in the order they were added)."""
        rows = _read(self.path)
        first = sorted(islice(rows, self.run_size), key=key)
        if len(first) < self.run_size:
            yield from first
            return
        runs = [self._spill(first)]
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
            yield from self._merge(runs, key)
        finally:
            for run in runs:
                run.unlink(missing_ok=True)

    def _merge(
        self, runs: list[Path], key: Callable[[ManifestEntry], Any]
    ) -> Iterator[ManifestEntry]:
        return heapq.merge(*(_read(run) for run in runs), key=key)

    def _spill(self, rows: Iterable[ManifestEntry]) -> Path:
        path = self.path.with_name(f"run-{os.getpid()}-{next(_RUNS)}.bin")
        with open(path, "wb") as target:
            _write_blocks(target, rows)
        return path


class RowStore:
    """An append-only file of :class:`ManifestEntry` rows in ``workdir``."""

    def __init__(self, workdir: Path, *, run_size: int = RUN_SIZE) -> None:
        self._dir = workdir
        self._dir.mkdir(parents=True, exist_ok=True)
        self._path = workdir / "rows.bin"
        self._file = open(self._path, "wb")  # noqa: SIM115 - closed by close()/sorted()
        self._pending: list[ManifestEntry] = []
        self._run_size = run_size
        self.count = 0

    def add(self, entry: ManifestEntry) -> None:
        """Append one row."""
        self._pending.append(entry)
        self.count += 1
        if len(self._pending) >= BLOCK:
            _write_blocks(self._file, self._pending)
            self._pending = []

    def close(self) -> None:
        """Finish appending (reading sorts the rows written so far)."""
        if not self._file.closed:
            _write_blocks(self._file, self._pending)
            self._pending = []
            self._file.close()

    def finished(self) -> RowFile:
        """Finish appending and give the rows as a file any process can sort."""
        self.close()
        return RowFile(self._path, self.count, self._run_size)

    def sorted(self, key: Callable[[ManifestEntry], Any]) -> Iterator[ManifestEntry]:
        """Every row in ``key`` order (ties in the order they were added)."""
        return self.finished().sorted(key)
