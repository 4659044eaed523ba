"""gs1ld: product API feeds -> GS1 Web Vocabulary JSON-LD -> GS1 Digital Link pages.

The public surface is small and re-exported here; everything else is reachable
through the subpackages (``gs1ld.feed``, ``gs1ld.catalog``, ``gs1ld.digital_link``…).
"""

import logging as _logging

from gs1ld import _version
from gs1ld.catalog import CatalogEntry, EntryOutcome, ProductInfo, parse_entry, read_catalog
from gs1ld.config import ExportConfig
from gs1ld.convert import ConvertReport, convert_catalog
from gs1ld.digital_link import DigitalLink
from gs1ld.digital_link import parse as parse_digital_link
from gs1ld.errors import (
    ClientError,
    DigitalLinkError,
    EntryError,
    Gs1ldError,
    GtinError,
    MappingError,
    ParseError,
    Problem,
    PublishError,
)
from gs1ld.mapping import MappedProduct, map_entry
from gs1ld.publish import Publication, map_published, publish_entry, to_jsonld
from gs1ld.validation import Report, validate
from gs1ld.validity import is_active

__version__ = _version.VERSION

__all__ = [
    "CatalogEntry",
    "ClientError",
    "ConvertReport",
    "DigitalLink",
    "DigitalLinkError",
    "EntryError",
    "EntryOutcome",
    "ExportConfig",
    "Gs1ldError",
    "GtinError",
    "MappedProduct",
    "MappingError",
    "ParseError",
    "Problem",
    "ProductInfo",
    "Publication",
    "PublishError",
    "Report",
    "__version__",
    "convert_catalog",
    "is_active",
    "map_entry",
    "map_published",
    "parse_digital_link",
    "parse_entry",
    "publish_entry",
    "read_catalog",
    "to_jsonld",
    "validate",
]

# A library logs to its own logger and leaves handlers to the application.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
