"""Write a partitioned manifest from a stream of entries, one partition at a time.

The entries come in :func:`~gs1ld.publish.manifest.partition_key` order, so
every partition is a run of the stream: the writer holds one partition, never
the site.  The root (``manifest.json``) is returned, not written: it is the
build's commit point, and the caller writes it once everything else is in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson

from gs1ld.publish.manifest import (
    ManifestEntry,
    content_digest,
    partition_depth,
    partition_digest,
    partition_key,
    partition_path,
)

__all__ = ["count_undated", "manifest_root", "manifest_sort_key", "write_manifest"]


def manifest_sort_key(entry: ManifestEntry) -> tuple[str, str]:
    """The order :func:`write_manifest` reads entries in: by partition hash, then GTIN."""
    return partition_key(entry.gtin), entry.gtin


def count_undated(entries: Iterable[ManifestEntry]) -> int:
    """How many ``entries`` have no ``lastmod`` (the root's ``undated``)."""
    return sum(1 for entry in entries if not entry.lastmod)


def write_manifest(
    entries: Iterable[ManifestEntry],
    count: int,
    write: Callable[[str, bytes], None],
    *,
    generator: str,
    base_url: str,
    today: str,
    site_inputs: str,
) -> bytes:
    """Write the partitions of ``count`` entries through ``write``; return the root's bytes.

    Args:
        entries: every published product, in :func:`manifest_sort_key` order.
        count: how many there are (it sets the partition depth).
        write: writes a site-relative file.
        generator: the tool and version that wrote the site.
        base_url: the resolver root.
        today: the build's reference day (ISO date).
        site_inputs: the digest of the site-wide inputs.

    Returns:
        The bytes of ``manifest.json``, which names every partition written.
    """
    depth = partition_depth(count)
    counts: dict[str, int] = {}
    digests: list[str] = []
    run: list[ManifestEntry] = []
    current: str | None = None
    undated = 0

    def flush() -> None:
        if current is None or not run:
            return
        nonlocal undated
        run.sort(key=lambda e: e.gtin)
        undated += count_undated(run)
        data = b"".join(orjson.dumps(e.to_row()) + b"\n" for e in run)
        write(partition_path(current), data)
        counts[current] = len(run)
        digests.append(partition_digest(data))
        run.clear()

    for entry in entries:
        prefix = partition_key(entry.gtin)[:depth]
        if prefix != current:
            flush()
            current = prefix
        run.append(entry)
    flush()
    return manifest_root(
        counts,
        digests,
        depth,
        generator=generator,
        base_url=base_url,
        today=today,
        site_inputs=site_inputs,
        undated=undated,
    )


def manifest_root(
    counts: dict[str, int],
    digests: list[str],
    depth: int,
    *,
    generator: str,
    base_url: str,
    today: str,
    site_inputs: str,
    undated: int,
) -> bytes:
    """The bytes of ``manifest.json`` naming the partitions written.

    Args:
        counts: products per partition prefix, in prefix order (empty partitions absent).
        digests: the :func:`~gs1ld.publish.manifest.partition_digest` of each partition's
            bytes, in the same order.
        depth: the partition depth.
        generator: the tool and version that wrote the site.
        base_url: the resolver root.
        today: the build's reference day (ISO date).
        site_inputs: the digest of the site-wide inputs.
        undated: how many rows have no ``lastmod`` (:attr:`Manifest.undated`).
    """
    root = {
        "generator": generator,
        "build_id": content_digest([site_inputs, today, digests]),
        "base_url": base_url,
        "today": today,
        "site_inputs": site_inputs,
        "count": sum(counts.values()),
        "undated": undated,
        "partition_depth": depth,
        "partitions": counts,
    }
    return orjson.dumps(root, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
