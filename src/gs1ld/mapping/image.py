"""Images -> ``gs1:image`` / ``gs1:ReferencedFileDetails`` (a ``schema:MediaObject``)."""

from __future__ import annotations

from datetime import datetime, tzinfo
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
        if (width := image.width) is not None:  # each field read once: feed models'
            node["gs1:filePixelWidth"] = width  # attributes are not free
        if (height := image.height) is not None:
            node["gs1:filePixelHeight"] = height
        if title := image.title:
            node["schema:name"] = {"@value": title, "@language": language}
        if description := image.description:
            node["schema:description"] = {"@value": description, "@language": language}
        if thumbnail := image.thumbnail_url:
            node["schema:thumbnailUrl"] = {"@id": thumbnail}
        created = image.created
        if created is not None:
            node["schema:dateCreated"] = {"@value": _date_time(created), "@type": "xsd:dateTime"}
        nodes.append(node)
    return {"gs1:image": nodes} if nodes else {}


def _date_time(value: datetime) -> str:
    """``value``'s ISO 8601 form, remembered: a feed's datetimes carry pydantic's own
    time zone class, whose offset ``isoformat`` fetches slowly, and a catalog's images
    share their upload times. The key holds the time zone as well as the moment, since
    equal moments in other zones are written otherwise."""
    key = (value, value.tzinfo)
    lexical = _DATE_TIMES.get(key)
    if lexical is None:
        if len(_DATE_TIMES) > _DATE_TIMES_LIMIT:
            _DATE_TIMES.clear()
        lexical = _DATE_TIMES[key] = value.isoformat()
    return lexical


_DATE_TIMES: dict[tuple[datetime, tzinfo | None], str] = {}
_DATE_TIMES_LIMIT = 10_000
