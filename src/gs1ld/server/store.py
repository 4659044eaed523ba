"""Where the server finds products: a built resolver site on disk, followed across rebuilds.

A :class:`Generation` is one build of the site: an open descriptor of its
directory, its manifest, and a bounded cache of what was read from it.  Every
answer is made from one generation, so no request sees half of an old product
and half of a new one.

:class:`SiteStore` holds the current generation and notices a completed
rebuild: at most once per ``interval`` seconds of its injected clock it resolves
the site path afresh -- a site folder's ``current`` link, which a local build
replaces atomically to publish (:func:`gs1ld.publish.layout.published_root`) --
compares the directory found and its ``manifest.json`` with the ones it holds,
and on a change opens the new build as the next generation.  So the server may
be given the site folder, its ``current`` link, a bind mount of the site folder
(in a container) or a folder of site files.  A build removes the builds before
the previous one; a file that vanishes under a request makes the store look
again at once and answer from the new generation.

A local site's builds share their products (:mod:`gs1ld.site.folder`): a
build's ``01`` is a link to the folder of product links, each naming the
product's current version.  A generation reads a product from the version its
own manifest names (``v/{gtin}/{input hash}/``, not changed while a manifest names
it but for its pages' day, swapped in whole by a build that renders it again), not
through the product links a rebuild swaps one by one, so it answers the
build it was opened on, whole, until the next commit.

Records are read lazily and kept in a bounded cache, so a server over a
million-product site starts at once and holds only what it serves; products a
rebuild left unchanged (the same manifest digest) keep their cached records.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from gs1ld.errors import Gs1ldError, PublishError
from gs1ld.publish import MANIFEST_FILE, Link, Manifest, product_paths, read_linkset
from gs1ld.publish.layout import (
    PAGE_FILE,
    PRODUCT_VERSIONS,
    PRODUCTS_FOLDER,
    published_root,
)
from gs1ld.server._files import FileRead, read_beneath, safe_relative

__all__ = ["Generation", "ProductRecord", "SiteStore", "StaticFile"]

logger = logging.getLogger(__name__)

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file of the site with its validators.

    Attributes:
        body: the file's bytes.
        etag: its strong entity tag (a digest of ``body``, quoted).
        last_modified: its modification time as an HTTP date, if known.
        mtime: the same as seconds since the epoch (0 when unknown).
    """

    body: bytes
    etag: str
    last_modified: str | None = None
    mtime: float = 0.0


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


def etag_of(body: bytes) -> str:
    """A strong entity tag for ``body``: the same bytes always give the same tag."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _static(read: FileRead) -> StaticFile:
    return StaticFile(
        read.body, etag_of(read.body), formatdate(int(read.mtime), usegmt=True), read.mtime
    )


@dataclass(frozen=True, slots=True)
class _Signature:
    """What changes when the site at a path is rebuilt: its directory and its manifest."""

    directory: tuple[int, int]
    manifest: tuple[int, int, int]


def _signature(directory_stat: os.stat_result, manifest_stat: os.stat_result) -> _Signature:
    return _Signature(
        (directory_stat.st_dev, directory_stat.st_ino),
        (manifest_stat.st_ino, manifest_stat.st_mtime_ns, manifest_stat.st_size),
    )


class Generation:
    """One build of the site: its directory (held open), its manifest and a cache."""

    def __init__(
        self,
        fd: int,
        manifest: Manifest,
        signature: _Signature,
        cache_size: int,
        versions: int | None = None,
    ) -> None:
        self.fd = fd
        self.versions = versions
        """The shared folder of product versions, held open (None: products are in ``fd``)."""
        self.manifest = manifest
        self.build_id = manifest.build_id
        self.base_url = manifest.base_url.rstrip("/")
        """The resolver root the generation's files were written for."""
        self.signature = signature
        self._cache: OrderedDict[str, ProductRecord | StaticFile | None] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        weakref.finalize(self, _close, fd, versions)  # closed when no request uses it any more

    def cached(self, key: str) -> tuple[bool, ProductRecord | StaticFile | None]:
        """(found, value) from the cache, without reading the disk."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return True, self._cache[key]
        return False, None

    def remember(self, key: str, value: ProductRecord | StaticFile | None) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used past the bound."""
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def publishes(self, gtin: str) -> bool:
        """Whether this build published ``gtin``."""
        return self.manifest.has(gtin)

    def read_product(self, gtin: str) -> ProductRecord | None:
        """The record of ``gtin`` read from this generation's files.

        Returns None when one of its files is gone (the generation was swapped
        out under the read) or unreadable as a linkset.
        """
        paths = product_paths(gtin)
        linkset_read = self._read(tuple(paths.linkset.split("/")))
        jsonld_read = self._read(tuple(paths.jsonld.split("/")))
        if linkset_read is None or jsonld_read is None:
            return None
        try:
            linkset = read_linkset(linkset_read.body)
        except Gs1ldError as exc:
            logger.warning("%s of GTIN %s cannot be read: %s", paths.linkset, gtin, exc)
            return None
        return ProductRecord(
            gtin=gtin,
            anchor=linkset.anchor,
            links=linkset.links,
            linkset=_static(linkset_read),
            jsonld=_static(jsonld_read),
        )

    def read_file(self, relative: str) -> StaticFile | None:
        """A file of this generation by its site-relative path (a folder gives its index)."""
        segments = safe_relative(relative)
        if segments is None:
            return None
        read = self._read(segments, index=PAGE_FILE)
        return None if read is None else _static(read)

    def _read(self, segments: tuple[str, ...], *, index: str = "") -> FileRead | None:
        """Read a site file; a product's from the version this generation's manifest names."""
        if self.versions is None or segments[0] != PRODUCTS_FOLDER:
            return read_beneath(self.fd, segments, index=index)
        entry = self.manifest.entry(segments[1]) if len(segments) > 1 else None
        if entry is None:
            return None
        return read_beneath(self.versions, (entry.gtin, entry.digest, *segments[2:]), index=index)

    def carry_over(self, newer: Generation) -> None:
        """Give ``newer`` the cached records of products its build did not change."""
        if (newer.base_url, newer.manifest.site_inputs) != (
            self.base_url,
            self.manifest.site_inputs,
        ):
            return
        with self._lock:
            records = [v for v in self._cache.values() if isinstance(v, ProductRecord)]
        for record in records:
            old, new = self.manifest.entry(record.gtin), newer.manifest.entry(record.gtin)
            if old is not None and new is not None and old.digest == new.digest:
                newer.remember("01/" + record.gtin, record)


def _close(*descriptors: int | None) -> None:
    for fd in descriptors:
        if fd is not None:
            os.close(fd)


def _open_versions(fd: int) -> int | None:
    """The shared versions folder of the build held by ``fd``, opened; None when its
    products are its own (its ``01`` is not a link)."""
    try:
        if not stat.S_ISLNK(os.stat(PRODUCTS_FOLDER, dir_fd=fd, follow_symlinks=False).st_mode):
            return None
        links = os.open(PRODUCTS_FOLDER, _DIRECTORY_FLAGS, dir_fd=fd)
    except FileNotFoundError:
        return None
    try:
        return os.open(f"../{PRODUCT_VERSIONS}", _DIRECTORY_FLAGS, dir_fd=links)
    finally:
        os.close(links)


def _open_generation(path: Path, cache_size: int) -> Generation:
    """Open the site at ``path`` as it is now.

    Raises:
        PublishError: it is not a readable gs1ld site.
    """
    try:
        fd = os.open(path, _DIRECTORY_FLAGS)
    except OSError as exc:
        raise PublishError(f"{str(path)!r} is not a gs1ld site: {exc.strerror}") from exc
    try:
        directory_stat = os.fstat(fd)
        manifest_stat = os.stat(MANIFEST_FILE, dir_fd=fd)
        # The manifest is read through the descriptor: the directory this generation holds,
        # even if a rebuild swaps another one in at ``path`` meanwhile.
        manifest = Manifest.read(_descriptor_path(fd, path))
        versions = _open_versions(fd)
    except (OSError, Gs1ldError) as exc:
        os.close(fd)
        if isinstance(exc, PublishError):
            raise
        raise PublishError(f"{str(path)!r} is not a gs1ld site: {exc}") from exc
    signature = _signature(directory_stat, manifest_stat)
    return Generation(fd, manifest, signature, cache_size, versions)


def _descriptor_path(fd: int, fallback: Path) -> Path:
    """A path naming the open directory ``fd`` itself (Linux ``/proc``), else ``fallback``."""
    proc = Path(f"/proc/self/fd/{fd}")
    return proc if proc.is_dir() else fallback


class SiteStore:
    """Products and files of a site built by ``gs1ld site build``, followed across rebuilds.

    Args:
        site_dir: the site folder (``gs1ld site build -o``), its ``current`` link, or
            a folder of site files; a site folder's ``current`` link is looked up
            at every look for a rebuild.
        cache_size: records and files kept in memory per generation.
        interval: the least number of seconds between two looks for a rebuild.
        clock: a monotonic clock in seconds (injected by tests).

    Raises:
        PublishError: ``site_dir`` is not a readable gs1ld site.
    """

    def __init__(
        self,
        site_dir: str | Path,
        *,
        cache_size: int = 4096,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.site_dir = Path(site_dir).absolute()
        self._cache_size = cache_size
        self._interval = interval
        self._clock = clock
        self._generation = _open_generation(published_root(self.site_dir), cache_size)
        self._checked = clock()
        self._refresh_lock = threading.Lock()
        self.failure: str | None = None
        """Why the site could not be read at the last look (None: it could)."""

    @property
    def generation(self) -> Generation:
        """The generation new requests are answered from."""
        return self._generation

    @property
    def manifest(self) -> Manifest:
        """The manifest of the current generation."""
        return self._generation.manifest

    def due(self) -> bool:
        """Whether a look for a rebuild is due (claims it: the next call says no)."""
        now = self._clock()
        if now - self._checked < self._interval:
            return False
        self._checked = now
        return True

    def refresh(self) -> Generation:
        """Look at the site path now and swap in a completed rebuild; return the current one.

        A site that cannot be read right now (a non-atomic swap in progress, a
        manifest being rewritten) keeps the current generation and is looked
        at again later.
        """
        with self._refresh_lock:
            current = self._generation
            root = published_root(self.site_dir)
            try:
                signature = _signature(os.stat(root), os.stat(root / MANIFEST_FILE))
            except OSError as exc:
                self.failure = f"site {str(self.site_dir)!r} cannot be read: {exc.strerror}"
                logger.warning("%s", self.failure)
                return current
            if signature == current.signature:
                self.failure = None
                return current
            try:
                newer = _open_generation(root, self._cache_size)
            except PublishError as exc:
                self.failure = f"site {str(self.site_dir)!r} changed but cannot be read: {exc}"
                logger.warning("%s", self.failure)
                return current
            self.failure = None
            current.carry_over(newer)
            if newer.build_id != current.build_id:
                logger.info("site %s rebuilt: build %s", self.site_dir, newer.build_id)
            self._generation = newer
            return newer

    def product_in_memory(self, generation: Generation, gtin: str) -> bool:
        """Whether :meth:`product` answers ``gtin`` without reading the disk.

        The server reads what is not in memory on a worker thread, so a slow
        disk never holds up the answers to other requests.
        """
        return not generation.publishes(gtin) or generation.cached("01/" + gtin)[0]

    def file_in_memory(self, generation: Generation, relative: str) -> bool:
        """Whether :meth:`file` answers ``relative`` without reading the disk."""
        return generation.cached(relative)[0]

    def product(self, generation: Generation, gtin: str) -> tuple[Generation, ProductRecord | None]:
        """The record of ``gtin`` and the generation it comes from (None: not published).

        When the files of ``generation`` vanished under the read (a rebuild
        swapped it out), the answer comes whole from the generation now in place.
        """
        for _ in range(3):
            if not generation.publishes(gtin):
                return generation, None
            found, hit = generation.cached("01/" + gtin)
            if found and isinstance(hit, ProductRecord):
                return generation, hit
            record = generation.read_product(gtin)
            if record is not None:
                generation.remember("01/" + gtin, record)
                return generation, record
            newer = self.refresh()
            if newer is generation:
                logger.warning(
                    "site %s lists GTIN %s but its files are missing", self.site_dir, gtin
                )
                return generation, None
            generation = newer
        return generation, None

    def file(self, generation: Generation, relative: str) -> tuple[Generation, StaticFile | None]:
        """A file of the site by its URL path, and its generation (None: no such file)."""
        for _ in range(3):
            found, hit = generation.cached(relative)
            if found and not isinstance(hit, ProductRecord):
                return generation, hit
            static = generation.read_file(relative)
            if static is None:
                newer = self.refresh()  # a miss may be a generation swapped out under us
                if newer is not generation:
                    generation = newer
                    continue
            generation.remember(relative, static)
            return generation, static
        return generation, None
