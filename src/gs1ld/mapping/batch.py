"""A process mapping many products: tables loaded first, the cyclic collector set for it.

Mapping a product makes thousands of short-lived dicts and lists, nearly all freed by
reference counting the moment the product is written. The cyclic collector does not
know that: by default it walks the young objects every 700 allocations and, every
70,000 or so, the whole heap (crosswalk tables, allergen index, memos, the batch of
entries read). Inside :func:`mapping_batch` the tables are loaded, what is loaded by
then is frozen (no collection walks it again while the batch runs) and the young
generation grows to :data:`YOUNG_THRESHOLD` objects before it is collected. Cycles are
still collected, only less often; on the way out the collector is as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gs1ld.config import ExportConfig
from gs1ld.mapping.allergens import allergen_index
from gs1ld.mapping.tables import load_tables

__all__ = ["YOUNG_THRESHOLD", "mapping_batch"]

YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the young generation (Python's default: 700)."""


@contextmanager
def mapping_batch(config: ExportConfig) -> Iterator[None]:
    """Map many products with ``config`` inside this block.

    ``gs1ld convert`` and ``gs1ld site build`` run in one, and so does the benchmark;
    worker processes forked inside it inherit the frozen heap and the threshold. A
    heap someone else froze before is left as it is (only the threshold changes).

    Raises:
        MappingError: a crosswalk table cannot be used (as the first product would).
    """
    allergen_index(load_tables(Path(config.mappings_dir) if config.mappings_dir else None))
    thresholds = gc.get_threshold()
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freezing:
            gc.unfreeze()
