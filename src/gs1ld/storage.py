"""Object storage through fsspec: opening a URL's file system, and saying why a call failed.

Catalogs are read from, and sites written to, any fsspec URL (``s3://``,
``gs://``, ``az://``, ``memory://``, ``file://``).  Both sides open the file
system here and word a failure here, so a missing package names the same
``pip install`` extra whether the URL was to be read or written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gs1ld.errors import Gs1ldError

__all__ = ["EXTRAS", "open_storage", "storage_reason"]

EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs", "az": "azure", "abfs": "azure"}
"""URL scheme -> the gs1ld extra that installs its file system."""


def storage_reason(exc: BaseException) -> str:
    """One line saying why a storage call failed, without the traceback.

    >>> storage_reason(FileNotFoundError("s3://b/x"))
    'no such file, folder or bucket'
    """
    if isinstance(exc, FileNotFoundError):
        return "no such file, folder or bucket"
    if isinstance(exc, PermissionError):
        return f"access denied ({exc})" if str(exc) else "access denied"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__module__ != "builtins" else text


def _install_hint(url: str, exc: ImportError) -> str:
    scheme = url.split("://", 1)[0].lower()
    extra = f" (pip install 'gs1ld[{EXTRAS[scheme]}]')" if scheme in EXTRAS else ""
    return f"{exc}{extra}"


def open_storage(
    url: str,
    storage_options: Mapping[str, Any],
    *,
    failure: Callable[[str], Gs1ldError],
) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path in it.

    Args:
        url: an fsspec URL.
        storage_options: options of its file system (endpoint, credentials...).
        failure: makes the error to raise from the reason (reading a catalog
            raises a ``ParseError``, writing a site a ``PublishError``).

    Raises:
        Gs1ldError: what ``failure`` makes: the protocol is unknown, or its
            package is not installed (the reason names the extra to install).
    """
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(url, **dict(storage_options))
    except ImportError as exc:
        raise failure(_install_hint(url, exc)) from None
    except Exception as exc:  # fsspec raises ValueError for an unknown protocol
        raise failure(storage_reason(exc)) from None
    return fs, path
