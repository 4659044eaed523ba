"""Link targets that are safe to publish: absolute http(s) URLs and nothing else.

Feed data ends up in ``href`` attributes, linksets and redirects; a
``javascript:`` or ``data:`` URL there would be code, not a link.
"""

from __future__ import annotations

import re

__all__ = ["safe_url"]

# scheme http(s), a non-empty authority, and no whitespace or control character anywhere
_SAFE = re.compile(r"[hH][tT][tT][pP][sS]?://[^\x00-\x20\x7f/?#\\]+[^\x00-\x20\x7f]*")


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an absolute http(s) URL, else None (never a link).

    >>> safe_url("https://brand.example/p?a=1")
    'https://brand.example/p?a=1'
    >>> safe_url(" javascript:alert(1)") is None
    True
    """
    if not url or not _SAFE.fullmatch(url):
        return None
    return url
