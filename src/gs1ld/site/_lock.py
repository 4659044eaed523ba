"""An exclusive lock on a site directory, so two builds never write the same site at once.

The lock is ``fcntl.flock`` on ``.{name}.lock`` beside the site (not inside it:
the site directory itself is swapped at the end of a build). The kernel drops
the lock when its holder dies, even by ``kill -9``, so a crashed build never
leaves a stale lock; the file stays behind, naming its last holder.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from gs1ld.errors import PublishError

__all__ = ["hold_lock", "lock_path"]


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
