"""Sitemaps that hold at any size: a sitemap index and shards within sitemaps.org's limits.

sitemaps.org caps one sitemap at 50,000 URLs and 50 MB (uncompressed), and a
sitemap index at 50,000 sitemaps.  ``sitemap.xml`` is always the index (so
``robots.txt`` and search consoles name one URL whatever the site's size);
``sitemaps/{n}.xml`` are the shards, cut at whichever limit comes first.
Each product's ``lastmod`` is the day its page last changed (kept in its
manifest entry), not the build day, so a crawler re-reads only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from gs1ld.config import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS, SiteConfig
from gs1ld.publish import ManifestEntry, product_paths

__all__ = [
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "SITEMAP_FOLDER",
    "SITEMAP_INDEX",
    "sitemap_files",
    "sitemap_index",
    "sitemap_shard",
    "sitemap_shard_urls",
    "sitemap_url",
    "url_lastmod",
]

SITEMAP_INDEX = "sitemap.xml"
"""The sitemap index, at the site's root."""
SITEMAP_FOLDER = "sitemaps"
"""The folder of the sitemap shards, site-relative."""

_URLSET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
_URLSET_TAIL = b"</urlset>\n"
_INDEX_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
_INDEX_TAIL = b"</sitemapindex>\n"


def _shard_path(number: int) -> str:
    return f"{SITEMAP_FOLDER}/{number}.xml"


def sitemap_url(base: str, gtin: str, lastmod: str) -> bytes:
    """One product's line of a shard (``lastmod`` an ISO date)."""
    url = escape(f"{base}/{product_paths(gtin).page}")
    return f"<url><loc>{url}</loc><lastmod>{lastmod}</lastmod></url>\n".encode()


def url_lastmod(line: bytes) -> bytes:
    """The ``lastmod`` of a line :func:`sitemap_url` or :func:`sitemap_index` wrote, as it
    reads there."""
    return line[line.rindex(b"<lastmod>") + len(b"<lastmod>") : line.rindex(b"</lastmod>")]


def sitemap_shard(lines: Iterable[bytes]) -> bytes:
    """A shard's bytes: its products' lines (:func:`sitemap_url`) in a ``urlset``."""
    return _URLSET_HEAD + b"".join(lines) + _URLSET_TAIL


def sitemap_shard_urls(data: bytes) -> tuple[int, int] | None:
    """Where the lines of a shard :func:`sitemap_shard` wrote begin in ``data``, and how
    many there are; None when ``data`` is not one, or lists nothing."""
    if not data.startswith(_URLSET_HEAD) or not data.endswith(_URLSET_TAIL):
        return None
    count = data.count(b"\n", len(_URLSET_HEAD), len(data) - len(_URLSET_TAIL))
    return (len(_URLSET_HEAD), count) if count else None


def sitemap_index(base: str, newest: Iterable[str]) -> bytes:
    """The sitemap index's bytes, naming each shard in turn with its newest ``lastmod``."""
    entries = [
        f"<sitemap><loc>{escape(f'{base}/{_shard_path(n)}')}</loc>"
        f"<lastmod>{lastmod}</lastmod></sitemap>\n".encode()
        for n, lastmod in enumerate(newest, start=1)
    ]
    return _INDEX_HEAD + b"".join(entries) + _INDEX_TAIL


def sitemap_files(
    products: Iterable[ManifestEntry],
    config: SiteConfig,
    *,
    max_urls: int = MAX_SITEMAP_URLS,
    max_bytes: int = MAX_SITEMAP_BYTES,
) -> Iterator[tuple[str, bytes]]:
    """Yield each sitemap shard (site-relative path, bytes), then the sitemap index.

    Args:
        products: the published products, in the order the shards list them.
        config: the site options (the base URL; ``today`` stands in for an
            entry without a ``lastmod``).
        max_urls: URLs per shard at most.
        max_bytes: bytes per shard at most.
    """
    base = config.export.base_url
    today = config.export.today.isoformat()
    room = max_bytes - len(_URLSET_HEAD) - len(_URLSET_TAIL)
    shards: list[str] = []  # the newest lastmod of each shard
    lines: list[bytes] = []
    size = 0
    newest = ""

    def shard() -> tuple[str, bytes]:
        shards.append(newest)
        return _shard_path(len(shards)), sitemap_shard(lines)

    for product in products:
        lastmod = product.lastmod or today
        line = sitemap_url(base, product.gtin, lastmod)
        if lines and (len(lines) >= max_urls or size + len(line) > room):
            yield shard()
            lines, size, newest = [], 0, ""
        lines.append(line)
        size += len(line)
        newest = max(newest, lastmod)
    if lines:
        yield shard()
    yield SITEMAP_INDEX, sitemap_index(base, shards)
