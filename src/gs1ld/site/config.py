"""Options of a resolver site build, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, field

from gs1ld.config import ExportConfig

__all__ = [
    "MAP_SHARD_ENTRIES",
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "PAGE_SIZE",
    "SiteConfig",
    "SitewideLimits",
]

MAX_SITEMAP_URLS = 50_000
"""URLs one sitemap may list (sitemaps.org)."""
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
"""Bytes one sitemap may have, uncompressed (sitemaps.org)."""
PAGE_SIZE = 1000
"""Products a listing page holds at most (and page links one part of the index of pages holds)."""
MAP_SHARD_ENTRIES = 50_000
"""Products one shard of a link map holds at most."""


@dataclass(frozen=True, slots=True)
class SitewideLimits:
    """How large one site-wide file may grow (the defaults are the published limits).

    Attributes:
        sitemap_urls: URLs one sitemap shard lists at most (sitemaps.org: 50,000).
        sitemap_bytes: bytes one sitemap shard has at most (sitemaps.org: 50 MB).
        page_size: products one listing page shows at most.
        map_shard_entries: products one link-map shard holds at most.
    """

    sitemap_urls: int = MAX_SITEMAP_URLS
    sitemap_bytes: int = MAX_SITEMAP_BYTES
    page_size: int = PAGE_SIZE
    map_shard_entries: int = MAP_SHARD_ENTRIES


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """How to build a resolver site.

    Attributes:
        export: how each product's JSON-LD is made; its ``base_url`` is the
            resolver's root (every Digital Link URI, linkset anchor and sitemap URL
            starts with it) and its ``today`` the reference day for certificate
            status and claims in effect.
        name: the resolver's name in ``/.well-known/gs1resolver`` and the index page.
        contact: who runs the resolver (an email address or URL), or None.
        validate: validate each product's JSON-LD and skip invalid ones.
        workers: processes rendering products in parallel (1 = in this process).
        sitewide: how large one site-wide file (sitemap, listing page, map shard) may grow.
        part_bytes: bytes of catalog one task of a distributed build reads.
        link_unchanged: carry an unchanged product over by hard-linking its files
            from the live site (a product whose files are missing there is
            rendered again).  False when the live site's files are elsewhere (a
            site on object storage, whose unchanged objects stay where they are):
            an unchanged product is then carried over by its manifest row alone,
            and only changed products are rendered.  Not part of any digest:
            the files are the same either way.
        render_again: GTINs rendered even when their input is unchanged (on a
            store, products whose upload a killed build left unfinished).
    """

    export: ExportConfig = field(default_factory=ExportConfig)
    name: str = "gs1ld resolver"
    contact: str | None = None
    validate: bool = True
    workers: int = 1
    sitewide: SitewideLimits = field(default_factory=SitewideLimits)
    part_bytes: int = 16 * 1024 * 1024
    link_unchanged: bool = True
    render_again: frozenset[str] = frozenset()
