"""Decide where a site may be written before anything is touched.

A build replaces its output directory as a whole, so the directory must be a
gs1ld site already (its ``manifest.json`` names gs1ld as the generator), empty,
or absent; anything else is refused unless the user says ``--force``. A
symbolic link is followed, so the link keeps pointing at the new site, and the
current directory (or one that contains it) is refused: replacing it would leave
the shell in a deleted directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from gs1ld.errors import PublishError
from gs1ld.publish import Manifest

__all__ = ["is_gs1ld_site", "site_target"]


def is_gs1ld_site(path: Path) -> bool:
    """True when ``path`` holds a manifest written by gs1ld."""
    try:
        return Manifest.read(path).generator.startswith("gs1ld")
    except PublishError:
        return False


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
