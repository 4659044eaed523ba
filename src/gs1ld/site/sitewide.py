"""The site-wide files, made from the build's summary rows without holding them all.

The rows (one :class:`~gs1ld.publish.ManifestEntry` per published product)
are read back in four orders from :class:`~gs1ld.site.rows.SummaryRows`:
partition-hash order for the manifest partitions and the host link maps, GTIN
order for the sitemaps and the GTIN listing, and name and brand order for the
other listings.  Every file is written as soon as it is made, so a build's
memory does not grow with the site.  Whichever engine rendered the products
(this process, a worker pool, a Dask cluster), the same rows give the same bytes.

A rebuild that read only the changed catalog lines *splices* them instead
(:func:`splice_sitewide`): each file is a sequence of per-product parts -- a
line of a manifest partition (GTIN first, in GTIN order), a block of the nginx
link map (``# 01/{gtin}`` and one line per link type) and its lines in the
Apache map (both in manifest order) -- so the current build's files are kept as
bytes for the products that stand unchanged, and the staged rows' parts go
where a full build would put them.  A partition no product of which changed is
hard-linked, and so are the vocabulary's files (the same site inputs make the same
ones).  The link maps (and ``nginx.conf``, sized for them) are hard-linked when no
product's links changed; when the products with links are the current build's, each
keeps its shard, so a changed product's block and lines are replaced
where they are and a shard without one is hard-linked.  The listings and sitemaps
depend on names, brands and ``lastmod`` only: when no product came or went and none
of those changed they are hard-linked; when only days changed, the sitemaps' shards
have the changed products' lines replaced (a date for a date) and the others are
hard-linked; else they are written again from every row.  The bytes are a full build's
(the tests compare both); the splice declines (None) when the manifest's
partition depth changes with the count or the current build's files are not as
expected, and the caller writes the files from every row.
"""

from __future__ import annotations

import bisect
import contextlib
import mmap
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from gs1ld._tree import remove_if_present, remove_path
from gs1ld.config import SiteConfig, SitewideLimits
from gs1ld.errors import PublishError
from gs1ld.hosts.apache import APACHE_MAP_DIR, apache_map_lines
from gs1ld.hosts.link_map import LINK_MAP_DIR, link_map_lines
from gs1ld.hosts.nginx import NGINX_CONF, sized_for
from gs1ld.hosts.rules import HostMapWriter, host_rules
from gs1ld.pages.listings import ORDERS, IndexOrder, index_page_files
from gs1ld.pages.sitemaps import (
    SITEMAP_FOLDER,
    SITEMAP_INDEX,
    sitemap_files,
    sitemap_index,
    sitemap_shard_urls,
    sitemap_url,
    url_lastmod,
)
from gs1ld.pages.vocabulary import VOCABULARY_FOLDER, vocabulary_files
from gs1ld.publish import (
    RESOLVER_DESCRIPTION_PATH,
    Manifest,
    ManifestEntry,
    content_digest,
    partition_key,
    resolver_description,
    write_manifest,
)
from gs1ld.publish.manifest import (
    partition_depth,
    partition_digest,
    partition_lines,
    partition_path,
)
from gs1ld.publish.manifest_writer import count_undated, manifest_root, manifest_sort_key
from gs1ld.site.rows import RowFile, SummaryRows
from gs1ld.site.stage import give_mode, umask_now, write_file_over, write_pieces

__all__ = [
    "SITE_LAYOUT",
    "Spliced",
    "directory_writer",
    "index_pages",
    "site_inputs",
    "splice_sitewide",
    "write_fixed",
    "write_listings",
    "write_sitewide",
]

SITE_LAYOUT = 4
"""The shape of a built site: 4 since the partitioned manifest and sharded sitemaps and maps.

Part of the site inputs, so a site of another layout is never taken as up to date.
"""

Write = Callable[[str, bytes], None]
"""Writes one site-relative file."""


def site_inputs(config: SiteConfig, version: str) -> str:
    """A digest of everything the site-wide files depend on besides the products and the
    day.

    The day is left out: it reaches the site-wide files only as the manifest's
    ``today`` (and the build id) and, in the sitemaps, as the ``lastmod`` of a row
    that has none, which a splice checks for; the products it reaches through their
    input hashes.  So tomorrow's rebuild may still splice today's site-wide files."""
    material = {
        "layout": SITE_LAYOUT,
        "name": config.name,
        "contact": config.contact,
        "validate": config.validate,
        "options": config.export.identity(),
        "limits": list(astuple(config.sitewide)),
        "tool": version,
    }
    if config.upstream is not None:  # the host configurations name it
        material["upstream"] = config.upstream
    if config.site_root is not None:  # and this
        material["site_root"] = config.site_root
    if config.theme is not None:  # absent without a theme: unthemed sites keep their inputs
        material["theme"] = config.theme.digest
    return content_digest(material)


def index_pages(products: Sequence[ManifestEntry], config: SiteConfig) -> dict[str, bytes]:
    """Every listing page of a few products held in memory (path -> bytes)."""

    def ordered(order: IndexOrder) -> list[ManifestEntry]:
        return sorted(products, key=order.sort_key)

    return dict(index_page_files(ordered, len(products), config))


def _manifest_and_maps(
    rows: RowFile[ManifestEntry],
    write: Write,
    config: SiteConfig,
    version: str,
    limits: SitewideLimits,
) -> bytes:
    """The manifest's partitions, the host rules and their link maps (one pass in
    partition order); returns the manifest's root, unwritten."""
    maps = HostMapWriter(write, shard_entries=limits.map_shard_entries)

    def tapped() -> Iterator[ManifestEntry]:
        for entry in rows.sorted(manifest_sort_key):
            maps.add(entry)
            yield entry

    root = write_manifest(
        tapped(),
        rows.count,
        write,
        generator=f"gs1ld {version}",
        base_url=config.export.base_url,
        today=config.export.today.isoformat(),
        site_inputs=site_inputs(config, version),
    )
    for relative, data in host_rules(config, map_entries=maps.finish()).items():
        write(relative, data)
    return root


def _sitemaps(
    rows: RowFile[ManifestEntry], write: Write, config: SiteConfig, limits: SitewideLimits
) -> None:
    for relative, data in sitemap_files(
        rows.sorted(lambda e: e.gtin),
        config,
        max_urls=limits.sitemap_urls,
        max_bytes=limits.sitemap_bytes,
    ):
        write(relative, data)


def _listing(
    rows: RowFile[ManifestEntry],
    write: Write,
    config: SiteConfig,
    limits: SitewideLimits,
    order: IndexOrder,
) -> None:
    for relative, data in index_page_files(
        lambda each: rows.sorted(each.sort_key),
        rows.count,
        config,
        page_size=limits.page_size,
        orders=(order,),
    ):
        write(relative, data)


def write_sitewide(
    rows: SummaryRows,
    write: Write,
    config: SiteConfig,
    version: str,
    *,
    limits: SitewideLimits | None = None,
    executor: Any = None,
) -> bytes:
    """Write every site-wide file but the manifest's root, which is returned.

    The root (``manifest.json``) names every partition and is the build's
    commit point: the caller writes it last.  The files fall into five
    independent jobs, each reading the rows in its own order (the manifest with
    the host maps, the sitemaps, the listing in each of three orders); with an
    ``executor`` they run side by side on its workers, which must see the rows'
    folder and the place ``write`` writes to.

    Args:
        rows: one row per published product.
        write: writes a site-relative file (a picklable one, such as
            :func:`directory_writer`'s, when an executor is given).
        config: the site options.
        version: gs1ld's version (part of the site inputs).
        limits: how large one file may grow (default: ``config.sitewide``).
        executor: a ``concurrent.futures.Executor`` or ``distributed.Client``
            to run the jobs on; None runs them here, one after the other.

    Raises:
        PublishError: the base URL holds a character the host rules would misread.
    """
    limits = limits or config.sitewide
    whole, listed = rows.finished()
    jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
        (_manifest_and_maps, (whole, write, config, version, limits)),
        (_sitemaps, (listed, write, config, limits)),
        *((_listing, (listed, write, config, limits, order)) for order in ORDERS),
    ]
    results = _run(jobs, executor)
    write_fixed(write, config)
    root: bytes = results[0]
    return root


def write_listings(
    rows: SummaryRows,
    write: Write,
    config: SiteConfig,
    *,
    sitemaps: bool = True,
    listings: bool = True,
    executor: Any = None,
) -> None:
    """Write the sitemaps and/or the listing pages alone (a rebuild whose products' names,
    brands or days changed, but whose manifest and maps it spliced: :func:`splice_sitewide`)."""
    limits = config.sitewide
    _, listed = rows.finished()
    jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
    if sitemaps:
        jobs.append((_sitemaps, (listed, write, config, limits)))
    if listings:
        jobs.extend((_listing, (listed, write, config, limits, order)) for order in ORDERS)
    _run(jobs, executor)


def _run(jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]], executor: Any) -> list[Any]:
    """The results of independent jobs, run side by side on ``executor`` (None: here)."""
    if executor is None:
        return [job(*args) for job, args in jobs]
    futures = [executor.submit(job, *args) for job, args in jobs]
    return [future.result() for future in futures]


def write_fixed(write: Write, config: SiteConfig, *, vocabulary: bool = True) -> None:
    """Write the site-wide files that depend on the options alone: the vocabulary (unless
    not ``vocabulary``), the theme's logo and the resolver description."""
    if vocabulary:
        for relative, data in vocabulary_files(config).items():
            write(relative, data)
    if config.theme is not None and config.theme.logo_path:
        write(config.theme.logo_path, config.theme.logo)
    description = resolver_description(config.export.base_url, config.name, config.contact)
    write(
        RESOLVER_DESCRIPTION_PATH.lstrip("/"),
        orjson.dumps(description, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE),
    )


@dataclass(frozen=True, slots=True)
class _DirectoryWriter:
    root: Path

    def __call__(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def directory_writer(root: Path) -> Write:
    """A :data:`Write` into the local folder ``root``, making folders as needed (picklable,
    so the site-wide jobs can run in other processes)."""
    return _DirectoryWriter(root)


_LINE_START = b'{"gtin":"'
_GTIN = slice(len(_LINE_START), len(_LINE_START) + 14)
_BLOCK_START = b"# 01/"
_DATED = b'"lastmod":"'
_UNDATED = b'"lastmod":""'
"""A partition row's ``lastmod``, and one that is empty (orjson writes no spaces)."""


class _SpliceError(PublishError):
    """Internal: the last build's files are not in the shape a splice needs."""


@dataclass(frozen=True, slots=True)
class Spliced:
    """What :func:`splice_sitewide` made.

    Attributes:
        root: the manifest root's bytes (unwritten: the commit point).
        leaving: the products the current build published and this one does not.
        relisted: whether the listings or the sitemaps were written again from every row
            (a product came or went, or one's name or brand changed; or a ``lastmod``
            changed in sitemaps that are not exactly what the current build's rows give).
    """

    root: bytes
    leaving: list[str]
    relisted: bool


def splice_sitewide(
    live: Path,
    staging: Path,
    before: Manifest,
    kept: set[str],
    staged: Sequence[ManifestEntry],
    config: SiteConfig,
    version: str,
    *,
    write: Write,
    workdir: Path,
    executor: Any = None,
    none_leave: bool = False,
    spare_partitions: Path | None = None,
) -> Spliced | None:
    """Write the site-wide files of a rebuild into ``staging``; None when it cannot.

    Args:
        live: the current build's folder.
        staging: the staged build.
        before: the current build's manifest.
        kept: the GTINs whose rows stand as the current build publishes them.
        staged: the rows of every other product the new build publishes.
        config: the site options (the same site inputs as ``before``).
        version: gs1ld's version.
        write: writes a file of the staged build (picklable, with an executor).
        workdir: a private folder for the rows the listings are written from
            again, when they changed.
        executor: runs the listings' jobs side by side (see
            :func:`~gs1ld.site.sitewide.write_listings`).
        none_leave: every product of the current build is in ``kept`` or ``staged`` (the
            build removes none): the staged rows then replace their lines in place, and
            no other line of a partition needs looking at.
        spare_partitions: a folder of manifest partitions no build uses
            (:data:`~gs1ld.publish.layout.SPARE_PARTITIONS`): taken as the staged
            build's, each partition written over the file of its name there.
    """
    count = len(kept) + len(staged)
    sizes = before.partition_sizes()
    depth = len(next(iter(sizes), ""))
    if count == 0 or not before.partitioned or partition_depth(count) != depth:
        return None
    ordered = sorted(staged, key=manifest_sort_key)
    keys = None if none_leave else {gtin.encode("ascii") for gtin in kept}
    try:
        new_day = before.today != config.export.today.isoformat()
        counts, digests, dropped, counted = _manifest(
            live,
            staging,
            sizes,
            keys,
            ordered,
            depth,
            count_undated=before.undated is None,
            spare=spare_partitions,
        )
        live_undated = counted if before.undated is None else before.undated
        if sum(counts.values()) != count:  # a product left that was said to stay
            raise _SpliceError("manifest")
        entries = (
            _link_maps(live, staging, config)
            if _same_map_lines(dropped, ordered)
            else _shard_maps(live, staging, dropped, ordered, config)
        )
        if entries is None:  # products came or went, or gained or lost their links
            gone = {entry.gtin.encode("ascii") for entry in dropped}
            entries = _maps(live, write, gone, ordered, config.sitewide.map_shard_entries)
    except (_SpliceError, OSError):
        return None
    root = manifest_root(
        counts,
        digests,
        depth,
        generator=f"gs1ld {version}",
        base_url=config.export.base_url,
        today=config.export.today.isoformat(),
        site_inputs=site_inputs(config, version),
        undated=live_undated - count_undated(dropped) + count_undated(ordered),
    )
    undated = new_day and live_undated > 0  # (such a row's sitemap lastmod is the day)
    for relative, data in host_rules(config, map_entries=entries).items():
        write(relative, data)
    write_fixed(write, config, vocabulary=not _link_tree(live, staging, VOCABULARY_FOLDER))
    old = {e.gtin: e for e in dropped}
    new_gtins = {e.gtin for e in ordered}
    leaving = sorted(g for g in old if g not in new_gtins)
    same_products = not leaving and all(e.gtin in old for e in ordered)
    listed = same_products and all(
        (e.name, e.brand) == (old[e.gtin].name, old[e.gtin].brand) for e in ordered
    )
    mapped = (
        same_products and all(e.lastmod == old[e.gtin].lastmod for e in ordered) and not undated
    )
    _link_listings(live, staging, sitemaps=mapped, listings=listed)
    if same_products and not mapped and not undated:  # days changed: their lines replaced
        spliced_maps = None
        with contextlib.suppress(_SpliceError, OSError, ValueError):  # (else: from every row)
            spliced_maps = _SplicedSitemaps.of(live, ordered, old, config.export.base_url, count)
        if spliced_maps is not None:  # written only once wholly made
            spliced_maps.write(live, staging, write)
            mapped = True
    if not (listed and mapped):
        rows = SummaryRows(workdir)
        try:
            for prefix in counts:
                for line in (staging / partition_path(prefix)).read_bytes().splitlines():
                    rows.add(ManifestEntry.from_row(orjson.loads(line)))
            write_listings(
                rows, write, config, sitemaps=not mapped, listings=not listed, executor=executor
            )
        finally:
            rows.close()
    return Spliced(root, leaving, relisted=not (listed and mapped))


def _manifest(
    live: Path,
    staging: Path,
    sizes: dict[str, int],
    kept: set[bytes] | None,
    ordered: list[ManifestEntry],
    depth: int,
    *,
    count_undated: bool = False,
    spare: Path | None = None,
) -> tuple[dict[str, int], list[str], list[ManifestEntry], int]:
    """Write the partitions; return the counts, the digests, the current build's rows
    that were dropped (changed or leaving), and (asked with ``count_undated``) how many of the
    current build's rows have no ``lastmod`` (0 when not asked).  ``kept`` None: every
    row the current build has stays but those ``ordered`` replaces (none leaves), so a
    partition's other lines are not looked at.

    The partitions are spliced on a few threads: reading, creating, writing and hashing
    a file let go of the interpreter, so one partition's file work runs beside
    another's splicing (a 1% rebuild of a million products rewrites nearly all of
    its 4,096 partitions, 750 MB).  With a ``spare`` folder of partitions, it becomes
    the staged build's: each partition is written over the file of its name there
    (creating 4,096 files, and removing them a build later, cost about a second at a
    million products), and the files no partition took go.
    """
    new: dict[str, list[bytes]] = {}
    for entry in ordered:
        new.setdefault(partition_key(entry.gtin)[:depth], []).append(orjson.dumps(entry.to_row()))
    old = set(sizes)

    def splice(prefix: str) -> _SplicedPartition:
        return _splice_partition(
            live,
            staging,
            prefix,
            sizes.get(prefix),
            new.get(prefix, []),
            kept,
            count_undated=count_undated,
            umask=umask,
        )

    counts: dict[str, int] = {}
    digests: list[str] = []
    dropped: list[ManifestEntry] = []
    undated = 0
    folder = (staging / partition_path("")).parent  # every partition's
    umask = umask_now()  # (files and folders written over take a new one's mode)
    if spare is not None and not folder.exists():
        with contextlib.suppress(OSError):  # (none: the files are made anew)
            os.rename(spare, folder)
    folder.mkdir(parents=True, exist_ok=True)
    give_mode(os.fspath(folder), 0o777 & ~umask)
    taken = set(os.listdir(folder))
    threads = ThreadPoolExecutor(_SPLICE_THREADS, thread_name_prefix="gs1ld-partitions")
    try:
        order = sorted(old | set(new))
        for prefix, done in zip(order, threads.map(splice, order), strict=True):
            dropped.extend(done.dropped)
            undated += done.undated
            if done.digest is not None:
                counts[prefix] = done.count
                digests.append(done.digest)
    finally:
        threads.shutdown(wait=True, cancel_futures=True)  # (nothing left writing on failure)
    for name in taken - {Path(partition_path(prefix)).name for prefix in counts}:
        remove_if_present(folder / name)  # a spare no partition wrote over
    return counts, digests, dropped, undated


_SPLICE_THREADS = 4
"""Threads splicing manifest partitions side by side (file work waits on the disk)."""


@dataclass(frozen=True, slots=True)
class _SplicedPartition:
    count: int
    digest: str | None
    """None when no row is left: the partition is not written."""
    dropped: list[ManifestEntry]
    undated: int
    """How many of the current build's rows have no ``lastmod`` (counted when asked)."""


def _splice_partition(
    live: Path,
    staging: Path,
    prefix: str,
    size: int | None,
    added: list[bytes],
    kept: set[bytes] | None,
    *,
    count_undated: bool,
    umask: int | None = None,
) -> _SplicedPartition:
    """Write one partition of the staged build (see :func:`_manifest`); ``size``: the
    products the current build's root says it holds, None when it has none; ``umask``:
    the mask a partition written over takes its mode from."""
    relative = partition_path(prefix)
    exists = size is not None
    data = (live / relative).read_bytes() if exists else b""
    target = staging / relative  # (its folder made before: one call, not one a partition)
    replaced = _replaced(data, added) if kept is None and exists else None
    if replaced is not None and size is not None:  # the common case, spliced as bytes
        spliced, old = replaced  # (no line split apart)
        count = size  # (each line replaced by one: counting 750 MB of them cost 0.4 s)
        undated = _undated_rows(data, count) if count_undated else 0
        if added:
            write_file_over(os.fspath(target), spliced, umask)
        else:  # no product of it changed: the same file
            _link(live / relative, target)
        rows = [ManifestEntry.from_row(orjson.loads(line)) for line in old]
        return _SplicedPartition(count, partition_digest(spliced), rows, undated)
    try:
        lines, _ = partition_lines(relative, data)
    except PublishError as exc:
        raise _SpliceError(relative) from exc
    undated = _undated_rows(data, len(lines)) if count_undated else 0
    dropped: list[ManifestEntry] = []
    if kept is None:
        keep = lines
        for line in added:  # few among many: each replaces its GTIN's line, or goes in
            at = bisect.bisect_left(keep, line[_GTIN], key=_GTIN_OF)
            if at < len(keep) and keep[at][_GTIN] == line[_GTIN]:
                dropped.append(ManifestEntry.from_row(orjson.loads(keep[at])))
                keep[at] = line
            else:
                keep.insert(at, line)
        unchanged = not added
    else:
        keep = [line for line in lines if line[_GTIN] in kept]
        if len(keep) < len(lines):
            dropped.extend(
                ManifestEntry.from_row(orjson.loads(line))
                for line in lines
                if line[_GTIN] not in kept
            )
        unchanged = not added and len(keep) == len(lines)
        for line in added:  # few among many, each put in its place in GTIN order
            bisect.insort(keep, line, key=_GTIN_OF)
    if unchanged:
        _link(live / relative, target)  # no product of it changed: the same file
    else:
        if not keep:
            return _SplicedPartition(0, None, dropped, undated)
        data = b"\n".join(keep) + b"\n"
        write_file_over(os.fspath(target), data, umask)
    return _SplicedPartition(len(keep), partition_digest(data), dropped, undated)


_GTIN_OF = itemgetter(_GTIN)


def _undated_rows(data: bytes, count: int) -> int:
    """How many of the ``count`` rows in a partition's ``data`` have an empty ``lastmod``
    or none (orjson writes no spaces; a string holding the key has its quotes escaped)."""
    return data.count(_UNDATED) + count - data.count(_DATED)


def _replaced(data: bytes, added: list[bytes]) -> tuple[bytes, list[bytes]] | None:
    """A partition's bytes ``data`` with the line of each of ``added``'s GTINs replaced by
    it, and the lines replaced; None when one has no line there (it goes in: the caller
    splits the partition into lines).

    The other lines are copied as runs of bytes, never split apart: a 1% rebuild of a
    million products replaces two or three lines in each of some 4,000 partitions of
    250, and splitting and joining every line cost its site-wide phase a second with the
    interpreter held.  The current build's partitions were read whole (and checked)
    while the staged products were looked up in them; lines are in GTIN order, each
    starting with its GTIN and ending with a newline.
    """
    pieces: list[bytes] = []
    old: list[bytes] = []
    at = 0  # where the bytes not copied yet begin (the start of a line)
    for line in sorted(added, key=_GTIN_OF):
        head = line[: _GTIN.stop + 1]  # {"gtin":"…" with its closing quote
        if at == 0 and data.startswith(head):
            start = 0
        else:
            found = data.find(b"\n" + head, max(at - 1, 0))
            if found < 0:
                return None
            start = found + 1
        end = data.find(b"\n", start)
        if end < 0:
            return None
        pieces += (data[at:start], line, b"\n")
        old.append(data[start:end])
        at = end + 1
    if not pieces:
        return data, old
    pieces.append(data[at:])
    return b"".join(pieces), old


@dataclass(slots=True)
class _OldMaps:
    """The current build's link maps, both read whole, and where each product's part is."""

    nginx: bytes
    apache: bytes
    starts: list[int]
    """Where each product's block starts in ``nginx``."""
    gtins: list[bytes]
    _apache_at: dict[int, int]
    """Where the Apache lines of the products found so far start."""
    _searched: int = 0
    """Where the last search found a product's first Apache line."""

    @classmethod
    def read(cls, live: Path) -> _OldMaps:
        names = sorted(n for n in os.listdir(live / LINK_MAP_DIR) if n.endswith(".map"))
        nginx = b"".join((live / LINK_MAP_DIR / n).read_bytes() for n in names)
        apache = b"".join(
            (live / APACHE_MAP_DIR / f"{n.removesuffix('.map')}.txt").read_bytes() for n in names
        )
        if not nginx:
            return cls(nginx, apache, [], [], {0: 0})
        if not nginx.startswith(_BLOCK_START):
            raise _SpliceError(LINK_MAP_DIR)
        # one split in C, where a regular expression's scan took half a second at 100,000
        blocks = nginx[len(_BLOCK_START) :].split(b"\n" + _BLOCK_START)
        starts = [0, *accumulate(len(b) + len(_BLOCK_START) + 1 for b in blocks[:-1])]
        gtins = [block[:14] for block in blocks]
        if nginx.count(b"\n") - len(gtins) != apache.count(b"\n"):  # one Apache line an entry
            raise _SpliceError(APACHE_MAP_DIR)
        if any(not gtin.isdigit() or len(gtin) != 14 for gtin in gtins):
            raise _SpliceError(LINK_MAP_DIR)
        return cls(nginx, apache, starts, gtins, {0: 0})

    def key(self, index: int) -> tuple[str, bytes]:
        """Where the product ``index`` sorts: the manifest's order."""
        gtin = self.gtins[index]
        return partition_key(gtin.decode("ascii")), gtin

    def part(self, first: int, end: int) -> tuple[bytes, bytes, int]:
        """Both maps' lines of the products ``first`` to ``end`` (excluded), and their entries.

        Parts are asked for in order, so each search for a product's first Apache
        line starts where the last one ended.
        """
        nginx = self.nginx[self.starts[first] : self._nginx_at(end)]
        apache = self.apache[self._apache_of(first) : self._apache_of(end)]
        return nginx, apache, nginx.count(b"\n") - (end - first)

    def _nginx_at(self, index: int) -> int:
        return self.starts[index] if index < len(self.starts) else len(self.nginx)

    def _apache_of(self, index: int) -> int:
        if index >= len(self.gtins):
            return len(self.apache)
        found = self._apache_at.get(index)
        if found is None:
            at = self.apache.find(b"\n" + self.gtins[index] + b"/", max(self._searched - 1, 0))
            if at < 0:
                raise _SpliceError(APACHE_MAP_DIR)
            found = self._apache_at[index] = self._searched = at + 1
        return found


def _same_map_lines(dropped: list[ManifestEntry], ordered: list[ManifestEntry]) -> bool:
    """Whether the staged rows ``ordered`` give the link maps the lines the current build's
    rows ``dropped`` gave: the same products, each with the same links (a product's
    lines are made of its GTIN and links alone, :meth:`HostMapWriter.add`).  A change
    of a product's text or data leaves its links, and so the maps, as they were."""
    before = {entry.gtin: entry.links for entry in dropped}
    return len(before) == len(ordered) and all(
        before.get(entry.gtin) == entry.links for entry in ordered
    )


def _link_maps(live: Path, staging: Path, config: SiteConfig) -> int:
    """Hard-link the current build's link-map shards into the staged build (the same
    products, the same lines, so the same shards); return their entries."""
    linked = _link_folders(live, staging, [LINK_MAP_DIR, APACHE_MAP_DIR])
    sized = _live_entries(live, config)
    if sized is not None:
        return sized
    return sum(  # one Apache line an entry
        (live / path).read_bytes().count(b"\n")
        for path in linked
        if path.startswith(f"{APACHE_MAP_DIR}/")
    )


def _live_entries(live: Path, config: SiteConfig) -> int | None:
    """The map entries the current build's ``nginx.conf`` was sized for, when it is the
    file a build writes for them; None when it does not say (fewer entries than nginx's
    least hash size) or is not that file (edited by hand): the caller counts them.
    Counting reads the whole Apache map (634 MB at 1,000,000 products).  (The size alone
    edited by hand cannot be told from a build's; the build's own copy of the file is
    not the one to edit, see the site guide.)"""
    conf = (live / NGINX_CONF).read_bytes()
    sized = sized_for(conf)
    if sized is None or host_rules(config, map_entries=sized)[NGINX_CONF] != conf:
        return None
    return sized


def _shard_maps(
    live: Path,
    staging: Path,
    dropped: list[ManifestEntry],
    ordered: list[ManifestEntry],
    config: SiteConfig,
) -> int | None:
    """Both link maps, spliced shard by shard; their entries.  None when the products with
    links are not the current build's (the caller splices the maps whole: :func:`_maps`).

    A shard holds a fixed number of products with links, in the manifest's order
    (:class:`~gs1ld.hosts.rules.HostMapWriter`), so with the same products each stays in
    its shard: a product whose links changed (a certificate the day made expire) has its
    block of the nginx map and its lines of the Apache map replaced where they are, and a
    shard holding none is hard-linked.  Each shard is read once, searched from where the
    last product was found; none is split into its products.
    """
    before = {entry.gtin: entry.links for entry in dropped}
    if {gtin for gtin, links in before.items() if links} != {e.gtin for e in ordered if e.links}:
        return None
    changed = [e for e in ordered if e.links and before[e.gtin] != e.links]  # manifest order
    # the entries, for nginx.conf: the live build's (as it says) and the changes; else counted
    sized = _live_entries(live, config)
    if sized is not None:
        sized += sum(len(entry.links) - len(before[entry.gtin]) for entry in changed)
    names = sorted(n for n in os.listdir(live / LINK_MAP_DIR) if n.endswith(".map"))
    if not names:
        raise _SpliceError(LINK_MAP_DIR)
    (staging / LINK_MAP_DIR).mkdir(parents=True, exist_ok=True)
    (staging / APACHE_MAP_DIR).mkdir(parents=True, exist_ok=True)
    shards: list[list[ManifestEntry]] = []  # the products of each whose links changed
    at = 0  # the next changed product
    for number, name in enumerate(names):
        last = number == len(names) - 1
        upto = None if last else _shard_end(live / LINK_MAP_DIR / name)
        first = at
        while at < len(changed) and (upto is None or manifest_sort_key(changed[at]) <= upto):
            at += 1
        shards.append(changed[first:at])
    if at < len(changed):  # not found where the manifest's order puts it
        raise _SpliceError(LINK_MAP_DIR)

    def splice(name: str, here: list[ManifestEntry]) -> int:
        return _splice_shard(live, staging, name, here, count=sized is None)

    threads = ThreadPoolExecutor(_SPLICE_THREADS, thread_name_prefix="gs1ld-maps")
    try:
        entries = sum(threads.map(splice, names, shards))
    finally:
        threads.shutdown(wait=True, cancel_futures=True)  # (nothing left writing on failure)
    return entries if sized is None else sized


def _splice_shard(
    live: Path, staging: Path, name: str, here: list[ManifestEntry], *, count: bool
) -> int:
    """Write one shard of both link maps, ``here`` (its products whose links changed, in
    manifest order) spliced in; the shard's entries when asked to ``count`` them, else 0.

    The current build's shards are mapped, not read (:func:`_mapped`): a 1% rebuild of a
    million products rewrites all 1.3 GB of the maps, and copying them into the process
    first cost its site-wide phase about 0.6 s of CPU.  Counting (when ``nginx.conf``
    does not say: sites of up to 2,048 entries, or a file edited by hand) reads the
    Apache shard.  The shards are written as the runs of the old one between the
    changes and the changes, never joined (:func:`~gs1ld.site.stage.write_pieces`)."""
    nginx_path = f"{LINK_MAP_DIR}/{name}"
    apache_path = f"{APACHE_MAP_DIR}/{name.removesuffix('.map')}.txt"
    if not here:
        _link(live / nginx_path, staging / nginx_path)
        _link(live / apache_path, staging / apache_path)
        return (live / apache_path).read_bytes().count(b"\n") if count else 0
    apache_source = (
        contextlib.nullcontext((live / apache_path).read_bytes())
        if count
        else _mapped(live / apache_path)
    )
    with _mapped(live / nginx_path) as nginx, apache_source as apache:
        nginx_parts, apache_parts, more = _spliced_shard(nginx, apache, here)
        write_pieces(os.fspath(staging / nginx_path), nginx_parts)  # (their folders made before)
        write_pieces(os.fspath(staging / apache_path), apache_parts)
        del nginx_parts, apache_parts  # (views into the mapped files: let them be unmapped)
        if not count:
            return 0
        assert isinstance(apache, bytes)  # (read, not mapped, to be counted)
        return apache.count(b"\n") + more  # one Apache line an entry


def _spliced_shard(
    nginx: _Bytes, apache: _Bytes, here: list[ManifestEntry]
) -> tuple[list[bytes | memoryview], list[bytes | memoryview], int]:
    """The pieces of a shard of each map with ``here``'s blocks and lines replaced (runs of
    the old shard, as views, between the new blocks and lines), and how many more Apache
    lines (entries) the new shard has than the old."""
    nginx_view, apache_view = memoryview(nginx), memoryview(apache)
    nginx_parts: list[bytes | memoryview] = []
    apache_parts: list[bytes | memoryview] = []
    nginx_from = apache_from = more = 0
    for entry in here:
        gtin = entry.gtin.encode("ascii")
        start, end = _block(nginx, gtin, nginx_from)
        apache_start, apache_end = _apache_lines(apache, gtin, apache_from)
        lines = b"".join(apache_map_lines((entry.gtin, rel, href) for rel, href in entry.links))
        nginx_parts += [nginx_view[nginx_from:start], link_map_lines(entry.gtin, entry.links)]
        apache_parts += [apache_view[apache_from:apache_start], lines]
        more += lines.count(b"\n") - apache[apache_start:apache_end].count(b"\n")
        nginx_from, apache_from = end, apache_end
    nginx_parts.append(nginx_view[nginx_from:])
    apache_parts.append(apache_view[apache_from:])
    return nginx_parts, apache_parts, more


_Bytes = bytes | mmap.mmap
"""A file's bytes, read or mapped (:func:`_mapped`)."""


@contextlib.contextmanager
def _mapped(path: Path) -> Iterator[_Bytes]:
    """``path``'s bytes mapped read-only for the block (an empty file's are ``b""``).

    Only the current build's files are mapped, and no build writes them again: a build
    writes into its own new staging folder, through no name another build has.  A file
    shrunk under the mapping by something else (edited in place during a build) ends the
    process (``SIGBUS``) where reading it would have read a half-edited file.  A view into
    it still held when the block ends (an error's traceback) keeps it mapped until the
    view goes.
    """
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            yield b""
            return
        data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        yield data
    finally:
        with contextlib.suppress(BufferError):  # (a view held: unmapped when it goes)
            data.close()


def _shard_end(path: Path) -> tuple[str, str]:
    """Where the last product of a shard of the nginx map sorts, read from the shard's end:
    a shard no product of which changed is linked, never read."""
    with open(path, "rb") as shard:
        size = shard.seek(0, os.SEEK_END)
        shard.seek(max(size - _SHARD_TAIL, 0))
        tail = shard.read()
    if size > _SHARD_TAIL and tail.rfind(b"\n" + _BLOCK_START) < 0:
        tail = path.read_bytes()  # a block longer than the tail
    return _last_key(tail)


_SHARD_TAIL = 65536
"""Bytes read from a shard's end to find its last product's block (a few hundred long)."""


def _last_key(nginx: bytes) -> tuple[str, str]:
    """Where the last product of a shard of the nginx map sorts (the manifest's order)."""
    at = _line_start(nginx, _BLOCK_START, len(nginx), last=True)
    gtin = nginx[at + len(_BLOCK_START) : at + len(_BLOCK_START) + 14].decode("ascii", "replace")
    if not gtin.isdigit() or len(gtin) != 14:
        raise _SpliceError(LINK_MAP_DIR)
    return partition_key(gtin), gtin


def _block(nginx: _Bytes, gtin: bytes, start: int) -> tuple[int, int]:
    """Where the block of ``gtin`` is in a shard of the nginx map, looked for from ``start``."""
    at = _line_start(nginx, _BLOCK_START + gtin + b"\n", start)
    end = nginx.find(b"\n" + _BLOCK_START, at) + 1
    return at, end if end > 0 else len(nginx)


def _apache_lines(apache: _Bytes, gtin: bytes, start: int) -> tuple[int, int]:
    """Where the lines of ``gtin`` are in a shard of the Apache map, looked for from
    ``start``."""
    head = gtin + b"/"
    at = end = _line_start(apache, head, start, map_dir=APACHE_MAP_DIR)
    while apache[end : end + len(head)] == head:
        end = apache.find(b"\n", end) + 1
        if end == 0:
            raise _SpliceError(APACHE_MAP_DIR)
    return at, end


def _line_start(
    data: _Bytes, head: bytes, start: int, *, last: bool = False, map_dir: str = LINK_MAP_DIR
) -> int:
    """Where the first line from ``start`` (or, ``last``, the last line before ``start``)
    that begins with ``head`` begins."""
    if last:
        found = data.rfind(b"\n" + head, 0, start)
    else:
        if start == 0 and data[: len(head)] == head:
            return 0
        found = data.find(b"\n" + head, max(start - 1, 0))
    if found < 0:
        if last and data[: len(head)] == head:
            return 0
        raise _SpliceError(map_dir)
    return found + 1


def _maps(
    live: Path, write: Write, gone: set[bytes], ordered: list[ManifestEntry], shard_entries: int
) -> int:
    """Write both link maps; return their entries.

    The runs of products kept (all but those ``gone``: changed or leaving) are copied
    from the current build's maps as bytes; each product of ``ordered`` with links goes
    where the manifest's order puts it.
    """
    old = _OldMaps.read(live)
    count = len(old.gtins)
    inserts: list[tuple[int, ManifestEntry]] = []
    for entry in ordered:
        if entry.links:
            key = (partition_key(entry.gtin), entry.gtin.encode("ascii"))
            inserts.append((bisect.bisect_left(range(count), key, key=old.key), entry))
    maps = HostMapWriter(write, shard_entries=shard_entries)

    def copy(first: int, end: int) -> None:
        while first < end:
            upto = min(end, first + maps.room)
            maps.add_lines(*old.part(first, upto), products=upto - first)
            first = upto

    run = 0  # the first old product not yet written or dropped
    at = 0
    for index in range(count + 1):
        while at < len(inserts) and inserts[at][0] == index:
            copy(run, index)
            run = index
            maps.add(inserts[at][1])
            at += 1
        if index < count and old.gtins[index] in gone:
            copy(run, index)
            run = index + 1
    copy(run, count)
    return maps.finish()


@dataclass(frozen=True, slots=True)
class _SplicedSitemaps:
    """The sitemaps of a rebuild whose products are the current build's, some with another
    ``lastmod``: each such product's line replaced in its shard (a date for a date: the
    same length, so every shard keeps its products, as a full build would cut them), the
    other shards kept, the index with each shard's newest ``lastmod`` (the index's own,
    or a later day put in the shard; read from the shard's lines where a day went back)."""

    names: list[str]
    touched: dict[int, bytes]
    """Shard number (from 0) -> its new bytes."""
    index: bytes

    @classmethod
    def of(
        cls,
        live: Path,
        ordered: list[ManifestEntry],
        old: dict[str, ManifestEntry],
        base: str,
        count: int,
    ) -> _SplicedSitemaps:
        """Made in memory, the current build's files (listing ``count`` products) checked
        on the way (:class:`_SpliceError` when they are not what its rows give).

        No shard is cut into lines (a million lines took a second): the products of a
        shard are found in GTIN order, each searched for from where the last one was.
        """
        shards = _SitemapShards.read(live, base)
        if sum(shards.counts) != count:
            raise _SpliceError(SITEMAP_FOLDER)
        changed: dict[int, list[tuple[str, str, str]]] = {}  # shard -> (GTIN, before, after)
        for entry in ordered:
            before, after = old[entry.gtin].lastmod, entry.lastmod
            if before == after:
                continue
            if not before or not after:  # a row without its day: the sitemap shows the build's
                raise _SpliceError(SITEMAP_FOLDER)
            changed.setdefault(shards.shard_of(entry.gtin), []).append((entry.gtin, before, after))
        newest = list(shards.newest)
        touched = {}
        for number, days in changed.items():
            data = shards.data[number]
            pieces: list[bytes] = []
            done = 0  # where the bytes not yet copied begin
            went_back = False
            for gtin, before, after in sorted(days):
                was, now = sitemap_url(base, gtin, before), sitemap_url(base, gtin, after)
                at = data.find(b"\n" + was, max(done - 1, 0)) + 1
                end = at + len(was)
                same_gtin = was[: was.rindex(b"<lastmod>")]  # a second line of it
                if not at or len(now) != len(was) or data.startswith(same_gtin, end):
                    raise _SpliceError(f"{SITEMAP_FOLDER}/{shards.names[number]}")  # or twice
                pieces += [data[done:at], now]
                done = end
                went_back = went_back or after < before
                newest[number] = max(newest[number], after)
            pieces.append(data[done:])
            touched[number] = b"".join(pieces)
            if went_back:
                newest[number] = max(_LASTMOD.findall(touched[number])).decode("ascii")
        return cls(shards.names, touched, sitemap_index(base, newest))

    def write(self, live: Path, staging: Path, write: Write) -> None:
        """Write the new shards and the index into ``staging``; hard-link the others."""
        (staging / SITEMAP_FOLDER).mkdir(parents=True, exist_ok=True)
        for number, name in enumerate(self.names):
            relative = f"{SITEMAP_FOLDER}/{name}"
            if number in self.touched:
                write(relative, self.touched[number])
            else:
                _link(live / relative, staging / relative)
        write(SITEMAP_INDEX, self.index)


_LASTMOD = re.compile(rb"<lastmod>([^<]*)</lastmod>")


@dataclass(frozen=True, slots=True)
class _SitemapShards:
    """The current build's sitemap shards, how many products each lists, and the index's days."""

    names: list[str]
    data: list[bytes]
    counts: list[int]
    firsts: list[bytes]
    """The GTIN of each shard's first line."""
    newest: list[str]
    """Each shard's ``lastmod`` in the index."""

    @classmethod
    def read(cls, live: Path, base: str) -> _SitemapShards:
        names = sorted(os.listdir(live / SITEMAP_FOLDER), key=lambda n: (len(n), n))
        if names != [f"{n}.xml" for n in range(1, len(names) + 1)]:
            raise _SpliceError(SITEMAP_FOLDER)
        data, counts, firsts = [], [], []
        probe = "09506000134352"
        at = sitemap_url(base, probe, "").index(f"/{probe}/".encode()) + 1  # a line's GTIN
        for name in names:
            shard = (live / SITEMAP_FOLDER / name).read_bytes()
            urls = sitemap_shard_urls(shard)
            if urls is None:
                raise _SpliceError(f"{SITEMAP_FOLDER}/{name}")
            data.append(shard)
            counts.append(urls[1])
            firsts.append(shard[urls[0] + at : urls[0] + at + 14])
        index = (live / SITEMAP_INDEX).read_bytes()
        newest = [url_lastmod(line).decode("ascii") for line in index.splitlines(True)[2:-1]]
        if sitemap_index(base, newest) != index or len(newest) != len(names):
            raise _SpliceError(SITEMAP_INDEX)
        return cls(names, data, counts, firsts, newest)

    def shard_of(self, gtin: str) -> int:
        """The shard that lists ``gtin``, if any does (the caller finds its line)."""
        return max(bisect.bisect_right(self.firsts, gtin.encode("ascii")) - 1, 0)


def _link_listings(live: Path, staging: Path, *, sitemaps: bool, listings: bool) -> None:
    """Hard-link the current build's sitemaps and listing pages into the staged one."""
    names: list[str] = []
    folders: list[str] = []
    if sitemaps:
        names.append(SITEMAP_INDEX)
        folders.append(SITEMAP_FOLDER)
    if listings:
        names.extend(order.first for order in ORDERS)
        folders.extend(order.folder for order in ORDERS)
    for name in names:
        _link(live / name, staging / name)
    _link_folders(live, staging, folders)


def _link_folders(live: Path, staging: Path, folders: list[str]) -> list[str]:
    """Hard-link the files of each of the current build's ``folders`` (flat; a folder it
    does not have is passed over) into the staged build; their paths in ``live``."""
    linked: list[str] = []
    for folder in folders:
        if (live / folder).is_dir():
            (staging / folder).mkdir(parents=True, exist_ok=True)
            for name in sorted(os.listdir(live / folder)):
                _link(live / folder / name, staging / folder / name)
                linked.append(f"{folder}/{name}")
    return linked


def _link_tree(live: Path, staging: Path, folder: str) -> bool:
    """Hard-link the current build's ``folder`` and all it holds into the staged build;
    False when the current build has none.

    For the vocabulary's files: the same site inputs make the same files, and
    linking them spares a rebuild parsing the vocabulary again (importing rdflib
    alone took a second of every rebuild)."""
    if not (live / folder).is_dir():
        return False
    shutil.copytree(
        live / folder,
        staging / folder,
        copy_function=lambda source, target: _link(Path(source), Path(target)),
    )
    return True


def _link(source: Path, target: Path) -> None:
    """Hard-link ``source`` (a file of the current build, never changed) as ``target``
    (a file of that name, a spare's, is replaced: never written through); copy it on a
    file system without hard links."""
    try:
        os.link(source, target)
    except FileExistsError:
        remove_path(target)
        _link(source, target)
    except OSError:
        if not source.is_file():
            raise
        shutil.copyfile(source, target)
