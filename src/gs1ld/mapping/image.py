"""Images -> ``gs1:image`` / ``gs1:ReferencedFileDetails`` (a ``schema:MediaObject``)."""

from __future__ import annotations

from typing import Any

from gs1ld.catalog.entry import CatalogEntry
from gs1ld.mapping._context import MappingContext, Properties

__all__ = ["contribute"]


def contribute(entry: CatalogEntry, ctx: MappingContext) -> Properties:
    """One file node per image, primary first, with what schema.org can add."""
    if not entry.content.images:
        return {}
    nodes = []
    language = ctx.language
    for image in entry.images:  # values as xsd_uri, ref and ctx.text make them, inline
        node: dict[str, Any] = {
            "@type": "gs1:ReferencedFileDetails",
            "gs1:referencedFileURL": {"@value": image.image_url, "@type": "xsd:anyURI"},
            "gs1:referencedFileType": {"@id": "gs1:ReferencedFileTypeCode-PRODUCT_IMAGE"},
            "gs1ld:isPrimaryImage": image.is_primary,
            "gs1ld:displayOrder": image.priority,
        }
        if image.width is not None:
            node["gs1:filePixelWidth"] = image.width
        if image.height is not None:
            node["gs1:filePixelHeight"] = image.height
        if image.title:
            node["schema:name"] = {"@value": image.title, "@language": language}
        if image.description:
            node["schema:description"] = {"@value": image.description, "@language": language}
        if image.thumbnail_url:
            node["schema:thumbnailUrl"] = {"@id": image.thumbnail_url}
        if image.created is not None:
            node["schema:dateCreated"] = {
                "@value": image.created.isoformat(),
                "@type": "xsd:dateTime",
            }
        nodes.append(node)
    return {"gs1:image": nodes} if nodes else {}
