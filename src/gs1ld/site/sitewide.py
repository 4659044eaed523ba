"""The site-wide files, made from the build's summary rows without holding them all.

The rows (one :class:`~gs1ld.publish.ManifestEntry` per published product)
are read back in four orders from :class:`~gs1ld.site.rows.SummaryRows`:
partition-hash order for the manifest partitions and the host link maps, GTIN
order for the sitemaps and the GTIN listing, and name and brand order for the
other listings.  Every file is written as soon as it is made, so a build's
memory does not grow with the site.  Whichever engine rendered the products
(this process, a worker pool, a Dask cluster), the same rows give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import orjson

from gs1ld.config import SiteConfig, SitewideLimits
from gs1ld.hosts.rules import HostMapWriter, host_rules
from gs1ld.pages.listings import ORDERS, IndexOrder, index_page_files
from gs1ld.pages.sitemaps import sitemap_files
from gs1ld.pages.vocabulary import vocabulary_files
from gs1ld.publish import (
    RESOLVER_DESCRIPTION_PATH,
    ManifestEntry,
    content_digest,
    resolver_description,
    write_manifest,
)
from gs1ld.publish.manifest_writer import manifest_sort_key
from gs1ld.site.rows import RowFile, SummaryRows

__all__ = [
    "SITE_LAYOUT",
    "directory_writer",
    "index_pages",
    "site_inputs",
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
    """A digest of everything the site-wide files depend on besides the products."""
    material = {
        "layout": SITE_LAYOUT,
        "today": config.export.today.isoformat(),
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
    brands or days changed, but whose manifest and maps it spliced: :mod:`gs1ld.site.splice`)."""
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


def write_fixed(write: Write, config: SiteConfig) -> None:
    """Write the site-wide files that depend on the options alone: the vocabulary, the
    theme's logo and the resolver description."""
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
