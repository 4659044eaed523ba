"""Answers prepared once per build generation: the same request gets the same bytes.

Most of a resolver's traffic asks for the same few things again and again: a
product's linkset, its redirect for a link type or a language, a 400 for a
malformed path.  For one build of the site, such an answer is a pure function
of the request line and the few headers the resolver reads (``Accept``,
``Accept-Language``, ``Accept-Encoding``, and the forwarded root when a proxy
is trusted), so the server keeps the finished reply -- status, header list and
body -- under that key and sends it as it is the next time.

The cache belongs to one generation (:class:`gs1ld.server.store.Generation`,
the object the store swaps whole when a rebuild is published): a reply made
from any other generation is never stored, and the first request after a swap
starts an empty cache, so a new build is served as a whole, never mixed with
replies of the old one.

Memory is bounded whatever the size of the site: at most ``max_entries``
replies and ``max_bytes`` of bodies (bodies are shared with the store's records,
so the bound is an upper one); past either bound the least recently used
replies go.  A million-product site keeps only the replies of the products
being asked for.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = ["Reply", "ReplyCache"]

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class Reply:
    """A finished HTTP answer: what is sent, as it is sent."""

    status: int
    headers: Headers
    body: bytes = b""


class ReplyCache:
    """Replies of one build generation, by request key, least recently used dropped first.

    Args:
        max_entries: the most replies kept.
        max_bytes: the most body bytes kept (a body larger than a sixteenth of
            it is never kept).
    """

    def __init__(self, *, max_entries: int = 16_384, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._generation: object = None
        self._replies: OrderedDict[Hashable, Reply] = OrderedDict()
        self._bytes = 0

    def get(self, generation: object, key: Hashable) -> Reply | None:
        """The reply kept for ``key`` in ``generation``, or None."""
        if generation is not self._generation:
            return None
        reply = self._replies.get(key)
        if reply is not None:
            self._replies.move_to_end(key)
        return reply

    def put(self, generation: object, key: Hashable, reply: Reply) -> None:
        """Keep ``reply`` for ``key``; a newer ``generation`` first empties the cache."""
        if generation is not self._generation:
            self._replies.clear()
            self._bytes = 0
            self._generation = generation
        size = len(reply.body)
        if size > self.max_bytes // 16:
            return
        old = self._replies.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._replies[key] = reply
        self._bytes += size
        while len(self._replies) > self.max_entries or self._bytes > self.max_bytes:
            _, dropped = self._replies.popitem(last=False)
            self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._replies)
