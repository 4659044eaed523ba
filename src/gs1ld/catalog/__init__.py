"""Catalog entries and catalogs: the unit of input every gs1ld command consumes."""

from gs1ld.catalog.entry import CatalogEntry, NetContent, Organization, ProductInfo
from gs1ld.catalog.raw import RawEntry
from gs1ld.catalog.reader import EntryOutcome, iter_raw_entries, parse_entry, read_catalog
from gs1ld.catalog.source import CatalogSource, RemoteCatalog

__all__ = [
    "CatalogEntry",
    "CatalogSource",
    "EntryOutcome",
    "NetContent",
    "Organization",
    "ProductInfo",
    "RawEntry",
    "RemoteCatalog",
    "iter_raw_entries",
    "parse_entry",
    "read_catalog",
]
