"""The size limits every gs1ld step enforces on one entry, checked where input enters.

An entry that passes ``gs1ld check`` must never crash a later step, so the same
limits are checked by every reader (catalog, JSON-LD documents, API answers)
before anything else touches the value:

* **nesting depth** — at most :data:`MAX_DEPTH` levels of objects and arrays.
  orjson reads 1,024 levels but writes only 255, and later steps wrap an entry
  in a few more levels (hashing, JSON-LD), so the limit sits well below that.
* **entry size** — at most ``max_entry_bytes`` bytes of JSON (``--max-entry-bytes``,
  default :data:`DEFAULT_MAX_ENTRY_BYTES`).
* **string size** — no single text value over :data:`MAX_STRING_BYTES` (or the entry
  limit when that is lower): the JSON-LD parser holds a string in a buffer of at
  most 16 MiB that doubles as it grows, so an 8 MiB string already cannot be read.

A value over a limit is that entry's :class:`~gs1ld.errors.Problem` (path, size,
rule), never an exception: the rest of the catalog goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from gs1ld.errors import Problem
from gs1ld.problems import format_path

__all__ = [
    "DEFAULT_MAX_ENTRY_BYTES",
    "MAX_DEPTH",
    "MAX_ENTRY_BYTES_CEILING",
    "MAX_STRING_BYTES",
    "Limits",
    "entry_problem",
]

MAX_DEPTH = 64
"""Objects and arrays nested inside each other, the entry itself counted as level 1."""
DEFAULT_MAX_ENTRY_BYTES = 4 * 1024 * 1024
"""Default largest entry, as JSON bytes (4 MiB: a hundred times a rich real entry)."""
MAX_ENTRY_BYTES_CEILING = 256 * 1024 * 1024
"""The largest ``--max-entry-bytes`` accepted."""
MAX_STRING_BYTES = 4 * 1024 * 1024
"""The largest single text value, in UTF-8 bytes (the JSON-LD parser's buffer allows < 8 MiB)."""
_PATH_PARTS = 6


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one run enforces on each entry (see the module docstring).

    Attributes:
        max_entry_bytes: the largest entry, in bytes of JSON.
        max_depth: the deepest nesting of objects and arrays.
    """

    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES
    max_depth: int = MAX_DEPTH

    @property
    def max_string_bytes(self) -> int:
        """The largest single text value, in UTF-8 bytes."""
        return min(self.max_entry_bytes, MAX_STRING_BYTES)


def _short_path(parts: list[int | str]) -> str:
    """A dotted path, cut in the middle when it is long (a 60-level path helps nobody)."""
    if len(parts) <= 2 * _PATH_PARTS:
        return format_path(parts)
    head = format_path(parts[:_PATH_PARTS])
    tail = format_path(["", *parts[-_PATH_PARTS:]])
    return f"{head}…{tail}"


def _too_deep(node: Any, depth: int, limit: int) -> list[int | str] | None:
    """The path to the first container nested deeper than ``limit``, or None."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        if isinstance(child, dict | list):
            if depth + 1 > limit:
                return [key]
            found = _too_deep(child, depth + 1, limit)
            if found is not None:
                return [key, *found]
    return None


def _strings(node: Any, path: list[int | str]) -> Iterator[tuple[list[int | str], str]]:
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        if isinstance(child, str):
            yield [*path, key], child
        elif isinstance(child, dict | list):
            yield from _strings(child, [*path, key])


def _largest_string(value: Any) -> tuple[list[int | str], int]:
    """The path and UTF-8 size of the longest text value (([], 0) when there is none)."""
    if isinstance(value, str):
        return [], len(value.encode("utf-8"))
    if not isinstance(value, dict | list):
        return [], 0
    best: tuple[list[int | str], int] = ([], 0)
    for path, text in _strings(value, []):
        if len(text) * 4 > best[1] and (length := len(text.encode("utf-8"))) > best[1]:
            best = (path, length)
    return best


def _could_nest(raw: bytes | None, limit: int) -> bool:
    """False when ``raw`` has too few brackets to nest past ``limit`` (a C-speed pre-check)."""
    return raw is None or raw.count(b"{") + raw.count(b"[") > limit


def entry_problem(value: Any, limits: Limits, *, raw: bytes | None = None) -> Problem | None:
    """The first limit ``value`` breaks, as a problem naming the field, the size and the rule.

    Args:
        value: the entry's decoded JSON value.
        limits: the limits in force.
        raw: the JSON text the value was decoded from, when known (its length is
            the entry's size, and it lets the depth check skip most entries).

    Returns:
        None when the entry is within every limit.
    """
    if isinstance(value, dict | list) and _could_nest(raw, limits.max_depth):
        deep = _too_deep(value, 1, limits.max_depth)
        if deep is not None:
            return Problem(
                _short_path(deep),
                f"objects and arrays nested more than {limits.max_depth} levels deep "
                "(the nesting limit of every gs1ld step)",
                has_value=False,
            )
    size = len(raw) if raw is not None else len(orjson.dumps(value))
    if size > limits.max_entry_bytes:
        rule = (
            f"entry is {size:,} bytes of JSON, over the limit of {limits.max_entry_bytes:,} "
            "(--max-entry-bytes)"
        )
        path, length = _largest_string(value)
        if length * 2 > size:  # one text value makes the entry too big: name it
            return Problem(_short_path(path), f"text of {length:,} bytes: {rule}", has_value=False)
        return Problem("", rule, has_value=False)
    if size > limits.max_string_bytes and isinstance(value, dict | list):
        cap = limits.max_string_bytes
        for path, text in _strings(value, []):
            if len(text) * 4 > cap and (length := len(text.encode("utf-8"))) > cap:
                return Problem(
                    _short_path(path),
                    f"text of {length:,} bytes, over the limit of {cap:,} bytes per text value",
                    has_value=False,
                )
    return None
