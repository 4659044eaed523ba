"""gs1ld's own version, from the installed package's metadata.

Kept apart from the root ``gs1ld`` (which re-exports every layer) so a module
inside the package can name the version without importing its own root.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    VERSION = version("gs1ld")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
    VERSION = "0+unknown"
