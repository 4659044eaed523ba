"""Link targets that are safe to publish: absolute http(s) URLs and nothing else.

Feed data ends up in ``href`` attributes, linksets and redirects; a
``javascript:`` or ``data:`` URL there would be code, not a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["safe_url"]

_SAFE_SCHEMES = frozenset({"http", "https"})


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an absolute http(s) URL, else None (never a link).

    >>> safe_url("https://brand.example/p?a=1")
    'https://brand.example/p?a=1'
    >>> safe_url(" javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    candidate = url.strip()
    if candidate != url or any(ord(char) < 0x20 for char in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return candidate
