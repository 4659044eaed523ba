"""Reading a file beneath a held directory: never outside it, never a half-swapped site.

The server holds an open descriptor of the site directory it serves (one
*generation* of the site).  A rebuild publishes a new directory at the same
path (the site folder's ``current`` link) and later deletes the old one, but a
descriptor keeps naming the directory it was opened on, so every file of one
answer comes from one generation; a file the rebuild deleted reads as missing
(None), never as another build's file.

A URL path is checked lexically (no ``..``, no NUL, no empty or over-long
segment) and each component is opened with ``O_NOFOLLOW``, so no symbolic link
and no ``..`` leads outside the site.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

__all__ = ["FileRead", "read_beneath", "safe_relative"]

MAX_SEGMENT_BYTES = 255
"""The longest file name Linux file systems accept (``NAME_MAX``)."""

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0)
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EISDIR})


@dataclass(frozen=True, slots=True)
class FileRead:
    """A file's bytes and its modification time (seconds since the epoch)."""

    body: bytes
    mtime: float


def safe_relative(path: str) -> tuple[str, ...] | None:
    """The segments of a site-relative path, or None when it may not name a site file.

    >>> safe_relative("01/09506000134352/index.html")
    ('01', '09506000134352', 'index.html')
    >>> safe_relative("a/../../etc/passwd") is None
    True
    """
    segments = tuple(part for part in path.split("/") if part not in ("", "."))
    if not segments or "\x00" in path:
        return None
    for part in segments:
        if part == ".." or len(part.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
            return None
    return segments


def read_beneath(directory: int, segments: tuple[str, ...], *, index: str = "") -> FileRead | None:
    """Read ``segments`` beneath the open ``directory``; None when it is not a regular file.

    Args:
        directory: an open directory descriptor (one generation of the site).
        segments: the path's checked segments (:func:`safe_relative`).
        index: the file read instead when the path names a directory (``index.html``).
    """
    opened: list[int] = []
    try:
        current = directory
        for part in segments[:-1]:
            current = os.open(part, _DIRECTORY_FLAGS, dir_fd=current)
            opened.append(current)
        fd = os.open(segments[-1], _FILE_FLAGS, dir_fd=current)
        opened.append(fd)
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) and index:
            fd = os.open(index, _FILE_FLAGS, dir_fd=fd)
            opened.append(fd)
            info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, max(info.st_size, 65536)):
            chunks.append(chunk)
        return FileRead(b"".join(chunks), info.st_mtime)
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise
    finally:
        for fd in reversed(opened):
            os.close(fd)
