"""The local folder a site is built into: where it may be, one build at a time, publishing.

The output folder ``SITE`` is never replaced.  It holds the builds of the
site-wide files, each in its own folder ``SITE/.gs1ld-builds/NNNNNN/``, the
relative symbolic link ``SITE/current`` naming the one being served, and the
products, which builds share: ``SITE/.gs1ld-products/``::

    SITE/current -> .gs1ld-builds/000007
    SITE/.gs1ld-builds/000007/          manifest, sitemaps, listings, host rules...
    SITE/.gs1ld-builds/000007/01 -> ../../.gs1ld-products/01
    SITE/.gs1ld-products/01/{gtin} -> ../v/{gtin}/{input hash}
    SITE/.gs1ld-products/v/{gtin}/{input hash}/index.html, index.jsonld, ...
    SITE/.gs1ld-products/sources.bin    the catalog line each product came from

A product's files live in a *version* folder named by its input hash (the
digest its manifest entry records), written whole before anything points at
it and not changed while a build names it (see spare versions below).  The
served path ``current/01/{gtin}/...`` passes through two links: every build's
``01`` names the one shared folder of product links, and each product link names
the product's version.  So a rebuild does work in proportion to what changed:
it renders the new and changed products into its staging folder
(``.gs1ld-builds/.staging-{pid}/01/{gtin}.{hash}/``), never walking, linking or
copying an unchanged one (it writes over the files of spare versions, see
below), and publishes in this order (:func:`publish_build`):

1. the *pending* record (``.gs1ld-products/pending.json``): every product whose
   link is about to change (changed, added, leaving, and those a dead build
   left pending);
2. each staged product is renamed into its version folder, then its link is
   replaced by a new one renamed over it (one atomic ``rename`` per product).
   A version folder of that name may be there already: a product back to an
   earlier version, or one a dead build published.  The two are swapped in one
   step (``renameat2``: the old one's pages may show the day it was first
   published) and the old one becomes a spare; where the system cannot swap,
   the old one stays (its pages show the earlier day: moving it out first would
   leave a link naming nothing);
3. the staged build of the site-wide files takes the next number, ``.previous``
   names the build being replaced, and ``current`` is pointed at the new build
   (one atomic ``rename``): the *commit point*;
4. the links of products that left the catalog are removed; the spares this
   build was given and did not write over are removed (those step 2 swapped out
   stay), and the versions no build kept references become the next build's
   spares (the previous build's stay, see below); the products whose previous
   version is kept are recorded in ``last.json`` (the next build retires those
   versions), the pending record goes; older builds go (on a thread of their own,
   beside the rest of this step).

With a pool of workers, one worker does steps 1 and 2 (:func:`move_in`) while the
build writes its site-wide files, and the leaving products, known only then,
join the pending record before step 3: a build that fails between the two (a
full disk writing its manifest) leaves what a build killed in step 2 leaves.

Spare versions.  A version no build serves any longer is not removed but moved
into ``SITE/.gs1ld-products/spare/{gtin}.{input hash}/``, which nothing links to.
The next build renames spares into its staging folder for the products it
renders and writes their files over the old ones: writing over a file's blocks
costs a fraction of creating a file (a new inode) and of removing one, which on
a busy file system dominate a rebuild of a few thousand products.  A file another
name links to (a hard link) is replaced, never written over.  The same holds for the
manifest's partitions: the build removed last leaves its ``manifest/`` folder as
``SITE/.gs1ld-builds/.spare-partitions/``, which the next rebuild that splices its
manifest takes as its own and writes its partitions over (4,096 files at a million
products); so between builds the site holds the partitions of three builds.

What a reader observes.  A *static host* (nginx, Apache) resolves the links per
request: it finds each product whole, in its old or its new version, never a
mix of the two; during step 2 some changed or added products already answer
their new version while the listings, sitemaps and manifest are the old
build's; at step 3 those switch at once; a product that left the catalog
answers until step 4.  ``gs1ld serve`` reads each product from the version its
generation's manifest names (:mod:`gs1ld.server.store`), so it switches from
the old build to the new one as a whole, at step 3.  After every completed
build, both serve the same bytes.

A build killed at any point leaves ``current`` naming a complete build and
every product link naming a complete version; the pending record tells the
next build which products' links may be ahead of the committed manifest, and
it renders those again (or removes them, when the catalog dropped them), so it
converges to the same site.  The versions the previous build's manifest names
are kept until the next build commits, so a reader that resolved ``current``
(or a server generation opened) just before the switch still finds its files.
The build after that writes over their files: a reader still holding one of them
open from two builds before would read the new bytes (``gs1ld serve`` keeps what
it read, not open files; the host rules gs1ld writes do not cache open files).

A folder in an older layout -- its files at the top, or builds that each hold
every product -- is converted at the start of the next build: the files at the
top are hard-linked into a first build, and the products of a build that holds
them are hard-linked into version folders by that next build (once, in
proportion to the whole site).  Whenever ``current`` exists, the next build
clears the top level of everything but ``current``, ``.gs1ld-builds`` and
``.gs1ld-products``.

The folder must be a gs1ld site already (in any layout), empty, or absent;
anything else is refused unless the user says ``--force``.  A symbolic link is
followed, and the current directory (or one that contains it) is refused.

Only one build writes a site at a time: the lock is ``fcntl.flock`` on
``.{name}.lock`` beside the site. The kernel drops the lock when its holder
dies, even by ``kill -9``, so a crashed build never leaves a stale lock; the
file stays behind, naming its last holder.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import json
import os
import shutil
import socket
import struct
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import takewhile
from pathlib import Path

from gs1ld._exchange import exchange
from gs1ld._tree import remove_if_present
from gs1ld.catalog.lines import DIGEST_SIZE
from gs1ld.errors import PublishError
from gs1ld.publish import Manifest
from gs1ld.publish.layout import (
    BUILDS_FOLDER,
    CURRENT_LINK,
    MANIFEST_PARTITIONS,
    PRODUCT_VERSIONS,
    PRODUCTS_FOLDER,
    SHARED_PRODUCTS,
    SPARE_PARTITIONS,
    published_root,
)

__all__ = [
    "LINE_NOTE_SIZE",
    "PENDING_FILE",
    "SOURCES_FILE",
    "MovedIn",
    "SourceRecord",
    "hold_lock",
    "is_gs1ld_site",
    "lock_path",
    "move_in",
    "pending_products",
    "prepare_folder",
    "publish_build",
    "read_sources",
    "record_body",
    "remove_sources",
    "shares_products",
    "site_target",
    "sources_beside",
    "spare_owner",
    "spare_versions",
    "staged_folder",
    "staging_path",
    "write_sources",
]

PREVIOUS_LINK = ".previous"
"""In the builds folder: the link naming the build served before the current one."""
PENDING_FILE = "pending.json"
"""In the shared products folder: ``{"gtins": [...]}``, the products whose links a build
began to change; present only while a build publishes (or after one died doing so)."""
LAST_FILE = "last.json"
"""In the shared products folder: the products the last completed build changed (their
previous versions are removed by the next build, once nothing serves them)."""
SPARE_FOLDER = "spare"
"""In the shared products folder: versions no build serves, which the next build writes
over (:func:`spare_versions`)."""
SOURCES_FILE = "sources.bin"
"""In the shared products folder: the record of the catalog line each product of the
current build came from (:func:`write_sources`)."""
_SOURCES_HEADER = b"gs1ld sources 3 "  # 3: day windows; 2: XXH3 digests (1 was BLAKE2b)
_SOURCE = struct.Struct(f">{DIGEST_SIZE}sII14s")
"""One line of the record: its digest, the first and last day (ordinals) its entry hashes
the same (:func:`~gs1ld.site.product_files.day_window`), then the GTIN-14 in ASCII."""
LINE_NOTE_SIZE = DIGEST_SIZE + 8
"""Bytes of what the record keeps of a line besides its GTIN: its digest and day window."""
_LINK_TEMPORARY = ".link-"
"""In the shared products folder: the prefix of a new link about to be renamed into place."""
_TEMPORARIES = (_LINK_TEMPORARY, f".{PENDING_FILE}", f".{LAST_FILE}", f".{SOURCES_FILE}")
"""In the shared products folder: the prefixes of files a build writes, then renames into
place."""


def lock_path(site: Path) -> Path:
    """Where the lock of ``site`` lives."""
    return site.with_name(f".{site.name}.lock")


def _holder() -> str:
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid {os.getpid()} on {socket.gethostname()}, since {started}"


@contextmanager
def hold_lock(site: Path) -> Iterator[None]:
    """Hold the site's lock for the ``with`` block; fail at once if another process holds it.

    Raises:
        PublishError: another build holds the lock (the message names it), or the
            lock file cannot be created.
    """
    path = lock_path(site)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise PublishError(f"Cannot create the lock file {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 512, 0).decode("utf-8", "replace").strip()
            raise PublishError(
                f"Another build is writing {site} ({holder or 'holder unknown'}; "
                f"lock {path}); wait for it to finish or stop it."
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{_holder()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing drops the lock


def is_gs1ld_site(path: Path) -> bool:
    """True when ``path`` is a folder of gs1ld builds or holds a manifest written by gs1ld."""
    if (path / BUILDS_FOLDER).is_dir():
        return True
    manifest = Manifest.read_or_none(published_root(path))
    return manifest is not None and manifest.generator.startswith("gs1ld")


def site_target(output: str | Path, *, force: bool = False) -> Path:
    """The absolute directory a build of ``output`` replaces, after the safety checks.

    Raises:
        PublishError: ``output`` is a file, the current directory or one of its
            parents, or a non-empty directory that is not a gs1ld site (without
            ``force``).
    """
    given = Path(output)
    path = Path(os.path.realpath(given)) if given.is_symlink() else Path(os.path.abspath(given))
    if path.parent.name == BUILDS_FOLDER:  # one build of a site (SITE/current): build SITE
        path = path.parent.parent
    if path.exists() and not path.is_dir():
        raise PublishError(f"Output {str(given)!r} is not a directory.")
    if path.parent == path:
        raise PublishError(f"Output {str(given)!r} is the file system root; choose a folder.")
    here = Path(os.path.realpath(Path.cwd()))
    if here == Path(os.path.realpath(path)) or Path(os.path.realpath(path)) in here.parents:
        raise PublishError(
            f"Output {str(given)!r} is the current directory or contains it; a build replaces "
            "its output as a whole, so choose another folder (e.g. -o site)."
        )
    if path.is_dir() and not force and any(path.iterdir()) and not is_gs1ld_site(path):
        raise PublishError(
            f"Output {str(given)!r} is a non-empty directory that is not a gs1ld site "
            "(it has no manifest.json written by gs1ld), and a build would replace it; "
            "choose a new or empty folder, or pass --force to replace it."
        )
    return path


def staging_path(site: Path) -> Path:
    """Where a build of ``site`` by this process is staged (inside the site folder)."""
    return site / BUILDS_FOLDER / f".staging-{os.getpid()}"


def staged_folder(gtin: str, digest: str) -> str:
    """Where a build stages a product's files, site-relative: ``01/{gtin}.{input hash}``.

    The name carries the version the product is published as, so publishing needs
    no other record of what was staged.
    """
    return f"{PRODUCTS_FOLDER}/{gtin}.{digest}"


def shares_products(build: Path) -> bool:
    """Whether ``build`` reads its products from the shared products folder (its ``01``
    is a link): unchanged products then need nothing from a rebuild."""
    return (build / PRODUCTS_FOLDER).is_symlink()


def spare_versions(site: Path) -> list[str]:
    """The folders of the spare versions of ``site`` (absolute paths; none when it has none).

    Nothing links to them: a build may rename any of them into its staging folder and
    write a product's files over theirs (:func:`~gs1ld.site.stage.render_job`).
    """
    pool = site / SHARED_PRODUCTS / SPARE_FOLDER
    if pool.is_symlink():  # not the site's own: never written over
        return []
    try:
        with os.scandir(pool) as entries:
            return [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def spare_owner(folder: str) -> str:
    """The GTIN whose version the spare ``folder`` was (its name is ``{gtin}.{input hash}``)."""
    return os.path.basename(folder).partition(".")[0]


def pending_products(site: Path) -> frozenset[str]:
    """The products a build died publishing (see :data:`PENDING_FILE`); empty when none."""
    return frozenset(_read_gtins(site / SHARED_PRODUCTS / PENDING_FILE))


def _read_gtins(path: Path) -> list[str]:
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except ValueError:  # a record cut short by a crash: only a build writes it, whole
        return []
    gtins = value.get("gtins") if isinstance(value, dict) else None
    return [g for g in gtins or () if isinstance(g, str)]


def _write_gtins(folder: Path, name: str, gtins: Collection[str]) -> None:
    """Write a record of GTINs whole (a temporary file renamed into place)."""
    temporary = folder / f".{name}-{os.getpid()}"
    temporary.write_bytes(json.dumps({"gtins": sorted(gtins)}).encode())
    os.replace(temporary, folder / name)


def _target(link: Path) -> Path | None:
    """The build folder ``link`` names (resolved), or None when there is no such link."""
    if not link.is_symlink():
        return None
    return Path(os.path.realpath(link))


def _legacy_previous(site: Path) -> Path:
    """Where an older gs1ld left the previous site when it died between two renames."""
    return site.with_name(f".{site.name}.previous")


def prepare_folder(site: Path) -> Path:
    """Bring ``site`` into the layout of builds, clean up, and return its current build.

    Called with the site's lock held, so whatever is not the current or the
    previous build is left from a build that died, and goes.  A site of the
    layout before builds had their own folders becomes the first build
    (hard links, then ``current``, then the old top-level files go: a reader of
    ``SITE/current`` never misses it).

    Returns:
        The current build's folder, resolved (``site/current`` when there is none yet).

    Raises:
        PublishError: the folder cannot be created or converted.
    """
    try:
        legacy = _legacy_previous(site)
        if legacy.is_dir() and not site.exists():
            legacy.rename(site)
        site.mkdir(exist_ok=True)
        builds = site / BUILDS_FOLDER
        keep = {_target(site / CURRENT_LINK), _target(builds / PREVIOUS_LINK)}
        if builds.is_dir():
            for entry in os.scandir(builds):
                if entry.name in (PREVIOUS_LINK, SPARE_PARTITIONS):
                    continue
                if entry.is_symlink() or Path(os.path.realpath(entry.path)) not in keep:
                    _remove(Path(entry.path))
        shared = site / SHARED_PRODUCTS
        if shared.is_dir():  # small: the links folder, the versions folder, two records
            for entry in os.scandir(shared):
                if entry.name.startswith(_TEMPORARIES):
                    _remove(Path(entry.path))
        if not os.path.lexists(site / CURRENT_LINK) and _is_flat_site(site):
            _convert(site)
        if os.path.lexists(site / CURRENT_LINK):
            _clear_top_level(site)
    except OSError as exc:
        raise PublishError(f"Cannot prepare the site folder {site}: {exc}") from exc
    return Path(os.path.realpath(site / CURRENT_LINK))


def _is_flat_site(site: Path) -> bool:
    """True when ``site`` holds a gs1ld site's files at its top (the layout before builds)."""
    manifest = Manifest.read_or_none(site)
    return manifest is not None and manifest.generator.startswith("gs1ld")


_remove = remove_if_present
"""Remove a file, a link (never followed) or a folder and all it holds; nothing when
there is none (a name of this module's own, so the tests can count its calls)."""


def _clear_top_level(site: Path) -> None:
    """Remove everything at the top of ``site`` but ``current``, the builds and the products."""
    for entry in os.scandir(site):
        if entry.name not in (CURRENT_LINK, BUILDS_FOLDER, SHARED_PRODUCTS):
            _remove(Path(entry.path))


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(source, destination, follow_symlinks=False)


def _convert(site: Path) -> None:
    """Make the files at the top of ``site`` its first build (hard links: no byte copied)."""
    staging = staging_path(site)
    staging.mkdir(parents=True)
    for entry in os.scandir(site):
        if entry.name in (BUILDS_FOLDER, SHARED_PRODUCTS):  # not files of the site
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(
                entry.path, staging / entry.name, symlinks=True, copy_function=_link_or_copy
            )
        else:
            _link_or_copy(entry.path, str(staging / entry.name))
    name, old = _commit(staging, site)  # its products stay its own, until the next build
    _drop_older_builds(site, name, old)


def _next_name(builds: Path) -> str:
    numbers = [int(p.name) for p in builds.iterdir() if p.name.isdigit()]
    return f"{max(numbers, default=0) + 1:06d}"


def _point(site: Path | str, name: str, target: str) -> None:
    """Make the link ``site/name`` point at ``target``, atomically (a new link renamed over it)."""
    temporary = f"{site}/{_LINK_TEMPORARY}{name.rpartition('/')[2]}-{os.getpid()}"
    try:
        os.symlink(target, temporary)
    except FileExistsError:  # left by a dead build of the same process number
        os.unlink(temporary)
        os.symlink(target, temporary)
    os.replace(temporary, f"{site}/{name}")


def _sync(folder: Path) -> None:
    """Make the renames in ``folder`` durable before anything that relies on them."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(slots=True)
class MovedIn:
    """What :func:`move_in` did, for :func:`publish_build` to go on from."""

    touched: set[str]
    """The products in the pending record."""
    pending: frozenset[str]
    """The products a dead build left pending."""
    before: dict[str, str | None]
    """The version each product moved in was served as (None: no link)."""
    swapped: set[str]
    """The spares that old folders of versions there already became."""


def move_in(staged: Path, site: Path, *, leaving: Collection[str] = ()) -> MovedIn:
    """Publishing's first two steps: the pending record (the staged products, ``leaving``
    and a dead build's pending ones), then each staged product renamed into its
    version folder and its link replaced; the staged build's products folder then
    becomes a link to the shared one.

    It touches no site-wide file, so a build runs it beside the writing of those
    (in a worker of its own: the per-product renames and links are a second or more
    of system calls at 10,000 products).
    """
    shared = site / SHARED_PRODUCTS
    links, versions = shared / PRODUCTS_FOLDER, shared / PRODUCT_VERSIONS
    links.mkdir(parents=True, exist_ok=True)
    versions.mkdir(exist_ok=True)
    products = staged / PRODUCTS_FOLDER
    arriving: list[list[str]] = []
    if products.is_dir() and not products.is_symlink():
        arriving = [entry.name.split(".", 1) for entry in os.scandir(products)]
    pending = pending_products(site)
    touched = {*pending, *(gtin for gtin, _ in arriving), *leaving}
    if touched:
        _write_gtins(shared, PENDING_FILE, touched)
    before, swapped = _move_products(shared, products, arriving)
    if products.is_dir() and not products.is_symlink():
        os.rmdir(products)
    if not products.is_symlink():
        os.symlink(f"../../{SHARED_PRODUCTS}/{PRODUCTS_FOLDER}", products)
    return MovedIn(touched, pending, before, swapped)


def _move_products(
    shared: Path, products: Path, arriving: list[list[str]]
) -> tuple[dict[str, str | None], set[str]]:
    """Rename each staged product (``[gtin, input hash]``) into its version folder and
    point its link at it; return the version each was served as (None: no link) and
    the spares that versions there already became.

    Paths are plain strings: at 12,000 products a rebuild, building them as ``Path``
    objects cost the worker doing this a second of interpreter time.
    """
    root, staged = os.fspath(shared), os.fspath(products)
    links, versions = f"{root}/{PRODUCTS_FOLDER}", f"{root}/{PRODUCT_VERSIONS}"
    spare = f"{root}/{SPARE_FOLDER}"
    before: dict[str, str | None] = {}
    swapped: set[str] = set()
    for gtin, digest in arriving:
        version = f"{versions}/{gtin}/{digest}"
        product = f"{staged}/{gtin}.{digest}"
        # a version there already: the staged one (its pages may show another day) goes in
        if not _move_in(product, version):
            made = _replace(version, product, spare, f"{gtin}.{digest}")
            if made is not None:
                swapped.add(made)  # and the old one is a spare
        before[gtin] = _version_of(f"{links}/{gtin}")
        _point(root, f"{PRODUCTS_FOLDER}/{gtin}", f"../{PRODUCT_VERSIONS}/{gtin}/{digest}")
    return before, swapped


def publish_build(
    staged: Path,
    site: Path,
    *,
    leaving: Collection[str] = (),
    committed: Callable[[str], str | None] = lambda gtin: None,
    moved: MovedIn | None = None,
) -> None:
    """Make the complete build ``staged`` the current build of ``site``.

    In order (the module doc says why each step is safe to die in): the pending
    record; each staged product renamed into its version folder and its link
    replaced (:func:`move_in`, unless ``moved`` says it was done); the staged build
    takes the next build number, ``.previous`` names the build being replaced and
    ``current`` the new one (the publishing moment); then the links of the
    ``leaving`` products go, the spares not written over go, the versions no longer
    served become spares, the older builds go (beside the products' steps), and
    whatever else lies at the top of ``site``.

    Args:
        staged: the staged build (site-wide files and manifest written; the
            products it rendered in ``01/{gtin}.{input hash}/``, or a link to the
            shared ones once moved in).
        site: the site folder.
        leaving: products the previous build published and this one does not
            (and pending ones it does not publish).
        committed: the input hash the build being replaced publishes a product as
            (read only for products a dead build left pending).
        moved: what :func:`move_in` did, when it ran already (``leaving`` not yet
            known then: the pending record gains them here, before the commit).
    """
    shared = site / SHARED_PRODUCTS
    if moved is None:
        moved = move_in(staged, site, leaving=leaving)
    elif unrecorded := set(leaving) - moved.touched:
        moved.touched |= unrecorded
        _write_gtins(shared, PENDING_FILE, moved.touched)
    name, old = _commit(staged, site)
    # committed: what only older builds use may go; the older builds' site-wide files
    # (two gigabytes at a million products) on a thread of their own, beside the products
    with ThreadPoolExecutor(1, thread_name_prefix="gs1ld-drop") as cleaner:
        dropped = cleaner.submit(_drop_older_builds, site, name, old)
        _retire(shared, moved, committed, leaving)
        dropped.result()


def _retire(
    shared: Path, moved: MovedIn, committed: Callable[[str], str | None], leaving: Collection[str]
) -> None:
    """After the commit: the spares not written over go, the leaving products' links go,
    the versions no build serves any longer become spares, and the records are updated."""
    root = os.fspath(shared)  # (plain strings: see _move_products)
    links, versions = f"{root}/{PRODUCTS_FOLDER}", f"{root}/{PRODUCT_VERSIONS}"
    spare = f"{root}/{SPARE_FOLDER}"
    touched, pending, before = moved.touched, moved.pending, moved.before
    _fresh_spares(shared / SPARE_FOLDER, keep=moved.swapped)  # those not written over go
    for gtin in leaving:
        before[gtin] = _version_of(f"{links}/{gtin}")
        _remove(f"{links}/{gtin}")
    last = set(_read_gtins(shared / LAST_FILE))
    replaced = set(pending)  # products with a version the previous build serves, to go next
    for gtin in sorted(touched | last):
        now = _version_of(f"{links}/{gtin}")
        keep = {now, before.get(gtin, now)}
        if gtin in pending:  # a dead build may have moved its link: the served build's
            keep.add(committed(gtin))
        if gtin in touched and keep - {now, None}:
            replaced.add(gtin)
        if gtin not in last and gtin not in pending:
            continue  # new, or unchanged by the last build: its versions are those kept
        _retire_versions(f"{versions}/{gtin}", keep, spare)
    if replaced or last:
        _write_gtins(shared, LAST_FILE, replaced)
    if touched:
        (shared / PENDING_FILE).unlink()


def _move_in(product: str, version: str) -> bool:
    """Rename the staged ``product`` to ``version`` (its product's folder made when this is
    its first); False when a version of that name is there already."""
    try:
        os.rename(product, version)
        return True
    except FileNotFoundError:  # (asked first: one call less for a product seen before)
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.dirname(version))
    except OSError:
        if not os.path.isdir(version):
            raise
        return False
    try:
        os.rename(product, version)
    except OSError:
        if not os.path.isdir(version):
            raise
        return False
    return True


def _replace(version: str, product: str, spare: str, name: str) -> str | None:
    """Put the staged ``product`` where ``version`` is, the old folder going to the spares
    as ``name``; return it (None when the old folder did not become one).

    The two are swapped in one step (a reader finds the old version or the new one),
    never compared: the staged files are as new as the old ones or newer (another
    day's pages), and reading both cost a rebuild that put 12,000 products back to
    their versions of two days before seconds of cold reads.  Where the system
    cannot swap, the old folder stays: a product link may name it, and moving it
    out first would leave the link naming nothing (for good, were the build to die
    there); its pages then show the day it was first published.
    """
    if not exchange(product, version):
        _remove(product)
        return None
    with contextlib.suppress(FileExistsError):
        os.mkdir(spare)
    try:
        os.rename(product, f"{spare}/{name}")
    except OSError:  # a spare of that name: the old folder, now staged, goes
        _remove(product)
        return None
    return name


def _commit(staged: Path, site: Path) -> tuple[str, Path | None]:
    """Number the staged build, point ``.previous`` at the current one and ``current`` at
    it (the publishing moment); return its name and the build it replaced."""
    builds = site / BUILDS_FOLDER
    name = _next_name(builds)
    os.rename(staged, builds / name)
    old = _target(site / CURRENT_LINK)
    if old is not None and old.parent == Path(os.path.realpath(builds)):
        _point(builds, PREVIOUS_LINK, old.name)
    _point(site, CURRENT_LINK, f"{BUILDS_FOLDER}/{name}")
    _sync(site)
    return name, old


def _drop_older_builds(site: Path, name: str, old: Path | None) -> None:
    """Remove every build but the current and the previous one, and strays at the top; the
    manifest partitions of a build removed become the spare ones (:data:`SPARE_PARTITIONS`)."""
    builds = site / BUILDS_FOLDER
    keep = {name, PREVIOUS_LINK, old.name if old is not None else name, SPARE_PARTITIONS}
    spared = False
    for entry in os.scandir(builds):
        if entry.name not in keep:
            if not spared and entry.name.isdigit():
                spared = _spare_partitions(Path(entry.path), builds / SPARE_PARTITIONS)
            _remove(Path(entry.path))
    _clear_top_level(site)


def _spare_partitions(build: Path, spare: Path) -> bool:
    """Keep the manifest partitions of ``build``, about to be removed, as the spare ones
    (the older spares go): the next rebuild that splices its manifest writes its
    partitions over their files instead of creating 4,096 files at a million products,
    and their blocks are not freed here (both cost a rebuild about a second).  A file
    another build links to stays linked and is never written over
    (:func:`~gs1ld.site.stage.write_file_over`)."""
    folder = build / MANIFEST_PARTITIONS
    if folder.is_symlink() or not folder.is_dir():
        return False
    _remove(spare)
    os.rename(folder, spare)
    return True


def _version_of(link: Path | str) -> str | None:
    """The version (input hash) a product link names; None when there is no link."""
    try:
        return os.readlink(link).rsplit("/", 1)[-1]
    except OSError:
        return None


def _fresh_spares(pool: Path, *, keep: Collection[str] = ()) -> None:
    """Empty the spare versions' folder ``pool`` of the spares the build did not write
    over (made anew when it is not a folder of the site's own) but those named in
    ``keep``: old folders the build swapped out, the next build's spares as the
    versions it retires are (removing 12,000 of them cost a rebuild 6.5 s)."""
    if pool.is_dir() and not pool.is_symlink():
        for entry in os.scandir(pool):
            if entry.name not in keep:
                _remove(Path(entry.path))
    else:
        _remove(pool)
        pool.mkdir()


def _retire_versions(folder: str, keep: set[str | None], spare: str) -> None:
    """Move a product's versions (``folder`` is ``v/{gtin}``) but ``keep`` into ``spare``
    (removed when they cannot go there), and remove its folder once empty."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    gtin = os.path.basename(folder)
    for name in names:
        if name not in keep:
            try:  # (as a spare: {gtin}.{input hash})
                os.rename(f"{folder}/{name}", f"{spare}/{gtin}.{name}")
            except OSError:  # a spare of that name left by a dead build, a file...
                _remove(f"{folder}/{name}")
    if not keep & set(names):
        os.rmdir(folder)  # none kept: the product is gone from every build served


class SourceRecord:
    """The record of the lines the current build came from, as a rebuild on ``today``
    may use it (:func:`read_sources`)."""

    def __init__(self, body: bytes, today: date) -> None:
        self._body = body
        day = today.toordinal()
        self.lines: dict[bytes, str] = {
            digest: gtin.decode("ascii")
            for digest, first, last, gtin in _SOURCE.iter_unpack(body)
            if first <= day <= last
        }
        """Line digest -> GTIN of the lines that may be passed over: those whose entry
        hashes on ``today`` as on the day it was read."""
        self._outside: list[bytes] = []  # the GTINs of the others
        if len(self.lines) * _SOURCE.size != len(body):
            self._outside = [
                gtin
                for _, first, last, gtin in _SOURCE.iter_unpack(body)
                if not first <= day <= last
            ]

    def next_body(
        self, not_passed: Iterable[str], staged: Iterable[tuple[str, bytes]]
    ) -> Iterator[bytes]:
        """The body of the next build's record, in runs of bytes: this record's entries
        (in GTIN order) but those of the lines not passed over (``not_passed``, and any
        outside the day window), with the ``staged`` (GTIN, line digest and day window)
        in their places.

        The entries kept are copied as runs of bytes between the few that change: a
        million-line record is not unpacked entry by entry (that took two seconds of
        a rebuild of 1% of a million products).
        """
        body, size = self._body, _SOURCE.size
        count = len(body) // size

        def gtin_at(index: int) -> bytes:
            return body[index * size + LINE_NOTE_SIZE : (index + 1) * size]

        dropped = {gtin.encode("ascii") for gtin in not_passed}.union(self._outside)
        changes = sorted(
            [(gtin, b"") for gtin in dropped]
            + [(gtin.encode("ascii"), note) for gtin, note in staged]
        )  # a GTIN's old entry dropped (b"") before its new one goes in
        cursor = 0  # the first entry of this record not yet copied or dropped
        for gtin, note in changes:
            at = bisect.bisect_left(range(count), gtin, lo=cursor, key=gtin_at)
            if at > cursor:
                yield body[cursor * size : at * size]
            cursor = at + 1 if at < count and gtin_at(at) == gtin else at
            if note:
                yield note + gtin
        yield body[cursor * size :]


def record_body(entries: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """The body of a record of ``entries``: (GTIN, line digest and day window), in GTIN
    order."""
    return (note + gtin.encode("ascii") for gtin, note in entries)


def read_sources(shared: Path, build_id: str, today: date) -> SourceRecord | None:
    """The record of the build ``build_id`` for a rebuild on ``today``; None when the
    record is of another build or kind, unreadable, or absent.

    Each local build records, per product it built or carried over from a line of
    JSON Lines, the digest of that line and the days on which its entry's input hash is
    the one it was built with (its certificates' and claims' dates on the same side of
    the day); the next build passes over the lines the record names for its day,
    unparsed (:class:`~gs1ld.catalog.lines.LineReader`): the same bytes are the same
    entry, under the same site inputs and day window the same input hash.  The record
    is bound to its build's id: one left by an older build (a build died between its
    commit and its record) names another manifest and is not trusted.
    """
    try:
        data = (shared / SOURCES_FILE).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if header != _SOURCES_HEADER + build_id.encode("ascii") or len(body) % _SOURCE.size:
        return None
    return SourceRecord(body, today)


def write_sources(shared: Path, build_id: str, body: Iterable[bytes]) -> None:
    """Record the lines of the build ``build_id``: ``body``, (GTIN, line digest and day
    window: :data:`LINE_NOTE_SIZE` bytes) of every product in GTIN order
    (:func:`record_body`, :meth:`SourceRecord.next_body`), so the record of one catalog
    is always the same bytes; written whole (a temporary file renamed into place) and
    streamed."""
    os.replace(_write_record(shared, build_id, body), shared / SOURCES_FILE)


def _write_record(shared: Path, build_id: str, body: Iterable[bytes]) -> Path:
    """Write a record to a temporary file of ``shared`` (see :func:`write_sources`); return it."""
    temporary = shared / f".{SOURCES_FILE}-{os.getpid()}"
    try:
        with open(temporary, "wb") as record:
            record.write(_SOURCES_HEADER + build_id.encode("ascii") + b"\n")
            record.writelines(body)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _record_unless_stopped(
    shared: Path, build_id: str, body: Iterable[bytes], stop: threading.Event
) -> Path | None:
    """:func:`_write_record`, asking for no more of ``body`` once ``stop`` is set; then the
    temporary file goes and None is returned (the build failed: its record is not needed)."""
    temporary = _write_record(shared, build_id, takewhile(lambda _: not stop.is_set(), body))
    if stop.is_set():
        temporary.unlink(missing_ok=True)
        return None
    return temporary


@contextmanager
def sources_beside(shared: Path, build_id: str, body: Iterable[bytes] | None) -> Iterator[None]:
    """Record the lines of the build ``build_id`` (:func:`write_sources`) while the
    ``with`` block publishes it; ``body`` None: the build has no record, and the
    current one goes (once the block ended without an error).

    The record is written on a thread of its own, beside the publishing steps (which
    wait on the file system: a million-line record took a rebuild half a second once
    they were done), and renamed into place only when the block ends without an
    error, after the commit: a record is never in place before its build is.  On an
    error the writing stops at its next piece, its temporary file goes, the current
    record stays and the block's error is raised (not the writer's).
    """
    if body is None:
        yield
        remove_sources(shared)
        return
    shared.mkdir(parents=True, exist_ok=True)  # (a first build's publishing makes it)
    stop = threading.Event()
    with ThreadPoolExecutor(1, thread_name_prefix="gs1ld-record") as writer:
        written = writer.submit(_record_unless_stopped, shared, build_id, body, stop)
        try:
            yield
        except BaseException:
            stop.set()
            with contextlib.suppress(BaseException):  # (the block's error is the one raised)
                if (left := written.result()) is not None:
                    left.unlink(missing_ok=True)
            raise
        temporary = written.result()
    assert temporary is not None  # (only a stop gives None, and only a failed block stops)
    os.replace(temporary, shared / SOURCES_FILE)


def remove_sources(shared: Path) -> None:
    """Drop the record (a build that could not write one: a catalog without lines)."""
    (shared / SOURCES_FILE).unlink(missing_ok=True)
