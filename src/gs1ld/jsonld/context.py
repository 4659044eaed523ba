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
    """The ``@context`` of a document: inline prefixes, or the context URL plus ``gs1ld``.

    A fresh value each call (a caller may change its document), copied from the one
    worked out for the last config: a run maps every product with the same config.
    """
    global _LAST  # one (config, context) pair, replaced whole: safe across threads
    last = _LAST
    if last is not None and last[0] is config:
        context = last[1]
    else:
        extension = {"gs1ld": config.extension_ns}
        context = (
            [config.context_url, extension] if config.context_url else {**PREFIXES, **extension}
        )
        _LAST = (config, context)
    if isinstance(context, list):
        return [context[0], dict(context[1])]
    return dict(context)


_LAST: tuple[ExportConfig, Any] | None = None
"""(config, its context) of the last call."""
