"""Read a Parquet catalog: one catalog entry per row.

Two layouts are read, told apart by the file's schema:

* **one JSON column**: a file whose only column holds text (or bytes) is read
  as one entry's JSON per row, exactly as a line of a JSON Lines catalog;
* **nested columns**: any other file is read as the entry itself, each column
  a field (structs are objects, lists are arrays).  Parquet cannot tell a
  missing field from a null one, so a null field is left out, as the API
  leaves out a field it has no value for; dates and times become ISO 8601
  text, decimals numbers, bytes UTF-8 text.

Each entry is named ``catalog.parquet[row]`` (the row's index in the file,
from 0, as in a JSON array) and held to the same :mod:`gs1ld.limits` as any
other entry.  Reading needs ``pyarrow`` (``pip install 'gs1ld[arrow]'``); it
is imported only when a Parquet catalog is read.  A file is read one row group
at a time, so a large file is never in memory whole, and a distributed build
cuts it into runs of row groups (:mod:`gs1ld.catalog.parts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

import orjson

from gs1ld.catalog.reader import RawEntry, checked_entry, json_error
from gs1ld.errors import ParseError
from gs1ld.limits import Limits

__all__ = ["RowGroup", "parquet_entries", "parquet_row_groups"]

RowGroup = tuple[int, int, int]
"""(index, rows, bytes) of one row group of a Parquet file."""


def _pyarrow_parquet(name: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParseError(
            f"Catalog {name!r} is Parquet, which needs pyarrow: pip install 'gs1ld[arrow]'."
        ) from None
    return pq


def _open(source: str | IO[bytes], name: str) -> Any:
    pq = _pyarrow_parquet(name)
    try:
        return pq.ParquetFile(source)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ParseError(f"Catalog {name!r} is not a readable Parquet file: {exc}.") from None


def parquet_row_groups(source: str | IO[bytes], name: str) -> list[RowGroup]:
    """(index, rows, bytes) of every row group of the Parquet file at ``source``.

    Raises:
        ParseError: pyarrow is missing, or the file is not Parquet.
    """
    metadata = _open(source, name).metadata
    return [
        (i, metadata.row_group(i).num_rows, metadata.row_group(i).total_byte_size)
        for i in range(metadata.num_row_groups)
    ]


def parquet_entries(
    source: str | IO[bytes],
    name: str,
    limits: Limits,
    *,
    row_groups: Sequence[int] | None = None,
    first_row: int = 0,
) -> Iterator[RawEntry]:
    """Yield the entries of a Parquet file (see the module doc), one row group at a time.

    Args:
        source: the file's path, or an open binary file (an fsspec file).
        name: the catalog's name, for each entry's location (``name[row]``).
        limits: the size and depth limits.
        row_groups: read only these row groups (one part of the file); None reads all.
        first_row: the index in the file of the first row read (to name rows of a part).

    Raises:
        ParseError: pyarrow is missing, or the file is not Parquet.
    """
    file = _open(source, name)
    schema = file.schema_arrow
    json_column = len(schema) == 1 and _is_text(schema.field(0).type)
    groups = range(file.metadata.num_row_groups) if row_groups is None else row_groups
    row = first_row
    for group in groups:
        table = file.read_row_group(group)
        if json_column:
            for value in table.column(0).to_pylist():
                yield _json_row(f"{name}[{row}]", value, limits)
                row += 1
        else:
            for record in table.to_pylist():
                yield checked_entry(f"{name}[{row}]", _plain(record), limits)
                row += 1


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
    )


def _json_row(location: str, value: str | bytes | None, limits: Limits) -> RawEntry:
    """One row of a JSON column: the entry its text holds."""
    if value is None:
        return checked_entry(location, None, limits)
    text = value.encode() if isinstance(value, str) else value
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return RawEntry(location, error=json_error(exc))
    return checked_entry(location, data, limits, text)


def _plain(value: Any) -> Any:
    """A row's value as the JSON the API would send (see the module doc)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value
