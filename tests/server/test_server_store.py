"""The site store: what it holds in memory decides whether a request reads the disk."""

from __future__ import annotations

from pathlib import Path

from gs1ld.server.store import SiteStore

GTIN = "09506000134352"  # the product of conftest's site


def test_in_memory_tells_which_requests_need_a_disk_read(site: Path) -> None:
    store = SiteStore(site)
    now = store.generation
    assert store.product_in_memory(now, "09506000134369")  # not published: the manifest answers
    assert not store.product_in_memory(now, GTIN)
    assert store.product(now, GTIN)[1] is not None
    assert store.product_in_memory(now, GTIN)
    page = f"01/{GTIN}/index.html"
    assert not store.file_in_memory(now, page)
    assert store.file(now, page)[1] is not None
    assert store.file_in_memory(now, page)
    assert not store.file_in_memory(now, "missing.html")
    assert store.file(now, "missing.html") == (now, None)
    assert store.file_in_memory(now, "missing.html")  # a miss is remembered too


def test_an_evicted_record_is_read_again(site: Path) -> None:
    store = SiteStore(site, cache_size=1)
    now = store.generation
    first = store.product(now, GTIN)
    assert store.file(now, "index.html")[1] is not None  # evicts the product
    assert not store.product_in_memory(now, GTIN)
    assert store.product(now, GTIN) == first
