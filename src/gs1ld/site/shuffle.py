"""The in-process build's shuffle: a catalog's entries grouped by GTIN, on disk.

The in-process build stages its catalog the way a Dask build stages one
partition (:func:`~gs1ld.site.partition.stage_partition`), so one piece of code
owns the rules of duplicates, carried-over products and kept previous versions,
and no build holds a set of every GTIN.  Every entry is spilled as a
:data:`SortedEntry` to an external sort (:class:`~gs1ld.site.rows.RowStore`); read
back, the entries of one GTIN lie side by side (a duplicate is found by its
neighbour), and the GTINs come in the order of their manifest partitions, so
the previous manifest is read one partition at a time, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from gs1ld.catalog import RawEntry
from gs1ld.publish import partition_key
from gs1ld.site.partition import Packed, pack_entry
from gs1ld.site.rows import RowFile, RowStore

__all__ = ["SortedEntry", "gtin_runs", "shuffle_entries"]

SortedEntry = tuple[str, str, int, Packed]
"""(partition key of the GTIN, the GTIN, catalog position, the packed entry).

An entry without a GTIN has ``""`` for both: such entries come first and are
only ever reported.
"""

_RUN_SIZE = 8192
"""Records sorted in memory at a time (some 20 MB of catalog entries)."""
_BLOCK = 64
"""Records pickled together: a merge holds one block of each of its runs."""

sort_key = itemgetter(0, 1, 2)
"""The shuffle's order: partition key, GTIN, catalog position."""


def shuffle_entries(entries: Iterable[RawEntry], workdir: Path) -> RowFile[SortedEntry]:
    """Spill ``entries`` (numbered in catalog order from 0) to ``workdir``, ready to sort."""
    store: RowStore[SortedEntry] = RowStore(
        workdir, name="entries.bin", run_size=_RUN_SIZE, block=_BLOCK
    )
    for position, raw in enumerate(entries):
        gtin = raw.gtin or ""
        store.add((partition_key(gtin) if gtin else "", gtin, position, pack_entry(raw)))
    return store.finished()


def gtin_runs(records: Iterator[SortedEntry], size: int) -> Iterator[list[SortedEntry]]:
    """Consecutive records in runs of about ``size``, never cutting one GTIN's entries apart.

    ``records`` must be in :data:`sort_key` order.
    """
    run: list[SortedEntry] = []
    for record in records:
        if len(run) >= size and (not record[1] or record[1] != run[-1][1]):
            yield run
            run = []
        run.append(record)
    if run:
        yield run
