"""Publish a staged directory in place of the live one without a half-written moment.

On Linux the two directories are exchanged atomically with ``renameat2`` and
``RENAME_EXCHANGE``; elsewhere two renames are used, and a build that dies
between them leaves the previous site at a ``.previous`` path that the next
build puts back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache
from pathlib import Path
from typing import Any

from gs1ld._tree import remove_tree

__all__ = ["publish_directory", "recover_interrupted_publish"]

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
