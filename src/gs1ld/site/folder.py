"""The local folder a site is built into: where it may be, one build at a time, publishing.

The output folder ``SITE`` is never replaced: it holds the builds, each in its
own folder ``SITE/.gs1ld-builds/NNNNNN/``, and the relative symbolic link
``SITE/current`` naming the one being served.  A build is staged in
``.gs1ld-builds/.staging-{pid}/``, renamed to the next number when complete, and
published by renaming a new link over ``current`` (one atomic ``rename``): a
reader resolving ``current`` finds the previous build or the new one, each
complete, never a mix.  Because ``SITE`` keeps its inode, a server given
``SITE``, ``SITE/current`` or a bind mount of ``SITE`` (a container's
``-v "$PWD/site:/srv/site:ro"``) follows every build; a static host serves
``SITE/current`` (nginx and Apache resolve the link per request).

The build that ``current`` pointed at before is kept (named by the link
``.gs1ld-builds/.previous``) until the next build publishes, so a reader that
resolved ``current`` just before the switch still finds its files; older
builds, and staging folders left by a build that died, are removed by the
next build.  Unchanged products are hard-linked from the current build into the
staged one, so two builds cost little more space than one.

A folder that is not in this layout yet -- a site built before builds had their
own folders -- is converted in place at the start of the next build: its files
are hard-linked into the first build folder and ``current`` is made to point at
it before the old top-level files go, so a server following ``SITE`` answers
throughout.  Whenever ``current`` exists, the next build clears the top level of
everything but ``current`` and ``.gs1ld-builds`` (a build replaces the whole
site: files put beside them go, and so does the old content of a folder built
over with ``--force``).

The folder must be a gs1ld site already (in either layout), empty, or absent;
anything else is refused unless the user says ``--force``.  A symbolic link is
followed, and the current directory (or one that contains it) is refused.

Only one build writes a site at a time: the lock is ``fcntl.flock`` on
``.{name}.lock`` beside the site. The kernel drops the lock when its holder
dies, even by ``kill -9``, so a crashed build never leaves a stale lock; the
file stays behind, naming its last holder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from gs1ld._tree import remove_tree
from gs1ld.errors import PublishError
from gs1ld.publish import Manifest
from gs1ld.publish.layout import BUILDS_FOLDER, CURRENT_LINK, published_root

__all__ = [
    "hold_lock",
    "is_gs1ld_site",
    "lock_path",
    "prepare_folder",
    "publish_build",
    "site_target",
    "staging_path",
]

PREVIOUS_LINK = ".previous"
"""In the builds folder: the link naming the build served before the current one."""


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
                if entry.name == PREVIOUS_LINK:
                    continue
                if entry.is_symlink() or Path(os.path.realpath(entry.path)) not in keep:
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


def _remove(path: Path) -> None:
    """Remove a file, a link (never followed) or a folder and all it holds."""
    if path.is_dir() and not path.is_symlink():
        remove_tree(path)
    else:
        path.unlink(missing_ok=True)


def _clear_top_level(site: Path) -> None:
    """Remove everything at the top of ``site`` but ``current`` and the builds folder."""
    for entry in os.scandir(site):
        if entry.name not in (CURRENT_LINK, BUILDS_FOLDER):
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
        if entry.name == BUILDS_FOLDER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(
                entry.path, staging / entry.name, symlinks=True, copy_function=_link_or_copy
            )
        else:
            _link_or_copy(entry.path, str(staging / entry.name))
    publish_build(staging, site)


def _next_name(builds: Path) -> str:
    numbers = [int(p.name) for p in builds.iterdir() if p.name.isdigit()]
    return f"{max(numbers, default=0) + 1:06d}"


def _point(site: Path, name: str, target: str) -> None:
    """Make the link ``site/name`` point at ``target``, atomically (a new link renamed over it)."""
    temporary = site / f".{Path(name).name}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, site / name)


def _sync(folder: Path) -> None:
    """Make the renames in ``folder`` durable before anything that relies on them."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish_build(staged: Path, site: Path) -> None:
    """Make the complete build ``staged`` the current build of ``site``.

    In order: the staged folder takes the next build number; ``.previous`` is
    pointed at the build being replaced; ``current`` is pointed at the new one
    (the publishing moment); then every other build and whatever else lies at
    the top of ``site`` is removed.  Killed at any step, ``current`` names a
    complete build, and the next build removes what was left half done.
    """
    builds = site / BUILDS_FOLDER
    name = _next_name(builds)
    os.rename(staged, builds / name)
    old = _target(site / CURRENT_LINK)
    if old is not None and old.parent == Path(os.path.realpath(builds)):
        _point(builds, PREVIOUS_LINK, old.name)
    _point(site, CURRENT_LINK, f"{BUILDS_FOLDER}/{name}")
    _sync(site)
    keep = {name, PREVIOUS_LINK, old.name if old is not None else name}
    for entry in os.scandir(builds):
        if entry.name not in keep:
            _remove(Path(entry.path))
    _clear_top_level(site)
