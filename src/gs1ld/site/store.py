"""Publish a site to object storage (``s3://``, ``gs://``, ``memory://``...) through fsspec.

Object stores have no atomic rename, so the local staging-and-swap becomes an
ordered upload with one commit point.  Only one build writes a site at a time
(:mod:`gs1ld.site.store_lock`: a leased lock).  The site is built in a local scratch folder
seeded with the store's manifest, so products keep their ``lastmod``, the new
manifest says which products changed (the store's manifest is kept apart, as
the build replaces the seeded copy), and an unchanged product is carried over
by its manifest row alone: only new and changed products are rendered (and
only they are in the scratch folder).  Then, in this order (:data:`STEPS`):

1. the pending record (:data:`PENDING_FILE`: the products about to be replaced
   or deleted), then the files of every changed product, its pages
   (``index*.html``) after the rest, so a page never links to a file not there yet;
2. the site-wide files (sitemaps, index pages, host rules);
3. the manifest partitions and root, then the commit marker (:data:`COMMIT_FILE`,
   the build id): the commit point;
4. only then are deleted: the folders of products that left the catalog (or
   that a dead build added); in a changed product's folder, the files the new
   build does not write (an ``index.fr.html`` after the product dropped French);
   the site-wide files the new build does not write (of those the build found to
   splice them, named by the committed build's record, :data:`SITEWIDE_OBJECT`, or
   else listed: under the lock nothing else writes the site, so they are not listed
   again; a build that did not look for them lists them now); then the pending
   record; then the records of the new build (its catalog lines, its site-wide files).

   A changed product's folder is listed only where such a file can be and nothing
   else names it.  Every build rewrites a product's four files
   (:data:`~gs1ld.publish.layout.PRODUCT_FILE_NAMES`); the only other files a
   build writes there are its language pages.  So: a product in the pending
   record (a dead build may have written anything there) has its folder listed;
   a product whose row in the previous manifest shows a single page (a ``pip``
   link but no second one, ``pip+``, and no ``defaultLinkMulti``, which only a
   product with language pages has) needs nothing; one whose row shows language
   pages has its previous linkset read before the build replaces it, and the
   pages its ``pip`` links name (every page it had) are deleted unless the new
   build wrote them; a row without page links (a site without a page base, its
   base URL on GS1's resolver and no ``pages_url``, or a manifest from before
   rows kept links) cannot tell, and the folder is listed, as it is when the
   linkset cannot be read.  A product in no manifest and not pending has no
   folder yet.  So a file put by hand into the folder of a product with a page
   base stays when the product changes (it goes when the product leaves the
   catalog).  One request a product either way; a read is the cheaper one on
   every store (and some, moto among them, answer a listing by reading every key).

Unchanged products are neither rendered nor uploaded again (a product whose
objects were removed from the store by hand comes back when it changes, or
with a build to a new prefix).  A rebuild costs what changed, as a local one does
(:mod:`gs1ld.site.build`): the store keeps the record of the catalog line each
product came from (:data:`SOURCES_OBJECT`, bound to the build id and uploaded
after the commit), so the unchanged lines of a JSON Lines catalog are passed over
unparsed; the scratch folder starts with the manifest root alone, and the other
site-wide files are downloaded only when a line changed, so that the build can
splice them (found by the record of the committed build's site-wide files,
without listing the store); and only the site-wide files whose bytes changed are
uploaded.  A rebuild that finds every line as last time downloads the manifest
root and the line record, and writes nothing.  A build killed before the manifest
leaves the last committed manifest and marker in place (changed products may
already show their new files, and the site-wide files the new build's, which the
old manifest does not contradict: the same GTINs, the same URIs); one killed
after the manifest root leaves the new build complete, its marker to come.  The
next build takes over the lock (at once when the dead build ran on this
machine, else once its lease expires), redoes the pending products, deletes
the pending ones no longer in the catalog and converges to the same objects.
The one moment no step boundary covers is between the last manifest partition
and the root: a reader then finds the old root over new partitions.
"""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from gs1ld.catalog.source import CatalogSource
from gs1ld.config import SiteConfig
from gs1ld.errors import PublishError
from gs1ld.limits import Limits
from gs1ld.publish import MANIFEST_FILE, Manifest, ManifestEntry, partition_key
from gs1ld.publish.layout import (
    MANIFEST_PARTITIONS,
    PRODUCTS_FOLDER,
    SHARED_PRODUCTS,
    product_paths,
    published_root,
)
from gs1ld.publish.links import (
    language_page_names,
    linkset_names_every_page,
    may_have_language_pages,
)
from gs1ld.publish.linkset import read_linkset
from gs1ld.site.build import BuildReport, build_site
from gs1ld.site.folder import SOURCES_FILE
from gs1ld.site.report import BuildProgress
from gs1ld.site.store_lock import DEFAULT_LEASE, LOCK_FILE, hold_store_lock
from gs1ld.storage import open_storage, storage_reason

__all__ = [
    "COMMIT_FILE",
    "PENDING_FILE",
    "SITEWIDE_OBJECT",
    "SOURCES_OBJECT",
    "STEPS",
    "StoreSite",
    "build_site_to_store",
    "store_reader",
]

COMMIT_FILE = "gs1ld-commit.json"
"""The commit marker: ``{"build_id": ...}`` of the last build whose upload completed."""
PENDING_FILE = "gs1ld-pending.json"
"""``{"gtins": [...]}``: products whose objects a build began to replace or delete.

Written before the first product is uploaded and removed once the deletions
are done, so a build that finds it knows those products' objects may not match
the committed manifest: it renders and uploads them again (even when their
input did not change since the commit), and deletes those that are no longer
in the catalog (a build killed after its commit leaves a manifest that no
longer names the products it was deleting).
"""

SOURCES_OBJECT = "gs1ld-sources.bin"
"""The record of the catalog line each product of the committed build came from
(:func:`~gs1ld.site.folder.write_sources`), uploaded after the commit: a record
bound to another build id (one that died before uploading its own) is not trusted."""

SITEWIDE_OBJECT = "gs1ld-sitewide.json"
"""``{"build_id": ..., "files": [...]}``: the site-wide files of the committed build
(site-relative paths, the manifest root aside), uploaded after the commit.  A
rebuild downloads the files it names instead of listing the store, when it names
the committed build and no build died since (there is no pending record: a dead
build may have written site-wide files it does not name); otherwise it lists."""

_CONTROL = (
    PRODUCTS_FOLDER,
    MANIFEST_FILE,
    COMMIT_FILE,
    LOCK_FILE,
    PENDING_FILE,
    SOURCES_OBJECT,
    SITEWIDE_OBJECT,
)
"""Top-level names of the store that are not site-wide files of a build."""

STEPS = (
    "pending",
    "products",
    "pages",
    "sitewide",
    "manifest",
    "commit",
    "deletions",
    "cleanup",
)
"""The upload's steps, in order (see the module doc): the pending record; the changed
products' files but their pages; their pages; the site-wide files; the manifest
(partitions, then root); the commit marker; the deletions; the pending record's removal.
Before each, the build checks it still holds its lock."""


@dataclass(frozen=True, slots=True)
class StoreSite:
    """A site's place on object storage.

    Attributes:
        url: the site's root URL (``s3://bucket/site``).
        storage_options: fsspec options (endpoint, credentials); the environment
            and fsspec's configuration supply the rest.
    """

    url: str
    storage_options: Mapping[str, Any] = field(default_factory=dict)


def _open(site: StoreSite) -> tuple[Any, str]:
    def failure(reason: str) -> PublishError:
        return PublishError(f"Cannot open the output {site.url!r}: {reason}.")

    fs, root = open_storage(site.url, site.storage_options, failure=failure)
    return fs, root.rstrip("/")


def _fetch(fs: Any, root: str, name: str, fetched: Path) -> bool:
    """Download the store's top-level object ``name`` into ``fetched``; False when absent."""
    try:
        data = fs.cat_file(f"{root}/{name}")
    except FileNotFoundError:
        return False
    fetched.mkdir(parents=True, exist_ok=True)
    (fetched / name).write_bytes(data)
    return True


def _sitewide_objects(fs: Any, root: str) -> list[str]:
    """The site-relative paths of the store's site-wide files but the manifest root:
    everything outside the products folder and the build's control objects."""
    prefix = f"{root}/"
    found: list[str] = []
    folders: list[str] = []
    for top in fs.ls(root, detail=True):
        name = top["name"].rstrip("/").rsplit("/", 1)[-1]
        if name not in _CONTROL:
            (folders if top["type"] == "directory" else found).append(name)
    found += [p.removeprefix(prefix) for p in _find_each(fs, [prefix + f for f in folders])]
    return sorted(set(found))  # a store may find ``index.html`` under the folder ``index`` too


def _read_sitewide(fs: Any, root: str, build_id: str) -> list[str] | None:
    """The site-wide files :data:`SITEWIDE_OBJECT` names, when it is the record of the
    build ``build_id``; None when there is none, it names another build, or it is not
    such a record (a path leaving the site among them)."""
    try:
        value = json.loads(fs.cat_file(f"{root}/{SITEWIDE_OBJECT}"))
    except (FileNotFoundError, ValueError):
        return None
    if not isinstance(value, dict) or value.get("build_id") != build_id:
        return None
    files = value.get("files")
    if not isinstance(files, list) or not all(_site_relative(f) for f in files):
        return None
    return files


def _site_relative(path: object) -> bool:
    """Whether ``path`` is a relative path inside the site, of a site-wide file."""
    if not isinstance(path, str) or not path or path.startswith("/"):
        return False
    parts = path.split("/")
    return ".." not in parts and "" not in parts and parts[0] not in _CONTROL


def _fetch_sitewide(
    fs: Any, root: str, fetched: Path, build: Path, recorded: list[str] | None
) -> list[str]:
    """Download the store's site-wide files into ``fetched`` and hard-link them into the
    scratch folder's current ``build``, which a rebuild splices (:func:`_upload` then
    leaves the unchanged ones on the store); their site-relative paths.  The files
    are those ``recorded`` (:func:`_read_sitewide`), or, without a record or when one
    of them is gone, those a listing of the store finds."""
    names = _sitewide_objects(fs, root) if recorded is None else recorded
    for parent in {(fetched / n).parent for n in names}:
        parent.mkdir(parents=True, exist_ok=True)
    if names:
        try:
            fs.get([f"{root}/{n}" for n in names], [str(fetched / n) for n in names])
        except FileNotFoundError:
            if recorded is None:
                raise
            return _fetch_sitewide(fs, root, fetched, build, None)
    for name in names:
        target = build / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        os.link(fetched / name, target)
    return names


def _same_file(path: Path, fetched: Path) -> bool:
    """Whether ``path`` holds the bytes of ``fetched`` (the store's copy), when there is one."""
    try:
        if os.path.samefile(path, fetched):
            return True
        return filecmp.cmp(path, fetched, shallow=False)
    except FileNotFoundError:
        return False


def _files(folder: Path, base: Path) -> list[str]:
    """The files below ``folder``, relative to ``base``: those behind links too (a build's
    ``01`` and its product links lead to the product versions)."""
    found = []
    for parent, _, names in os.walk(folder, followlinks=True):
        found += [str(Path(parent, n).relative_to(base)) for n in names]
    return sorted(found)


def _is_page(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name.startswith("index") and name.endswith(".html")


def _put(fs: Any, local: Path, root: str, relatives: Iterable[str]) -> None:
    """Upload ``relatives`` (site-relative paths) from ``local`` to ``root``, in one batch."""
    names = list(relatives)
    if names:
        fs.put([str(local / n) for n in names], [f"{root}/{n}" for n in names])


def _rendered(site: Path) -> list[str]:
    """The products this build rendered: the scratch folder holds those alone."""
    links = site / SHARED_PRODUCTS / PRODUCTS_FOLDER
    return os.listdir(links) if links.is_dir() else []


def _leaving(new: Manifest, old: Manifest | None, rendered: Iterable[str]) -> set[str]:
    """The products ``old`` publishes and ``new`` does not (both manifests are read whole
    only when the counts say one left)."""
    if old is None:
        return set()
    in_partitions = sorted(rendered, key=partition_key)  # by partition: each one is read once
    added = sum(1 for g in in_partitions if not old.has(g))
    if old.count + added == new.count:
        return set()
    return {e.gtin for e in old.entries() if not new.has(e.gtin)}


_LISTINGS_AT_ONCE = 32
"""Listings of the store a build asks for side by side."""


def _find_each(fs: Any, folders: list[str]) -> list[str]:
    """Every object below each of ``folders``: the listings run side by side (fsspec's
    calls may come from many threads), so a rebuild that changed a thousand products
    does not wait for a thousand listings one after the other."""
    if len(folders) < 2:
        return [path for folder in folders for path in fs.find(folder)]
    with ThreadPoolExecutor(max_workers=_LISTINGS_AT_ONCE) as pool:
        return [path for found in pool.map(fs.find, folders) for path in found]


def _delete_stale(fs: Any, root: str, keep: set[str], folders: list[str]) -> None:
    """Remove every object below ``root/{folder}`` of ``folders`` whose site-relative path
    is not in ``keep``."""
    prefix = f"{root}/"
    found = _find_each(fs, [f"{prefix}{folder}" for folder in folders])
    stale = [path for path in found if path.removeprefix(prefix) not in keep]
    if stale:
        fs.rm(stale)


def _may_hold_language_pages(row: ManifestEntry) -> bool:
    """Whether the product that ``row`` (a committed manifest's) describes may have been
    published with language pages (``index.{tag}.html``), as its page links tell
    (:func:`~gs1ld.publish.links.may_have_language_pages`)."""
    return may_have_language_pages(row.links)


def _may_hold_stale(
    changed: Iterable[str], previous: Manifest | None, pending: frozenset[str]
) -> tuple[list[str], list[str]]:
    """Those of the ``changed`` products whose folders on the store may hold a file this
    build does not write (see the module doc, step 4), in GTIN order: those whose
    folders are to be listed, and those whose previous linkset names those files.

    Every build rewrites a product's four files, so only language pages can be
    left over: from a dead build (the product is pending: it may have written
    anything), or from the last committed build, whose row says whether it wrote any
    and whether its linkset names them.  A product new to the manifest and not
    pending has no folder to clean.
    """
    listed: list[str] = []
    named: list[str] = []
    for gtin in sorted(changed, key=partition_key):  # by partition: each one is read once
        if gtin in pending:
            listed.append(gtin)
            continue
        row = previous.entry(gtin) if previous is not None else None
        if row is not None and _may_hold_language_pages(row):
            (named if linkset_names_every_page(row.links) else listed).append(gtin)
    return sorted(listed), sorted(named)


def _named_language_pages(fs: Any, root: str, gtins: list[str]) -> tuple[list[str], list[str]]:
    """The language pages (site-relative paths) the committed build wrote for ``gtins``,
    as their linksets on the store name them (read before this build replaces them,
    side by side); and those of ``gtins`` whose linkset cannot tell (gone,
    unreadable, or naming no language page though the row showed one), whose
    folders are listed instead."""
    if not gtins:
        return [], []
    linksets = {f"{root}/{product_paths(g).linkset}": g for g in gtins}
    found = fs.cat(list(linksets), on_error="return")
    pages: list[str] = []
    unread: list[str] = []
    for path, gtin in linksets.items():
        data = found.get(path)
        names: frozenset[str] = frozenset()
        if isinstance(data, bytes):
            with suppress(PublishError):
                names = language_page_names(read_linkset(data).links)
        if names:
            folder = product_paths(gtin).folder
            pages += [f"{folder}/{name}" for name in sorted(names)]
        else:
            unread.append(gtin)
    return pages, unread


def _remove(fs: Any, paths: list[str]) -> None:
    """Delete ``paths`` from the store, those already gone aside (some stores refuse a
    batch naming a missing object)."""
    if not paths:
        return
    try:
        fs.rm(paths)
    except FileNotFoundError:
        for path in paths:
            with suppress(FileNotFoundError):
                fs.rm_file(path)


def _read_pending(fs: Any, root: str) -> frozenset[str]:
    """The GTINs of the store's pending record (see :data:`PENDING_FILE`); empty when none."""
    try:
        value = json.loads(fs.cat_file(f"{root}/{PENDING_FILE}"))
    except FileNotFoundError:
        return frozenset()
    except ValueError:
        raise PublishError(
            f"{PENDING_FILE} on the store is not JSON; remove it and build again with a new "
            "output prefix if the site's objects may be inconsistent"
        ) from None
    gtins = value.get("gtins") if isinstance(value, dict) else None
    return frozenset(g for g in gtins or () if isinstance(g, str))


def _check_rendered(local: Path, changed: Iterable[str]) -> None:
    """Refuse to upload when a changed product's files are not in the scratch folder.

    That happens when workers of a remote cluster rendered into a folder this
    machine does not see: uploading the manifest then would publish products
    without their pages.
    """
    for gtin in changed:
        if not (local / product_paths(gtin).page).is_file():
            raise PublishError(
                f"the files of product {gtin} are not in the scratch folder {local}: the "
                "workers wrote them where this machine cannot read them; give --scratch a "
                "folder every worker sees at the same path"
            )


@dataclass(slots=True)
class _Scratch:
    """The scratch folder of a build to the store."""

    site: Path
    """The local site folder the build wrote."""
    fetched: Path
    """The store's files as downloaded (the manifest root; the other site-wide files
    once the build asked for them)."""
    sitewide: list[str] | None = None
    """The store's site-wide files (site-relative paths) as listed when the build asked
    for them; None when it did not."""

    @property
    def sources(self) -> Path:
        """Where the build leaves its line record."""
        return self.site / SHARED_PRODUCTS / SOURCES_FILE


def _upload(
    scratch: _Scratch,
    previous: Manifest | None,
    pending: frozenset[str],
    fs: Any,
    root: str,
    step: Callable[[str], None],
) -> None:
    """Upload the site built in ``scratch`` in commit order (see the module doc).

    ``step`` is called with each name of :data:`STEPS` before that step writes
    anything: it checks that the build still holds its lease (and lets tests stop
    the build there).
    """
    local = Path(os.path.realpath(published_root(scratch.site)))  # the build's own folder
    new = Manifest.read(local)
    if previous is not None and new.build_id == previous.build_id and not pending:
        _upload_sources(scratch, new.build_id, fs, root)  # nothing was published
        return
    rendered = _rendered(scratch.site)
    changed = sorted(set(rendered) | {g for g in pending if new.has(g)})
    _check_rendered(local, changed)
    # the products that leave: a dead build's additions, and those the catalog dropped
    gone = {g for g in pending if not new.has(g)} | _leaving(new, previous, rendered)
    listed, named = _may_hold_stale(changed, previous, pending)
    old_pages, unread = _named_language_pages(fs, root, named)  # before they are replaced
    step("pending")
    # the record lists the leaving products too: a build killed after the commit but
    # before their deletion leaves a manifest that no longer names them
    record = {"gtins": sorted(pending | set(changed) | gone)}
    fs.pipe_file(f"{root}/{PENDING_FILE}", json.dumps(record).encode())
    product_files = [f for g in changed for f in _files(local / product_paths(g).folder, local)]
    step("products")
    _put(fs, local, root, [f for f in product_files if not _is_page(f)])
    step("pages")
    _put(fs, local, root, [f for f in product_files if _is_page(f)])
    everything = _files(local, local)
    sitewide_files = [
        f for f in everything if not f.startswith(f"{PRODUCTS_FOLDER}/") and f != MANIFEST_FILE
    ]  # the site-wide ones, the manifest root aside
    # the site-wide files the store holds already, byte for byte, stay as they are
    fresh = [f for f in sitewide_files if not _same_file(local / f, scratch.fetched / f)]
    partitions = [f for f in fresh if f.startswith(f"{MANIFEST_PARTITIONS}/")]
    sitewide = [f for f in fresh if not f.startswith(f"{MANIFEST_PARTITIONS}/")]
    step("sitewide")
    _put(fs, local, root, sitewide)
    step("manifest")  # the partitions right before their root: the shortest window
    _put(fs, local, root, partitions)
    _put(fs, local, root, [MANIFEST_FILE])
    step("commit")
    fs.pipe_file(f"{root}/{COMMIT_FILE}", json.dumps({"build_id": new.build_id}).encode())
    # committed: only now may anything the old manifest points at go
    step("deletions")
    # the folders of the products that left, the stale files of the changed ones that
    # may have any, and of the site-wide folders (none of which the new build keeps)
    keep = set(everything)
    folders = [product_paths(g).folder for g in sorted(gone)]
    folders += [product_paths(g).folder for g in sorted(listed + unread)]
    _remove(fs, [f"{root}/{page}" for page in old_pages if page not in keep])
    if scratch.sitewide is None:  # the build did not list them: list now
        for top in fs.ls(root, detail=False):
            name = top.rstrip("/").rsplit("/", 1)[-1]
            if name not in _CONTROL and name not in keep:
                folders.append(name)
    else:  # as listed (or recorded) before the build: under the lock, no one else wrote
        _remove(fs, [f"{root}/{name}" for name in scratch.sitewide if name not in keep])
    _delete_stale(fs, root, keep, folders)
    step("cleanup")
    fs.rm_file(f"{root}/{PENDING_FILE}")
    _upload_sources(scratch, new.build_id, fs, root)
    written = {"build_id": new.build_id, "files": sitewide_files}
    fs.pipe_file(f"{root}/{SITEWIDE_OBJECT}", json.dumps(written).encode())


def _upload_sources(scratch: _Scratch, build_id: str, fs: Any, root: str) -> None:
    """Put the build's line record on the store (after the commit: it names the committed
    build), or remove the store's when the build left none."""
    if scratch.sources.is_file():
        if not _same_file(scratch.sources, scratch.fetched / SOURCES_OBJECT):
            fs.put_file(str(scratch.sources), f"{root}/{SOURCES_OBJECT}")
    elif (scratch.fetched / SOURCES_OBJECT).is_file():
        fs.rm_file(f"{root}/{SOURCES_OBJECT}")


def build_site_to_store(
    catalog: CatalogSource,
    site: StoreSite,
    *,
    config: SiteConfig,
    limits: Limits | None = None,
    client: Any = None,
    on_progress: BuildProgress | Callable[[int], None] | None = None,
    scratch: Path | None = None,
    lease: timedelta = DEFAULT_LEASE,
    on_step: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the site of ``catalog`` and publish it to ``site`` on object storage.

    Args:
        catalog: the catalog (a path or a :class:`~gs1ld.catalog.source.RemoteCatalog`).
        site: where the site lives on the store.
        config: the site options.
        limits: the size and depth limits each entry is held to.
        client: a ``distributed.Client`` to render on a Dask cluster.
        on_progress: called with the number of entries done, now and then.
        scratch: the folder for the local build (default: the system's temporary one).
        lease: how long the store's lock holds without a renewal (see
            :mod:`gs1ld.site.store_lock`).
        on_step: called with each name of :data:`STEPS` before that step of the
            upload writes anything (tests stop a build there).

    Returns:
        What the build did (``built`` counts the new and changed products, the
        ones rendered and uploaded).

    Raises:
        ParseError: the catalog cannot be opened.
        PublishError: the store cannot be reached or written, another build
            holds its lock, or this build lost it (it stops before its next step).
    """
    fs, root = _open(site)
    fs.invalidate_cache()  # fsspec shares instances: listings this process made are stale
    with hold_store_lock(fs, root, site.url, lease=lease) as held:

        def step(name: str) -> None:
            if on_step is not None:
                on_step(name)
            held.check()

        return _build_locked(
            catalog, site, fs, root, config, limits, client, on_progress, scratch, step
        )


@contextmanager
def _store_errors(action: str, url: str) -> Iterator[None]:
    """Turn whatever the store raises inside into one ``Cannot {action} the output`` line."""
    try:
        yield
    except PublishError as exc:
        raise PublishError(f"Cannot {action} the output {url!r}: {exc}") from None
    except Exception as exc:  # botocore and friends raise their own trees
        raise PublishError(f"Cannot {action} the output {url!r}: {storage_reason(exc)}") from None


def _build_locked(
    catalog: CatalogSource,
    site: StoreSite,
    fs: Any,
    root: str,
    config: SiteConfig,
    limits: Limits | None,
    client: Any,
    on_progress: BuildProgress | Callable[[int], None] | None,
    scratch: Path | None,
    step: Callable[[str], None],
) -> BuildReport:
    """:func:`build_site_to_store` once the store's lock is held."""
    with tempfile.TemporaryDirectory(prefix="gs1ld-store-", dir=scratch) as tmp:
        local = _Scratch(Path(tmp) / "site", Path(tmp) / "previous")
        with _store_errors("read", site.url):
            # the manifest's root alone: its partitions come with the other site-wide files
            found = _fetch(fs, root, MANIFEST_FILE, local.fetched)
            previous = Manifest.read_or_none(local.fetched) if found else None
            pending = _read_pending(fs, root)
            recorded = previous is not None and _fetch(fs, root, SOURCES_OBJECT, local.fetched)
        # unchanged objects stay on the store; those a dead build left unfinished are redone
        config = replace(config, link_unchanged=False, render_again=pending)
        fetch: Callable[[Path], None] | None = None
        if previous is not None:  # the build reads it as its previous manifest, and replaces it
            committed = previous.build_id
            local.site.mkdir()
            os.link(local.fetched / MANIFEST_FILE, local.site / MANIFEST_FILE)
            if recorded:
                local.sources.parent.mkdir()
                os.link(local.fetched / SOURCES_OBJECT, local.sources)

            def fetch(build: Path) -> None:
                with _store_errors("read", site.url):
                    # no record to trust after a dead build: it may have written others
                    trusted = not pending and committed is not None
                    named = _read_sitewide(fs, root, committed) if trusted else None
                    local.sitewide = _fetch_sitewide(fs, root, local.fetched, build, named)

        report = build_site(
            catalog,
            local.site,
            config=config,
            limits=limits,
            client=client,
            on_progress=on_progress,
            fetch_previous=fetch,
        )
        with _store_errors("write", site.url):
            _upload(local, previous, pending, fs, root, step)
    return report


def store_reader(site: StoreSite) -> Callable[[str], bytes]:
    """Reads a site-relative file of the site on the store (for a dry run's comparisons).

    Raises:
        PublishError: the store cannot be opened.
    """
    fs, root = _open(site)

    def read(relative: str) -> bytes:
        try:
            data: bytes = fs.cat_file(f"{root}/{relative}")
        except FileNotFoundError:
            raise
        except Exception as exc:  # the store's own errors: read as "not there"
            raise OSError(storage_reason(exc)) from exc
        return data

    return read
