"""Build (and rebuild) a static resolver site from a catalog.

The new site is written into a staging directory beside the live one and
swapped in at the end, so a build killed halfway leaves the previous site
intact.  Products whose input hash matches the previous build's manifest are
hard-linked from the live site instead of rendered again; products that left
the catalog disappear with the swap; invalid products are reported and skipped
(an invalid update keeps the previously published, valid version).
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
from typing import Any, BinaryIO

import orjson

from gs1ld import gtin as gtin_rules
from gs1ld.catalog.reader import RawEntry, iter_raw_entries, parse_entry
from gs1ld.errors import EntryError, GtinError, Problem, PublishError
from gs1ld.limits import Limits
from gs1ld.problems import duplicate_gtin, unexpected_failure
from gs1ld.publish import (
    MANIFEST_FILE,
    PRODUCT_FILE_NAMES,
    RESOLVER_DESCRIPTION_PATH,
    Manifest,
    ManifestEntry,
    is_product_file,
    product_paths,
    resolver_description,
)
from gs1ld.site._lock import hold_lock
from gs1ld.site._output import site_target
from gs1ld.site._swap import publish_directory, recover_interrupted_publish
from gs1ld.site._workers import worker_pool
from gs1ld.site.config import SiteConfig
from gs1ld.site.hosts import write_host_files
from gs1ld.site.link_map import LINK_MAP, PreviousLinkMap
from gs1ld.site.product_files import RenderedProduct, input_hash, render_product
from gs1ld.site.sitewide import (
    index_pages,
    manifest,
    site_inputs,
    sitemap,
)
from gs1ld.site.vocabulary import vocabulary_files

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
    catalog: str | Path,
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
        gtin = _gtin_of(raw.data) if raw.error is None else None
        if gtin is None or gtin in seen:
            return False
        old = previous.get(gtin)
        if old is None or old.digest != input_hash(raw.data, config, version):
            return False
        seen.add(gtin)
    return len(seen) == len(previous)


def _link_previous(site: Path, staging: Path, gtin: str) -> bool:
    """Hard-link a product's files from the live site; False when any is missing.

    Every file of its folder is linked: its four files and its pages in other languages.
    """
    paths = product_paths(gtin)
    (staging / paths.folder).mkdir(parents=True, exist_ok=True)
    try:
        names = set(os.listdir(site / paths.folder))
        for relative in paths.files:  # the four every product has: a missing one is an error
            os.link(site / relative, staging / relative)
        for name in names - PRODUCT_FILE_NAMES:
            if is_product_file(name):
                os.link(site / paths.folder / name, staging / paths.folder / name)
    except OSError:
        shutil.rmtree(staging / paths.folder, ignore_errors=True)
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Job:
    location: str
    data: Any
    digest: str


def _render(job: _Job, config: SiteConfig, staging: Path) -> RenderedProduct:
    """Parse, render and write one product (in a worker, so parsing and file I/O run in parallel).

    Returns the product without its files (they are on disk), or its problems;
    whatever goes wrong with one product is that product's problem, never the build's.
    """
    try:
        entry = parse_entry(job.data)
    except EntryError as exc:
        return RenderedProduct(exc.gtin or "", job.digest, "", "", {}, exc.problems)
    try:
        result = render_product(entry, job.digest, config)
    except Exception as exc:  # one product's failure (a library limit, a bug) is reported
        return RenderedProduct(entry.gtin, job.digest, "", "", {}, (unexpected_failure(exc),))
    if result.problems:
        return result
    _write(staging, result.files)
    return RenderedProduct(
        result.gtin, result.digest, result.name, result.brand, {}, link_map=result.link_map
    )


def _write(staging: Path, files: dict[str, bytes]) -> None:
    """Write site-relative files into the staging site, making folders as needed."""
    root = os.fspath(staging)
    made: set[str] = set()
    for relative, data in files.items():
        folder, _, _ = relative.rpartition("/")
        if folder not in made:
            try:  # a product's own folder is new; its parent (01/) exists after the first
                os.mkdir(f"{root}/{folder}")
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(f"{root}/{folder}", exist_ok=True)
            made.add(folder)
        descriptor = os.open(f"{root}/{relative}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)


@dataclass(slots=True)
class _Build:
    """The state of one build while it runs."""

    site: Path
    staging: Path
    config: SiteConfig
    version: str
    previous: Mapping[str, ManifestEntry]
    previous_map: PreviousLinkMap
    link_map: BinaryIO
    report: BuildReport = field(default_factory=BuildReport)
    summaries: dict[str, ManifestEntry] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def reuse(self, gtin: str) -> bool:
        """Publish the previous build's files and link-map lines of ``gtin`` as they are.

        False when the previous site lacks any of them (the product is then rendered).
        """
        lines = self.previous_map.lines(gtin)
        if lines is None or not _link_previous(self.site, self.staging, gtin):
            return False
        self.link_map.write(lines)
        return True

    def keep_previous(self, gtin: str | None) -> bool:
        """Republish the previous version of ``gtin`` (after an invalid update)."""
        old = self.previous.get(gtin or "")
        if gtin is None or old is None or gtin in self.summaries or not self.reuse(gtin):
            return False
        self.summaries[gtin] = old
        return True

    def invalid(self, location: str, gtin: str | None, problems: tuple[Problem, ...]) -> None:
        kept = self.keep_previous(gtin)
        self.report.invalid.append(InvalidProduct(location, gtin, problems, kept))

    def triage(self, raw: RawEntry) -> _Job | None:
        """Reuse, reject or schedule one entry; return the job when it must be rendered."""
        if raw.error is not None:
            self.invalid(raw.location, raw.gtin, (raw.error,))
            return None
        gtin = _gtin_of(raw.data)
        if gtin is not None and gtin in self.seen:
            self.report.invalid.append(InvalidProduct(raw.location, gtin, (duplicate_gtin(gtin),)))
            return None
        try:
            digest = input_hash(raw.data, self.config, self.version) if gtin else ""
        except Exception as exc:  # one entry's failure is that entry's problem
            self.invalid(raw.location, gtin, (unexpected_failure(exc),))
            return None
        old = self.previous.get(gtin or "")
        if gtin and old and old.digest == digest and self.reuse(gtin):
            self.seen.add(gtin)
            self.summaries[gtin] = old
            self.report.unchanged += 1
            return None
        if gtin:
            self.seen.add(gtin)
        return _Job(raw.location, raw.data, digest)

    def collect(self, job: _Job, result: RenderedProduct) -> None:
        """Count a product its worker wrote into the staging site, or report it."""
        if result.problems:
            self.invalid(job.location, result.gtin or None, result.problems)
            return
        self.summaries[result.gtin] = ManifestEntry(
            result.gtin, result.digest, result.name, result.brand
        )
        self.link_map.write(result.link_map)
        self.report.built += 1


def _gtin_of(data: Any) -> str | None:
    value = data.get("gtin") if isinstance(data, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return gtin_rules.normalize(value)
    except GtinError:
        return None


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def build_site(
    catalog: str | Path,
    site: str | Path,
    *,
    config: SiteConfig,
    limits: Limits | None = None,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the resolver site for ``catalog`` at ``site``, reusing unchanged products.

    Only one build writes a site at a time (a second fails at once, naming the
    first); a symbolic link is followed; the staging directory is removed and
    the workers stopped whatever way the build ends.

    Args:
        catalog: a catalog (directory, ``.json``, ``.jsonl`` or ``-``).
        site: the site directory; replaced as a whole when the build succeeds.
        config: the site options.
        limits: the size and depth limits each entry is held to.
        force: replace ``site`` even when it is a non-empty folder that is not a
            gs1ld site.
        on_progress: called with the number of entries just processed.

    Returns:
        Counts of built, unchanged, removed and invalid products.

    Raises:
        PublishError: the site cannot be written (or another build holds it); the
            previous site is untouched.
        ParseError: the catalog cannot be opened.
    """
    site = site_target(site, force=force)
    site.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(site):
        return _build_locked(catalog, site, config, limits or Limits(), on_progress)


def _build_locked(
    catalog: str | Path,
    site: Path,
    config: SiteConfig,
    limits: Limits,
    on_progress: Callable[[int], None] | None,
) -> BuildReport:
    """:func:`build_site` once the site's lock is held (so stale staging is really stale)."""
    version = _version()
    recover_interrupted_publish(site)
    manifest_before = _read_manifest(site)
    previous = manifest_before.products if manifest_before else {}
    if (
        manifest_before is not None
        and previous
        and manifest_before.site_inputs == site_inputs(config, version)
        and str(catalog) != "-"
        and (site / "index.html").is_file()
        and (site / LINK_MAP).is_file()
        and _nothing_changed(catalog, previous, config, version, limits)
    ):
        return BuildReport(unchanged=len(previous))
    staging = site.with_name(f".{site.name}.staging-{os.getpid()}")
    for stale in site.parent.glob(f".{site.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
    except OSError as exc:
        raise PublishError(f"Cannot create the staging directory {staging}: {exc}") from exc

    executor: Executor | None = None
    try:
        with open(staging / LINK_MAP, "wb") as link_map:
            build = _Build(
                site, staging, config, version, previous, PreviousLinkMap(site), link_map
            )
            if config.workers > 1:
                executor = worker_pool(config.workers)
            _render_all(build, catalog, executor, on_progress, limits)
        _finish(build)
        _stop(executor)
        executor = None
        publish_directory(staging, site)
    except BaseException:
        _stop(executor)  # before the removal: a running worker would write into it again
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _stop(executor)
    return build.report


def _stop(executor: Executor | None) -> None:
    """Stop the workers and wait for them: none is left writing once this returns."""
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


def _render_all(
    build: _Build,
    catalog: str | Path,
    executor: Executor | None,
    on_progress: Callable[[int], None] | None,
    limits: Limits,
) -> None:
    """Triage every entry, render the changed ones (in the workers) and collect them.

    Tasks of ``_CHUNK`` entries are submitted while earlier ones run, up to
    ``_AHEAD`` per worker, and collected in catalog order: the workers never wait
    while this process reads and triages the next entries, and memory stays bounded.
    """
    in_flight: deque[tuple[int, list[_Job], Future[list[RenderedProduct]] | None]] = deque()
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
                build.collect(job, _render(job, build.config, build.staging))
            if on_progress:
                on_progress(len(chunk))
            continue
        task = executor.submit(_render_chunk, jobs, build.config, build.staging) if jobs else None
        in_flight.append((len(chunk), jobs, task))
        while len(in_flight) > limit:
            collect_oldest()
    while in_flight:
        collect_oldest()


def _render_chunk(jobs: list[_Job], config: SiteConfig, staging: Path) -> list[RenderedProduct]:
    """Worker side: one task of several products (the options travel once per task)."""
    return [_render(job, config, staging) for job in jobs]


def _finish(build: _Build) -> None:
    """Count removals and write the site-wide files into the staging site."""
    build.report.removed = sum(1 for gtin in build.previous if gtin not in build.summaries)
    products = list(build.summaries.values())
    config = build.config
    _write(build.staging, index_pages(products, config))
    write_host_files(build.staging, config)
    _write(build.staging, vocabulary_files(config))
    _write(
        build.staging,
        {
            "sitemap.xml": sitemap(products, config),
            MANIFEST_FILE: manifest(products, config, build.version).to_bytes(),
            RESOLVER_DESCRIPTION_PATH.lstrip("/"): orjson.dumps(
                resolver_description(config.export.base_url, config.name, config.contact),
                option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE,
            ),
        },
    )
