"""The summary rows of a build, spilled to disk and read back in any order.

Every site-wide file (manifest partitions, sitemaps, index pages, link maps) is
made from one row per published product, each in its own order.  Holding the
rows in a list costs memory in the size of the site; here they are appended to
a JSON Lines file and each order is an external merge sort: runs of
``run_size`` rows sorted in memory, spilled, and merged lazily.  Memory stays
at one run whatever the site's size.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from gs1ld.publish import ManifestEntry

__all__ = ["RowStore"]

RUN_SIZE = 25_000
"""Rows sorted in memory at a time (some 30 MB of row objects)."""
FAN_IN = 256
"""Runs merged at once; more are first merged into longer runs (open files stay few)."""


class RowStore:
    """An append-only file of :class:`ManifestEntry` rows in ``workdir``."""

    def __init__(self, workdir: Path, *, run_size: int = RUN_SIZE) -> None:
        self._dir = workdir
        self._dir.mkdir(parents=True, exist_ok=True)
        self._path = workdir / "rows.jsonl"
        self._file = open(self._path, "wb")  # noqa: SIM115 - closed by close()/sorted()
        self._run_size = run_size
        self._runs = 0
        self.count = 0

    def add(self, entry: ManifestEntry) -> None:
        """Append one row."""
        self._file.write(orjson.dumps(entry.to_row()) + b"\n")
        self.count += 1

    def close(self) -> None:
        """Finish appending (reading sorts the rows written so far)."""
        if not self._file.closed:
            self._file.close()

    def _read(self, path: Path) -> Iterator[ManifestEntry]:
        with open(path, "rb") as source:
            for line in source:
                yield ManifestEntry.from_row(orjson.loads(line))

    def sorted(self, key: Callable[[ManifestEntry], Any]) -> Iterator[ManifestEntry]:
        """Every row in ``key`` order (ties in the order they were added)."""
        self.close()
        rows = self._read(self._path)
        first = sorted(islice(rows, self._run_size), key=key)
        if len(first) < self._run_size:
            yield from first
            return
        runs = [self._spill(first)]
        try:
            while chunk := sorted(islice(rows, self._run_size), key=key):
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
        return heapq.merge(*(self._read(run) for run in runs), key=key)

    def _spill(self, rows: Iterable[ManifestEntry]) -> Path:
        self._runs += 1
        path = self._dir / f"run-{os.getpid()}-{self._runs}.jsonl"
        with open(path, "wb") as target:
            target.writelines(orjson.dumps(row.to_row()) + b"\n" for row in rows)
        return path
