"""Build (and rebuild) a static resolver site from a catalog.

The new site is written into a staging directory beside the live one and
swapped in at the end, so a build killed halfway leaves the previous site
intact.  Products whose input hash matches the previous build's manifest are
hard-linked from the live site instead of rendered again (or, for a site on
object storage, carried over by their manifest row: ``SiteConfig.link_unchanged``);
products that left the catalog disappear with the swap; invalid products are reported and skipped
(an invalid update keeps the previously published, valid version).

Each published product leaves one summary row (its manifest entry), spilled to
disk; the site-wide files are written from the rows at the end
(:mod:`gs1ld.site.sitewide`), so they hold at any size.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from gs1ld.catalog.reader import RawEntry, iter_raw_entries
from gs1ld.catalog.source import CatalogSource
from gs1ld.errors import Problem, PublishError
from gs1ld.limits import Limits
from gs1ld.problems import duplicate_gtin, unexpected_failure
from gs1ld.publish import MANIFEST_FILE, Manifest, ManifestEntry
from gs1ld.publish.layout import PRODUCTS_FOLDER
from gs1ld.site._lock import hold_lock
from gs1ld.site._output import site_target
from gs1ld.site._swap import publish_directory, recover_interrupted_publish
from gs1ld.site._workers import worker_pool
from gs1ld.site.config import SiteConfig
from gs1ld.site.product_files import RenderedProduct, input_hash
from gs1ld.site.rows import RowStore
from gs1ld.site.sitewide import directory_writer, site_inputs, write_sitewide
from gs1ld.site.stage import Job, carry_over, gtin_of, render_job, summary_row, write_files

__all__ = ["BuildReport", "InvalidProduct", "build_site"]

_CHUNK = 16
"""Entries per worker task: enough to amortise the hand-over, few enough to end evenly."""
_AHEAD = 8
"""Tasks in flight per worker."""


@dataclass(frozen=True, slots=True)
class InvalidProduct:
    """A product that was not published, and why."""

    location: str
    gtin: str | None
    problems: tuple[Problem, ...]
    kept_previous: bool = False


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    built: int = 0
    unchanged: int = 0
    removed: int = 0
    invalid: list[InvalidProduct] = field(default_factory=list)

    @property
    def published(self) -> int:
        """Products in the new site."""
        return self.built + self.unchanged + sum(1 for i in self.invalid if i.kept_previous)

    def summary(self) -> str:
        """``12 built, 0 unchanged, 1 removed, 2 invalid``."""
        return (
            f"{self.built} built, {self.unchanged} unchanged, {self.removed} removed, "
            f"{len(self.invalid)} invalid"
        )


def _version() -> str:
    from gs1ld import __version__

    return __version__


def _read_manifest(site: Path) -> Manifest | None:
    """The previous build's manifest, or None (no site yet, or not one gs1ld can reuse)."""
    try:
        return Manifest.read(site)
    except PublishError:
        return None


def _nothing_changed(
    catalog: CatalogSource,
    previous: Mapping[str, ManifestEntry],
    config: SiteConfig,
    version: str,
    limits: Limits,
) -> bool:
    """True when every entry hashes as last time and none came or went.

    One cheap pass (parse JSON, hash) instead of re-linking every file of an
    unchanged site: a no-change rebuild of 100,000 products then costs seconds.
    """
    seen: set[str] = set()
    for raw in iter_raw_entries(catalog, limits=limits):
        gtin = gtin_of(raw.data) if raw.error is None else None
        if gtin is None or gtin in seen:
            return False
        old = previous.get(gtin)
        if old is None or old.digest != input_hash(raw.data, config, version):
            return False
        seen.add(gtin)
    return len(seen) == len(previous)


@dataclass(slots=True)
class _Build:
    """The state of one build while it runs."""

    site: Path
    staging: Path
    config: SiteConfig
    version: str
    previous: Mapping[str, ManifestEntry]
    rows: RowStore
    report: BuildReport = field(default_factory=BuildReport)
    published: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)

    def reuse(self, old: ManifestEntry) -> bool:
        """Publish the previous build's files and row of a product as they are.

        False when the previous site lacks any of its files (the product is then rendered).
        """
        if not carry_over(self.site, self.staging, old.gtin, self.config):
            return False
        self.rows.add(old)
        self.published.add(old.gtin)
        return True

    def keep_previous(self, gtin: str | None) -> bool:
        """Republish the previous version of ``gtin`` (after an invalid update)."""
        old = self.previous.get(gtin or "")
        return old is not None and old.gtin not in self.published and self.reuse(old)

    def invalid(self, location: str, gtin: str | None, problems: tuple[Problem, ...]) -> None:
        kept = self.keep_previous(gtin)
        self.report.invalid.append(InvalidProduct(location, gtin, problems, kept))

    def triage(self, raw: RawEntry) -> Job | None:
        """Reuse, reject or schedule one entry; return the job when it must be rendered."""
        if raw.error is not None:
            self.invalid(raw.location, raw.gtin, (raw.error,))
            return None
        gtin = gtin_of(raw.data)
        if gtin is not None and gtin in self.seen:
            self.report.invalid.append(InvalidProduct(raw.location, gtin, (duplicate_gtin(gtin),)))
            return None
        try:
            digest = input_hash(raw.data, self.config, self.version) if gtin else ""
        except Exception as exc:  # one entry's failure is that entry's problem
            self.invalid(raw.location, gtin, (unexpected_failure(exc),))
            return None
        old = self.previous.get(gtin or "")
        if gtin and old and old.digest == digest and self.reuse(old):
            self.seen.add(gtin)
            self.report.unchanged += 1
            return None
        if gtin:
            self.seen.add(gtin)
        return Job(raw.location, raw.data, digest)

    def collect(self, job: Job, result: RenderedProduct) -> None:
        """Count a product its worker wrote into the staging site, or report it."""
        if result.problems:
            self.invalid(job.location, result.gtin or None, result.problems)
            return
        self.rows.add(
            summary_row(
                result, self.previous.get(result.gtin), self.config.export.today.isoformat()
            )
        )
        self.published.add(result.gtin)
        self.report.built += 1


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def build_site(
    catalog: CatalogSource,
    site: str | Path,
    *,
    config: SiteConfig,
    limits: Limits | None = None,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
    client: Any = None,
) -> BuildReport:
    """Build the resolver site for ``catalog`` at ``site``, reusing unchanged products.

    Only one build writes a site at a time (a second fails at once, naming the
    first); a symbolic link is followed; the staging directory is removed and
    the workers stopped whatever way the build ends.

    Args:
        catalog: a catalog (a ``.json``, ``.jsonl`` or ``.parquet`` file, a folder
            of them, ``-`` or a :class:`~gs1ld.catalog.source.RemoteCatalog` URL).
        site: the site directory; replaced as a whole when the build succeeds.
        config: the site options.
        limits: the size and depth limits each entry is held to.
        force: replace ``site`` even when it is a non-empty folder that is not a
            gs1ld site.
        on_progress: called with the number of entries just processed (in-process only).
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
    if not config.link_unchanged and (site / PRODUCTS_FOLDER).is_dir():
        raise PublishError(
            f"{str(site)!r} holds product files, which a build that carries unchanged products "
            "over by their manifest rows (SiteConfig.link_unchanged=False, meant for sites on "
            "object storage) would drop; build it with link_unchanged=True"
        )
    site.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(site):
        return _build_locked(catalog, site, config, limits or Limits(), on_progress, client)


def _build_locked(
    catalog: CatalogSource,
    site: Path,
    config: SiteConfig,
    limits: Limits,
    on_progress: Callable[[int], None] | None,
    client: Any,
) -> BuildReport:
    """:func:`build_site` once the site's lock is held (so stale staging is really stale)."""
    version = _version()
    recover_interrupted_publish(site)
    manifest_before = _read_manifest(site)
    previous: dict[str, ManifestEntry] = {}
    if manifest_before is not None and client is None:  # a cluster reads it partition by partition
        previous = {e.gtin: e for e in manifest_before.entries()}
    if (
        manifest_before is not None
        and previous
        and manifest_before.site_inputs == site_inputs(config, version)
        and str(catalog) != "-"
        and (site / "index.html").is_file()
        and _nothing_changed(catalog, previous, config, version, limits)
    ):
        return BuildReport(unchanged=len(previous))
    staging = site.with_name(f".{site.name}.staging-{os.getpid()}")
    workdir = site.with_name(f".{site.name}.rows-{os.getpid()}")
    for stale in (
        *site.parent.glob(f".{site.name}.staging-*"),
        *site.parent.glob(f".{site.name}.rows-*"),
    ):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
    except OSError as exc:
        raise PublishError(f"Cannot create the staging directory {staging}: {exc}") from exc

    executor: Executor | None = None
    rows = RowStore(workdir)
    try:
        if client is None:
            build = _Build(site, staging, config, version, previous, rows)
            if config.workers > 1:
                executor = worker_pool(config.workers)
            _render_all(build, catalog, executor, on_progress, limits)
            report = build.report
            report.removed = sum(1 for gtin in previous if gtin not in build.published)
        else:
            from gs1ld.site.distributed import render_on_cluster

            report = render_on_cluster(
                client,
                catalog,
                site,
                staging,
                config=config,
                version=version,
                previous_count=manifest_before.count if manifest_before else 0,
                rows=rows,
                limits=limits,
            )
        # the site-wide files are five independent jobs: the same workers run them
        root = write_sitewide(
            rows, directory_writer(staging), config, version, executor=executor or client
        )
        _stop(executor)
        executor = None
        write_files(staging, {MANIFEST_FILE: root})  # the manifest last
        publish_directory(staging, site)
    except BaseException:
        _stop(executor)  # before the removal: a running worker would write into it again
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _stop(executor)
        rows.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _stop(executor: Executor | None) -> None:
    """Stop the workers and wait for them: none is left writing once this returns."""
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


def _render_all(
    build: _Build,
    catalog: CatalogSource,
    executor: Executor | None,
    on_progress: Callable[[int], None] | None,
    limits: Limits,
) -> None:
    """Triage every entry, render the changed ones (in the workers) and collect them.

    Tasks of ``_CHUNK`` entries are submitted while earlier ones run, up to
    ``_AHEAD`` per worker, and collected in catalog order: the workers never wait
    while this process reads and triages the next entries, and memory stays bounded.
    """
    in_flight: deque[tuple[int, list[Job], Future[list[RenderedProduct]] | None]] = deque()
    limit = _AHEAD * build.config.workers

    def collect_oldest() -> None:
        count, jobs, task = in_flight.popleft()
        for job, result in zip(jobs, task.result() if task else [], strict=True):
            build.collect(job, result)
        if on_progress:
            on_progress(count)

    for chunk in _batches(iter_raw_entries(catalog, limits=limits), _CHUNK):
        jobs = [job for raw in chunk if (job := build.triage(raw)) is not None]
        if executor is None:
            for job in jobs:
                build.collect(job, render_job(job, build.config, build.staging))
            if on_progress:
                on_progress(len(chunk))
            continue
        task = executor.submit(_render_chunk, jobs, build.config, build.staging) if jobs else None
        in_flight.append((len(chunk), jobs, task))
        while len(in_flight) > limit:
            collect_oldest()
    while in_flight:
        collect_oldest()


def _render_chunk(jobs: list[Job], config: SiteConfig, staging: Path) -> list[RenderedProduct]:
    """Worker side: one task of several products (the options travel once per task)."""
    return [render_job(job, config, staging) for job in jobs]
