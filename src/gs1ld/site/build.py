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

A rebuild of a local site from JSON Lines reads less: the lines the current
build's record names (:func:`~gs1ld.site.folder.read_sources`) are passed over
unparsed, their products unchanged (on another day too, unless a date of theirs
lies in between: the record keeps each line's day window), and only the other
lines are shuffled and staged; the site-wide files are then the current build's
with the staged products' parts replaced
(:func:`~gs1ld.site.sitewide.splice_sitewide`), byte for byte what a full build
writes.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from gs1ld._fanout import ordered_results
from gs1ld._tree import remove_tree
from gs1ld._version import VERSION
from gs1ld._workers import worker_pool
from gs1ld.catalog import RawEntry, iter_raw_entries
from gs1ld.catalog.lines import LineReader
from gs1ld.catalog.source import CatalogSource, RemoteCatalog
from gs1ld.config import SiteConfig
from gs1ld.errors import PublishError
from gs1ld.limits import Limits
from gs1ld.publish import MANIFEST_FILE, Manifest, ManifestEntry
from gs1ld.publish.layout import (
    BUILDS_FOLDER,
    PRODUCTS_FOLDER,
    SHARED_PRODUCTS,
    SPARE_PARTITIONS,
    published_root,
)
from gs1ld.publish.manifest_writer import manifest_sort_key
from gs1ld.site.engines import Engine
from gs1ld.site.folder import (
    SourceRecord,
    hold_lock,
    move_in,
    pending_products,
    prepare_folder,
    publish_build,
    read_sources,
    record_body,
    shares_products,
    site_target,
    sources_beside,
    spare_owner,
    spare_versions,
    staging_path,
    write_sources,
)
from gs1ld.site.partition import (
    Previous,
    StagedRow,
    previous_lookup,
    read_partition_ahead,
    stage_partition,
    unpack_entry,
)
from gs1ld.site.product_files import day_window, input_hash
from gs1ld.site.report import BuildProgress, BuildReport, InvalidProduct, Tally, check_removals
from gs1ld.site.rows import RowStore, SummaryRows
from gs1ld.site.shuffle import SortedEntry, gtin_runs, shuffle_entries, sort_key
from gs1ld.site.sitewide import directory_writer, site_inputs, splice_sitewide, write_sitewide
from gs1ld.site.stage import write_files

__all__ = ["BuildReport", "InvalidProduct", "build_site"]

_CHUNK = 16
"""Entries per worker task: enough to amortise the hand-over, few enough to end evenly."""
_AHEAD = 8
"""Tasks in flight per worker."""
_MOST_READ = 1000
"""Lines a rebuild reads (besides a tenth of the site) before it reads every line instead."""
_FEW = 1000
"""Entries staged in this process alone, with no pool: starting workers (each forks, then
loads the tables and shapes this process would load once) costs more than two cores save
on so few (about 1.5 s on an idle machine, 8 s under load, against some 1.5 ms saved an
entry): a rebuild of a few changed products is done in seconds."""

Ordered = Callable[[], Iterator[SortedEntry]]
"""Reads the shuffled catalog, GTIN by GTIN, from its start."""


def _nothing_changed(
    records: Iterator[SortedEntry],
    previous: Previous,
    count: int,
    config: SiteConfig,
    version: str,
    recorded: _Recorded,
) -> bool:
    """Whether every entry hashes as last time and none came or went; ``recorded`` is
    told the line of each entry as it is checked.

    One cheap pass (hash each entry) instead of re-linking every file of an
    unchanged site: a no-change rebuild of 100,000 products then costs seconds.
    The entries come GTIN by GTIN, so a duplicate follows its first entry.
    """
    seen = 0
    last = ""
    for _, gtin, position, packed in records:
        if not gtin or gtin == last or isinstance(packed, RawEntry):  # RawEntry: unreadable
            return False
        old = previous(gtin)
        if old is None or old.digest != input_hash(unpack_entry(packed).data, config, version):
            return False
        recorded.add(gtin, position)
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
    spares: list[str],
    read_ahead: bool = True,
) -> list[StagedRow]:
    """Stage a run of whole GTINs (in a worker, so rendering and file I/O run in parallel),
    writing the products it renders over ``spares`` while they last and taking their
    QR codes from ``site`` again when they may (:func:`~gs1ld.site.stage.earlier_qr`);
    ``read_ahead`` False: the caller read those ahead."""
    return stage_partition(
        ((position, unpack_entry(packed)) for _, _, position, packed in run),
        site=site,
        staging=staging,
        config=config,
        version=version,
        previous=previous.get,
        spares=spares,
        read_ahead=read_ahead,
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
    fetch_previous: Callable[[Path], None] | None = None,
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
        fetch_previous: for a site kept elsewhere (object storage), whose current
            build here holds only its manifest root: called once with that build's
            folder when the build first needs the rest of its site-wide files (the
            manifest partitions, maps, listings...), to put them there.  A rebuild
            that finds every catalog line as last time never calls it.

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
        return _build_locked(
            catalog, site, config, limits or Limits(), progress, client, fetch_previous
        )


def _build_locked(
    catalog: CatalogSource,
    site: Path,
    config: SiteConfig,
    limits: Limits,
    progress: BuildProgress,
    client: Any,
    fetch_previous: Callable[[Path], None] | None,
) -> BuildReport:
    """:func:`build_site` once the site's lock is held (so stale staging is really stale)."""
    version = VERSION
    live = prepare_folder(site)  # the current build (stale staging removed)
    manifest_before = Manifest.read_or_none(live)
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
        site,
        live,
        staging_path(site),
        config,
        version,
        manifest_before,
        pending,
        progress,
        _Once(fetch_previous, live),
    )
    try:
        if client is not None:  # the cluster shuffles, and reads the manifest, on its workers
            from gs1ld.site.engines.dask import render_on_cluster

            target.previous_files()

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
        lines, record = _line_reader(target, config, catalog)
        report = _in_process(catalog, target, workdir, limits, lines, record)
        if report is None:  # a GTIN both passed over and read, or too many lines changed
            remove_tree(workdir, ignore_errors=True)
            report = _in_process(catalog, target, workdir, limits, LineReader(None), None)
        assert report is not None  # a build reading every line never gives up
        return report
    finally:
        remove_tree(workdir, ignore_errors=True)


def _line_reader(
    target: _Target, config: SiteConfig, catalog: CatalogSource
) -> tuple[LineReader, SourceRecord | None]:
    """What reads the catalog's lines: passing over those the current build's record names
    for the build's day (:func:`~gs1ld.site.folder.read_sources`) when it may, else
    reading every line; and that record."""
    before = target.before
    record = None
    if (
        target.may_reuse(catalog)
        and not isinstance(catalog, RemoteCatalog)
        and not config.link_unchanged  # unchanged products need nothing from the build
    ):
        assert before is not None  # may_reuse says so
        shared = target.folder / SHARED_PRODUCTS
        record = read_sources(shared, before.build_id, config.export.today)
    if record is None or not record.lines or before is None:
        return LineReader(None), None
    most_read = max(_MOST_READ, before.count // 10)
    return LineReader(record.lines, config.render_again, most_read), record


def _in_process(
    catalog: CatalogSource,
    target: _Target,
    workdir: Path,
    limits: Limits,
    lines: LineReader,
    record: SourceRecord | None,
) -> BuildReport | None:
    """Build in this process and its workers: read, shuffle, stage, publish; None when
    ``lines`` gave up passing over lines, and nothing was published.

    Nothing is published when every product is as the current build has it and the
    day is the current build's (on another day the manifest names the new day: the
    site-wide files are spliced, every product carried over)."""
    config, version, progress = target.config, target.version, target.progress
    previous_count = target.previous_count
    windows = _DayWindows(config.export.today)
    entries = windows.watch(lines.watch(iter_raw_entries(catalog, limits=limits, skip=lines)))
    shuffled = shuffle_entries(entries, workdir)
    if lines.gave_up:
        return None
    kept = lines.unchanged_gtins()
    same_day = target.before is not None and target.before.today == config.export.today.isoformat()
    with shuffled.ordered(sort_key) as records:
        shuffled.path.unlink()  # the sorted runs hold the entries now
        if lines.passing_over and shuffled.count == 0 and len(kept) == previous_count and same_day:
            return BuildReport(unchanged=previous_count)  # every line as last time
        target.previous_files()
        lookup = previous_lookup(target.before)
        if (
            not lines.passing_over
            and target.before is not None
            and target.may_reuse(catalog)
            and same_day
        ):
            checked = _Recorded(lines, windows, None, workdir, "checked-lines.bin")
            if _nothing_changed(records(), lookup, previous_count, config, version, checked):
                if checked and not config.link_unchanged:  # the next rebuild reads less
                    shared = target.folder / SHARED_PRODUCTS
                    write_sources(shared, target.before.build_id, checked.sources())
                return BuildReport(unchanged=previous_count)
        recorded = _Recorded(lines, windows, record, workdir, "built-lines.bin")

        def in_process(rows: SummaryRows, pool: Executor | None) -> BuildReport:
            tally = Tally(rows)
            runs = gtin_runs(records(), _CHUNK)
            _stage_runs(runs, lookup, target, pool, tally, progress.entries, recorded.note)
            report = tally.report(previous_count - len(kept))
            report.unchanged += len(kept)
            return report

        return _publish(
            target,
            workdir,
            in_process,
            workers=1 if shuffled.count < _FEW else config.workers,
            client=None,
            kept=kept if lines.passing_over else None,
            sources=recorded,
        )


class _DayWindows:
    """Notes the day window of each entry read (:func:`~gs1ld.site.product_files.day_window`:
    the days on which it hashes as on the build's day), for the record of its line;
    :meth:`at` tells it by position.

    Positions count from 0 in the order the entries pass, as
    :meth:`~gs1ld.catalog.lines.LineReader.watch` numbers them.  Kept as 8 bytes an
    entry, not objects: a build of a million lines holds them until its commit.
    """

    def __init__(self, today: date) -> None:
        self._today = today
        self._day = today.toordinal()
        self._windows = bytearray()

    def watch(self, entries: Iterable[RawEntry]) -> Iterator[RawEntry]:
        """``entries``, each one's window noted (an unreadable entry's is its day alone)."""
        for raw in entries:
            if raw.error is None:
                first, last = day_window(raw.data, self._today)
            else:
                first = last = self._day
            self._windows += _WINDOW.pack(first, last)
            yield raw

    def at(self, position: int) -> bytes:
        """The window of the entry at ``position``: first and last day, ordinals, 8 bytes."""
        start = position * _WINDOW.size
        return bytes(self._windows[start : start + _WINDOW.size])


_WINDOW = struct.Struct(">II")


class _Recorded:
    """The line each product of the new build comes from, and its day window, for its
    record (:func:`~gs1ld.site.folder.write_sources`).

    The products staged are spilled to ``workdir`` as they come and read back
    in GTIN order, so a build of a million lines holds none of them until its
    commit.  The record is then the current build's ``record`` with the entries of the
    lines not passed over replaced by the staged ones
    (:meth:`~gs1ld.site.folder.SourceRecord.next_body`).
    """

    def __init__(
        self,
        lines: LineReader,
        windows: _DayWindows,
        record: SourceRecord | None,
        workdir: Path,
        name: str,
    ) -> None:
        self._lines = lines
        self._windows = windows
        self._record = record
        self._staged: RowStore[tuple[str, bytes]] = RowStore(workdir, name=name)

    def __bool__(self) -> bool:
        return bool(self._staged.count or self._lines.lines_passed)

    def add(self, gtin: str, position: int) -> None:
        """Record that ``gtin`` comes from the entry at catalog ``position``, if that was
        read from a line."""
        digest = self._lines.digest_at(position)
        if digest is not None:
            self._staged.add((gtin, digest + self._windows.at(position)))

    def note(self, rows: Iterable[StagedRow]) -> None:
        """Record the line of each product staged from one (built, or unchanged by hash)."""
        for row in rows:
            if row.status in ("built", "unchanged") and row.gtin:
                self.add(row.gtin, row.position)

    def sources(self) -> Iterator[bytes]:
        """The record's body: (GTIN, line digest and day window) of every product
        recorded, in GTIN order."""
        staged = self._staged.sorted(_by_gtin)
        if self._record is None:  # no line was passed over
            return record_body(staged)
        return self._record.next_body(self._lines.not_passed_over, staged)


_by_gtin = itemgetter(0)


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
    previous_files: _Once
    """Puts the current build's site-wide files in place, when they are kept elsewhere."""

    def may_reuse(self, catalog: CatalogSource) -> bool:
        """Whether this build may find the catalog as the current build read it: that build
        published products under the same site inputs, with its site-wide files here (or
        to be fetched), no dead build left products pending (a site on object storage
        passes its pending as ``render_again``), and the catalog can be read again."""
        before = self.before
        return (
            before is not None
            and before.count > 0
            and not self.pending
            and not self.config.render_again
            and str(catalog) != "-"
            and before.site_inputs == site_inputs(self.config, self.version)
            and self.has_sitewide
        )

    @property
    def has_sitewide(self) -> bool:
        """Whether the current build's site-wide files are here, or can be fetched: a
        rebuild may then splice them (a folder holding a manifest alone has none)."""
        return self.previous_files.fetches or (self.site / "index.html").is_file()

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


class _Once:
    """Calls ``fetch(folder)`` the first time it is called, and never again."""

    def __init__(self, fetch: Callable[[Path], None] | None, folder: Path) -> None:
        self._fetch, self._folder = fetch, folder
        self.fetches = fetch is not None
        """Whether there is (or was) anything to fetch."""

    def __call__(self) -> None:
        fetch, self._fetch = self._fetch, None
        if fetch is not None:
            fetch(self._folder)


def _publish(
    target: _Target,
    workdir: Path,
    stage: Engine,
    *,
    workers: int,
    client: Any,
    kept: set[str] | None = None,
    sources: _Recorded | None = None,
) -> BuildReport:
    """Stage the products, write the site-wide files, then publish the new build.

    ``workers`` > 1 starts a local pool, which stages and then writes the
    site-wide files; with a ``client`` the cluster writes them.  The pool is
    stopped (no worker left writing) before a failed build's staging is removed.
    With ``kept`` (the products carried over unread: the rows staged are those
    of the others alone) the site-wide files are the current build's with the
    staged products' parts replaced (:func:`~gs1ld.site.sitewide.splice_sitewide`).  ``sources``
    is recorded once the build is published.
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
            # the products' publishing steps touch no site-wide file: a worker does them now
            moving = pool.submit(move_in, target.staging, target.folder) if pool else None
            leaving: list[str] | None = None
            if kept is not None:
                none_leave = report.removed == 0
                root, leaving = _sitewide_of_changes(target, workdir, rows, kept, pool, none_leave)
            else:
                # the site-wide files are five independent jobs: the same workers run them
                root = write_sitewide(
                    rows,
                    directory_writer(target.staging),
                    target.config,
                    target.version,
                    executor=pool or client,
                )
            moved = moving.result() if moving is not None else None
        write_files(target.staging, {MANIFEST_FILE: root})  # the manifest last
        target.progress.phase("publishing")
        shared = target.folder / SHARED_PRODUCTS
        build_id = orjson.loads(root)["build_id"]
        with sources_beside(shared, build_id, sources.sources() if sources else None):
            publish_build(
                target.staging,
                target.folder,
                leaving=target.leaving(report) if leaving is None else leaving,
                committed=target.committed,
                moved=moved,
            )
    except BaseException:
        remove_tree(target.staging, ignore_errors=True)
        raise
    finally:
        rows.close()
    return report


def _sitewide_of_changes(
    target: _Target,
    workdir: Path,
    rows: SummaryRows,
    kept: set[str],
    pool: Executor | None,
    none_leave: bool,
) -> tuple[bytes, list[str] | None]:
    """The site-wide files of a build that read only the changed lines: spliced from the
    current build's, or (when the site's shape changed) written from every row, the
    unchanged products' read from the current manifest.  ``none_leave``: the build removes
    no product.  Returns the manifest root and the leaving products (None: to be read
    from both manifests)."""
    assert target.before is not None
    whole, _ = rows.finished()
    staged = list(whole.sorted(manifest_sort_key))
    write = directory_writer(target.staging)
    spliced = splice_sitewide(
        target.site,
        target.staging,
        target.before,
        kept,
        staged,
        target.config,
        target.version,
        write=write,
        workdir=workdir / "listed",
        executor=pool,
        none_leave=none_leave,
        spare_partitions=target.folder / BUILDS_FOLDER / SPARE_PARTITIONS,
    )
    if spliced is not None:
        return spliced.root, spliced.leaving
    for begun in os.scandir(target.staging):  # whatever the splice began; the products stay
        if begun.name == PRODUCTS_FOLDER:
            continue
        if begun.is_dir(follow_symlinks=False):
            remove_tree(Path(begun.path))
        else:
            os.unlink(begun.path)
    every = SummaryRows(workdir / "every")
    try:
        for entry in staged:
            every.add(entry)
        for entry in target.before.entries():
            if entry.gtin in kept:
                every.add(entry)
        root = write_sitewide(every, write, target.config, target.version, executor=pool)
    finally:
        every.close()
    return root, None


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
    note: Callable[[list[StagedRow]], None] = lambda rows: None,
) -> None:
    """Stage every run of GTINs (in the pool's workers) and tally the rows.

    The previous entries of a run are looked up here, as the runs come in
    manifest partition order: each partition is read once.  Tasks are submitted
    while earlier ones run, up to ``_AHEAD`` per worker, and collected in order:
    the workers never wait while this process reads the next runs, and memory
    stays bounded.  Each run is given as many of the site's spare versions as it
    has GTINs, while they last, its GTINs' own first
    (:func:`~gs1ld.site.folder.spare_versions`).
    """
    spares = spare_versions(target.folder)
    owned: dict[str, list[str]] = {}  # GTIN -> its spare versions
    for folder in spares:
        owned.setdefault(spare_owner(folder), []).append(folder)

    def given(gtins: set[str]) -> list[str]:
        """The run's own spares, then others (taken from the end), one a GTIN."""
        chosen = [folder for gtin in gtins for folder in owned.pop(gtin, ())]
        while len(chosen) < len(gtins) and spares:
            folder = spares.pop()
            mine = owned.get(spare_owner(folder))
            if mine is not None and folder in mine:  # not given yet
                mine.remove(folder)
                chosen.append(folder)
        return chosen

    def tasks() -> Iterator[tuple[Any, ...]]:
        for run in runs:
            gtins = {record[1] for record in run if record[1]}
            olds = {gtin: old for gtin in gtins if (old := previous(gtin)) is not None}
            config, version = target.config, target.version
            spares_given = given(gtins)
            if pool is not None:  # (in this process the partition reads ahead itself)
                read_partition_ahead(target.site, olds, spares_given)
            yield (run, olds, target.site, target.staging, config, version, spares_given, not pool)

    ahead = _AHEAD * target.config.workers
    for staged in ordered_results(pool, _stage_run, tasks(), ahead=ahead):
        count = tally.add(staged)
        note(staged)
        if on_progress:
            on_progress(count)
