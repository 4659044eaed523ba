"""JSON Lines read in blocks, passing over the lines a filter knows without copying them.

A rebuild of a million-line catalog reads each line to learn that it is as last
time (:class:`~gs1ld.catalog.lines.LineReader`), and almost every line is.  Read
a line at a time, each line costs a copy, a location string and several calls
before its digest is even looked up: with the digests, 9.45 s of a 25 s rebuild of
1% of a million products.  Here the stream is read a megabyte at a time and each line is
handed to the filter as a view into the block, so a line passed over costs one
search for its end and one call; only the lines read are copied and numbered.
:func:`~gs1ld.catalog.raw.read_json_lines` uses this when it has a filter, and
gives the same entries as reading line by line (the tests hold the two to it).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol

__all__ = ["BLOCK_SIZE", "LineFilter", "Readable", "Scanned", "scan_lines"]

BLOCK_SIZE = 1 << 20
"""Bytes read at a time."""


class Readable(Protocol):
    """What lines are scanned from: a binary stream, or anything that reads bytes so."""

    def read(self, size: int, /) -> bytes:
        """Up to ``size`` bytes; empty at the end."""


class LineFilter(Protocol):
    """Told each line of a local JSON Lines file before it is parsed (the text within the
    size limit, without its line ending): :meth:`pass_over` says whether it is passed over
    unread; a line not passed over and not blank is then :meth:`read` at its location."""

    @property
    def lines_passed(self) -> int:
        """How many lines were passed over so far."""

    def pass_over(self, text: bytes | memoryview) -> bool:
        """Whether the line ``text`` is passed over, neither parsed nor yielded."""

    def read(self, location: str) -> None:
        """The line last asked about, not passed over, is read as the entry at ``location``."""


Scanned = tuple[int, bytes | int]
"""A line's number and its text (without the line ending), or the size of a line over the
limit, which is never held whole."""


def scan_lines(
    stream: Readable,
    cap: int,
    skip: LineFilter,
    *,
    first_line: int = 1,
    block: int = BLOCK_SIZE,
    size: int | None = None,
) -> Generator[Scanned, None, int]:
    """Each line of ``stream`` that ``skip`` does not pass over: its number and text (without
    the line ending, ``\\n`` or ``\\r\\n``), or the size of a line longer than ``cap`` bytes
    without its ``\\n`` (counted with it, as ``readline`` reads it).  Returns the number
    of the last line (``first_line - 1`` when there was none).

    Blank lines are left for the caller (none is ever passed over: no record holds one).
    ``size``: read no more than this many bytes (the first part of a file,
    :mod:`~gs1ld.catalog.halves`); None reads to the end.
    """
    number = first_line - 1
    pass_over = skip.pass_over
    head = b""  # the start of a line the last block ended inside
    long = -1  # the size so far of an over-long line being skipped, or -1
    left = -1 if size is None else size
    while left and (data := stream.read(block if left < 0 else min(block, left))):
        left -= len(data) if left > 0 else 0
        end = data.find(b"\n")
        if end < 0:  # no line ends in this block
            if long >= 0:
                long += len(data)
            elif len(head) + len(data) > cap:
                long, head = len(head) + len(data), b""
            else:
                head += data
            continue
        number += 1
        if long >= 0:
            yield number, long + end + 1
            long = -1
        elif len(head) + end > cap:
            yield number, len(head) + end + 1
        else:
            line = (head + data[:end]).rstrip(b"\r")
            if not pass_over(line):
                yield number, line
        head = b""
        start = end + 1
        view = memoryview(data)
        find = data.find
        while (end := find(b"\n", start)) >= 0:  # the lines wholly in this block
            number += 1
            if end - start > cap:
                yield number, end - start + 1
            else:
                stop = end
                while stop > start and data[stop - 1] == _CR:
                    stop -= 1
                if not pass_over(view[start:stop]):
                    yield number, data[start:stop]
            start = end + 1
        view.release()
        if len(data) - start > cap:
            long = len(data) - start
        else:
            head = data[start:]
    if long >= 0:
        number += 1
        yield number, long
    elif head:
        number += 1
        line = head.rstrip(b"\r")
        if not pass_over(line):
            yield number, line
    return number


_CR = ord("\r")
