"""What crosses the wire: media types, link-type names as callers spell them, Link parameters.

One owner for every constant a resolver answer carries.  The server parses a
``linkType`` with :func:`link_type_name`, and the static-host rules match one
with :func:`link_type_prefix_pattern`, both made from :data:`LINK_TYPE_PREFIXES`,
so ``gs1ld serve``, nginx and Apache accept exactly the same spellings.

>>> link_type_name("https%3A%2F%2Fwww.gs1.org%2Fvoc%2Fpip")
'pip'
>>> link_type_name("schema:url") is None
True
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote

__all__ = [
    "CACHE_CONTROL",
    "CACHE_SECONDS",
    "HTML_MEDIA_TYPE",
    "JSONLD_CONTEXT_REL",
    "JSONLD_MEDIA_TYPE",
    "JSON_MEDIA_TYPE",
    "LINKSET_LINK_PARAMS",
    "LINKSET_MEDIA_TYPE",
    "LINK_TYPE_PREFIXES",
    "PROBLEM_MEDIA_TYPE",
    "STATIC_PROBLEMS",
    "context_link_header",
    "link_type_name",
    "link_type_prefix_pattern",
    "problem_document",
]

HTML_MEDIA_TYPE = "text/html"
JSON_MEDIA_TYPE = "application/json"
JSONLD_MEDIA_TYPE = "application/ld+json"
LINKSET_MEDIA_TYPE = "application/linkset+json"
"""RFC 9264's media type of a linkset in JSON."""
PROBLEM_MEDIA_TYPE = "application/problem+json"
"""RFC 9457's media type of a problem details document."""

JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
"""The link relation that names a JSON document's JSON-LD context (JSON-LD 1.1 §6.1)."""

LINKSET_LINK_PARAMS = f'rel="linkset"; type="{LINKSET_MEDIA_TYPE}"'
"""The parameters of the ``Link`` from a product to its linkset."""

LINK_TYPE_PREFIXES = (
    "gs1:",
    "https://ref.gs1.org/voc/",
    "http://ref.gs1.org/voc/",
    "https://gs1.org/voc/",
    "http://gs1.org/voc/",
    "https://www.gs1.org/voc/",
    "http://www.gs1.org/voc/",
)
"""How a caller may write a GS1 link type before its name: the ``gs1:`` CURIE, or
the GS1 Web Vocabulary namespace at any of the addresses GS1 has published it."""

_LINK_TYPE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def link_type_name(value: str) -> str | None:
    """The GS1 link type a ``linkType`` value names (raw or percent-encoded), or None.

    >>> link_type_name("gs1:allergenInfo"), link_type_name("gs1%3Apip")
    ('allergenInfo', 'pip')
    """
    decoded = unquote(value)
    for prefix in LINK_TYPE_PREFIXES:
        if decoded.startswith(prefix):
            name = decoded[len(prefix) :]
            return name if _LINK_TYPE_NAME.fullmatch(name) else None
    return None


_ENCODED = {":": "(?::|%3[Aa])", "/": "(?:/|%2[Ff])"}


@cache
def link_type_prefix_pattern() -> str:
    """A PCRE (nginx, Apache) matching any of :data:`LINK_TYPE_PREFIXES`, raw or
    percent-encoded, as the prefix of a ``linkType`` value; it holds no space,
    quote, ``$``, ``;`` or brace, so a server configuration can embed it."""
    alternatives = [
        "".join(_ENCODED.get(c, re.escape(c)) for c in prefix) for prefix in LINK_TYPE_PREFIXES
    ]
    return "(?:" + "|".join(alternatives) + ")"


CACHE_SECONDS = 300
"""How long a browser or CDN may reuse an answer (page, linkset, JSON-LD, redirect, error)
before it asks again: five minutes, so a recall added to a page reaches a shopper
within minutes, not after days of heuristic caching from ``Last-Modified``."""
CACHE_CONTROL = f"public, max-age={CACHE_SECONDS}, must-revalidate"
"""The one cache policy every host sends; ``ETag`` and ``Last-Modified`` make the
revalidation after it cheap (a 304)."""


def problem_document(status: int, title: str, detail: str, **members: object) -> dict[str, object]:
    """An RFC 9457 problem details document (``type`` about:blank: the status says it all).

    >>> problem_document(404, "Not Found", "No such product.")["status"]
    404
    """
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **members}


STATIC_PROBLEMS: dict[int, tuple[str, str]] = {
    400: (
        "Bad Request",
        "The path is not GS1 Digital Link syntax: /01/{GTIN} followed by its qualifiers "
        "(22, 10, 21 or 235) in that order.",
    ),
    404: ("Not Found", "Nothing is published at this address."),
}
"""The problems a static host answers with a fixed document: status -> (title, detail)."""


def context_link_header(context_url: str) -> str:
    """The ``Link`` header value naming ``context_url`` as a JSON document's JSON-LD context."""
    return f'<{context_url}>; rel="{JSONLD_CONTEXT_REL}"; type="{JSONLD_MEDIA_TYPE}"'
