"""A product's linkset (RFC 9264, ``application/linkset+json``): written and read back.

The anchor is the product's Digital Link URI; each GS1 link type the product
has gets one array of link target objects, keyed by the link type's full IRI
(``https://ref.gs1.org/voc/pip``). :func:`linkset_document` writes it and
:func:`read_linkset` reads it back, so the site build and the resolver server
agree on the format by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import orjson

from gs1ld.errors import PublishError
from gs1ld.publish.links import GS1_VOC, Link
from gs1ld.publish.wire import LINKSET_MEDIA_TYPE

__all__ = [
    "LINKSET_MEDIA_TYPE",
    "ReadLinkset",
    "linkset_document",
    "read_linkset",
]


class ReadLinkset(NamedTuple):
    """What a linkset document says: its anchor and its GS1 links."""

    anchor: str
    links: tuple[Link, ...]


def linkset_document(anchor: str, item_description: str, links: Iterable[Link]) -> dict[str, Any]:
    """The ``application/linkset+json`` document of one product.

    One context object: ``anchor`` (the Digital Link URI), ``itemDescription``
    (the product's name) and one array per link type, in the order of ``links``.
    """
    context: dict[str, Any] = {"anchor": anchor, "itemDescription": item_description}
    for link in links:
        context.setdefault(link.rel_iri, []).append(link.as_json())
    return {"linkset": [context]}


def read_linkset(data: bytes) -> ReadLinkset:
    """Read a linkset written by :func:`linkset_document` back into its anchor and links.

    Raises:
        PublishError: the bytes are not such a linkset.
    """
    try:
        document = orjson.loads(data)
        context = document["linkset"][0]
        anchor = context["anchor"]
        links: list[Link] = []
        for key, targets in context.items():
            if not key.startswith(GS1_VOC) or not isinstance(targets, list):
                continue
            rel = key[len(GS1_VOC) :]
            links.extend(
                Link(
                    rel,
                    target["href"],
                    target.get("title", ""),
                    target.get("type"),
                    tuple(target.get("hreflang", ())),
                )
                for target in targets
            )
    except (orjson.JSONDecodeError, LookupError, TypeError, AttributeError) as exc:
        raise PublishError(f"not a product linkset: {exc}") from exc
    if not isinstance(anchor, str):
        raise PublishError(f"not a product linkset: anchor {anchor!r} is not a string")
    return ReadLinkset(anchor, tuple(links))
