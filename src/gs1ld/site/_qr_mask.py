"""Choose a QR Code's data mask fast, with exactly segno's choice.

segno encodes the data (segments, Reed-Solomon blocks, module placement) and is
the reference, but its pure-Python mask search (apply each of the eight masks,
score each by ISO/IEC 18004 7.8.3) costs about 3 ms a symbol, most of a site
build's time for a large catalog.  Here the symbol segno makes with mask 0 is
unmasked once and the eight candidates are scored on rows and columns held as
integers and strings, with segno's scoring rules reproduced rule for rule.  A
test compares the mask and every module with segno's own output over thousands
of URIs, so the QR codes the site publishes are the ones segno would draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import segno

__all__ = ["qr_rows"]

_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "1011101"
_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")
_MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)


def _alignment_centres(version: int, size: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return [6, *reversed([size - 7 - k * step for k in range(count - 1)])]


def _format_cells(size: int) -> list[tuple[int, int]]:
    """(row, column) of format bits 0..14, first copy then second copy."""
    first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)]
    first += [(8, 14 - i) for i in range(9, 15)]
    second = [(8, size - 1 - i) for i in range(8)] + [(size - 15 + i, 8) for i in range(8, 15)]
    return first + second


def _format_bits(mask: int) -> int:
    """The 15 format bits for error correction level M and ``mask`` (ISO/IEC 18004 7.9)."""
    data = mask  # level M is 00
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return ((data << 10) | remainder) ^ 0x5412


class _Layout:
    """Where the data modules of a symbol of one version are, as bit masks."""

    def __init__(self, version: int) -> None:
        size = 17 + 4 * version
        function = [[False] * size for _ in range(size)]
        info = [[False] * size for _ in range(size)]

        def block(cells: list[list[bool]], top: int, left: int, height: int, width: int) -> None:
            for i in range(max(top, 0), min(top + height, size)):
                for j in range(max(left, 0), min(left + width, size)):
                    cells[i][j] = True

        block(function, 0, 0, 9, 9)
        block(function, 0, size - 8, 9, 8)
        block(function, size - 8, 0, 8, 9)
        block(function, 6, 0, 1, size)
        block(function, 0, 6, size, 1)
        centres = _alignment_centres(version, size)
        last = centres[-1] if centres else 0
        for ci in centres:
            for cj in centres:
                if (ci, cj) not in {(6, 6), (6, last), (last, 6)}:
                    block(function, ci - 2, cj - 2, 5, 5)
        format_cells = _format_cells(size)
        for i, j in format_cells:
            info[i][j] = True
        info[size - 8][8] = True  # the dark module
        if version >= 7:  # the two version information blocks
            for grid in (function, info):
                block(grid, 0, size - 11, 6, 3)
                block(grid, size - 11, 0, 3, 6)
        self.size = size
        full = (1 << size) - 1

        def row_bits(cells: list[list[bool]], i: int) -> int:
            return sum(1 << (size - 1 - j) for j in range(size) if cells[i][j])

        self.keep = tuple(full & ~row_bits(info, i) for i in range(size))
        patterns = []
        for pattern in _MASKS:
            rows = tuple(
                sum(
                    1 << (size - 1 - j) for j in range(size) if not function[i][j] and pattern(i, j)
                )
                for i in range(size)
            )
            patterns.append(rows)
        self.patterns = tuple(patterns)
        self.column_patterns = tuple(tuple(_transpose(list(rows), size)) for rows in patterns)
        formats = []
        for mask in range(8):
            bits = _format_bits(mask)
            rows_set = [0] * size
            for index, (i, j) in enumerate(format_cells):
                if (bits >> (index % 15)) & 1:
                    rows_set[i] |= 1 << (size - 1 - j)
            rows_set[size - 8] |= 1 << (size - 1 - 8)
            formats.append(tuple(rows_set))
        self.formats = tuple(formats)


@lru_cache(maxsize=64)
def _layout(version: int) -> _Layout:
    return _Layout(version)


def _transpose(rows: list[int], size: int) -> list[int]:
    strings = [format(row, f"0{size}b") for row in rows]
    return [int("".join(column), 2) for column in zip(*strings, strict=True)]


def _n3(text: str, size: int) -> int:
    """segno's 1:1:3:1:1 rule over lines of ``size`` joined by one separator."""
    score = 0
    line = size + 1
    index = text.find(_FINDER_LIKE)
    while index != -1:
        column = index % line
        after = index + 7
        before_text = text[index - min(4, column) : index]
        after_text = text[after : after + min(4, size - column - 7)]
        if column in (0, size - 7) or "1" not in before_text or "1" not in after_text:
            score += 40
        else:
            after = index + 4
        index = text.find(_FINDER_LIKE, after)
    return score


def _penalty(rows: list[int], columns: list[int], size: int) -> int:
    width = f"0{size}b"
    text = "2".join([*(format(r, width) for r in rows), *(format(c, width) for c in columns)])
    runs = _RUNS.findall(text)
    n1 = len("".join(runs)) - 2 * len(runs)
    full = (1 << size) - 1
    pair = full >> 1
    n2 = 0
    previous = rows[0]
    for row in rows[1:]:
        same = ~(previous ^ row) & full
        flat = ~(row ^ (row >> 1))
        n2 += (same & (same >> 1) & flat & pair).bit_count()
        previous = row
    half = len(text) // 2
    n3 = _n3(text[:half], size) + _n3(text[half + 1 :], size)
    dark = sum(row.bit_count() for row in rows)
    percent = float(dark) / (size**2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1 + 3 * n2 + n3 + n4


def qr_rows(content: str, *, error: str = "M") -> tuple[int, tuple[int, ...]]:
    """The QR Code modules for ``content`` as (size, rows); bit ``size-1-j`` of a row is column j.

    Error correction level M only (what GS1 recommends for Digital Link), as
    byte for byte the symbol ``segno.make_qr(content, error="M", boost_error=False)``
    would give.
    """
    if error.upper() != "M":
        raise ValueError("only error correction level M is supported")
    symbol = segno.make_qr(content, error="M", boost_error=False, mask=0)
    layout = _layout(int(symbol.version))
    size = layout.size
    drawn = [int(bytes(row).translate(_TO_BITS), 2) for row in symbol.matrix]
    base = [  # the data modules unmasked, function and information modules cleared
        (row & keep) ^ pattern
        for row, keep, pattern in zip(drawn, layout.keep, layout.patterns[0], strict=True)
    ]
    base_columns = _transpose(base, size)
    best_mask, best_score = 0, -1
    for mask, pattern in enumerate(layout.patterns):
        rows = [row ^ bits for row, bits in zip(base, pattern, strict=True)]
        column_pattern = layout.column_patterns[mask]
        columns = [col ^ bits for col, bits in zip(base_columns, column_pattern, strict=True)]
        score = _penalty(rows, columns, size)
        if best_score < 0 or score < best_score:
            best_mask, best_score = mask, score
    chosen = layout.patterns[best_mask]
    info = layout.formats[best_mask]
    version_bits = [
        row & ~keep & ~fmt0
        for row, keep, fmt0 in zip(drawn, layout.keep, layout.formats[0], strict=True)
    ]
    final = tuple(
        b ^ c | i | v for b, c, i, v in zip(base, chosen, info, version_bits, strict=True)
    )
    return size, final
