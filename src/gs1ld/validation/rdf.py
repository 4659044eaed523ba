"""Parse JSON-LD documents to RDF quickly and offline (pyoxigraph).

pyoxigraph cannot fetch contexts, which suits gs1ld: known context URLs are
replaced by the bundled context objects before parsing, and any other URL is
refused by name unless remote contexts are allowed (then it is fetched, once).

Triples are plain strings, not pyoxigraph objects: pyoxigraph parses and writes
N-Triples in Rust, and splitting its lines costs far less than building three
Python term objects per triple (the validator's hot path). A triple is
``(subject, predicate, object)`` where

* the subject is a bare IRI or a ``_:label`` blank node,
* the predicate is a bare IRI,
* the object is an N-Triples term: ``<iri>``, ``_:label`` or a literal
  (``"lexical"``, ``"lexical"@lang``, ``"lexical"^^<datatype>``); see
  :func:`literal_parts`.

Each document is parsed alone, so blank nodes of different documents never
merge (pyoxigraph keeps explicit ``_:b0`` labels, but they are only compared
within one document).

>>> parse_document({"@context": {"gs1": "https://ref.gs1.org/voc/"},
...     "@id": "https://id.gs1.org/01/09506000134352", "gs1:gtin": "09506000134352"})
[('https://id.gs1.org/01/09506000134352', 'https://ref.gs1.org/voc/gtin', '"09506000134352"')]
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import orjson

from gs1ld.jsonld.loader import RemoteContextError, document_loader, known_context

__all__ = [
    "RDF",
    "RDF_LANGSTRING",
    "RDF_TYPE",
    "XSD",
    "XSD_STRING",
    "Triple",
    "document_ntriples",
    "inline_contexts",
    "literal_parts",
    "node_name",
    "parse_document",
    "parse_ntriples",
]

Triple = tuple[str, str, str]
"""(subject, predicate, object) as described in the module docstring."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDF_LANGSTRING = RDF + "langString"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


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


def _unescape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    if char is not None:
        return _SIMPLE.get(char, char)
    return chr(int(short or long, 16))


def literal_parts(term: str) -> tuple[str, str, str | None]:
    """(lexical form, datatype IRI, language) of an N-Triples literal.

    A plain literal is an ``xsd:string``; a language-tagged one an ``rdf:langString``.

    >>> literal_parts('"Milk"@en')
    ('Milk', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'en')
    >>> literal_parts('"a \\\\"b\\\\""')
    ('a "b"', 'http://www.w3.org/2001/XMLSchema#string', None)
    """
    end = term.rindex('"')
    lexical = term[1:end]
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape, lexical)
    suffix = term[end + 1 :]
    if not suffix:
        return lexical, XSD_STRING, None
    if suffix[0] == "@":
        return lexical, RDF_LANGSTRING, suffix[1:]
    return lexical, suffix[3:-1], None


def node_name(term: str) -> str:
    """An N-Triples object term as the node it names: a bare IRI, else the term itself.

    A triple's subject is named this way (:func:`parse_ntriples`), so an object
    can be looked up among the subjects; a blank node keeps its ``_:`` label.

    >>> node_name("<https://ref.gs1.org/voc/Product>"), node_name("_:b0")
    ('https://ref.gs1.org/voc/Product', '_:b0')
    """
    return term[1:-1] if term[0] == "<" else term


def parse_ntriples(data: str) -> list[Triple]:
    """The triples of pyoxigraph's N-Triples output, duplicates removed, in order.

    Relies on the serialiser's canonical layout (one triple per line, single
    spaces, `` .`` at the end); an RDF graph is a set, so a triple a document
    states twice is kept once.
    """
    triples: list[Triple] = []
    for line in dict.fromkeys(data.splitlines()):
        if not line:
            continue
        subject, predicate, rest = line.split(" ", 2)
        if subject[0] == "<":
            subject = subject[1:-1]
        triples.append((subject, predicate[1:-1], rest[:-2]))
    return triples


def document_ntriples(document: Any, *, allow_remote: bool = False) -> str:
    """pyoxigraph's N-Triples serialisation of a JSON-LD document (one triple a line).

    The text :func:`parse_document` splits; the validator reads it directly on
    its fast path (see :mod:`gs1ld.validation._clean`).

    Raises:
        RemoteContextError: an unknown context URL and remote contexts not allowed.
        ValueError: the JSON-LD itself is malformed (pyoxigraph's message).
    """
    import pyoxigraph

    data = orjson.dumps(inline_contexts(document, allow_remote=allow_remote))
    json_ld, n_triples = pyoxigraph.RdfFormat.JSON_LD, pyoxigraph.RdfFormat.N_TRIPLES
    try:
        try:
            text = pyoxigraph.serialize(pyoxigraph.parse(data, format=json_ld), format=n_triples)
        except ValueError:  # named graphs (@graph with an @id): validate their triples too
            quads = pyoxigraph.parse(data, format=json_ld)
            text = pyoxigraph.serialize((q.triple for q in quads), format=n_triples)
    except SyntaxError as exc:
        raise ValueError(f"invalid JSON-LD: {exc}") from None
    return text.decode("utf-8") if text is not None else ""


def parse_document(document: Any, *, allow_remote: bool = False) -> list[Triple]:
    """The triples of a JSON-LD document (see the module docstring for their form).

    Raises:
        RemoteContextError: an unknown context URL and remote contexts not allowed.
        ValueError: the JSON-LD itself is malformed (pyoxigraph's message).
    """
    return parse_ntriples(document_ntriples(document, allow_remote=allow_remote))
