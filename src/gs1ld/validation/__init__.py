"""Validate GS1 Web Vocabulary JSON-LD as RDF, offline and fast.

Documents are parsed with pyoxigraph (contexts served from ``contexts/``) and
checked by rules compiled to Python against an index of GS1 Web Vocabulary
v1.17 generated from the vocabulary file and shipped in ``shapes/``.
"""

from gs1ld.validation.report import (
    DocumentReport,
    Report,
    document_problems,
    validate,
    validate_document,
)
from gs1ld.validation.rules import Finding

__all__ = [
    "DocumentReport",
    "Finding",
    "Report",
    "document_problems",
    "validate",
    "validate_document",
]
