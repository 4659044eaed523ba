"""QR Code symbols for Digital Link URIs, exactly as segno draws them, fast.

segno is the reference, but its pure-Python encoder (module placement and the
mask search over eight masked copies of the symbol, scored module by module)
costs about 1.4 ms a symbol even with the mask search done row-wise; that was
the largest single cost of a site build.  For the case the site always has, an
ASCII URI that segno encodes as one byte-mode segment, this module computes
the same symbol with the whole matrix held as one Python integer:

* the data codewords are built as segno builds them (segno's own quirks
  included: a full zero codeword of padding when the terminator ends on a byte
  boundary) and Reed-Solomon coded with segno's generator polynomials and
  GF(256) tables, one table lookup per codeword;
* each version's layout (which module carries which message bit, the function
  patterns segno draws, the format and version information) is worked out once
  per process, with the function patterns taken from a symbol segno drew;
* the eight masks are scored with whole-matrix bit operations, rule for rule
  segno's scoring (ISO/IEC 18004 7.8.3 as segno implements it, including how
  its 1:1:3:1:1 search resumes after a match), in row-major and column-major
  order.

Any other content (numeric, alphanumeric or non-ASCII) goes to segno itself.  A
test compares modules, mask and SVG bytes with segno over thousands of URIs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import zip_longest
from operator import itemgetter
from typing import Any, cast

import segno
from segno import consts
from segno.encoder import find_mode

__all__ = ["ERROR_LEVEL", "qr_rows"]

ERROR_LEVEL = "M"
"""The error correction level of every symbol (GS1's recommendation for Digital Link)."""
_LEVEL = consts.ERROR_MAPPING[ERROR_LEVEL]
# segno's tables and mode choice, typed for this module
_CAPACITY = cast("dict[int, dict[int, int]]", consts.SYMBOL_CAPACITY)
_EC_BLOCKS = cast("dict[int, dict[int, tuple[Any, ...]]]", consts.ECC)
_GF_LOG = cast("tuple[int, ...]", consts.GALIOS_LOG)
_GF_EXP = cast("tuple[int, ...]", consts.GALIOS_EXP)
_find_mode = cast("Callable[[bytes], int]", find_mode)
_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
_FINDER_PENALTY = 40
_PAD_TEXT = "0000"  # light modules after each row of the integer matrix (see _Layout)


def qr_rows(content: str) -> tuple[int, tuple[str, ...]]:
    """The modules of ``segno.make_qr(content, error="M", boost_error=False)``.

    Returns the symbol's size and its rows as strings of ``0`` (light) and
    ``1`` (dark), without quiet zone.
    """
    if content.isascii():
        data = content.encode("ascii")
        if _find_mode(data) == consts.MODE_BYTE:
            version = _version_for(len(data))
            if version is not None:
                return _encode(data, _layout(version))
    symbol = segno.make_qr(content, error=ERROR_LEVEL, boost_error=False)
    return len(symbol.matrix), tuple(
        bytes(row).translate(_TO_BITS).decode() for row in symbol.matrix
    )


def _version_for(length: int) -> int | None:
    """The smallest version whose level-M capacity holds ``length`` bytes in byte mode."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if _CAPACITY[version][_LEVEL] >= 4 + count_bits + 8 * length:
            return version
    return None


def _codewords(data: bytes, layout: _Layout) -> bytes:
    """Data codewords as segno writes them: mode, count, data, terminator, padding.

    segno pads to the byte boundary with ``8 - length % 8`` zero bits, a whole
    zero codeword when the terminator already ends on one; the same here.
    """
    capacity = layout.capacity
    count_bits = 8 if layout.version < 10 else 16
    bits = ((0b0100 << count_bits) | len(data)) << (8 * len(data)) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(capacity - length, 4)
    padding = 8 - (length + terminator) % 8
    length += terminator + padding
    words = (bits << (terminator + padding)).to_bytes(length // 8, "big")
    pads = capacity // 8 - length // 8
    return words + (b"\xec\x11" * (pads // 2 + 1))[: max(pads, 0)]


def _encode(data: bytes, layout: _Layout) -> tuple[int, tuple[str, ...]]:
    words = _codewords(data, layout)
    blocks: list[bytes] = []
    start = 0
    for length in layout.block_lengths:
        blocks.append(words[start : start + length])
        start += length
    ecc = [layout.reed_solomon(block) for block in blocks]
    message = bytes(b for column in zip_longest(*blocks) for b in column if b is not None) + bytes(
        b for column in zip_longest(*ecc) for b in column if b is not None
    )
    stream = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b")
    stream += "0" * layout.remainder + "01"  # the last two: constant light and dark
    forward = layout.matrix_text(stream)  # character i * stride + j is module (i, j)
    stride, size = layout.stride, layout.size
    rows = int(forward[::-1], 2)
    by_column = _PAD_TEXT.join([forward[j::stride] for j in range(size)]) + _PAD_TEXT
    columns = int(by_column[::-1], 2)
    best, best_score = 0, -1
    for mask in range(8):
        score = layout.score(rows ^ layout.row_masks[mask], columns ^ layout.column_masks[mask])
        if best_score < 0 or score < best_score:
            best, best_score = mask, score
    final = (rows ^ layout.row_masks[best]) | layout.information[best]
    text = format(final, f"0{layout.bits}b")[::-1]
    return size, tuple(text[i : i + size] for i in range(0, layout.bits, stride))


class _Layout:
    """Everything about one version that does not depend on the content.

    The matrix is an integer whose bit ``i * stride + j`` is module (row i,
    column j); ``stride`` is the size plus four always-light columns, so runs
    and patterns never continue from one row into the next, and looking four
    modules before or past a pattern never reaches another row.  The
    column-major integer is the same with rows and columns swapped.
    """

    def __init__(self, version: int) -> None:
        self.version = version
        ec_blocks = _EC_BLOCKS[version][_LEVEL]
        self.capacity = _CAPACITY[version][_LEVEL]
        self.block_lengths = tuple(ec.num_data for ec in ec_blocks for _ in range(ec.num_blocks))
        self.reed_solomon = _reed_solomon(ec_blocks[0].num_total - ec_blocks[0].num_data)
        reference = segno.make_qr(
            "gs1ld", version=version, error=ERROR_LEVEL, mask=0, boost_error=False
        )
        drawn: Any = reference.matrix
        size = len(drawn)
        self.size, self.stride = size, size + len(_PAD_TEXT)
        self.bits = size * self.stride
        function, information = _regions(version, size)
        order = _placement(size, function)
        # the modules the codewords leave over carry light remainder bits (0, 3, 4 or 7)
        self.remainder = len(order) - 8 * sum(ec.num_total * ec.num_blocks for ec in ec_blocks)
        data_count = len(order)
        light, dark = data_count, data_count + 1  # indexes of the constant "0" and "1"
        cell_source = [[light] * size for _ in range(size)]
        for index, (i, j) in enumerate(order):
            cell_source[i][j] = index
        for i in range(size):
            for j in range(size):
                if function[i][j] and not information[i][j] and drawn[i][j]:
                    cell_source[i][j] = dark
        self.matrix_text = _text_getter(cell_source, size, light)
        self.row_masks = tuple(self._cells(order, mask, False) for mask in _MASKS)
        self.column_masks = tuple(self._cells(order, mask, True) for mask in _MASKS)
        version_cells = [
            (i, j) for i in range(size) for j in range(size) if information[i][j] and drawn[i][j]
        ]
        version_cells = [c for c in version_cells if c not in _format_cells(size)]
        self.information = tuple(
            self._bits([*version_cells, *_format_dark(size, mask)]) for mask in range(8)
        )
        self._n1_pairs = self._bits([(i, j) for i in range(size) for j in range(size - 1)])
        self._n2_corners = self._bits([(i, j) for i in range(size - 1) for j in range(size - 1)])
        self._n3_starts = self._bits([(i, j) for i in range(size) for j in range(size - 6)])
        self._n3_edges = self._bits([(i, j) for i in range(size) for j in (0, size - 7)])
        self._area = size**2

    def _bits(self, cells: list[tuple[int, int]]) -> int:
        return sum(1 << (i * self.stride + j) for i, j in set(cells))

    def _cells(self, order: list[tuple[int, int]], mask: Any, transpose: bool) -> int:
        return self._bits([(j, i) if transpose else (i, j) for i, j in order if mask(i, j)])

    def score(self, rows: int, columns: int) -> int:
        """segno's penalty score of a masked matrix (without format and version information)."""
        stride = self.stride
        score = self._n1(rows) + self._n1(columns)
        same_right = ~(rows ^ (rows >> 1))
        same_below = ~(rows ^ (rows >> stride))
        blocks = same_right & same_below & (same_right >> stride) & self._n2_corners
        score += 3 * blocks.bit_count()
        score += self._n3(rows) + self._n3(columns)
        percent = float(rows.bit_count()) / self._area  # segno's arithmetic, to the last bit
        return score + 10 * int(abs(percent * 100 - 50) / 5)

    def _n1(self, matrix: int) -> int:
        """Runs of five or more same-coloured modules: 3 points plus one per extra module."""
        same = ~(matrix ^ (matrix >> 1)) & self._n1_pairs
        five = same & (same >> 1) & (same >> 2) & (same >> 3)
        return five.bit_count() + 2 * (five & ~(five << 1)).bit_count()

    def _n3(self, matrix: int) -> int:
        """1:1:3:1:1 patterns, found, scored and skipped over as segno does."""
        found = (
            matrix
            & ~(matrix >> 1)
            & (matrix >> 2)
            & (matrix >> 3)
            & (matrix >> 4)
            & ~(matrix >> 5)
            & (matrix >> 6)
            & self._n3_starts
        )
        dark_before = matrix << 1  # a dark module among the four before (padding is light)
        dark_before |= dark_before << 1
        dark_before |= dark_before << 2
        dark_after = matrix >> 7  # a dark module among the four after
        dark_after |= dark_after >> 1
        dark_after |= dark_after >> 2
        # a pattern scores at either end of its line, or with no dark module among the
        # (up to) four before it or the (up to) four after it
        scoring = found & (self._n3_edges | ~(dark_before & dark_after))
        # The pattern overlaps itself only 4 or 6 modules on, so segno's resume rule
        # (skip 7 after a scoring pattern, 4 after another) can only skip one of such
        # a pair; patterns without such a neighbour are scored all at once.
        chained = found & ((found >> 4) | (found >> 6) | (found << 4) | (found << 6))
        score = _FINDER_PENALTY * (scoring & ~chained).bit_count()
        resume = 0
        while chained:
            lowest = chained & -chained
            chained ^= lowest
            at = lowest.bit_length() - 1
            if at < resume:
                continue
            if lowest & scoring:
                score += _FINDER_PENALTY
                resume = at + 7
            else:
                resume = at + 4
        return score


@lru_cache(maxsize=64)
def _layout(version: int) -> _Layout:
    return _Layout(version)


def _text_getter(cell_source: list[list[int]], size: int, light: int) -> Callable[[str], str]:
    """A function from the message stream to the matrix as text, rows then padding."""
    indexes: list[int] = []
    for row in cell_source:
        indexes.extend(row)
        indexes.extend([light] * len(_PAD_TEXT))
    getter = itemgetter(*indexes)
    return lambda stream: "".join(getter(stream))


def _regions(version: int, size: int) -> tuple[list[list[bool]], list[list[bool]]]:
    """Function modules (no data) and, among them, format/version information and dark module."""
    function = [[False] * size for _ in range(size)]
    information = [[False] * size for _ in range(size)]

    def block(cells: list[list[bool]], top: int, left: int, height: int, width: int) -> None:
        for i in range(max(top, 0), min(top + height, size)):
            for j in range(max(left, 0), min(left + width, size)):
                cells[i][j] = True

    block(function, 0, 0, 9, 9)
    block(function, 0, size - 8, 9, 8)
    block(function, size - 8, 0, 8, 9)
    block(function, 6, 0, 1, size)
    block(function, 0, 6, size, 1)
    centres: tuple[int, ...] = () if version == 1 else consts.ALIGNMENT_POS[version - 2]
    last = centres[-1] if centres else 0
    for ci in centres:
        for cj in centres:
            if (ci, cj) not in {(6, 6), (6, last), (last, 6)}:
                block(function, ci - 2, cj - 2, 5, 5)
    for i, j in _format_cells(size):
        information[i][j] = True
    information[size - 8][8] = True  # the dark module
    if version >= 7:  # the two version information blocks
        for grid in (function, information):
            block(grid, 0, size - 11, 6, 3)
            block(grid, size - 11, 0, 3, 6)
    return function, information


def _placement(size: int, function: list[list[bool]]) -> list[tuple[int, int]]:
    """The data modules in the order the message bits fill them (ISO/IEC 18004 7.7.3)."""
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        upwards = (right & 2) == 0
        for vertical in range(size):
            for j in (right, right - 1):
                i = size - 1 - vertical if upwards ^ (j < 6) else vertical
                if not function[i][j]:
                    order.append((i, j))
    return order


def _format_cells(size: int) -> list[tuple[int, int]]:
    """(row, column) of format bits 0..14, first copy then second copy."""
    first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)]
    first += [(8, 14 - i) for i in range(9, 15)]
    second = [(8, size - 1 - i) for i in range(8)] + [(size - 15 + i, 8) for i in range(8, 15)]
    return first + second


def _format_dark(size: int, mask: int) -> list[tuple[int, int]]:
    """The dark format-information modules for level M and ``mask``, and the dark module."""
    remainder = mask  # level M is 00
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    bits = ((mask << 10) | remainder) ^ 0x5412
    cells = _format_cells(size)
    return [cell for index, cell in enumerate(cells) if (bits >> (index % 15)) & 1] + [
        (size - 8, 8)
    ]


@lru_cache(maxsize=32)
def _reed_solomon(ec_count: int) -> Callable[[bytes], bytes]:
    """Reed-Solomon error correction codewords with segno's generator polynomial."""
    log, exp = _GF_LOG, _GF_EXP
    generator = consts.GEN_POLY[ec_count]
    table = [0] + [
        int.from_bytes(bytes(exp[log[c] + g] for g in generator), "big") for c in range(1, 256)
    ]
    top = 8 * (ec_count - 1)
    keep = (1 << (8 * ec_count)) - 1

    def remainder(block: bytes) -> bytes:
        value = 0
        for byte in block:
            value = ((value << 8) & keep) ^ table[(value >> top) ^ byte]
        return value.to_bytes(ec_count, "big")

    return remainder
