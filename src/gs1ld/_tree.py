"""Remove a directory tree without holding any of its directories' listings.

``shutil.rmtree`` reads a whole directory into a list before removing any of
it.  A site's ``01/`` folder holds one folder per product, so replacing a site
of a million products held a million directory entries in the build's process
(its peak memory rose from under 200 MiB to over 900).  Here each directory is
read in the kernel's batches while its entries go, so memory does not grow with
the size of a directory.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

__all__ = ["remove_if_present", "remove_path", "remove_tree"]


def remove_tree(path: Path | str, *, ignore_errors: bool = False) -> None:
    """Remove ``path`` and everything under it; a symbolic link is removed, never followed.

    With ``ignore_errors`` whatever cannot be removed is left and the rest goes,
    as with ``shutil.rmtree(..., ignore_errors=True)``.

    Raises:
        OSError: something could not be removed (``ignore_errors`` off).
    """
    try:
        _remove(os.fspath(path), ignore_errors)
    except OSError:
        if not ignore_errors:
            raise


def remove_path(path: Path | str) -> None:
    """Remove a file, a link (never followed) or a folder and all it holds."""
    if os.path.isdir(path) and not os.path.islink(path):
        remove_tree(path)
    else:
        os.unlink(path)


def remove_if_present(path: Path | str) -> None:
    """:func:`remove_path`, nothing when there is nothing at ``path``."""
    with contextlib.suppress(FileNotFoundError):
        remove_path(path)


def _remove(top: str, ignore_errors: bool) -> None:
    while True:
        removed = False
        with os.scandir(top) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        _remove(entry.path, ignore_errors)
                    else:
                        os.unlink(entry.path)
                    removed = True
                except OSError:
                    if not ignore_errors:
                        raise
        try:
            os.rmdir(top)
            return
        except OSError as exc:
            # a file system may skip entries of a directory changed while it is read:
            # read it again while that removes something
            if exc.errno != errno.ENOTEMPTY or not removed:
                raise
