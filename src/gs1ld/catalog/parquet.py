"""Read a Parquet catalog: one catalog entry per row.

Two layouts are read, told apart by the file's schema (an index column that
pandas wrote is not counted):

* **one JSON column**: a file whose only column holds text (or bytes, or
  dictionary-encoded text) is read as one entry's JSON per row, exactly as a
  line of a JSON Lines catalog;
* **nested columns**: any other file is read as the entry itself, each column
  a field (structs are objects, lists are arrays).  Parquet cannot tell a
  missing field from a null one, so a null field is left out, as the API
  leaves out a field it has no value for; dates and times become ISO 8601
  text, decimals numbers, bytes UTF-8 text, NaN and infinities null (JSON
  has neither), and any other value its text.

Each entry is named ``catalog.parquet[row]`` (the row's index in the file,
from 0, as in a JSON array) and held to the same :mod:`gs1ld.limits` as any
other entry.  Reading needs ``pyarrow`` (``pip install 'gs1ld[arrow]'``); it
is imported only when a Parquet catalog is read.  Rows are decoded a batch of
:data:`BATCH_ROWS` at a time, so memory does not grow with the file; a
distributed build cuts a file into runs of whole row groups
(:mod:`gs1ld.catalog.cutting`), so a file written as one row group is read by
one worker: write row groups of some 10,000 to 100,000 rows to spread a file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

import orjson

from gs1ld.catalog.raw import RawEntry, checked_entry, json_error
from gs1ld.errors import ParseError
from gs1ld.limits import Limits

__all__ = ["BATCH_ROWS", "RowGroup", "parquet_entries", "parquet_row_groups"]

RowGroup = tuple[int, int, int]
"""(index, rows, bytes) of one row group of a Parquet file."""
BATCH_ROWS = 4096
"""Rows decoded into Python values at a time."""


def _pyarrow_parquet(name: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParseError(
            f"Catalog {name!r} is Parquet, which needs pyarrow: pip install 'gs1ld[arrow]'."
        ) from None
    return pq


def _unreadable(name: str, exc: BaseException) -> ParseError:
    reason = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    return ParseError(f"Catalog {name!r} is not a readable Parquet file: {reason}.")


def _open(source: str | IO[bytes], name: str) -> Any:
    pq = _pyarrow_parquet(name)
    try:
        return pq.ParquetFile(source)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise _unreadable(name, exc) from None


def parquet_row_groups(source: str | IO[bytes], name: str) -> list[RowGroup]:
    """(index, rows, bytes) of every row group of the Parquet file at ``source``.

    Args:
        source: the file's path, or an open binary file (an fsspec file).
        name: the catalog's name, for messages.

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
    """Yield the entries of a Parquet file (see the module doc), a batch of rows at a time.

    Args:
        source: the file's path, or an open binary file (an fsspec file).
        name: the catalog's name, for each entry's location (``name[row]``).
        limits: the size and depth limits.
        row_groups: read only these row groups (one part of the file); None reads all.
        first_row: the index in the file of the first row read (to name rows of a part).

    Raises:
        ParseError: pyarrow is missing, or the file (or one of its row groups)
            cannot be read.
    """
    file = _open(source, name)
    column = _json_column(file.schema_arrow)
    groups = list(range(file.metadata.num_row_groups)) if row_groups is None else row_groups
    if not groups:
        return
    batches = file.iter_batches(
        batch_size=BATCH_ROWS, row_groups=groups, columns=None if column is None else [column]
    )
    micro = None if column is not None else _in_microseconds(file.schema_arrow)
    row = first_row
    while True:
        try:
            batch = next(batches, None)
            if batch is not None and micro is not None:
                batch = batch.cast(micro, safe=False)
            values = None if batch is None else batch.to_pylist()
        except (OSError, ValueError, TypeError) as exc:  # a corrupt row group, a type it
            raise _unreadable(name, exc) from None  # cannot give as Python values
        if values is None:
            return
        for record in values:
            location = f"{name}[{row}]"
            row += 1
            if column is not None:
                yield _json_row(location, record[column], limits)
            else:
                yield checked_entry(location, _plain(record), limits)


def _micro(kind: Any) -> Any:
    """``kind`` with nanosecond times as microseconds (Python's datetime has no nanoseconds)."""
    import pyarrow as pa

    if pa.types.is_timestamp(kind) and kind.unit == "ns":
        return pa.timestamp("us", kind.tz)
    if pa.types.is_duration(kind) and kind.unit == "ns":
        return pa.duration("us")
    if pa.types.is_struct(kind):
        return pa.struct(
            [kind.field(i).with_type(_micro(kind.field(i).type)) for i in range(kind.num_fields)]
        )
    if pa.types.is_list(kind):
        return pa.list_(kind.value_field.with_type(_micro(kind.value_type)))
    if pa.types.is_large_list(kind):
        return pa.large_list(kind.value_field.with_type(_micro(kind.value_type)))
    return kind


def _in_microseconds(schema: Any) -> Any:
    """The schema to cast batches to before they become Python values, or None if as read."""
    import pyarrow as pa

    target = pa.schema([field.with_type(_micro(field.type)) for field in schema])
    return None if target.equals(schema) else target


def _json_column(schema: Any) -> str | None:
    """The name of the one JSON column of ``schema``, or None for nested columns."""
    import pyarrow as pa

    index: set[str] = set()
    metadata = schema.pandas_metadata or {}
    index.update(c for c in metadata.get("index_columns", ()) if isinstance(c, str))
    fields = [f for f in schema if f.name not in index]
    if len(fields) != 1:
        return None
    kind = fields[0].type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    text = (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_binary_view(kind)
    )
    return str(fields[0].name) if text else None


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
        plain = ((key, _plain(item)) for key, item in value.items())
        return {key: item for key, item in plain if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        whole = value == value.to_integral_value() and abs(value) < 2**63
        return int(value) if whole else float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, tuple):  # a map column's (key, value) pairs
        return [_plain(item) for item in value]
    return str(value)  # a duration, a UUID...: its text
