"""Catalog entries -> GS1 Web Vocabulary JSON-LD, one module per resource."""

from gs1ld.config import ExportConfig
from gs1ld.mapping._context import Note
from gs1ld.mapping.allergen_facts import AllergenFact
from gs1ld.mapping.batch import mapping_batch
from gs1ld.mapping.compose import MAPPERS, MappedProduct, map_entry

__all__ = [
    "MAPPERS",
    "AllergenFact",
    "ExportConfig",
    "MappedProduct",
    "Note",
    "map_entry",
    "mapping_batch",
]
