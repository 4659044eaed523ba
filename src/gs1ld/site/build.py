"""Build (and rebuild) a static resolver site from a catalog.

Each build stages its site-wide files and the products it renders in a
staging folder inside the site folder, and publishes them at the end: each
changed product's link swapped to its new version, then the site's
``current`` link to the new build (:mod:`gs1ld.site.folder`), so a build
killed halfway leaves a whole site serving, and a server given the site
folder (or a bind mount of it) follows.  Products whose input hash matches
the previous build's manifest are carried over by their manifest row alone:
their files stay where every build shares them (or, for a site on object
storage, where they are on the store: ``SiteConfig.link_unchanged`` is
False); products that left the catalog disappear with the switch; invalid
products are reported and skipped (an invalid update keeps the previously
published, valid version).

The catalog is first shuffled on disk so that the entries of each GTIN lie
side by side (:mod:`gs1ld.site.shuffle`), then staged a run of GTINs at a time
by :func:`~gs1ld.site.partition.stage_partition`, the same function a Dask
build runs on each of its partitions: both engines apply one set of rules, and
neither holds every GTIN in memory.  Each published product leaves one summary
row (its manifest entry), spilled to disk; the site-wide files are written from
the rows at the end (:mod:`gs1ld.site.sitewide`), so they hold at any size.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gs1ld._fanout import ordered_results
from gs1ld._tree import remove_tree
from gs1ld._version import VERSION
from gs1ld._workers import worker_pool
from gs1ld.catalog import RawEntry, iter_raw_entries
from gs1ld.catalog.source import CatalogSource
from gs1ld.config import SiteConfig
from gs1ld.errors import PublishError
from gs1ld.limits import Limits
from gs1ld.publish import MANIFEST_FILE, Manifest, ManifestEntry
from gs1ld.publish.layout import PRODUCTS_FOLDER, published_root
from gs1ld.site.engines import Engine
from gs1ld.site.folder import (
    hold_lock,
    pending_products,
    prepare_folder,
    publish_build,
    shares_products,
    site_target,
    staging_path,
)
from gs1ld.site.partition import (
    Previous,
    StagedRow,
    previous_lookup,
    stage_partition,
    unpack_entry,
)
from gs1ld.site.product_files import input_hash
from gs1ld.site.report import BuildProgress, BuildReport, InvalidProduct, Tally, check_removals
from gs1ld.site.rows import SummaryRows
from gs1ld.site.shuffle import SortedEntry, gtin_runs, shuffle_entries, sort_key
from gs1ld.site.sitewide import directory_writer, site_inputs, write_sitewide
from gs1ld.site.stage import write_files

__all__ = ["BuildReport", "InvalidProduct", "build_site"]

_CHUNK = 16
"""Entries per worker task: enough to amortise the hand-over, few enough to end evenly."""
_AHEAD = 8
"""Tasks in flight per worker."""

Ordered = Callable[[], Iterator[SortedEntry]]
"""Reads the shuffled catalog, GTIN by GTIN, from its start."""


def _nothing_changed(
    records: Iterator[SortedEntry], previous: Previous, count: int, config: SiteConfig, version: str
) -> bool:
    """True when every entry hashes as last time and none came or went.

    One cheap pass (hash each entry) instead of re-linking every file of an
    unchanged site: a no-change rebuild of 100,000 products then costs seconds.
    The entries come GTIN by GTIN, so a duplicate follows its first entry.
    """
    seen = 0
    last = ""
    for _, gtin, _, packed in records:
        if not gtin or gtin == last or isinstance(packed, RawEntry):  # RawEntry: unreadable
            return False
        old = previous(gtin)
        if old is None or old.digest != input_hash(unpack_entry(packed).data, config, version):
            return False
        last = gtin
        seen += 1
    return seen == count


def _stage_run(
    run: list[SortedEntry],
    previous: dict[str, ManifestEntry],
    site: Path,
    staging: Path,
    config: SiteConfig,
    version: str,
) -> list[StagedRow]:
    """Stage a run of whole GTINs (in a worker, so rendering and file I/O run in parallel)."""
    return stage_partition(
        ((position, unpack_entry(packed)) for _, _, position, packed in run),
        site=site,
        staging=staging,
        config=config,
        version=version,
        previous=previous.get,
    )


def build_site(
    catalog: CatalogSource,
    site: str | Path,
    *,
    config: SiteConfig,
    limits: Limits | None = None,
    force: bool = False,
    on_progress: BuildProgress | Callable[[int], None] | None = None,
    client: Any = None,
) -> BuildReport:
    """Build the resolver site for ``catalog`` at ``site``, reusing unchanged products.

    Only one build writes a site at a time (a second fails at once, naming the
    first); a symbolic link is followed; the staging directory is removed and
    the workers stopped whatever way the build ends.

    Args:
        catalog: a catalog (a ``.json``, ``.jsonl`` or ``.parquet`` file, a folder
            of them, ``-`` or a :class:`~gs1ld.catalog.source.RemoteCatalog` URL).
        site: the site folder: it holds the builds and the ``current`` link to the
            newest (a site in the older layout, its files at the top, becomes
            the first build); the whole site is replaced when the build succeeds.
        config: the site options.
        limits: the size and depth limits each entry is held to.
        force: replace ``site`` even when it is a non-empty folder that is not a
            gs1ld site.
        on_progress: where the build reports its phases, entries staged and (on
            a cluster) parts finished; a plain callable is told the entries.
        client: a ``dask.distributed.Client``: render on its cluster (whose
            workers must see ``catalog`` and ``site`` at the same paths) instead
            of in this process and ``config.workers`` local processes.

    Returns:
        Counts of built, unchanged, removed and invalid products.

    Raises:
        PublishError: the site cannot be written (or another build holds it); the
            previous site is untouched.
        ParseError: the catalog cannot be opened.
    """
    site = site_target(site, force=force)
    if not config.link_unchanged and (published_root(site) / PRODUCTS_FOLDER).is_dir():
        raise PublishError(
            f"{str(site)!r} holds product files, which a build that carries unchanged products "
            "over by their manifest rows (SiteConfig.link_unchanged=False, meant for sites on "
            "object storage) would drop; build it with link_unchanged=True"
        )
    site.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(site):
        progress = BuildProgress.of(on_progress)
        return _build_locked(catalog, site, config, limits or Limits(), progress, client)


def _build_locked(
    catalog: CatalogSource,
    site: Path,
    config: SiteConfig,
    limits: Limits,
    progress: BuildProgress,
    client: Any,
) -> BuildReport:
    """:func:`build_site` once the site's lock is held (so stale staging is really stale)."""
    version = VERSION
    live = prepare_folder(site)  # the current build (stale staging removed)
    manifest_before = Manifest.read_or_none(live)
    previous_count = manifest_before.count if manifest_before is not None else 0
    pending = pending_products(site)  # a dead build may have moved their links
    if pending:
        config = replace(config, render_again=config.render_again | pending)
    if shares_products(live):  # unchanged products stay where they are: nothing to carry
        config = replace(config, link_unchanged=False)
    workdir = site.with_name(f".{site.name}.rows-{os.getpid()}")
    for stale in (
        *site.parent.glob(f".{site.name}.staging-*"),  # left by gs1ld before build folders
        *site.parent.glob(f".{site.name}.rows-*"),
    ):
        remove_tree(stale, ignore_errors=True)
    target = _Target(
        site, live, staging_path(site), config, version, manifest_before, pending, progress
    )
    try:
        if client is not None:  # the cluster shuffles, and reads the manifest, on its workers
            from gs1ld.site.engines.dask import render_on_cluster

            def on_cluster(rows: SummaryRows, _: Executor | None) -> BuildReport:
                return render_on_cluster(
                    client,
                    catalog,
                    live,
                    target.staging,
                    config=config,
                    version=version,
                    previous_count=target.previous_count,
                    rows=rows,
                    limits=limits,
                    progress=progress,
                )

            return _publish(target, workdir, on_cluster, workers=1, client=client)
        progress.phase("reading")
        shuffled = shuffle_entries(iter_raw_entries(catalog, limits=limits), workdir)
        with shuffled.ordered(sort_key) as records:
            shuffled.path.unlink()  # the sorted runs hold the entries now
            lookup = previous_lookup(manifest_before)
            if (
                manifest_before is not None
                and previous_count > 0
                and not pending
                and manifest_before.site_inputs == site_inputs(config, version)
                and str(catalog) != "-"
                and (live / "index.html").is_file()
                and _nothing_changed(records(), lookup, previous_count, config, version)
            ):
                return BuildReport(unchanged=previous_count)

            def in_process(rows: SummaryRows, pool: Executor | None) -> BuildReport:
                tally = Tally(rows)
                runs = gtin_runs(records(), _CHUNK)
                _stage_runs(runs, lookup, target, pool, tally, progress.entries)
                return tally.report(previous_count)

            return _publish(target, workdir, in_process, workers=config.workers, client=None)
    finally:
        remove_tree(workdir, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a build stages its products, and with what options."""

    folder: Path
    """The site folder (holding the builds and the ``current`` link)."""
    site: Path
    """The current build, unchanged products are carried over from (it may not exist)."""
    staging: Path
    config: SiteConfig
    version: str
    before: Manifest | None
    """The current build's manifest."""
    pending: frozenset[str]
    """Products a dead build left pending (see :func:`~gs1ld.site.folder.pending_products`)."""
    progress: BuildProgress

    @property
    def previous_count(self) -> int:
        """How many products the current build publishes."""
        return self.before.count if self.before is not None else 0

    def leaving(self, report: BuildReport) -> list[str]:
        """The products the current build (or a dead one) published and the staged one does not.

        Read from both manifests only when the report counts removals or a dead
        build left products pending: a build that removes nothing reads neither.
        """
        if not report.removed and not self.pending:
            return []
        staged = Manifest.read(self.staging)
        gone = {g for g in self.pending if not staged.has(g)}
        if report.removed and self.before is not None:
            gone.update(e.gtin for e in self.before.entries() if not staged.has(e.gtin))
        return sorted(gone)

    def committed(self, gtin: str) -> str | None:
        """The input hash the current build publishes ``gtin`` as."""
        entry = self.before.entry(gtin) if self.before is not None else None
        return entry.digest if entry is not None else None


def _publish(
    target: _Target, workdir: Path, stage: Engine, *, workers: int, client: Any
) -> BuildReport:
    """Stage the products, write the site-wide files, then publish the new build.

    ``workers`` > 1 starts a local pool, which stages and then writes the
    site-wide files; with a ``client`` the cluster writes them.  The pool is
    stopped (no worker left writing) before a failed build's staging is removed.
    """
    try:
        target.staging.mkdir(parents=True)
    except OSError as exc:
        raise PublishError(f"Cannot create the staging directory {target.staging}: {exc}") from exc
    rows = SummaryRows(workdir)
    try:
        with _pool(workers) as pool:
            target.progress.phase("staging")
            report = stage(rows, pool)
            check_removals(report, target.previous_count, target.config)
            target.progress.phase("site-wide files")
            # the site-wide files are five independent jobs: the same workers run them
            root = write_sitewide(
                rows,
                directory_writer(target.staging),
                target.config,
                target.version,
                executor=pool or client,
            )
        write_files(target.staging, {MANIFEST_FILE: root})  # the manifest last
        target.progress.phase("publishing")
        publish_build(
            target.staging,
            target.folder,
            leaving=target.leaving(report),
            committed=target.committed,
        )
    except BaseException:
        remove_tree(target.staging, ignore_errors=True)
        raise
    finally:
        rows.close()
    return report


@contextmanager
def _pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes (None for one: work in this process), stopped
    and waited for on the way out, so none is left writing."""
    if workers <= 1:
        yield None
        return
    pool = worker_pool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stage_runs(
    runs: Iterator[list[SortedEntry]],
    previous: Previous,
    target: _Target,
    pool: Executor | None,
    tally: Tally,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Stage every run of GTINs (in the pool's workers) and tally the rows.

    The previous entries of a run are looked up here, as the runs come in
    manifest partition order: each partition is read once.  Tasks are submitted
    while earlier ones run, up to ``_AHEAD`` per worker, and collected in order:
    the workers never wait while this process reads the next runs, and memory
    stays bounded.
    """

    def tasks() -> Iterator[tuple[Any, ...]]:
        for run in runs:
            gtins = {record[1] for record in run if record[1]}
            olds = {gtin: old for gtin in gtins if (old := previous(gtin)) is not None}
            yield (run, olds, target.site, target.staging, target.config, target.version)

    ahead = _AHEAD * target.config.workers
    for staged in ordered_results(pool, _stage_run, tasks(), ahead=ahead):
        count = tally.add(staged)
        if on_progress:
            on_progress(count)
