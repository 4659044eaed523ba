"""Parse JSON-LD documents to RDF quickly and offline (pyoxigraph).

pyoxigraph cannot fetch contexts, which suits gs1ld: known context URLs are
replaced by the bundled context objects before parsing, and any other URL is
refused by name unless remote contexts are allowed (then it is fetched, once).
Each parse gets fresh blank-node labels, so blank nodes of different documents
never merge.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

from gs1ld.jsonld.loader import RemoteContextError, document_loader, known_context

__all__ = ["Triple", "inline_contexts", "parse_document"]

Triple = tuple[Any, Any, Any]


@cache
def _remote(url: str) -> Any:
    return document_loader(allow_remote=True)(url)["document"].get("@context", {})


def _context_value(value: Any, allow_remote: bool) -> Any:
    if isinstance(value, str):
        known = known_context(value)
        if known is not None:
            return known["@context"]
        if not allow_remote:
            raise RemoteContextError(value)
        return _remote(value)
    if isinstance(value, list):
        return [_context_value(item, allow_remote) for item in value]
    return value


def inline_contexts(node: Any, *, allow_remote: bool = False) -> Any:
    """``node`` with the context URLs of its top-level ``@context`` replaced by their objects.

    Only the document's own context (or each top-level array member's) is
    inlined: that is where GS1 documents put it. A context URL nested deeper
    reaches pyoxigraph, which cannot fetch it and reports it as an error.
    """
    if isinstance(node, list):
        return [inline_contexts(item, allow_remote=allow_remote) for item in node]
    if isinstance(node, dict) and "@context" in node:
        return {**node, "@context": _context_value(node["@context"], allow_remote)}
    return node


def parse_document(document: Any, *, allow_remote: bool = False) -> list[Triple]:
    """The (subject, predicate, object) triples of a JSON-LD document, as pyoxigraph terms.

    Raises:
        RemoteContextError: an unknown context URL and remote contexts not allowed.
        ValueError: the JSON-LD itself is malformed (pyoxigraph's message).
    """
    import pyoxigraph

    data = orjson.dumps(inline_contexts(document, allow_remote=allow_remote))
    try:
        quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD)
        return [(q.subject, q.predicate, q.object) for q in quads]
    except SyntaxError as exc:
        raise ValueError(f"invalid JSON-LD: {exc}") from None
