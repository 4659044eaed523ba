"""The Arrow face of a site build: stage partitions that arrive as Arrow record batches.

Engines that hand a function Arrow record batches (Spark's ``mapInArrow``, Ray,
Polars) build a site with :func:`stage_arrow_batches`, which wraps the
engine-neutral :func:`~gs1ld.site.partition.stage_partition`.  Needs
``pip install 'gs1ld[arrow]'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from gs1ld.catalog import RawEntry
from gs1ld.config import SiteConfig
from gs1ld.errors import Problem
from gs1ld.publish import Manifest
from gs1ld.site.partition import StagedRow, previous_lookup, stage_partition

__all__ = ["SUMMARY_COLUMNS", "stage_arrow_batches"]

SUMMARY_COLUMNS = (
    ("status", "string"),
    ("position", "int64"),
    ("location", "string"),
    ("gtin", "string"),
    ("entry", "string"),
    ("problems", "string"),
    ("was_published", "bool"),
)
"""The columns (and Arrow types) of :func:`stage_arrow_batches`' output."""


def _arrow_row(row: StagedRow) -> dict[str, Any]:
    return {
        "status": row.status,
        "position": row.position,
        "location": row.location,
        "gtin": row.gtin,
        "entry": None if row.entry is None else orjson.dumps(row.entry.to_row()).decode(),
        "problems": orjson.dumps([[p.path, p.rule, str(p)] for p in row.problems]).decode(),
        "was_published": row.was_published,
    }


def stage_arrow_batches(
    batches: Iterable[Any],
    *,
    site: str | Path,
    staging: str | Path,
    config: SiteConfig,
    version: str,
) -> Iterator[Any]:
    """:func:`stage_partition` over Arrow record batches (Spark ``mapInArrow``, Ray, Polars).

    Each input batch has the columns ``position`` (int64, catalog order),
    ``location`` (string) and ``entry`` (string: the entry's JSON); one output
    batch of :data:`SUMMARY_COLUMNS` comes out per input partition.  The
    partition must hold every entry of its GTINs (repartition by
    :func:`gs1ld.publish.partition_key` of the GTIN first).
    """
    import pyarrow as pa

    pairs: list[tuple[int, RawEntry]] = []
    for batch in batches:
        for record in batch.to_pylist():
            try:
                data = orjson.loads(record["entry"])
            except orjson.JSONDecodeError as exc:
                problem = Problem("", f"invalid JSON: {exc.msg}", has_value=False)
                pairs.append((record["position"], RawEntry(record["location"], error=problem)))
                continue
            pairs.append((record["position"], RawEntry(record["location"], data)))
    site_path = Path(site)
    rows = stage_partition(
        pairs,
        site=site_path,
        staging=Path(staging),
        config=config,
        version=version,
        previous=previous_lookup(Manifest.read_or_none(site_path)),
    )
    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in SUMMARY_COLUMNS])
    yield pa.RecordBatch.from_pylist([_arrow_row(row) for row in rows], schema=schema)
