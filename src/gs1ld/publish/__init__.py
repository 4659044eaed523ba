"""What a product publishes, and the files that say it: one owner for every published fact.

:func:`publish_entry` works a catalog entry out once into a :class:`Publication`
(URI, links, display name, certificate states, JSON-LD); the layout, the
linkset format (written and read), the manifest and the resolver description
live here too, so the site build, ``gs1ld convert`` and the resolver server
share one definition of each.
"""

from gs1ld.publish.description import RESOLVER_DESCRIPTION_PATH, resolver_description
from gs1ld.publish.header import link_header
from gs1ld.publish.layout import (
    LANGUAGE_PAGE,
    MANIFEST_FILE,
    MANIFEST_PARTITIONS,
    PAGE_SECTIONS,
    PRODUCT_FILE_NAMES,
    ProductPaths,
    is_product_file,
    product_paths,
    product_uri,
)
from gs1ld.publish.links import GS1_VOC, Link, first_links, product_links
from gs1ld.publish.linkset import (
    LINKSET_MEDIA_TYPE,
    ReadLinkset,
    linkset_document,
    read_linkset,
)
from gs1ld.publish.linkset_context import (
    LINKSET_CONTEXT,
    LINKSET_CONTEXT_PATH,
    context_link,
    linkset_context_file,
)
from gs1ld.publish.linktypes import LINK_TYPES
from gs1ld.publish.manifest import (
    Manifest,
    ManifestEntry,
    content_digest,
    partition_depth,
    partition_key,
    partition_path,
)
from gs1ld.publish.manifest_writer import write_manifest
from gs1ld.publish.publication import (
    NutritionBasis,
    Publication,
    Text,
    map_published,
    publish_entry,
    to_jsonld,
)
from gs1ld.publish.status import Badge, CertificateState, certificate_state

__all__ = [
    "GS1_VOC",
    "LANGUAGE_PAGE",
    "LINKSET_CONTEXT",
    "LINKSET_CONTEXT_PATH",
    "LINKSET_MEDIA_TYPE",
    "LINK_TYPES",
    "MANIFEST_FILE",
    "MANIFEST_PARTITIONS",
    "PAGE_SECTIONS",
    "PRODUCT_FILE_NAMES",
    "RESOLVER_DESCRIPTION_PATH",
    "Badge",
    "CertificateState",
    "Link",
    "Manifest",
    "ManifestEntry",
    "NutritionBasis",
    "ProductPaths",
    "Publication",
    "ReadLinkset",
    "Text",
    "certificate_state",
    "content_digest",
    "context_link",
    "first_links",
    "is_product_file",
    "link_header",
    "linkset_context_file",
    "linkset_document",
    "map_published",
    "partition_depth",
    "partition_key",
    "partition_path",
    "product_links",
    "product_paths",
    "product_uri",
    "publish_entry",
    "read_linkset",
    "resolver_description",
    "to_jsonld",
    "write_manifest",
]
