"""Render a site's products on a Dask cluster: read in parts, shuffle by GTIN, stage on workers.

The catalog is cut into parts (:mod:`gs1ld.catalog.parts`) that workers read
on their own.  Every entry is keyed by its GTIN's partition hash (its bucket),
and each bucket belongs to one stage task (a contiguous range of buckets per
task), so all entries of one GTIN meet on one worker, which stages them
(:func:`~gs1ld.site.partition.stage_partition`): duplicates reported,
unchanged products carried over (hard-linked from the live site, or for a site
on object storage left where they are), changed ones rendered and written into
the staging site.

The shuffle (Dask bag's task shuffle) moves an index, not the catalog: an
entry of a local JSON Lines file travels as its place in the file (byte offset
and line number), and the stage task reads it again there; only other entries
(from ``.json`` files, Parquet, a URL, or unreadable ones) travel whole.  Each
read task hands over one list of records per stage task, keyed by that task's
number, so the shuffle groups a few lists instead of every entry.

Workers return summary rows only, and the driver streams them, one finished
task at a time, into the build's :class:`~gs1ld.site.rows.SummaryRows`, from
which the site-wide files are written exactly as the in-process build writes
them: both engines give the same bytes.  A task whose worker dies is run
again by Dask (its inputs recomputed if they died with it); staging a product
twice writes the same files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from gs1ld.catalog import RawEntry
from gs1ld.catalog.parts import (
    CatalogPart,
    EntryReader,
    Where,
    plan_parts,
    read_part_located,
)
from gs1ld.catalog.source import CatalogSource
from gs1ld.config import SiteConfig
from gs1ld.limits import Limits
from gs1ld.publish import Manifest, partition_depth
from gs1ld.site.partition import (
    Packed,
    StagedRow,
    bucket_of,
    pack_entry,
    previous_lookup,
    stage_partition,
    unpack_entry,
)
from gs1ld.site.report import BuildProgress, BuildReport, Tally
from gs1ld.site.rows import SummaryRows

__all__ = ["render_on_cluster"]

_PARTS_PER_WORKER = 16
"""Catalog parts (and so stage tasks) per worker at least, so no worker idles long while another
finishes its last task: 16 parts at 100,000 products made 16 stage tasks of some 6,000 products,
up to half a minute each on a busy machine."""
_MIN_PART_BYTES = 64 * 1024

Record = tuple[int, int, Where | Packed]
"""(bucket number, catalog position, where to read the entry or the entry itself).

The bucket number is the bucket's hex digits read as a number (-1 for an entry
without a readable GTIN, which can only be reported).
"""
Share = tuple[int, list[Record]]
"""(stage task, the records one read task hands it): what the shuffle moves."""


def _stage_task(bucket: int, depth: int, tasks: int) -> int:
    """The stage task of a bucket: buckets split into ``tasks`` contiguous, equal ranges."""
    return max(0, bucket) * tasks >> (4 * depth)


def _read(parts: Iterable[CatalogPart], limits: Limits, depth: int, tasks: int) -> list[Share]:
    """Worker side: read parts and index each entry under its bucket's stage task.

    A list, not a generator: the shuffle sends partitions between workers, and
    a generator cannot be pickled (Dask then waits forever for the transfer).
    """
    shares: list[list[Record]] = [[] for _ in range(tasks)]
    for part in parts:
        for position, raw, where in read_part_located(part, limits):
            key = bucket_of(raw, depth)
            bucket = int(key, 16) if key else -1
            record = (bucket, position, where if where is not None else pack_entry(raw))
            shares[_stage_task(bucket, depth, tasks)].append(record)
    return [(task, share) for task, share in enumerate(shares) if share]


def _task_of(share: Share) -> int:
    return share[0]


def _same(task: int) -> int:
    """The shuffle's hash of a stage task: the task's number, so task n is output partition n."""
    return task


def _entries(reader: EntryReader, records: Iterable[Record]) -> Iterable[tuple[int, RawEntry]]:
    """(position, entry) of each record, read where it lies or unpacked."""
    for _, position, payload in records:
        if isinstance(payload, tuple) and isinstance(payload[0], int):
            yield position, reader.entry(position, payload)
        else:
            yield position, unpack_entry(payload)


def _stage(
    groups: Iterable[tuple[int, list[Share]]],
    paths: Sequence[str],
    site: str,
    staging: str,
    config: SiteConfig,
    version: str,
) -> list[StagedRow]:
    """Worker side: stage every bucket of one stage task, reading its entries where they lie.

    ``paths[i]`` is the file of the catalog part with index ``i``.
    """
    previous = previous_lookup(Manifest.read_or_none(Path(site)))
    records = sorted(
        (record for _, shares in groups for _, share in shares for record in share),
        key=itemgetter(0, 1),
    )
    rows: list[StagedRow] = []
    with EntryReader(paths) as reader:
        for _, bucket in groupby(records, key=itemgetter(0)):  # one bucket at a time
            rows.extend(
                stage_partition(
                    _entries(reader, bucket),
                    site=Path(site),
                    staging=Path(staging),
                    config=config,
                    version=version,
                    previous=previous,
                )
            )
    return rows


def render_on_cluster(
    client: Any,
    catalog: CatalogSource,
    site: Path,
    staging: Path,
    *,
    config: SiteConfig,
    version: str,
    previous_count: int,
    rows: SummaryRows,
    limits: Limits,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Stage every product of ``catalog`` into ``staging`` on the cluster of ``client``.

    Args:
        client: a ``distributed.Client``.
        catalog: any catalog but standard input (JSON, JSON Lines or Parquet
            files, or a folder of them), on a file system every worker sees at
            the same path, or at a URL.
        site: the live site (every worker must see it too).
        staging: the staging site the workers write into.
        config: the site options.
        version: gs1ld's version.
        previous_count: how many products the live site publishes.
        rows: receives the summary row of every published product.
        limits: the size and depth limits each entry is held to.
        progress: told of every finished part and the entries it staged.

    Returns:
        The counts and the invalid products, in catalog order.
    """
    import dask.bag as db
    from dask.bag.core import groupby_tasks
    from distributed import as_completed

    parts = plan_parts(catalog, block_size=config.part_bytes)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    if 0 < len(parts) < _PARTS_PER_WORKER * workers:  # too few tasks to keep every worker busy
        total = sum(part.nbytes for part in parts)
        smaller = max(_MIN_PART_BYTES, total // (_PARTS_PER_WORKER * workers))
        if smaller < config.part_bytes:
            parts = plan_parts(catalog, block_size=smaller)
    tally = Tally(rows)
    if not parts:
        return tally.report(previous_count)
    depth = max(1, partition_depth(sum(part.size for part in parts)))
    tasks = len(parts)
    paths = [""] * (1 + max(part.index for part in parts))  # the file of each part, by index
    for part in parts:
        paths[part.index] = part.path
    shares = db.from_sequence(parts, npartitions=len(parts)).map_partitions(
        _read, limits, depth, tasks
    )
    grouped = groupby_tasks(shares, _task_of, hash=_same)  # stage task n: output partition n
    staged = grouped.map_partitions(_stage, paths, str(site), str(staging), config, version)
    futures = client.compute(staged.to_delayed())
    told = progress or BuildProgress()
    for done, future in enumerate(as_completed(futures), start=1):
        told.entries(tally.add(future.result()))
        told.part(done, len(futures))
        future.release()
    return tally.report(previous_count)
