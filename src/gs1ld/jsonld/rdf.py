"""JSON-LD documents -> RDF, offline, through gs1ld's document loader.

PyLD turns a document into RDF; rdflib gives it as a graph object and writes
Turtle.  What ``gs1ld convert`` writes (:func:`to_nquads`, :func:`to_turtle`) is
the graph ``gs1ld validate`` checks (pyoxigraph, :mod:`gs1ld.validation.rdf`),
term for term: ``tests/test_convert_rdf.py`` holds the two together.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from gs1ld.jsonld.loader import RemoteContextError, document_loader

__all__ = ["to_graph", "to_nquads", "to_turtle"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _remote_error(exc: BaseException) -> RemoteContextError | None:
    seen: set[int] = set()
    current: Any = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, RemoteContextError):
            return current
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    return None


def _to_rdf(document: Any, options: dict[str, Any], allow_remote_contexts: bool) -> Any:
    """PyLD's ``to_rdf`` through gs1ld's document loader, a refused context raised by name."""
    from pyld import jsonld

    options = {"documentLoader": document_loader(allow_remote=allow_remote_contexts), **options}
    try:
        return jsonld.to_rdf(document, options)
    except Exception as exc:
        remote = _remote_error(exc)
        if remote is not None:
            raise remote from None
        raise


def to_nquads(document: Any, *, allow_remote_contexts: bool = False) -> str:
    """N-Quads of a JSON-LD document, expanded with pyld.

    Raises:
        RemoteContextError: the document names a context URL that is not known
            locally and remote contexts are not allowed.
    """
    result: str = _to_rdf(document, {"format": "application/n-quads"}, allow_remote_contexts)
    return result


def to_graph(document: Any, *, allow_remote_contexts: bool = False) -> Any:
    """An rdflib graph of a JSON-LD document (via pyld and N-Quads)."""
    import rdflib

    data = to_nquads(document, allow_remote_contexts=allow_remote_contexts)
    graph = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's own N-Quads parser uses a deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=data, format="nquads")
    return graph


def _term(node: Mapping[str, Any], blank_node_prefix: str) -> Any:
    """The rdflib term of one PyLD RDF node, its lexical form and blank node label kept."""
    from rdflib import BNode, Literal, URIRef

    kind, value = node["type"], node["value"]
    if kind == "IRI":
        return URIRef(value)
    if kind == "blank node":
        return BNode(blank_node_prefix + value.removeprefix("_:"))
    if node.get("language"):
        return Literal(value, lang=node["language"])
    datatype = node.get("datatype")
    if datatype in (None, _XSD_STRING):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype), normalize=False)


def to_turtle(
    document: Any,
    *,
    prefixes: Mapping[str, str] | None = None,
    blank_node_prefix: str = "",
    allow_remote_contexts: bool = False,
) -> str:
    """Turtle of a JSON-LD document: PyLD's triples, written by rdflib.

    Unlike :func:`to_graph`, the graph is built term by term, for two reasons:
    a literal keeps the lexical form the document gives it (rdflib's parser
    would write ``"10"^^xsd:float`` back as ``"10.0"``, another term than the
    one validated), and a blank node keeps PyLD's label (rdflib's are random,
    and Turtle lists blank nodes in their order), so one document always gives
    the same bytes.

    Args:
        document: the JSON-LD document.
        prefixes: prefix -> namespace, bound for the output.
        blank_node_prefix: put before every blank node label (documents written
            one after another then keep their blank nodes apart).
        allow_remote_contexts: fetch context URLs gs1ld does not have locally.

    Raises:
        RemoteContextError: the document names a context URL that is not known
            locally and remote contexts are not allowed.
    """
    import rdflib

    dataset = _to_rdf(document, {}, allow_remote_contexts)
    graph = rdflib.Graph()
    for prefix, namespace in (prefixes or {}).items():
        graph.bind(prefix, namespace)
    for triples in dataset.values():  # Turtle has no named graphs: their triples are written too
        for triple in triples:
            graph.add(
                (
                    _term(triple["subject"], blank_node_prefix),
                    _term(triple["predicate"], blank_node_prefix),
                    _term(triple["object"], blank_node_prefix),
                )
            )
    result: str = graph.serialize(format="turtle")
    return result
