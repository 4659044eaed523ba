"""GS1 Digital Link syntax as the regular expressions (PCRE) web servers match paths with.

nginx and Apache both match request paths with PCRE, so the static host rules
share these patterns: a path is a product's when it is ``/01/{gtin14}`` followed
by the qualifiers of (01) in their order -- (22), (10), then (21) or (235) --
each value 1-20 (1-28 for 235) characters of GS1's character set 82.  The check
digit cannot be verified by a regular expression; a GTIN that is not published
is a 404 either way.
"""

from __future__ import annotations

import re

from gs1ld.errors import PublishError
from gs1ld.publish.layout import (
    JSONLD_FILE,
    LINKSET_FILE,
    PAGE_FILE,
    PROBLEM_FILES,
    QR_FILE,
    product_paths,
)
from gs1ld.publish.linkset_context import LINKSET_CONTEXT_PATH
from gs1ld.publish.wire import (
    CACHE_CONTROL,
    JSON_MEDIA_TYPE,
    JSONLD_MEDIA_TYPE,
    LINKSET_LINK_PARAMS,
    LINKSET_MEDIA_TYPE,
    PROBLEM_MEDIA_TYPE,
    link_type_prefix_pattern,
)

__all__ = [
    "CURIE",
    "LINK_HEADER_PARAMS",
    "QUALIFIERS",
    "check_root",
    "fill",
    "template_values",
]

_CSET82 = r"[!\x22%-.0-9:-?A-Z_a-z]"
"""One character of a CSET 82 value other than ``/`` (written with ranges, no quotes)."""

QUALIFIERS = (
    rf"(?:/22/{_CSET82}{{1,20}})?(?:/10/{_CSET82}{{1,20}})?"
    rf"(?:/21/{_CSET82}{{1,20}}|/235/{_CSET82}{{1,28}})?"
)
"""The optional qualifiers after ``/01/{gtin}``, in the order GS1 Digital Link requires."""

CURIE = link_type_prefix_pattern()
"""The prefix of a GS1 link type in a ``linkType`` value as sent (raw or percent-encoded),
made from the one grammar the server parses with (:mod:`gs1ld.publish.wire`)."""

LINK_HEADER_PARAMS = LINKSET_LINK_PARAMS
"""The parameters of the ``Link`` to a product's linkset."""


def _language_page_pattern() -> str:
    """A product's page in one of its other languages (``index.fr.html``), as a pattern."""
    name = product_paths("0" * 14).language_page("\0").rsplit("/", 1)[1]
    before, after = name.split("\0")
    return re.escape(before) + "[A-Za-z0-9-]{2,35}" + re.escape(after)


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


def template_values() -> dict[str, str]:
    """The placeholders every host template may use, each from its one owner.

    File names and media types come from :mod:`gs1ld.publish` (plain, and as
    ``_RE`` regular expressions), so no host rule spells one of its own.
    """
    plain = {
        "@PAGE_FILE@": PAGE_FILE,
        "@JSONLD_FILE@": JSONLD_FILE,
        "@LINKSET_FILE@": LINKSET_FILE,
        "@QR_FILE@": QR_FILE,
        "@LINKSET_TYPE@": LINKSET_MEDIA_TYPE,
        "@JSONLD_TYPE@": JSONLD_MEDIA_TYPE,
        "@JSON_TYPE@": JSON_MEDIA_TYPE,
        "@PROBLEM_TYPE@": PROBLEM_MEDIA_TYPE,
        "@BAD_REQUEST@": "/" + PROBLEM_FILES[400],
        "@NOT_FOUND@": "/" + PROBLEM_FILES[404],
    }
    values = dict(plain)
    for token, value in plain.items():
        values[token[:-1] + "_RE@"] = re.escape(value)
    values |= {
        "@CURIE@": CURIE,
        "@QUALIFIERS@": QUALIFIERS,
        "@LANGUAGE_PAGE_RE@": _language_page_pattern(),
        "@CONTEXT_PATH@": LINKSET_CONTEXT_PATH,
        "@CACHE_CONTROL@": CACHE_CONTROL,
        "@LINKSET_PARAMS@": LINK_HEADER_PARAMS.replace('"', '\\"'),
    }
    return values


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with every ``@TOKEN@`` of :func:`template_values` and ``values`` replaced."""
    for token, value in (template_values() | values).items():
        text = text.replace(token, value)
    return text
