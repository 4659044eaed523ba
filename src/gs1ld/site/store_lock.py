"""One build at a time for a site on object storage: a lock object beside the site.

The lock is the object :data:`LOCK_FILE`, created with an exclusive write
(``If-None-Match: *`` on S3, which the store decides atomically; fsspec's
other file systems check and write).  It names its holder (host, process,
start time).  A lock whose holder is a process of this host that no longer
runs (a killed build) is stale and taken over, so the next build after a crash
converges without anyone deleting it; a lock held from another host is
reported with the command that removes it, as only its owner can tell whether
that build still runs.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from gs1ld.errors import PublishError

__all__ = ["LOCK_FILE", "hold_store_lock", "store_reason"]

LOCK_FILE = "gs1ld-lock.json"
"""The lock object, at the site's root while a build writes the site."""


def store_reason(exc: BaseException) -> str:
    """One line saying why a call to the store failed, without the traceback."""
    if isinstance(exc, FileNotFoundError):
        return "no such bucket or folder"
    if isinstance(exc, PermissionError):
        return "access denied"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    return True


def _holder(fs: Any, path: str) -> dict[str, Any]:
    try:
        value = json.loads(fs.cat_file(path))
    except FileNotFoundError:
        return {}
    except ValueError:  # not our JSON: a holder we cannot judge
        return {"host": "?", "pid": 0, "started": "?"}
    return value if isinstance(value, dict) else {}


def _create(fs: Any, path: str, body: bytes) -> bool:
    """Write the lock unless it exists; False when it does."""
    try:
        fs.pipe_file(path, body, mode="create")
    except FileExistsError:
        return False
    fs.invalidate_cache(path)
    return True


@contextmanager
def hold_store_lock(
    fs: Any,
    root: str,
    url: str,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Iterator[None]:
    """Hold the lock of the site at ``root`` on ``fs`` (named ``url`` in messages) while inside.

    Raises:
        PublishError: another build holds the lock (the message names it and
            says how to remove a lock left by a build that no longer runs), or
            the store cannot be written.
    """
    try:
        _acquire(fs, f"{root}/{LOCK_FILE}", url, now)
    except PublishError:
        raise
    except Exception as exc:  # botocore and friends raise their own trees
        raise PublishError(f"Cannot write the output {url!r}: {store_reason(exc)}") from None
    try:
        yield
    finally:
        with suppress(Exception):  # a lock that cannot be removed is reported by the next build
            fs.rm_file(f"{root}/{LOCK_FILE}")


def _acquire(fs: Any, path: str, url: str, now: Callable[[], datetime]) -> None:
    """Create the lock at ``path``, taking over a stale one (see the module doc)."""
    host = socket.gethostname()
    body = json.dumps(
        {"host": host, "pid": os.getpid(), "started": now().isoformat(timespec="seconds")}
    ).encode()
    if not _create(fs, path, body):
        holder = _holder(fs, path)
        stale = holder.get("host") == host and not _running(int(holder.get("pid") or 0))
        if stale:
            fs.rm_file(path)
        if not (stale or not holder) or not _create(fs, path, body):
            raise PublishError(
                f"Another build is writing {url!r} (process {holder.get('pid')} on "
                f"{holder.get('host')!r}, started {holder.get('started')}). If no build is "
                f"running, remove the lock ({url.rstrip('/')}/{LOCK_FILE}) and build again."
            )
