"""One build at a time for a site on object storage: a leased lock object beside the site.

The lock is the object :data:`LOCK_FILE`, created with an exclusive write
(``If-None-Match: *`` on S3 and Azure; see :mod:`gs1ld.site._lock_object`) and
read back to make sure it is this build's.  It names its holder (host,
process, start time, and on Linux the boot, the PID namespace and the
process's own start tick) and holds a *lease*: ``expires``, a time the holder
keeps pushing forward (a heartbeat thread rewrites the lock every third of the
lease, conditional on the version it last wrote) while the build runs, and
the build renews it too before each write step.

Another build takes a lock over when its lease has expired (its holder died,
or hung, wherever it ran), or at once when its holder is a process of this
machine (same boot, same PID namespace) that no longer runs.  A takeover is a
write conditional on the version of the lock that was judged stale (S3
``If-Match`` on its ETag), so of two builds racing for one expired lease the
store lets one write and the other fails, naming the winner.  A build whose
renewal finds the lock changed has lost it: it stops with an error before its
next write step (:meth:`StoreLease.check`).  A lock without a lease (written
by gs1ld before leases) from another machine is never taken over: the error
names the object to remove.  A build removes the lock when it ends, and only
if the lock is still its own.

The lease compares times written by one machine's clock with another's: the
machines that build one site must keep their clocks within a fraction of the
lease of each other (NTP does).  On stores where fsspec has no conditional
overwrite (all but S3), renewals and takeovers compare, then write: two
takers can both pass in that moment, and the loser learns it at its next
renewal: before its next write step at the latest.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gs1ld.errors import PublishError
from gs1ld.site import _lock_object as lock_object
from gs1ld.storage import storage_reason

__all__ = ["DEFAULT_LEASE", "LOCK_FILE", "StoreLease", "hold_store_lock"]

LOCK_FILE = "gs1ld-lock.json"
"""The lock object, at the site's root while a build writes the site."""
DEFAULT_LEASE = timedelta(seconds=60)
"""How long a lock holds without a renewal (the heartbeat renews it every third of that)."""


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


@contextmanager
def _machine_mutex(url: str) -> Iterator[None]:
    """Serialise lock takeovers of ``url`` among the processes of this machine (for stores
    without conditional overwrites, where the store cannot decide between two takers)."""
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
    lease = f", lease until {holder['expires']}" if "expires" in holder else ""
    return (
        f"process {holder.get('pid', '?')} on {holder.get('host', '?')!r}, "
        f"started {holder.get('started', '?')}{lease}"
    )


def _expiry(holder: dict[str, Any]) -> datetime | None:
    """When the holder's lease ends; None when it has none (or none that can be read)."""
    try:
        expires = datetime.fromisoformat(str(holder["expires"]))
    except (KeyError, ValueError):
        return None
    return expires if expires.tzinfo is not None else None


def _stale(holder: dict[str, Any] | None, now: datetime) -> bool:
    """True when a build may take the lock of ``holder`` over."""
    if not holder:
        return False  # no lock, or one that cannot be read: only a hand removes it
    expires = _expiry(holder)
    return (expires is not None and expires <= now) or _gone(holder)


def _busy(url: str, holder: dict[str, Any] | None) -> PublishError:
    lock = f"{url.rstrip('/')}/{LOCK_FILE}"
    if holder and _expiry(holder) is not None:
        return PublishError(
            f"Another build is writing {url!r} ({_describe(holder)}). If no build is running, "
            f"the lock is taken over once its lease expires; remove it ({lock}) to build now."
        )
    return PublishError(
        f"Another build is writing {url!r} ({_describe(holder)}). If no build is running, "
        f"remove the lock ({lock}) and build again."
    )


class StoreLease:
    """The lock a build holds: renewed by :meth:`renew`, checked by :meth:`check`.

    Made by :func:`hold_store_lock`; a heartbeat thread calls :meth:`renew`, and the
    build calls :meth:`check` before each write step.
    """

    def __init__(
        self,
        fs: Any,
        path: str,
        url: str,
        body: dict[str, Any],
        *,
        now: Callable[[], datetime],
        lease: timedelta,
    ) -> None:
        self._fs, self._path, self._url = fs, path, url
        self._body = body
        self._now = now
        self.lease = lease
        self._version = ""
        self._lost: dict[str, Any] | None = None
        self._guard = threading.Lock()

    @property
    def token(self) -> str:
        """This build's mark in the lock object."""
        return str(self._body["token"])

    def _data(self) -> bytes:
        expires = self._now() + self.lease
        body = {**self._body, "expires": expires.isoformat(timespec="seconds")}
        return json.dumps(body).encode()

    def acquire(self) -> None:
        """Create the lock, or take over a stale one (see the module doc).

        Raises:
            PublishError: another build holds the lock, or took it over first.
        """
        data = self._data()
        version = lock_object.create(self._fs, self._path, data)
        if version is None:
            if lock_object.atomic_replace(self._fs):
                version = self._take_over(data)
            else:
                with _machine_mutex(self._url):
                    version = self._take_over(data)
        mine = lock_object.read(self._fs, self._path)
        if mine.holder is None or mine.holder.get("token") != self.token:
            raise PublishError(
                f"Another build took the lock of {self._url!r} at the same moment "
                f"({_describe(mine.holder)}); this store may not support exclusive writes. "
                "Build again once it has finished."
            )
        self._version = version

    def _take_over(self, data: bytes) -> str:
        """Replace a stale lock; its new version."""
        found = lock_object.read(self._fs, self._path)
        if found.holder is None:  # released meanwhile
            version = lock_object.create(self._fs, self._path, data)
        elif _stale(found.holder, self._now()):
            version = lock_object.replace(self._fs, self._path, data, found.version)
        else:
            raise _busy(self._url, found.holder)
        if version is None:
            winner = lock_object.read(self._fs, self._path).holder
            raise PublishError(
                f"Another build took over the lock of {self._url!r} first "
                f"({_describe(winner)}); build again once it has finished."
            )
        return version

    def renew(self) -> None:
        """Push the lease's end forward, if the lock is still this build's.

        A lock found changed (another build took it over after the lease expired,
        or it was removed by hand) marks the lease lost; :meth:`check` then fails.
        A renewal that cannot reach the store is left to the next heartbeat.
        """
        with self._guard:
            if self._lost is not None:
                return
            try:
                version = lock_object.replace(self._fs, self._path, self._data(), self._version)
            except Exception:  # the store is unreachable now: the lease still runs
                return
            if version is None:
                holder: dict[str, Any] = {}
                with suppress(Exception):
                    holder = lock_object.read(self._fs, self._path).holder or {}
                self._lost = holder
                return
            self._version = version

    def check(self) -> None:
        """Renew the lease now, and raise when it was lost: the build must not write again.

        Called before each write step, so a build that stalled past its lease (and
        was taken over) finds out before it writes, whenever the heartbeat last ran.

        Raises:
            PublishError: another build took the lock over, or it was removed.
        """
        self.renew()
        with self._guard:
            lost = self._lost
        if lost is not None:
            now = "held by " + _describe(lost) if lost else "removed"
            raise PublishError(
                f"This build lost the lock of {self._url!r} (now {now}): its lease ran out "
                "before it was renewed. It stopped before its next write; the build that "
                "holds the lock publishes the site."
            )

    def release(self) -> None:
        """Remove the lock, if it is still this build's."""
        with suppress(Exception):  # a lock that cannot be removed is reported by the next build
            current = lock_object.read(self._fs, self._path).holder
            if current is not None and current.get("token") == self.token:
                self._fs.rm_file(self._path)


@contextmanager
def hold_store_lock(
    fs: Any,
    root: str,
    url: str,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    lease: timedelta = DEFAULT_LEASE,
    wait: Callable[[float], bool] | None = None,
) -> Iterator[StoreLease]:
    """Hold the lock of the site at ``root`` on ``fs`` (named ``url`` in messages) while inside.

    Args:
        fs: the store's fsspec file system.
        root: the site's path on ``fs``.
        url: the site's URL, for messages.
        now: the clock the lease is written and judged with.
        lease: how long the lock holds without a renewal.
        wait: the heartbeat's pause: called with the seconds between renewals,
            returns True to stop (default: a wait the end of the build cuts
            short); tests pass one they drive.

    Yields:
        The lease, to :meth:`~StoreLease.check` before each write step.

    Raises:
        PublishError: another build holds the lock (the message names it and
            says how to remove a lock left by a build that no longer runs), took
            it over first, or the store cannot be written.
    """
    body: dict[str, Any] = {
        **_machine(),
        "pid": os.getpid(),
        "start_tick": _start_tick(os.getpid()),
        "started": now().isoformat(timespec="seconds"),
        "token": secrets.token_hex(16),
    }
    held = StoreLease(fs, f"{root}/{LOCK_FILE}", url, body, now=now, lease=lease)
    try:
        held.acquire()
    except PublishError:
        raise
    except Exception as exc:  # botocore and friends raise their own trees
        raise PublishError(f"Cannot write the output {url!r}: {storage_reason(exc)}") from None
    stop = threading.Event()
    pause = wait or stop.wait
    interval = lease.total_seconds() / 3

    def heartbeat() -> None:
        while not stop.is_set() and not pause(interval):
            held.renew()

    beating = threading.Thread(target=heartbeat, name="gs1ld-store-lease", daemon=True)
    beating.start()
    try:
        yield held
    finally:
        stop.set()
        if wait is None:
            beating.join()
        held.release()
