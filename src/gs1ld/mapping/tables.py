"""The crosswalk tables of ``mappings/``, loaded and checked once.

Each table is a small CSV with ``#`` comment lines saying where its facts come
from.  ``--mappings DIR`` points at a folder of the user's own copies: a file
there with the same name *extends* the bundled table, and its rows win where
both have the same key.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

from gs1ld._resources import data_dir
from gs1ld.errors import MappingError

__all__ = ["ClaimTarget", "Tables", "load_tables"]


@dataclass(frozen=True, slots=True)
class ClaimTarget:
    """One value a claim code emits: ``target`` property (CURIE) and ``value`` code CURIE."""

    target: str
    value: str


@dataclass(frozen=True, slots=True)
class Tables:
    """Every crosswalk, keyed the way the mappers look things up (lower-case names)."""

    claims: dict[str, tuple[ClaimTarget, ...]]
    allergens: dict[str, str]
    nutrients: dict[str, str]
    units: dict[str, str]
    certifications: dict[str, str]
    certification_status: dict[str, str]


def _rows(text: str, source: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    header_number, header = lines[0]
    names = next(csv.reader([header]))
    if tuple(names) != columns:
        raise MappingError(
            f"{source}:{header_number}: expected the header {','.join(columns)!r}, got {header!r}"
        )
    rows = []
    for number, line in lines[1:]:
        values = next(csv.reader(io.StringIO(line)))
        if len(values) != len(columns) or not all(v.strip() for v in values):
            raise MappingError(
                f"{source}:{number}: expected {len(columns)} non-empty values "
                f"({', '.join(columns)}), got {line!r}"
            )
        rows.append((number, dict(zip(columns, (v.strip() for v in values), strict=True))))
    return rows


def _read(folder: Traversable | Path, name: str) -> str | None:
    file = folder.joinpath(name)
    return file.read_text(encoding="utf-8") if file.is_file() else None


def _texts(name: str, override: Path | None) -> list[tuple[str, str]]:
    texts = []
    bundled = _read(data_dir("mappings"), name)
    if bundled is None:
        raise MappingError(f"the bundled crosswalk {name!r} is missing from this installation")
    texts.append((f"mappings/{name}", bundled))
    if override is not None:
        extra = _read(override, name)
        if extra is not None:
            texts.append((str(override / name), extra))
    return texts


def _curie(value: str, source: str, number: int) -> str:
    if not value.startswith(("gs1:", "gs1ld:")):
        raise MappingError(f"{source}:{number}: expected a gs1: or gs1ld: term, got {value!r}")
    return value


_STATUS_VALUES = frozenset({"window", "ACTIVE", "INACTIVE"})


def _status_rules(override: Path | None) -> dict[str, str]:
    rules: dict[str, str] = {}
    for source, text in _texts("certification-status.toml", override):
        try:
            table = tomllib.loads(text).get("verification_status", {})
        except tomllib.TOMLDecodeError as exc:
            raise MappingError(f"{source}: {exc}") from None
        for status, rule in table.items():
            if rule not in _STATUS_VALUES:
                raise MappingError(
                    f"{source}: verification_status.{status}: expected one of "
                    f"'window', 'ACTIVE', 'INACTIVE', got {rule!r}"
                )
            rules[status] = rule
    return rules


@cache
def load_tables(override: Path | None = None) -> Tables:
    """The bundled tables, extended by the files in ``override`` when given.

    Raises:
        MappingError: a table is missing or malformed (naming the file and line).
    """
    claims: dict[str, list[ClaimTarget]] = {}
    for source, text in _texts("claims.csv", override):
        seen_here: set[str] = set()
        for number, row in _rows(text, source, ("code", "target", "value")):
            code = row["code"].upper()
            if code not in seen_here:  # a user's rows for a code replace the bundled ones
                claims[code] = []
                seen_here.add(code)
            claims[code].append(
                ClaimTarget(
                    _curie(row["target"], source, number), _curie(row["value"], source, number)
                )
            )
    simple: dict[str, dict[str, str]] = {}
    for name, key, value in (
        ("allergens.csv", "name", "code"),
        ("nutrients.csv", "name", "property"),
        ("units.csv", "unit", "code"),
        ("certifications.csv", "code", "accreditation"),
    ):
        table: dict[str, str] = {}
        for source, text in _texts(name, override):
            for number, row in _rows(text, source, (key, value)):
                if value in ("property", "accreditation"):
                    _curie(row[value], source, number)
                table[row[key].casefold() if key != "code" else row[key].upper()] = row[value]
        simple[name] = table
    return Tables(
        certification_status=_status_rules(override),
        claims={code: tuple(targets) for code, targets in claims.items()},
        allergens=simple["allergens.csv"],
        nutrients=simple["nutrients.csv"],
        units=simple["units.csv"],
        certifications=simple["certifications.csv"],
    )
