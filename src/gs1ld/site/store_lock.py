"""One build at a time for a site on object storage: a lock object beside the site.

The lock is the object :data:`LOCK_FILE`, created with an exclusive write
(``If-None-Match: *`` on S3, which the store decides atomically; fsspec's
other file systems check, then write) and read back to make sure it is this
build's (a store that ignored the condition would otherwise let two in).  It
names its holder: host, process, start time, and on Linux the boot, the PID
namespace and the process's own start tick, so a process of another container
or an earlier boot is never taken for this one.

A lock whose holder is a process of this machine (same boot, same PID
namespace) that no longer runs is stale and taken over, so the next build
after a crash converges without anyone deleting it; takeovers on one machine
are serialised by a local file lock, so two builds cannot both take over one
stale lock.  A lock held from elsewhere is reported with the object to remove,
as only its owner can tell whether that build still runs.  A build removes the
lock when it ends, and only if the lock is still its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gs1ld.errors import PublishError
from gs1ld.storage import storage_reason

__all__ = ["LOCK_FILE", "hold_store_lock"]

LOCK_FILE = "gs1ld-lock.json"
"""The lock object, at the site's root while a build writes the site."""


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _start_tick(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot ("" when unknown)."""
    stat = _read(f"/proc/{pid}/stat")
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces
    return fields[19] if len(fields) > 19 else ""


def _machine() -> dict[str, str]:
    """What tells this boot and PID namespace apart from others ("" where unknown)."""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = ""
    return {
        "host": socket.gethostname(),
        "boot": _read("/proc/sys/kernel/random/boot_id"),
        "pid_namespace": namespace,
    }


def _gone(holder: dict[str, Any]) -> bool:
    """True when the lock's holder is a process of this machine that no longer runs."""
    if any(holder.get(key) != value for key, value in _machine().items()):
        return False  # another host, container or boot: only its owner can tell
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process runs under that PID
        pass
    start = holder.get("start_tick")
    return bool(start) and _start_tick(pid) not in ("", start)  # the PID was reused


def _holder(fs: Any, path: str) -> dict[str, Any] | None:
    """The lock's holder; None when there is no lock; {} when it is not a lock we can read."""
    try:
        value = json.loads(fs.cat_file(path))
    except FileNotFoundError:
        return None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _exists_error(exc: OSError) -> bool:
    """True when a conditional write failed because the object exists (HTTP 412)."""
    if isinstance(exc, FileExistsError):
        return True
    text = str(exc)
    return "PreconditionFailed" in text or "412" in text or "pre-conditions" in text


def _create(fs: Any, path: str, body: bytes) -> bool:
    """Write the lock unless it exists; False when it does."""
    try:
        fs.pipe_file(path, body, mode="create")
    except OSError as exc:
        if _exists_error(exc):
            return False
        raise
    fs.invalidate_cache(path)
    return True


@contextmanager
def _machine_mutex(url: str) -> Iterator[None]:
    """Serialise lock takeovers of ``url`` among the processes of this machine."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"gs1ld-store-lock-{digest}"
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _describe(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "a holder that cannot be read"
    return (
        f"process {holder.get('pid', '?')} on {holder.get('host', '?')!r}, "
        f"started {holder.get('started', '?')}"
    )


def _acquire(fs: Any, path: str, url: str, body: dict[str, Any]) -> None:
    """Create the lock at ``path``, taking over a stale one (see the module doc)."""
    data = json.dumps(body).encode()
    if not _create(fs, path, data):
        with _machine_mutex(url):
            holder = _holder(fs, path)
            if holder is not None and holder and _gone(holder):
                fs.rm_file(path)
                holder = None
            if holder is not None or not _create(fs, path, data):
                raise PublishError(
                    f"Another build is writing {url!r} ({_describe(_holder(fs, path))}). If "
                    f"no build is running, remove the lock ({url.rstrip('/')}/{LOCK_FILE}) "
                    "and build again."
                )
    mine = _holder(fs, path)
    if mine is None or mine.get("token") != body["token"]:
        raise PublishError(
            f"Another build took the lock of {url!r} at the same moment ({_describe(mine)}); "
            "this store may not support exclusive writes. Build again once it has finished."
        )


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
    path = f"{root}/{LOCK_FILE}"
    body: dict[str, Any] = {
        **_machine(),
        "pid": os.getpid(),
        "start_tick": _start_tick(os.getpid()),
        "started": now().isoformat(timespec="seconds"),
        "token": secrets.token_hex(16),
    }
    try:
        _acquire(fs, path, url, body)
    except PublishError:
        raise
    except Exception as exc:  # botocore and friends raise their own trees
        raise PublishError(f"Cannot write the output {url!r}: {storage_reason(exc)}") from None
    try:
        yield
    finally:
        with suppress(Exception):  # a lock that cannot be removed is reported by the next build
            fs.invalidate_cache(path)
            current = _holder(fs, path)
            if current is not None and current.get("token") == body["token"]:
                fs.rm_file(path)
