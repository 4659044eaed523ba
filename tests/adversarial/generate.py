"""Adversarial inputs too large to keep as files, made on demand (see README.md)."""

from __future__ import annotations

import copy
import gzip
from pathlib import Path
from typing import Any

import orjson

from gs1ld.gtin import check_digit
from support import EXAMPLE_CATALOG

ANSWERS = Path(__file__).parent / "answers"


def gtin(n: int) -> str:
    """A valid GTIN-14 numbered ``n`` (prefix 0950600099)."""
    body = f"0950600099{n:03d}"
    return body + str(check_digit(body))


def base_entry() -> dict[str, Any]:
    """A valid, rich entry (the example catalog's first)."""
    first = sorted(EXAMPLE_CATALOG.glob("*.json"))[0]
    entry: dict[str, Any] = orjson.loads(first.read_bytes())
    return entry


def nested(depth: int) -> Any:
    """A value of ``depth`` objects and arrays inside each other."""
    value: Any = "leaf"
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def deep_entry(n: int, depth: int) -> dict[str, Any]:
    """A valid entry whose undocumented field makes it ``depth`` levels deep in all.

    The entry is level 1 and ``content`` level 2, so the field adds ``depth - 2``.
    """
    entry = copy.deepcopy(base_entry())
    entry["gtin"] = gtin(n)
    entry["content"]["undocumented"] = nested(depth - 2)
    return entry


def huge_text_entry(n: int, size: int = 10_000_000) -> dict[str, Any]:
    """A valid entry with a ``size``-character description."""
    entry = copy.deepcopy(base_entry())
    entry["gtin"] = gtin(n)
    entry["product"]["description"] = "x" * size
    return entry


def write_catalog(folder: Path, entries: list[dict[str, Any]]) -> Path:
    """One ``{n}.json`` file per entry in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, entry in enumerate(entries):
        (folder / f"{index:03d}.json").write_bytes(orjson.dumps(entry))
    return folder


def gzip_bomb(inflated: int = 64 << 20) -> bytes:
    """About 64 KB of gzip that inflates to ``inflated`` bytes of zeros."""
    return gzip.compress(b"\0" * inflated, compresslevel=9)


def answer(name: str) -> bytes:
    """A stored API answer body from ``answers/``."""
    return (ANSWERS / name).read_bytes()
