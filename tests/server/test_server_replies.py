"""Replies prepared once per build generation: per generation, bounded, oldest dropped first."""

from __future__ import annotations

from typing import Any

from gs1ld.server._replies import Reply, ReplyCache
from support import call_asgi

GTIN = "09506000134352"  # conftest's site


def _reply(body: bytes = b"{}") -> Reply:
    return Reply(200, [(b"content-length", str(len(body)).encode())], body)


def test_a_reply_is_kept_for_its_generation_only() -> None:
    cache = ReplyCache()
    first, second = object(), object()
    reply = _reply()
    cache.put(first, ("GET", "/01/09506000134352"), reply)
    assert cache.get(first, ("GET", "/01/09506000134352")) is reply
    assert cache.get(second, ("GET", "/01/09506000134352")) is None
    assert cache.get(first, ("HEAD", "/01/09506000134352")) is None


def test_a_newer_generation_starts_an_empty_cache() -> None:
    cache = ReplyCache()
    old, new = object(), object()
    cache.put(old, "a", _reply())
    cache.put(old, "b", _reply())
    cache.put(new, "c", _reply())
    assert len(cache) == 1
    assert cache.get(old, "a") is None
    assert cache.get(new, "c") is not None


def test_the_least_recently_used_reply_goes_past_the_entry_bound() -> None:
    cache = ReplyCache(max_entries=2)
    generation = object()
    cache.put(generation, "a", _reply())
    cache.put(generation, "b", _reply())
    assert cache.get(generation, "a") is not None  # "a" used: "b" is now the oldest
    cache.put(generation, "c", _reply())
    assert [key for key in "abc" if cache.get(generation, key) is not None] == ["a", "c"]


def test_bodies_are_bounded_in_bytes() -> None:
    cache = ReplyCache(max_bytes=16 * 100)
    generation = object()
    for index in range(20):
        cache.put(generation, index, _reply(b"x" * 100))
    assert len(cache) == 16
    assert cache.get(generation, 3) is None
    assert cache.get(generation, 19) is not None
    cache.put(generation, "large", _reply(b"x" * 101))  # over a sixteenth: never kept
    assert cache.get(generation, "large") is None


def test_replacing_a_key_counts_its_body_once() -> None:
    cache = ReplyCache(max_bytes=16 * 100)
    generation = object()
    for _ in range(40):
        cache.put(generation, "same", _reply(b"x" * 100))
    cache.put(generation, "other", _reply(b"x" * 100))
    assert cache.get(generation, "same") is not None
    assert cache.get(generation, "other") is not None


def test_a_prepared_reply_answers_like_the_first_and_conditions_are_kept_apart(app: Any) -> None:
    linkset = {"Accept": "application/linkset+json"}
    first = call_asgi(app, f"/01/{GTIN}", headers=linkset)
    assert first[0] == 200
    etag = first[1]["etag"]
    for _ in range(3):
        assert call_asgi(app, f"/01/{GTIN}", headers=linkset) == first
        revalidated = call_asgi(app, f"/01/{GTIN}", headers={**linkset, "If-None-Match": etag})
        assert (revalidated[0], revalidated[2]) == (304, b"")
        stale = call_asgi(app, f"/01/{GTIN}", headers={**linkset, "If-None-Match": '"old"'})
        assert stale == first
    assert call_asgi(app, f"/01/{GTIN}", method="HEAD", headers=linkset)[2] == b""
    assert call_asgi(app, f"/01/{GTIN}", headers={"Accept": "text/html"})[0] == 307
