"""Validate GS1 Web Vocabulary JSON-LD as RDF, offline and fast.

Documents are parsed with pyoxigraph (contexts served from ``contexts/``) and
checked by gs1ld's SHACL shapes (``shapes/gs1-shapes.ttl``, compiled to Python
once: :mod:`gs1ld.validation.shapes`) and by rules over an index of GS1 Web
Vocabulary v1.17 (:mod:`gs1ld.validation.rules`), both generated from the
vocabulary file and shipped in ``shapes/``. :func:`validate_stream` spreads a
catalog over every core in bounded batches.
"""

from gs1ld.validation.report import (
    DocumentReport,
    Report,
    document_problems,
    validate,
    validate_document,
    validate_stream,
)
from gs1ld.validation.rules import Finding

__all__ = [
    "DocumentReport",
    "Finding",
    "Report",
    "document_problems",
    "validate",
    "validate_document",
    "validate_stream",
]
