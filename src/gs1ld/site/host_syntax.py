"""GS1 Digital Link syntax as the regular expressions (PCRE) web servers match paths with.

nginx and Apache both match request paths with PCRE, so the static host rules
share these patterns: a path is a product's when it is ``/01/{gtin14}`` followed
by the qualifiers of (01) in their order -- (22), (10), then (21) or (235) --
each value 1-20 (1-28 for 235) characters of GS1's character set 82.  The check
digit cannot be verified by a regular expression; a GTIN that is not published
is a 404 either way.
"""

from __future__ import annotations

from gs1ld.errors import PublishError

__all__ = ["CURIE", "LINK_HEADER_PARAMS", "QUALIFIERS", "check_root"]

_CSET82 = r"[!\x22%-.0-9:-?A-Z_a-z]"
"""One character of a CSET 82 value other than ``/`` (written with ranges, no quotes)."""

QUALIFIERS = (
    rf"(?:/22/{_CSET82}{{1,20}})?(?:/10/{_CSET82}{{1,20}})?"
    rf"(?:/21/{_CSET82}{{1,20}}|/235/{_CSET82}{{1,28}})?"
)
"""The optional qualifiers after ``/01/{gtin}``, in the order GS1 Digital Link requires."""

CURIE = (
    r"(?:gs1(?::|%3[Aa])"
    r"|https?(?::|%3[Aa])(?:/|%2[Ff]){2}(?:ref\.|www\.)?gs1\.org(?:/|%2[Ff])voc(?:/|%2[Ff]))"
)
"""The prefix of a GS1 link type in a ``linkType`` value as sent (raw or percent-encoded)."""

LINK_HEADER_PARAMS = 'rel="linkset"; type="application/linkset+json"'
"""The parameters of the ``Link`` to a product's linkset."""

_UNSAFE = frozenset(" \t\r\n\"'\\$%;{}<>`")


def check_root(root: str) -> None:
    """Refuse a base URL that a server configuration would read as syntax.

    Raises:
        PublishError: ``root`` holds a quote, space, ``$``, ``%``, ``;``, brace or backslash.
    """
    bad = sorted({c for c in root if c in _UNSAFE})
    if bad or not root.startswith(("http://", "https://")):
        raise PublishError(
            f"Cannot write host rules for base URL {root!r}: expected an http(s) URL "
            f"without spaces, quotes, '$', '%', ';', braces or backslashes, got {bad or root}."
        )
