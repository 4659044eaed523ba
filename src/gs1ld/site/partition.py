"""Stage one partition of a catalog into a site: the engine-neutral unit of a distributed build.

A distributed build keys every entry by its GTIN's manifest partition
(:func:`bucket_of`) and shuffles, so all entries of one GTIN meet in one
partition; :func:`stage_partition` then does, for that partition alone, what
the in-process build does for the catalog: the first entry of a GTIN (by
catalog position) wins and the others are reported, an entry whose input hash
matches the previous manifest is carried over (its files hard-linked from the
live site, or left on the store: :func:`~gs1ld.site.stage.carry_over`), any
other is rendered and written into the staging site, and an invalid update
keeps the previous version.  It returns one summary row per
entry.  It takes plain values and needs no engine: Dask runs it on its workers
(:mod:`gs1ld.site.engines.dask`), and :mod:`gs1ld.site.engines.arrow` wraps it
for engines that pass Arrow record batches (Spark's ``mapInArrow``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from gs1ld.catalog import RawEntry
from gs1ld.config import SiteConfig
from gs1ld.errors import Problem
from gs1ld.problems import FirstOfGtin, duplicate_gtin, unexpected_failure
from gs1ld.publish import Manifest, ManifestEntry, partition_key, product_paths
from gs1ld.site.product_files import input_hash
from gs1ld.site.stage import (
    Job,
    Spares,
    carry_over,
    prefetch,
    render_job,
    summary_row,
    umask_now,
)

__all__ = [
    "Packed",
    "StagedRow",
    "bucket_of",
    "pack_entry",
    "previous_lookup",
    "read_partition_ahead",
    "stage_partition",
    "unpack_entry",
]

Previous = Callable[[str], ManifestEntry | None]
"""The previous build's entry of a GTIN, or None."""
Problems = tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class StagedRow:
    """What staging one catalog entry did: the summary row of a distributed build.

    Attributes:
        status: ``built``, ``unchanged``, ``kept`` (an invalid update; the previous
            version stays), ``invalid`` or ``duplicate``.
        position: the entry's place in the catalog (orders the report).
        location: where the entry came from (``catalog.jsonl:7``).
        gtin: its GTIN-14, when it has a valid one.
        entry: its manifest entry when it is published (built, unchanged, kept).
        problems: why it was not published as given.
        was_published: whether the previous build published its GTIN.
    """

    status: str
    position: int
    location: str
    gtin: str | None
    entry: ManifestEntry | None = None
    problems: tuple[Problem, ...] = ()
    was_published: bool = False


Packed = RawEntry | tuple[str, bytes]
"""An entry as a shuffle moves it: a readable one as (location, its JSON text).

JSON text is a few bytes per byte of catalog, where the decoded objects take
about four times as much memory and far longer to pickle.
"""


def pack_entry(raw: RawEntry) -> Packed:
    """``raw`` ready to cross a shuffle (:func:`unpack_entry` undoes it)."""
    return raw if raw.error is not None else (raw.location, orjson.dumps(raw.data))


def unpack_entry(packed: Packed) -> RawEntry:
    """The entry :func:`pack_entry` packed."""
    if isinstance(packed, RawEntry):
        return packed
    location, text = packed
    return RawEntry(location, orjson.loads(text))


def bucket_of(raw: RawEntry, depth: int) -> str:
    """The shuffle key of an entry: its GTIN's partition hash, cut to ``depth`` digits.

    An entry without a readable GTIN goes to bucket ``""`` (it can only be reported).
    """
    gtin = raw.gtin
    return "" if gtin is None else partition_key(gtin)[:depth]


def previous_lookup(manifest: Manifest | None) -> Previous:
    """Look GTINs up in the previous build's manifest (nothing is found without one);
    its partitions are read as the GTINs ask for them."""
    return (lambda gtin: None) if manifest is None else manifest.entry


def stage_partition(
    entries: Iterable[tuple[int, RawEntry]],
    *,
    site: Path,
    staging: Path,
    config: SiteConfig,
    version: str,
    previous: Previous,
    spares: Iterable[str] = (),
    read_ahead: bool = True,
) -> list[StagedRow]:
    """Stage every entry of one shuffled partition; return one row per entry.

    Args:
        entries: (catalog position, entry) pairs; every entry of a GTIN must be
            in the same partition (shuffle by :func:`bucket_of`).
        site: the live site (unchanged products are carried over from it, and a product
            rendered again takes its QR code from it when this version of gs1ld made
            it for the same URI: :func:`~gs1ld.site.stage.earlier_qr`, read ahead as
            the spares are).
        staging: the staging site being written.
        config: the site options.
        version: gs1ld's version (part of each input hash).
        previous: the previous build's entry of a GTIN.
        spares: folders of spare versions the products rendered may be written over
            (:func:`~gs1ld.site.folder.spare_versions`), one each while they last, a
            product's own first (:class:`~gs1ld.site.stage.Spares`).
        read_ahead: read the spares' files and the QR codes taken again ahead
            (:func:`~gs1ld.site.stage.prefetch`); False when the caller did
            (:func:`read_partition_ahead`).
    """
    ordered = sorted(entries, key=lambda pair: pair[0])
    first = FirstOfGtin()
    winners: dict[str, int] = {}  # GTIN -> the position of the entry that wins it
    for position, raw in ordered:
        gtin = raw.gtin if raw.error is None else None
        if gtin is not None and first.duplicate(gtin) is None:
            winners[gtin] = position
    olds = {gtin: previous(gtin) for gtin in winners}  # each looked up once
    today = config.export.today.isoformat()
    digests: dict[int, str | Exception] = {}
    for position, raw in ordered:
        if raw.error is None and winners.get(raw.gtin or "") == position:
            try:
                digests[position] = input_hash(raw.data, config, version)
            except Exception as exc:  # one entry's failure is that entry's problem
                digests[position] = exc
    qr_codes = _earlier_qr_codes(site, ordered, digests, olds)
    pool = Spares(spares, winners)
    if read_ahead:
        prefetch(pool, qr_codes.values())
    rows: list[StagedRow] = []
    kept: set[str] = set()
    failed: set[str] = set()  # GTINs whose winning entry failed: the previous version may stand
    umask: int | None = None

    def add(status: str, position: int, raw: RawEntry, gtin: str | None, **more: Any) -> None:
        rows.append(StagedRow(status, position, raw.location, gtin, **more))

    def invalid(position: int, raw: RawEntry, gtin: str | None, problems: Problems) -> None:
        old = (olds[gtin] if gtin in olds else previous(gtin)) if gtin else None
        if (
            gtin is not None
            and old is not None
            and gtin not in kept
            and (gtin not in winners or gtin in failed)
            and carry_over(site, staging, old, config)
        ):
            kept.add(gtin)
            add("kept", position, raw, gtin, entry=old, problems=problems, was_published=True)
        else:
            add("invalid", position, raw, gtin, problems=problems, was_published=bool(old))

    for position, raw in ordered:
        if raw.error is not None:
            invalid(position, raw, raw.gtin, (raw.error,))
            continue
        gtin = raw.gtin
        if gtin is not None and winners[gtin] != position:
            add("duplicate", position, raw, gtin, problems=(duplicate_gtin(gtin),))
            continue
        digest = digests.get(position, "")
        if isinstance(digest, Exception):
            add("invalid", position, raw, gtin, problems=(unexpected_failure(digest),))
            continue
        old = olds.get(gtin) if gtin else None
        if old is not None and old.digest == digest and carry_over(site, staging, old, config):
            add("unchanged", position, raw, gtin, entry=old, was_published=True)
            continue
        before = (old.lastmod, old.page) if old is not None else None
        job = Job(raw.location, raw.data, digest, before, qr_codes.get(position))
        spare = pool.take(gtin) if gtin else None
        if spare is not None and umask is None:
            umask = umask_now()  # (once a run: the spares' files take a new file's mode)
        result = render_job(job, config, staging, spare, version, umask)
        if result.problems:
            if gtin:  # its previous version may stand in; later entries stay duplicates
                failed.add(gtin)
            invalid(position, raw, result.gtin or gtin, result.problems)
            continue
        entry = summary_row(result, old, today)
        add("built", position, raw, gtin, entry=entry, was_published=old is not None)
    return rows


def read_partition_ahead(site: Path, gtins: Iterable[str], spares: Iterable[str]) -> None:
    """Ask the system to read what staging ``gtins`` with ``spares`` will read: the
    spares' files and the live site's QR codes of the products (those published).

    A build with a pool of workers calls it as it hands each partition out, so the
    reads run while the workers render the partitions before it: in the worker, the
    listings and opens waited on the disk (a second of each worker's nine at 12,000
    products of a million).
    """
    prefetch(spares, (_live_qr(site, gtin) for gtin in gtins))


def _earlier_qr_codes(
    site: Path,
    ordered: list[tuple[int, RawEntry]],
    digests: dict[int, str | Exception],
    olds: dict[str, ManifestEntry | None],
) -> dict[int, str]:
    """Where the live site's QR code is of each entry that will be rendered again (by
    catalog position): a product published before (``olds``: the previous build's entry
    of each GTIN staged) whose input hash changed."""
    found = {}
    for position, raw in ordered:
        digest, gtin = digests.get(position), raw.gtin
        if isinstance(digest, str) and gtin is not None:
            old = olds.get(gtin)
            if old is not None and old.digest != digest:
                found[position] = _live_qr(site, gtin)
    return found


def _live_qr(site: Path, gtin: str) -> str:
    """Where the live site's QR code of ``gtin`` is."""
    return os.path.join(site, product_paths(gtin).qr)
