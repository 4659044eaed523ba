"""The JSON-LD context of gs1ld's documents: prefixes only, as GS1 publishes no term context."""

from __future__ import annotations

from typing import Any

from gs1ld.config import ExportConfig

__all__ = ["PREFIXES", "document_context"]

PREFIXES: dict[str, str] = {
    "gs1": "https://ref.gs1.org/voc/",
    "schema": "http://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def document_context(config: ExportConfig) -> Any:
    """The ``@context`` of a document: inline prefixes, or the context URL plus ``gs1ld``."""
    extension = {"gs1ld": config.extension_ns}
    if config.context_url:
        return [config.context_url, extension]
    return {**PREFIXES, **extension}
