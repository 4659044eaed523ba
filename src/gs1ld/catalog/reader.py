"""Read a catalog as a stream of per-entry outcomes.

A catalog is a directory of ``*.json`` files (each one entry or an array of
entries), a single JSON file, or JSON Lines (``.jsonl``, or ``-`` for stdin).
JSON Lines are read line by line, so a million-line catalog is never in memory
at once.  Reading never stops at a bad entry: each entry yields an
:class:`EntryOutcome` that is either a parsed entry or the list of its problems.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from gs1ld import gtin as gtin_rules
from gs1ld.problems import problems_from_validation_error
from gs1ld.catalog.entry import CatalogEntry
from gs1ld.errors import EntryError, GtinError, ParseError, Problem
from gs1ld.feed._base import STRICT

__all__ = ["EntryOutcome", "iter_raw_entries", "parse_entry", "read_catalog"]

STDIN = "-"


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What reading one entry gave.

    Attributes:
        location: where the entry came from: ``catalog.jsonl:7``, ``dir/milk.json``
            or ``dir/many.json[2]`` (array index).
        gtin: the GTIN-14 when it could be read, else None.
        entry: the parsed entry, or None when it has problems.
        problems: every broken rule; empty when the entry is valid.
        raw: the entry's JSON value as read (None when the text was not JSON).
    """

    location: str
    gtin: str | None
    entry: CatalogEntry | None
    problems: tuple[Problem, ...] = ()
    raw: Any = None

    @property
    def ok(self) -> bool:
        """True when the entry parsed without problems."""
        return self.entry is not None and not self.problems


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry's JSON value and location, or the reason it could not be read as JSON."""

    location: str
    data: Any = None
    error: str | None = None


def _gtin_of(data: Any) -> str | None:
    value = data.get("gtin") if isinstance(data, dict) else None
    if isinstance(value, str):
        try:
            return gtin_rules.normalize(value)
        except GtinError:
            return None
    return None


def parse_entry(data: Any, *, strict: bool = False) -> CatalogEntry:
    """Validate one entry's JSON value.

    Args:
        data: the decoded JSON object.
        strict: reject fields the API does not document instead of keeping them.

    Returns:
        The parsed entry, with its GTIN normalised to GTIN-14.

    Raises:
        EntryError: listing every problem, each with its path, value and rule.
    """
    if not isinstance(data, dict):
        raise EntryError([Problem("", "expected a JSON object (a catalog entry)", data)])
    try:
        return CatalogEntry.model_validate(data, context=STRICT if strict else None)
    except ValidationError as exc:
        raise EntryError(problems_from_validation_error(exc), gtin=_gtin_of(data)) from None


def _json_error(exc: orjson.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"


def _read_lines(stream: IO[bytes], name: str) -> Iterator[RawEntry]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        location = f"{name}:{number}"
        try:
            yield RawEntry(location, orjson.loads(line.rstrip(b"\r\n")))
        except orjson.JSONDecodeError as exc:
            yield RawEntry(location, error=_json_error(exc))


def _read_json_file(path: Path) -> Iterator[RawEntry]:
    name = str(path)
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        yield RawEntry(name, error=_json_error(exc))
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield RawEntry(f"{name}[{index}]", item)
    else:
        yield RawEntry(name, data)


def iter_raw_entries(source: str | Path) -> Iterator[RawEntry]:
    """Yield each entry's JSON value (or JSON error) from a catalog, streaming.

    Raises:
        ParseError: the catalog itself cannot be opened (missing path, not a
            catalog); problems inside entries are yielded, not raised.
    """
    if str(source) == STDIN:
        yield from _read_lines(sys.stdin.buffer, "<stdin>")
        return
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
        for file in files:
            yield from _read_json_file(file)
        return
    if not path.exists():
        raise ParseError(f"Catalog {str(path)!r} does not exist.")
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        with path.open("rb") as stream:
            yield from _read_lines(stream, str(path))
        return
    if path.suffix.lower() == ".json":
        yield from _read_json_file(path)
        return
    raise ParseError(
        f"Catalog {str(path)!r} is not a catalog: expected a directory of *.json files, "
        "a .json file, a .jsonl file or '-' for JSON Lines on stdin."
    )


def read_catalog(source: str | Path, *, strict: bool = False) -> Iterator[EntryOutcome]:
    """Yield one :class:`EntryOutcome` per entry of a catalog, never stopping at a bad one.

    Args:
        source: a directory, a ``.json`` or ``.jsonl`` file, or ``"-"`` for stdin.
        strict: reject fields the API does not document.

    Raises:
        ParseError: the catalog itself cannot be opened.
    """
    for raw in iter_raw_entries(source):
        if raw.error is not None:
            yield EntryOutcome(raw.location, None, None, (Problem("", raw.error, has_value=False),))
            continue
        try:
            entry = parse_entry(raw.data, strict=strict)
        except EntryError as exc:
            yield EntryOutcome(raw.location, exc.gtin, None, exc.problems, raw.data)
            continue
        yield EntryOutcome(raw.location, entry.gtin, entry, (), raw.data)
