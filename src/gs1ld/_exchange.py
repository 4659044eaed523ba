"""Swap two paths in one step, where the kernel can (Linux's ``renameat2``).

Replacing a folder with ``rename`` takes two steps (the old one out of the way,
the new one in), and a reader between them finds nothing.  ``RENAME_EXCHANGE``
swaps both names at once: a reader finds the old folder or the new one, whole.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path
from typing import Any

__all__ = ["exchange"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_MISSING = {errno.ENOENT, errno.ENOTDIR}
"""What ``renameat2`` answers when a path is not there; any other failure (no support
in the file system or the kernel, a sandbox refusing the call) means it cannot."""


def _find_renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return None
    at, name = ctypes.c_int, ctypes.c_char_p
    function.argtypes = [at, name, at, name, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _find_renameat2()


def exchange(path: Path | str, other: Path | str) -> bool:
    """Swap the names ``path`` and ``other`` (both must exist) in one step.

    Returns False, having changed nothing, where the system cannot.

    Raises:
        OSError: either path is missing.
    """
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(path), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code not in _MISSING:
            return False
        raise OSError(code, os.strerror(code), os.fspath(path), None, os.fspath(other))
    return True
