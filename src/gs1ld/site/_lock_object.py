"""Reading and writing the store's lock object under conditions the store decides.

A lock is safe only if two builds can never both think they wrote it.  Each
write here is conditional on what the writer last read:

- ``create`` writes only where there is no object (``If-None-Match: *`` on S3
  and Azure; fsspec's other file systems check, then write);
- ``replace`` writes only over the version that was read: on S3 the object's
  ETag goes in ``If-Match``, so of two builds that read the same expired lock
  the store lets exactly one replace it.  fsspec offers no conditional
  overwrite for other stores: there the version is a digest of the bytes read,
  compared with the bytes on the store just before the write, which leaves a
  short window in which two writers can both pass (the lease then finds the
  loser at its next renewal, see :mod:`gs1ld.site.store_lock`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["LockRead", "atomic_replace", "create", "read", "replace"]


@dataclass(frozen=True, slots=True)
class LockRead:
    """What was read of the lock object.

    Attributes:
        holder: the lock's body; None when there is no lock, ``{}`` when it
            cannot be read as one.
        version: the store's tag for the bytes read (the S3 ETag, elsewhere a
            digest of the bytes); "" when there is no lock.
    """

    holder: dict[str, Any] | None
    version: str


def atomic_replace(fs: Any) -> bool:
    """True when the store itself decides conditional overwrites of ``fs`` (S3)."""
    protocol = getattr(fs, "protocol", ())
    names = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return "s3" in names and hasattr(fs, "_call_s3")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read(fs: Any, path: str) -> LockRead:
    """The lock at ``path`` and the version of what was read.

    On S3 the ETag is asked first and the bytes after: if the lock changes in
    between, the bytes are newer than the ETag, and a write conditional on it fails.
    """
    fs.invalidate_cache(path)
    try:
        tag = str(fs.info(path).get("ETag", "")) if atomic_replace(fs) else ""
        data = fs.cat_file(path)
    except FileNotFoundError:
        return LockRead(None, "")
    return LockRead(_parse(data), tag or _digest(data))


def _written(fs: Any, path: str, answer: Any, data: bytes) -> str:
    fs.invalidate_cache(path)
    if atomic_replace(fs) and isinstance(answer, dict) and answer.get("ETag"):
        return str(answer["ETag"])
    return _digest(data)


def _refused(exc: OSError) -> bool:
    """True when a conditional write failed on its condition (HTTP 412, or the object exists)."""
    if isinstance(exc, FileExistsError):
        return True
    text = str(exc)
    return "PreconditionFailed" in text or "412" in text or "pre-conditions" in text


def create(fs: Any, path: str, data: bytes) -> str | None:
    """Write the lock unless one exists; its version, or None when one exists."""
    try:
        answer = fs.pipe_file(path, data, mode="create")
    except OSError as exc:
        if _refused(exc):
            return None
        raise
    return _written(fs, path, answer, data)


def replace(fs: Any, path: str, data: bytes, version: str) -> str | None:
    """Write the lock over the version ``version`` only; its new version, or None when
    the lock is no longer that version (another build wrote it, or it was removed)."""
    if atomic_replace(fs):
        try:
            answer = fs.pipe_file(path, data, IfMatch=version)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if _refused(exc):
                return None
            raise
        return _written(fs, path, answer, data)
    if read(fs, path).version != version:  # the weaker check of stores without If-Match
        return None
    fs.pipe_file(path, data)
    return _written(fs, path, None, data)
