"""Render a site's products on a Dask cluster: read in parts, shuffle by GTIN, stage on workers.

The catalog is cut into parts (:mod:`gs1ld.catalog.parts`) that workers read
on their own; every entry is keyed by its GTIN's partition hash and the entries
are shuffled (a Dask bag ``groupby``), so all entries of one GTIN meet on one
worker, which stages them (:func:`~gs1ld.site.partition.stage_partition`):
duplicates reported, unchanged products carried over (hard-linked from the
live site, or for a site on object storage left where they are), changed ones
rendered and written into the staging site.  Workers return
summary rows only, and the driver streams them, one finished task at a time,
into the build's :class:`~gs1ld.site.rows.SummaryRows`, from which the site-wide
files are written exactly as the in-process build writes them: both engines
give the same bytes.  A task whose worker dies is run again by Dask; staging
a product twice writes the same files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gs1ld.catalog.parts import CatalogPart, plan_parts, read_part
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

_PARTS_PER_WORKER = 4
"""Catalog parts per worker at least, so no worker idles while another finishes a large part."""
_MIN_PART_BYTES = 64 * 1024

BucketedEntry = tuple[str, int, Packed]
"""(bucket, catalog position, entry): what the shuffle moves (the whole catalog, at its barrier)."""


def _read(parts: Iterable[CatalogPart], limits: Limits, depth: int) -> list[BucketedEntry]:
    """Worker side: read parts and key each entry by its GTIN's bucket.

    A list, not a generator: the shuffle sends partitions between workers, and
    a generator cannot be pickled (Dask then waits forever for the transfer).
    """
    return [
        (bucket_of(raw, depth), position, pack_entry(raw))
        for part in parts
        for position, raw in read_part(part, limits)
    ]


def _key(record: BucketedEntry) -> str:
    return record[0]


def _stage(
    groups: Iterable[tuple[str, list[BucketedEntry]]],
    site: str,
    staging: str,
    config: SiteConfig,
    version: str,
) -> list[StagedRow]:
    """Worker side: stage every bucket of one shuffled partition."""
    previous = previous_lookup(Manifest.read_or_none(Path(site)))
    rows: list[StagedRow] = []
    for _, records in groups:
        rows.extend(
            stage_partition(
                ((position, unpack_entry(record)) for _, position, record in records),
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
    entries = db.from_sequence(parts, npartitions=len(parts)).map_partitions(_read, limits, depth)
    grouped = entries.groupby(_key, npartitions=len(parts), shuffle="tasks")
    staged = grouped.map_partitions(_stage, str(site), str(staging), config, version)
    futures = client.compute(staged.to_delayed())
    told = progress or BuildProgress()
    for done, future in enumerate(as_completed(futures), start=1):
        told.entries(tally.add(future.result()))
        told.part(done, len(futures))
        future.release()
    return tally.report(previous_count)
