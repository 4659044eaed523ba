"""Writing one product into a staging site: render it, or carry its files over.

Every engine that builds a site (this process, its worker pool, a Dask
cluster) stages products the same way, so they give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gs1ld._tree import remove_path
from gs1ld.catalog.reader import parse_entry
from gs1ld.config import SiteConfig
from gs1ld.errors import EntryError
from gs1ld.problems import unexpected_failure
from gs1ld.publish import PRODUCT_FILE_NAMES, ManifestEntry, is_product_file, product_paths
from gs1ld.publish.layout import QR_FILE
from gs1ld.site.folder import spare_owner, staged_folder
from gs1ld.site.product_files import RenderedProduct, render_product

__all__ = [
    "Job",
    "Spares",
    "carry_over",
    "earlier_qr",
    "give_mode",
    "link_previous",
    "prefetch",
    "render_job",
    "summary_row",
    "umask_now",
    "write_file_over",
    "write_files",
    "write_over",
    "write_pieces",
]


def link_previous(site: Path, staging: Path, gtin: str, digest: str) -> bool:
    """Hard-link a product's files from a live site that holds them; False when any is missing.

    Every file of its folder is linked, its four files and its pages in other
    languages, into the folder that stages it as version ``digest``.  Only a
    build over a site in the layout before products were shared does this,
    once: a site that shares its products needs nothing for an unchanged one.
    """
    paths = product_paths(gtin)
    folder = staging / staged_folder(gtin, digest)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        names = set(os.listdir(site / paths.folder))
        for name in PRODUCT_FILE_NAMES:  # the four every product has: a missing one is an error
            os.link(site / paths.folder / name, folder / name)
        for name in names - PRODUCT_FILE_NAMES:
            if is_product_file(name):
                os.link(site / paths.folder / name, folder / name)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    return True


def carry_over(site: Path, staging: Path, old: ManifestEntry, config: SiteConfig) -> bool:
    """Carry an unchanged product into the staging site; False when it must be rendered again.

    Nothing is done when the live site's files stay where they are
    (``config.link_unchanged`` is False: a site on object storage, or a local
    site whose products every build shares); otherwise its files are
    hard-linked from the live site.  A product of ``config.render_again`` is
    never carried over.
    """
    if old.gtin in config.render_again:
        return False
    return not config.link_unchanged or link_previous(site, staging, old.gtin, old.digest)


@dataclass(frozen=True, slots=True)
class Job:
    """One catalog entry to render: where it came from, its JSON and its input hash.

    ``previous`` is the last build's (lastmod, page digest) of its GTIN, if any, and
    ``earlier_qr`` where the live site's QR code of it is (taken when this version of
    gs1ld made it, :func:`earlier_qr`, for the same URI,
    :func:`~gs1ld.pages.qr.qr_svg_again`).
    """

    location: str
    data: Any
    digest: str
    previous: tuple[str, str] | None = None
    earlier_qr: str | None = None


def render_job(
    job: Job,
    config: SiteConfig,
    staging: Path,
    spare: str | None = None,
    made_by: str = "",
    umask: int | None = None,
) -> RenderedProduct:
    """Parse, render and write one product (in a worker, so parsing and file I/O run in parallel).

    With a ``spare`` version folder (:func:`~gs1ld.site.folder.spare_versions`), the
    product is written over its files: the folder is renamed into the staging site
    (when another worker took it first, the product's folder is made anew).

    Its QR code is marked as ``made_by`` this version of gs1ld (:func:`earlier_qr`).
    ``umask``: the process's mask (:func:`umask_now`), read once by a caller that
    writes many products over spares.

    Returns the product without its files (they are on disk), or its problems;
    whatever goes wrong with one product is that product's problem, never the build's.
    """
    try:
        entry = parse_entry(job.data)
    except EntryError as exc:
        return RenderedProduct(exc.gtin or "", job.digest, "", "", {}, exc.problems)
    try:
        qr = earlier_qr(job.earlier_qr, made_by) if job.earlier_qr and made_by else None
        result = render_product(entry, job.digest, config, job.previous, earlier_qr=qr)
    except Exception as exc:  # one product's failure (a library limit, a bug) is reported
        return RenderedProduct(entry.gtin, job.digest, "", "", {}, (unexpected_failure(exc),))
    if result.problems:
        return result
    own, staged = (
        f"{product_paths(result.gtin).folder}/",
        staged_folder(result.gtin, job.digest),
    )
    folder = f"{os.fspath(staging)}/{staged}"
    files = {
        (f"{staged}/{relative[len(own) :]}" if relative.startswith(own) else relative): data
        for relative, data in result.files.items()
    }
    inside = all(path.startswith(f"{staged}/") for path in files)
    if spare is not None and inside and _took(spare, folder):
        write_over(folder, {path[len(staged) + 1 :]: data for path, data in files.items()}, umask)
    else:
        write_files(staging, files)
    if made_by and inside:  # marked once written: a mark never names bytes it did not make
        _mark(f"{folder}/{QR_FILE}", made_by)
    return RenderedProduct(
        result.gtin,
        result.digest,
        result.name,
        result.brand,
        {},
        page=result.page,
        links=result.links,
        lastmod=result.lastmod,
    )


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    """Write site-relative files into the staging site, making folders as needed."""
    root = os.fspath(staging)
    made: set[str] = set()
    for relative, data in files.items():
        folder, _, _ = relative.rpartition("/")
        if folder not in made:
            try:  # a product's own folder is new; its parent (01/) exists after the first
                os.mkdir(f"{root}/{folder}")
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(f"{root}/{folder}", exist_ok=True)
            made.add(folder)
        write_pieces(f"{root}/{relative}", (data,))


def _took(spare: str, folder: str) -> bool:
    """Rename the folder ``spare`` to ``folder``; False when it is gone (another worker took
    it) or cannot be moved there."""
    for attempt in range(2):
        try:
            os.rename(spare, folder)
            return True
        except FileNotFoundError:  # the spare is gone, or folder's parent is not made yet
            if attempt:
                return False
            # tried again even when the parent is there now: another worker may have made
            # it since this move failed (a spare that is gone fails the second move too)
            os.makedirs(os.path.dirname(folder), exist_ok=True)
        except OSError:  # a folder of that name is there already
            return False
    return False


def umask_now() -> int:
    """The file mode creation mask of this process now.

    A file or folder written over keeps the mode it was made with, so it is given
    the one it would be made with now: a spare made under another mask (``077`` in a
    cron job) must not stay unreadable to the web server once the site is built
    under the usual one.  Read from ``/proc`` where there is one; elsewhere by
    setting the mask and setting it back (a file another thread creates in that
    instant gets ``022``'s mode).
    """
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # (two threads setting it at once could leave 022 behind)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def write_over(folder: str, files: dict[str, bytes], umask: int | None = None) -> None:
    """Make ``folder`` hold exactly ``files`` (name -> bytes), writing over the files it holds.

    A file written over keeps its inode and its blocks: the file system allocates
    nothing for bytes that fit in them, which costs far less than creating a file
    (:func:`prefetch` reads the spares' blocks ahead, so that a block written in part
    is not read from the disk while the worker waits).
    Whatever else the folder holds goes, and a name that is not a plain file linked
    once (a hard link shared with another file, a symbolic link, a folder) is replaced.
    The folder and its files get the modes they would be made with under ``umask``
    (None: :func:`umask_now`).
    """
    mask = umask_now() if umask is None else umask
    give_mode(folder, 0o777 & ~mask)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in files:
                remove_path(entry.path)
    for name, data in files.items():
        write_file_over(f"{folder}/{name}", data, mask)


def give_mode(folder: str, mode: int) -> None:
    """Give ``folder`` (never a symbolic link's target) the permission bits ``mode``
    when it has others; best effort (a folder another user owns keeps its mode)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        _give_mode(descriptor, os.fstat(descriptor).st_mode, mode)
    finally:
        os.close(descriptor)


def _give_mode(descriptor: int, found: int, mode: int) -> None:
    """Set the permission bits (``0o777``) of an open file or folder whose mode is
    ``found`` to ``mode``'s; its other bits stay (a shared folder's setgid bit).  Best
    effort: what the process may not change keeps its mode."""
    if found & 0o777 != mode & 0o777:
        with contextlib.suppress(OSError):
            os.fchmod(descriptor, (stat.S_IMODE(found) & ~0o777) | (mode & 0o777))


def write_file_over(path: str, data: bytes, umask: int | None = None) -> None:
    """Make ``path`` a plain file holding ``data``: written over the file there when it is
    a plain file linked once (its inode and blocks kept, its mode made the one a new file
    gets under ``umask``, None: :func:`umask_now`), else a new file (a hard link shared
    with another file, a symbolic link or a folder is replaced, never written through)."""
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK  # (a FIFO)
        descriptor = os.open(path, flags, 0o666)
    except OSError:  # a symbolic link or a folder
        descriptor = -1
        found = None
    else:
        found = os.fstat(descriptor)
    if found is None or found.st_nlink != 1 or not stat.S_ISREG(found.st_mode):
        if descriptor >= 0:
            os.close(descriptor)
        remove_path(path)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        found = None
    try:
        if found is not None:
            mask = umask_now() if umask is None else umask
            _give_mode(descriptor, found.st_mode, 0o666 & ~mask)
        _write_all(descriptor, data)
        if found is not None and found.st_size > len(data):
            os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)


class Spares:
    """Spare version folders to write products over, each product's own first.

    A spare is named ``{gtin}.{input hash}``: a product that changes often finds its
    own version from two builds before, whose files are nearly the same size (a
    file written over that must shrink is truncated, which the file system journals).
    """

    def __init__(self, folders: Iterable[str], gtins: Collection[str] = ()) -> None:
        self._own: dict[str, str] = {}
        self._others: list[str] = []
        for folder in folders:
            gtin = spare_owner(folder)
            if gtin in gtins and gtin not in self._own:
                self._own[gtin] = folder
            else:
                self._others.append(folder)

    def __iter__(self) -> Iterator[str]:
        return iter([*self._own.values(), *self._others])

    def take(self, gtin: str) -> str | None:
        """A spare for ``gtin``: its own, else one no product given here owns; None when
        none is left."""
        own = self._own.pop(gtin, None)
        if own is not None:
            return own
        return self._others.pop() if self._others else None


def prefetch(spares: Iterable[str], files: Iterable[str] = ()) -> None:
    """Ask the system to read the spare folders' files, and ``files``, into memory, in the
    background.

    Writing over part of a block that is not in memory reads it from the disk first,
    and a spare's files seldom are: read ahead while the products are rendered, the
    writes find them there.  Cutting the bytes to whole blocks instead (padding, then
    truncating) needs no read, but each truncation journals the file: slower again,
    with two workers truncating side by side.  ``files`` are read later in the same
    way (the QR codes products take again).
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for folder in spares:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_file(follow_symlinks=False):
                        _advise(advise, entry.path, os.O_NOFOLLOW)
        except OSError:  # gone (another worker took it) or unreadable: written anew
            continue
    for path in files:
        with contextlib.suppress(OSError):  # read (or not) when it is needed
            _advise(advise, path, 0)


def _advise(advise: Callable[[int, int, int, int], None], path: str, flags: int) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | flags)
    try:
        advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
    finally:
        os.close(descriptor)


def earlier_qr(path: str, version: str) -> str | None:
    """The QR code at ``path`` when this version of gs1ld wrote it, else None.

    A product rendered again may take its last version's QR code
    (:func:`~gs1ld.pages.qr.qr_svg_again` checks it is for the same URI), but only one
    this very encoder made: each QR code a build writes carries the version that made
    it in an extended attribute (``user.gs1ld.qr``), which the web servers do not
    serve.  A file without it (a file system without extended attributes, a copy, a
    product an older gs1ld made and a later build kept) is encoded again.  Only a
    regular file is read, and no read waits (a FIFO or device put there is passed over).
    """
    getxattr = getattr(os, "getxattr", None)
    if getxattr is None:
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        if getxattr(descriptor, _QR_MARK) != version.encode("utf-8"):
            return None
        return os.read(descriptor, _LARGEST_QR).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(descriptor)


def _mark(path: str, version: str) -> None:
    """Mark the QR code at ``path`` as made by ``version`` (see :func:`earlier_qr`)."""
    setxattr = getattr(os, "setxattr", None)
    if setxattr is not None:
        with contextlib.suppress(OSError):  # no extended attributes here: never taken again
            setxattr(path, _QR_MARK, version.encode("utf-8"), follow_symlinks=False)


_QR_MARK = "user.gs1ld.qr"
"""The extended attribute naming the version of gs1ld that wrote a QR code."""
_LARGEST_QR = 1 << 20
"""More than any QR code gs1ld writes (a version 40 symbol's SVG is far smaller)."""


def write_pieces(path: str, pieces: Iterable[bytes | memoryview]) -> None:
    """Make ``path`` a new file (or an emptied one) holding ``pieces`` one after another,
    never joined: a link map's shard spliced is tens of megabytes of views into the last
    build's shard, and copying them into one string cost a million-product rebuild half
    a second of page faults with the interpreter held."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        for piece in pieces:
            _write_all(descriptor, piece)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def summary_row(result: RenderedProduct, old: ManifestEntry | None, today: str) -> ManifestEntry:
    """The manifest entry of a product just rendered.

    Its ``lastmod`` is the one its pages show (:func:`render_product` decided it: the
    previous one when they came out byte for byte as before, else today); for a result
    that does not say, the previous one when the page digest is the same, else today.
    """
    lastmod = result.lastmod or (
        old.lastmod if old and old.lastmod and old.page == result.page else today
    )
    return ManifestEntry(
        result.gtin, result.digest, result.name, result.brand, lastmod, result.page, result.links
    )
