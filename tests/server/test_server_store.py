"""The site store: what it holds in memory decides whether a request reads the disk."""

from __future__ import annotations

from pathlib import Path

from gs1ld.server.store import SiteStore

GTIN = "09506000134352"  # the product of conftest's site


def test_in_memory_tells_which_requests_need_a_disk_read(site: Path) -> None:
    store = SiteStore(site)
    assert store.product_in_memory("09506000134369")  # not published: the manifest answers
    assert not store.product_in_memory(GTIN)
    assert store.product(GTIN) is not None
    assert store.product_in_memory(GTIN)
    page = f"01/{GTIN}/index.html"
    assert not store.file_in_memory(page)
    assert store.file(page) is not None
    assert store.file_in_memory(page)
    assert not store.file_in_memory("missing.html")
    assert store.file("missing.html") is None
    assert store.file_in_memory("missing.html")  # a miss is remembered too


def test_an_evicted_record_is_read_again(site: Path) -> None:
    store = SiteStore(site, cache_size=1)
    first = store.product(GTIN)
    assert store.file("index.html") is not None  # evicts the product
    assert not store.product_in_memory(GTIN)
    assert store.product(GTIN) == first
