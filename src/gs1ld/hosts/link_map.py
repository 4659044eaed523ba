"""The nginx link-type map: every product's first link of each type, in shards.

nginx answers ``?linkType=gs1:X`` with a 307 to that link by looking the
(GTIN, link type) pair up in a ``map``; a type with several links also has its
second link under ``X+``, which the hybrid's rules look for to pass such a
request on to ``gs1ld serve`` (it chooses by language, or answers 300).  The
map's entries are written from the manifest's rows (each row keeps its product's
first links, so a rebuild carries an unchanged product's entries over without
rendering it) into shards of at most :data:`MAP_SHARD_ENTRIES` products,
``nginx-map/{n}.map``, which ``nginx.conf`` includes with one wildcard: no file
grows with the site.

nginx expands ``$name`` in map values, so a ``$`` in a feed URL would let a
request header choose the redirect target; it is written as
``${gs1ld_dollar}``, a variable ``nginx.conf`` defines as a literal ``$``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gs1ld.config import MAP_SHARD_ENTRIES

__all__ = [
    "LINK_MAP_DIR",
    "MAP_SHARD_ENTRIES",
    "link_map_entries",
    "link_map_lines",
    "map_shard",
]

LINK_MAP_DIR = "nginx-map"
"""The folder of the map's shards (``nginx.conf`` includes ``nginx-map/*.map``)."""

_DOLLAR = "${gs1ld_dollar}"
_ENTRY = re.compile(rb'^"(\d{14}) ([A-Za-z0-9]+\+?)" "((?:[^"\\]|\\.)*)";$')
_UNESCAPE = re.compile(r"\\(.)")


def link_map_lines(gtin: str, links: Iterable[tuple[str, str]]) -> bytes:
    """One product's block of the map: its header and one entry per (link type, target)."""
    lines = [f"# 01/{gtin}\n"]
    for rel, href in links:
        target = href.replace("\\", "\\\\").replace('"', '\\"').replace("$", _DOLLAR)
        lines.append(f'"{gtin} {rel}" "{target}";\n')
    return "".join(lines).encode("utf-8")


def map_shard(folder: str, number: int, suffix: str) -> str:
    """The site-relative path of shard ``number`` of a link map (names sort in order)."""
    return f"{folder}/{number:05d}{suffix}"


def link_map_entries(lines: Iterable[bytes]) -> Iterator[tuple[str, str, str]]:
    """(GTIN, link type, target) of every entry of a map's ``lines``, as the feed gave them.

    The inverse of :func:`link_map_lines`: a check (and the host-map benchmark)
    reads a written map back with it.
    """
    for line in lines:
        match = _ENTRY.match(line.rstrip(b"\n"))
        if match is None:
            continue
        gtin, rel, target = (part.decode("utf-8") for part in match.groups())
        yield gtin, rel, _UNESCAPE.sub(r"\1", target.replace(_DOLLAR, "$"))
