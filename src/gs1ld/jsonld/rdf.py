"""JSON-LD documents -> RDF, offline, through gs1ld's document loader."""

from __future__ import annotations

import warnings
from typing import Any

from gs1ld.jsonld.loader import RemoteContextError, document_loader

__all__ = ["to_graph", "to_nquads"]


def _remote_error(exc: BaseException) -> RemoteContextError | None:
    seen: set[int] = set()
    current: Any = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, RemoteContextError):
            return current
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    return None


def to_nquads(document: Any, *, allow_remote_contexts: bool = False) -> str:
    """N-Quads of a JSON-LD document, expanded with pyld.

    Raises:
        RemoteContextError: the document names a context URL that is not known
            locally and remote contexts are not allowed.
    """
    from pyld import jsonld

    options = {
        "documentLoader": document_loader(allow_remote=allow_remote_contexts),
        "format": "application/n-quads",
    }
    try:
        result: str = jsonld.to_rdf(document, options)
    except Exception as exc:
        remote = _remote_error(exc)
        if remote is not None:
            raise remote from None
        raise
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
