"""Publish the extension vocabulary at ``voc/`` so every http(s) term IRI dereferences."""

from __future__ import annotations

from gs1ld.config import SiteConfig

__all__ = ["VOCABULARY_FOLDER", "vocabulary_files"]

VOCABULARY_FOLDER = "voc"
"""The site's folder of the vocabulary's files."""


def vocabulary_files(config: SiteConfig) -> dict[str, bytes]:
    """``voc/index.ttl`` and ``voc/index.html`` for the extension namespace ``{base}/voc/``."""
    from gs1ld.mapping.extension import extension_vocabulary_files

    namespace = config.export.extension_ns
    if not namespace.startswith(("http://", "https://")):
        return {}  # a URN namespace has nothing to dereference
    return extension_vocabulary_files(namespace)
