"""The crosswalk tables' one CSV form, read once: a header, then rows of non-empty values.

Lines starting with ``#`` are comments (sources, notes) and blank lines are
skipped; every error names the file, the line, what was expected and what came.
"""

from __future__ import annotations

import csv
import io

from gs1ld.errors import MappingError

__all__ = ["csv_rows"]


def csv_rows(text: str, source: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every row of ``text``, whose header must be ``columns``.

    Raises:
        MappingError: the header is not ``columns``, or a row has too few, too
            many or empty values.
    """
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    header_number, header = lines[0]
    if tuple(next(csv.reader([header]))) != columns:
        raise MappingError(
            f"{source}:{header_number}: expected the header {','.join(columns)!r}, got {header!r}"
        )
    rows = []
    for number, line in lines[1:]:
        values = [v.strip() for v in next(csv.reader(io.StringIO(line)))]
        if len(values) != len(columns) or not all(values):
            raise MappingError(
                f"{source}:{number}: expected {len(columns)} non-empty values "
                f"({', '.join(columns)}), got {line!r}"
            )
        rows.append((number, dict(zip(columns, values, strict=True))))
    return rows
