"""A rebuild's site-wide files: the last build's, with the changed products' parts replaced.

Made from the rows of every product, the site-wide files cost a rebuild as much
as a full build (at 100,000 products, seconds of sorting and formatting for a
handful of changes).  Yet each is a sequence of per-product parts: a line of a
manifest partition (GTIN first, in GTIN order), a block of the nginx link map
(``# 01/{gtin}`` and one line per link type) and its lines in the Apache map
(in manifest order).  So a rebuild that knows which products stand unchanged
(``kept``) and has the rows of the products it staged makes them from the
current build's files: it keeps the parts of the kept products as bytes, drops
the others, and puts in the staged rows' parts where a full build would.  A
partition no product of which changed is hard-linked.  The listing pages and
sitemaps depend on the products' names, brands and ``lastmod`` only: when no
product came or went and none of those changed they are hard-linked whole,
else written again from every row.  The bytes are those a full build writes
(the tests compare both); :func:`splice_sitewide` returns None when the site's
shape forbids it (the manifest's partition depth changes with the count, or
the last build's files are not as expected), and the caller writes the files
from every row instead.
"""

from __future__ import annotations

import hashlib
import heapq
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from gs1ld.config import SiteConfig
from gs1ld.errors import PublishError
from gs1ld.hosts.apache import APACHE_MAP_DIR, apache_map_lines
from gs1ld.hosts.link_map import LINK_MAP_DIR, link_map_lines
from gs1ld.hosts.rules import HostMapWriter, host_rules
from gs1ld.pages.listings import ORDERS
from gs1ld.pages.sitemaps import SITEMAP_FOLDER, SITEMAP_INDEX
from gs1ld.publish import Manifest, ManifestEntry, partition_key
from gs1ld.publish.manifest import partition_depth, partition_path
from gs1ld.publish.manifest_writer import manifest_root, manifest_sort_key
from gs1ld.site.rows import SummaryRows
from gs1ld.site.sitewide import Write, site_inputs, write_fixed, write_listings

__all__ = ["Spliced", "splice_sitewide"]

_LINE_START = b'{"gtin":"'
_GTIN = slice(len(_LINE_START), len(_LINE_START) + 14)
_BLOCK_START = b"# 01/"


class _SpliceError(PublishError):
    """Internal: the last build's files are not in the shape a splice needs."""


@dataclass(frozen=True, slots=True)
class Spliced:
    """What :func:`splice_sitewide` made.

    Attributes:
        root: the manifest root's bytes (unwritten: the commit point).
        leaving: the products the current build published and this one does not.
        relisted: whether the listings or the sitemaps were written again (a product
            came or went, or one's name, brand or ``lastmod`` changed).
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
    """
    count = len(kept) + len(staged)
    prefixes = before.partition_prefixes()
    depth = len(prefixes[0]) if prefixes else 0
    if count == 0 or not before.partitioned or partition_depth(count) != depth:
        return None
    ordered = sorted(staged, key=manifest_sort_key)
    keys = {gtin.encode("ascii") for gtin in kept}
    try:
        counts, digests, dropped = _manifest(live, staging, prefixes, keys, ordered, depth)
        entries = _maps(live, write, keys, ordered, config.sitewide.map_shard_entries)
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
    )
    for relative, data in host_rules(config, map_entries=entries).items():
        write(relative, data)
    write_fixed(write, config)
    old = {e.gtin: e for e in dropped}
    new_gtins = {e.gtin for e in ordered}
    leaving = sorted(g for g in old if g not in new_gtins)
    same_products = not leaving and all(e.gtin in old for e in ordered)
    listed = same_products and all(
        (e.name, e.brand) == (old[e.gtin].name, old[e.gtin].brand) for e in ordered
    )
    mapped = same_products and all(e.lastmod == old[e.gtin].lastmod for e in ordered)
    _link_listings(live, staging, sitemaps=mapped, listings=listed)
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
    prefixes: list[str],
    kept: set[bytes],
    ordered: list[ManifestEntry],
    depth: int,
) -> tuple[dict[str, int], list[str], list[ManifestEntry]]:
    """Write the partitions; return the counts, the digests and the current build's rows
    that were dropped (changed or leaving)."""
    new: dict[str, list[bytes]] = {}
    for entry in ordered:
        new.setdefault(partition_key(entry.gtin)[:depth], []).append(orjson.dumps(entry.to_row()))
    counts: dict[str, int] = {}
    digests: list[str] = []
    dropped: list[ManifestEntry] = []
    for prefix in sorted(set(prefixes) | set(new)):
        relative = partition_path(prefix)
        data = (live / relative).read_bytes() if prefix in prefixes else b""
        lines = data.splitlines()
        if any(not line.startswith(_LINE_START) for line in lines):
            raise _SpliceError(relative)
        keep = [line for line in lines if line[_GTIN] in kept]
        added = new.get(prefix, [])
        if len(keep) < len(lines):
            dropped.extend(
                ManifestEntry.from_row(orjson.loads(line))
                for line in lines
                if line[_GTIN] not in kept
            )
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not added and len(keep) == len(lines):
            os.link(live / relative, target)  # no product of it changed: the same file
        else:
            merged = sorted([*keep, *added], key=itemgetter(_GTIN))
            if not merged:
                continue
            data = b"".join(line + b"\n" for line in merged)
            target.write_bytes(data)
        counts[prefix] = len(keep) + len(added)
        digests.append(hashlib.sha256(data).hexdigest())
    return counts, digests, dropped


_MapPart = tuple[tuple[str, bytes], bytes, bytes, int]
"""((partition key, GTIN), nginx block, Apache lines, entries) of one product."""


def _old_map_parts(live: Path, kept: set[bytes]) -> Iterator[_MapPart]:
    """The kept products' parts of the current build's maps, in manifest order."""
    shards = sorted(name for name in os.listdir(live / LINK_MAP_DIR) if name.endswith(".map"))
    for name in shards:
        nginx = (live / LINK_MAP_DIR / name).read_bytes()
        apache = (live / APACHE_MAP_DIR / f"{name.removesuffix('.map')}.txt").read_bytes()
        apache_lines = apache.splitlines(keepends=True)
        blocks = nginx.split(_BLOCK_START)
        if blocks[0]:
            raise _SpliceError(name)
        at = 0
        for block in blocks[1:]:
            entries = block.count(b"\n") - 1
            gtin = block[:14]
            mine = apache_lines[at : at + entries]
            at += entries
            if any(not line.startswith(gtin) for line in mine):
                raise _SpliceError(name)
            if gtin in kept:
                text = gtin.decode("ascii")
                yield (partition_key(text), gtin), _BLOCK_START + block, b"".join(mine), entries
        if at != len(apache_lines):
            raise _SpliceError(name)


def _new_map_parts(ordered: list[ManifestEntry]) -> Iterator[_MapPart]:
    for entry in ordered:
        if entry.links:
            yield (
                (partition_key(entry.gtin), entry.gtin.encode("ascii")),
                link_map_lines(entry.gtin, entry.links),
                b"".join(apache_map_lines((entry.gtin, r, h) for r, h in entry.links)),
                len(entry.links),
            )


def _maps(
    live: Path, write: Write, kept: set[bytes], ordered: list[ManifestEntry], shard_entries: int
) -> int:
    """Write both link maps; return their entries."""
    maps = HostMapWriter(write, shard_entries=shard_entries)
    parts: Any = heapq.merge(_old_map_parts(live, kept), _new_map_parts(ordered), key=itemgetter(0))
    for _, nginx, apache, entries in parts:
        maps.add_lines(nginx, apache, entries)
    return maps.finish()


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
    for folder in folders:
        if (live / folder).is_dir():
            (staging / folder).mkdir(parents=True, exist_ok=True)
            names.extend(f"{folder}/{name}" for name in os.listdir(live / folder))
    for name in names:
        os.link(live / name, staging / name)
