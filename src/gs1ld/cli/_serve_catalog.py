"""A catalog served directly: built into a temporary site, rebuilt when the catalog changes.

``gs1ld serve CATALOG`` builds the catalog into a private temporary site, which
the server then serves and follows like any site.  A thread looks at the
catalog's files about once a second; when any was added, removed or changed it
rebuilds the site (incrementally, published atomically), and the server's
store picks up the new build.  The temporary site is removed when the server
stops, whatever stopped it (Ctrl-C, SIGTERM, an error).
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gs1ld._tree import remove_tree

if TYPE_CHECKING:
    from gs1ld.config import SiteConfig
    from gs1ld.limits import Limits

__all__ = ["CatalogSite", "catalog_fingerprint"]

Fingerprint = tuple[tuple[str, int, int], ...]


def catalog_fingerprint(source: Path) -> Fingerprint | None:
    """(path, mtime, size) of every file of the catalog, or None when it cannot be read now."""
    try:
        if source.is_file():
            info = source.stat()
            return ((str(source), info.st_mtime_ns, info.st_size),)
        rows = []
        for folder, _, files in os.walk(source):
            for name in files:
                path = os.path.join(folder, name)
                info = os.stat(path)
                rows.append((path, info.st_mtime_ns, info.st_size))
        return tuple(sorted(rows))
    except OSError:
        return None


class CatalogSite:
    """The temporary site of a served catalog, and the thread that rebuilds it.

    Args:
        source: the catalog (a file or a folder).
        config: how to build it.
        limits: the entry limits.
        say: where progress lines go (``built ...``, ``rebuilt ...``, errors).
        interval: seconds between two looks at the catalog.
    """

    def __init__(
        self,
        source: Path,
        config: SiteConfig,
        limits: Limits,
        say: Callable[[str], None],
        *,
        interval: float = 1.0,
    ) -> None:
        self.source = source
        self.work = Path(tempfile.mkdtemp(prefix="gs1ld-site-"))
        self.site = self.work / "site"
        self._config = config
        self._limits = limits
        self._say = say
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._fingerprint: Fingerprint | None = None

    def build(self, verb: str = "built") -> None:
        """Build (or rebuild) the site from the catalog as it is now.

        Raises:
            Gs1ldError: the catalog cannot be read or the site cannot be written.
        """
        from gs1ld.site.build import build_site

        fingerprint = catalog_fingerprint(self.source)
        report = build_site(self.source, self.site, config=self._config, limits=self._limits)
        self._fingerprint = fingerprint
        self._say(f"{verb} {self.site}: {report.summary()}")

    def follow(self) -> None:
        """Start rebuilding the site whenever the catalog changes (a daemon thread)."""
        if self.source.is_file() or self.source.is_dir():
            self._thread = threading.Thread(target=self._watch, name="gs1ld-catalog", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        from gs1ld.errors import Gs1ldError

        while not self._stop.wait(self._interval):
            fingerprint = catalog_fingerprint(self.source)
            if fingerprint is None or fingerprint == self._fingerprint:
                continue
            try:
                self.build("rebuilt")
            except (Gs1ldError, OSError) as exc:
                self._fingerprint = fingerprint  # not again until it changes again
                self._say(
                    f"error: rebuilding from {self.source} failed, still serving the "
                    f"previous build: {exc}"
                )

    def close(self) -> None:
        """Stop following the catalog and remove the temporary site."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)  # a rebuild in progress finishes first
        remove_tree(self.work, ignore_errors=True)
