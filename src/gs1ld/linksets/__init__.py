"""Linksets (RFC 9264) and Link headers (RFC 8288) for GS1 Digital Link resolvers."""

from gs1ld.linksets._linktypes import LINK_TYPES
from gs1ld.linksets.build import (
    GS1_VOC,
    LINKSET_MEDIA_TYPE,
    Link,
    linkset,
    linkset_document,
    product_links,
    product_paths,
    product_uri,
)
from gs1ld.linksets.header import link_header

__all__ = [
    "GS1_VOC",
    "LINKSET_MEDIA_TYPE",
    "LINK_TYPES",
    "Link",
    "link_header",
    "linkset",
    "linkset_document",
    "product_links",
    "product_paths",
    "product_uri",
]
