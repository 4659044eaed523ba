"""JSON-LD plumbing: the documents' context, an offline document loader, RDF conversion."""

from gs1ld.jsonld.context import PREFIXES, document_context
from gs1ld.jsonld.loader import KNOWN_CONTEXTS, RemoteContextError, document_loader
from gs1ld.jsonld.rdf import to_graph, to_nquads

__all__ = [
    "KNOWN_CONTEXTS",
    "PREFIXES",
    "RemoteContextError",
    "document_context",
    "document_loader",
    "to_graph",
    "to_nquads",
]
