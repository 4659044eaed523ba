"""Where the server finds products: a built resolver site on disk.

Records are read lazily and kept in a bounded cache, so a server over a
million-product site starts at once and holds only what it serves.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from gs1ld.publish import Link, Manifest, product_paths, read_linkset

__all__ = ["ProductRecord", "SiteStore", "StaticFile"]


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file of the site with its validator."""

    body: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """What the resolver needs to answer for one GTIN."""

    gtin: str
    anchor: str
    links: tuple[Link, ...]
    linkset: StaticFile
    jsonld: StaticFile

    def links_of(self, rel: str) -> list[Link]:
        """The product's links of one GS1 link type (local name)."""
        return [link for link in self.links if link.rel == rel]

    @property
    def hrefs(self) -> frozenset[str]:
        """Every target the product's linkset names: the only places it redirects to."""
        return frozenset(link.href for link in self.links)


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class SiteStore:
    """Products and files of a site built by ``gs1ld site build``."""

    def __init__(self, root: str | Path, *, cache_size: int = 4096) -> None:
        self.root = Path(root).resolve()
        self.manifest = Manifest.read(self.root)
        self._cache: OrderedDict[str, ProductRecord | StaticFile | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = Lock()

    def _cached(self, key: str) -> tuple[bool, ProductRecord | StaticFile | None]:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return True, self._cache[key]
        return False, None

    def _remember(self, key: str, value: ProductRecord | StaticFile | None) -> None:
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def product_in_memory(self, gtin: str) -> bool:
        """Whether :meth:`product` answers ``gtin`` without reading the disk.

        The server reads what is not in memory on a worker thread, so a slow
        disk never holds up the answers to other requests.
        """
        return not self.manifest.has(gtin) or self._cached("01/" + gtin)[0]

    def file_in_memory(self, relative: str) -> bool:
        """Whether :meth:`file` answers ``relative`` without reading the disk."""
        return self._cached(relative)[0]

    def product(self, gtin: str) -> ProductRecord | None:
        """The record of ``gtin``, or None when the site does not publish it."""
        if not self.manifest.has(gtin):
            return None
        found, hit = self._cached("01/" + gtin)
        if found and isinstance(hit, ProductRecord):
            return hit
        paths = product_paths(gtin)
        linkset_bytes = (self.root / paths.linkset).read_bytes()
        jsonld_bytes = (self.root / paths.jsonld).read_bytes()
        linkset = read_linkset(linkset_bytes)
        record = ProductRecord(
            gtin=gtin,
            anchor=linkset.anchor,
            links=linkset.links,
            linkset=StaticFile(linkset_bytes, _etag(linkset_bytes)),
            jsonld=StaticFile(jsonld_bytes, _etag(jsonld_bytes)),
        )
        self._remember("01/" + gtin, record)
        return record

    def file(self, relative: str) -> StaticFile | None:
        """A file of the site by its URL path, or None (never outside the site)."""
        found, hit = self._cached(relative)
        if found and not isinstance(hit, ProductRecord):
            return hit
        target = (self.root / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.root) or not target.is_file():
            self._remember(relative, None)
            return None
        body = target.read_bytes()
        static = StaticFile(body, _etag(body))
        self._remember(relative, static)
        return static
