"""The nginx link-type map: one site-wide ``nginx.map`` for every product.

nginx answers ``?linkType=gs1:X`` with a 307 to that link by looking the
(GTIN, link type) pair up in a ``map``.  One file for the whole site keeps the
site at four files per product and lets nginx read one file at start-up instead
of one per product.  Each product's lines follow a ``# 01/{gtin}`` comment, so
a rebuild copies an unchanged product's lines from the previous site's map
without rendering the product again.

nginx expands ``$name`` in map values, so a ``$`` in a feed URL would let a
request header choose the redirect target; it is written as
``${gs1ld_dollar}``, a variable ``nginx.conf`` defines as a literal ``$``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from gs1ld.publish import Link

__all__ = ["LINK_MAP", "PreviousLinkMap", "link_map_entries", "link_map_lines"]

LINK_MAP = "nginx.map"
"""The map's site-relative path (``nginx.conf`` includes it)."""

_HEADER = re.compile(rb"^# 01/(\d{14})\n", re.MULTILINE)
_DOLLAR = "${gs1ld_dollar}"
_ENTRY = re.compile(rb'^"(\d{14}) ([A-Za-z0-9]+)" "((?:[^"\\]|\\.)*)";$')
_UNESCAPE = re.compile(r"\\(.)")


def link_map_lines(gtin: str, links: Iterable[Link]) -> bytes:
    """One product's block of the map: its header and the first link of each type."""
    lines = [f"# 01/{gtin}\n"]
    seen: set[str] = set()
    for link in links:
        if link.rel in seen:
            continue
        seen.add(link.rel)
        target = link.href.replace("\\", "\\\\").replace('"', '\\"').replace("$", _DOLLAR)
        lines.append(f'"{gtin} {link.rel}" "{target}";\n')
    return "".join(lines).encode("utf-8")


class PreviousLinkMap:
    """The previous site's map, read once, giving each product's block back by GTIN."""

    def __init__(self, site: Path) -> None:
        try:
            self._data = (site / LINK_MAP).read_bytes()
        except OSError:  # no previous site, or one built before the map was site-wide
            self._data = b""
        headers = [(m.group(1).decode("ascii"), m.start()) for m in _HEADER.finditer(self._data)]
        bounds = [start for _, start in headers] + [len(self._data)]
        self._blocks = {gtin: (start, bounds[n + 1]) for n, (gtin, start) in enumerate(headers)}

    def lines(self, gtin: str) -> bytes | None:
        """``gtin``'s block as the previous build wrote it, or None when it has none."""
        span = self._blocks.get(gtin)
        return None if span is None else self._data[span[0] : span[1]]


def link_map_entries(lines: Iterable[bytes]) -> Iterator[tuple[str, str, str]]:
    """(GTIN, link type, target) of every entry of a map's ``lines``, as the feed gave them.

    Other host rules (the Apache ``RewriteMap``) are derived from the nginx map,
    so the first link of each type is chosen in one place.
    """
    for line in lines:
        match = _ENTRY.match(line.rstrip(b"\n"))
        if match is None:
            continue
        gtin, rel, target = (part.decode("utf-8") for part in match.groups())
        yield gtin, rel, _UNESCAPE.sub(r"\1", target.replace(_DOLLAR, "$"))
