"""The local folder a site is built into: where it may be, one build at a time, the swap.

A build replaces its output directory as a whole, so the directory must be a
gs1ld site already (its ``manifest.json`` names gs1ld as the generator), empty,
or absent; anything else is refused unless the user says ``--force``. A
symbolic link is followed, so the link keeps pointing at the new site, and the
current directory (or one that contains it) is refused: replacing it would leave
the shell in a deleted directory.

Only one build writes a site at a time: the lock is ``fcntl.flock`` on
``.{name}.lock`` beside the site (not inside it: the site directory itself is
swapped at the end of a build). The kernel drops the lock when its holder dies,
even by ``kill -9``, so a crashed build never leaves a stale lock; the file
stays behind, naming its last holder.

The staged directory is published in place of the live one without a
half-written moment: on Linux the two directories are exchanged atomically with
``renameat2`` and ``RENAME_EXCHANGE``; elsewhere two renames are used, and a
build that dies between them leaves the previous site at a ``.previous`` path
that the next build puts back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from gs1ld._tree import remove_tree
from gs1ld.errors import PublishError
from gs1ld.publish import Manifest

__all__ = [
    "hold_lock",
    "is_gs1ld_site",
    "lock_path",
    "publish_directory",
    "recover_interrupted_publish",
    "site_target",
]


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
    """True when ``path`` holds a manifest written by gs1ld."""
    manifest = Manifest.read_or_none(path)
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


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - no libc (not Linux)
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:  # pragma: no cover - old glibc
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _previous(live: Path) -> Path:
    return live.with_name(f".{live.name}.previous")


def recover_interrupted_publish(live: Path) -> None:
    """Put the previous site back if a two-rename publish died between its renames."""
    previous = _previous(live)
    if previous.is_dir() and not live.exists():
        previous.rename(live)


def publish_directory(staged: Path, live: Path) -> None:
    """Make ``staged`` the directory at ``live`` and remove what was there before."""
    if not live.exists():
        staged.rename(live)
        return
    if _exchange(staged, live):
        remove_tree(staged)  # now holds the old site
        return
    previous = _previous(live)  # pragma: no cover - the non-Linux path
    if previous.exists():  # pragma: no cover
        remove_tree(previous)
    live.rename(previous)  # pragma: no cover
    staged.rename(live)  # pragma: no cover
    remove_tree(previous)  # pragma: no cover
