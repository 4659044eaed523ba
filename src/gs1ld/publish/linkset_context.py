"""The JSON-LD context of linksets, published at ``/.well-known/linkset-context.jsonld``.

Every linkset answer names it in a ``Link`` header (rel
``http://www.w3.org/ns/json-ld#context``), so a JSON-LD processor can read the
``application/linkset+json`` document as RDF.  The site writes it as a file, so
static hosts serve the same document ``gs1ld serve`` does.
"""

from __future__ import annotations

from typing import Any

import orjson

from gs1ld.publish.wire import context_link_header

__all__ = ["LINKSET_CONTEXT", "LINKSET_CONTEXT_PATH", "context_link", "linkset_context_file"]

LINKSET_CONTEXT_PATH = "/.well-known/linkset-context.jsonld"
"""Where the context is served, relative to the resolver root."""

LINKSET_CONTEXT: dict[str, Any] = {
    "@context": {
        "@vocab": "http://www.iana.org/assignments/relation/",
        "anchor": "@id",
        "href": "@id",
        "linkset": "@graph",
        "title": {"@id": "http://purl.org/dc/terms/title"},
        "type": {"@id": "http://purl.org/dc/terms/format"},
        "hreflang": {"@id": "http://purl.org/dc/terms/language", "@container": "@set"},
        "itemDescription": {"@id": "http://www.w3.org/2000/01/rdf-schema#comment"},
        "gs1": "https://ref.gs1.org/voc/",
    }
}


def context_link(root: str) -> str:
    """The ``Link`` header value naming the context on the resolver at ``root``."""
    return context_link_header(f"{root}{LINKSET_CONTEXT_PATH}")


def linkset_context_file() -> bytes:
    """The context document as the site publishes it."""
    return orjson.dumps(LINKSET_CONTEXT)
