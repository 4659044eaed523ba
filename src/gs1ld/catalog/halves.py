"""A large JSON Lines file scanned in two halves at once, giving what one scan gives.

A rebuild of a million-line catalog digests every line to pass over the ones its
record knows (:mod:`~gs1ld.catalog.lines`); that scan runs in the build process
alone while the machine's other cores wait for the products to stage.  Here a
forked process scans the second half of the file while this one scans the first:
the child passes over the lines the record knows with a
:meth:`~gs1ld.catalog.lines.LineReader.shadow` (which changes no entry of it) and
sends back the GTINs of the lines it passed over; the lines it did not pass over
go to a temporary file, so neither process holds them all.  The parent takes the
GTINs (:meth:`~gs1ld.catalog.lines.LineReader.absorb`) and hands on the child's
lines after its own, numbered as one scan numbers them.

The child reads the file the parent opened (the same open file, by position), never
the path again: a catalog replaced while it is read is read whole from the file
first opened, as one scan reads it.

What comes out is what one scan of the whole file gives, line for line.  A child
that cannot start, fails (killed, out of memory, an error), takes far longer than
the parent's half, or would read more lines than the filter allows leaves the
second half to the parent, which scans it itself from the state one scan would
have reached there.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import struct
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, BinaryIO, Protocol, runtime_checkable

from gs1ld._workers import die_with_parent
from gs1ld.catalog.line_blocks import LineFilter, Scanned, scan_lines
from gs1ld.catalog.lines import PassedLines

__all__ = ["SPLIT_AT", "SplitFilter", "scan_file"]

SPLIT_AT = 64 << 20
"""Files smaller than this many bytes are scanned in one piece: starting a process (a
fork of a build holding its record) costs more than half of their scan saves."""


@runtime_checkable
class SplitFilter(LineFilter, Protocol):
    """A :class:`~gs1ld.catalog.line_blocks.LineFilter` a second process can stand in for
    over a later part of the file (:class:`~gs1ld.catalog.lines.LineReader`)."""

    def shadow(self) -> PassedLines | None:
        """The filter the second process uses, as if nothing had been read yet; None
        when a second process would not help."""

    @property
    def passing_all(self) -> bool:
        """Whether it passes over every further line unasked (it gave up)."""

    def absorb(self, passed: list[str]) -> bool:
        """Take the GTINs of the lines the shadow passed over; False, taking none, when
        it passes over every further line."""


def scan_file(
    path: Path, cap: int, skip: LineFilter, *, split_at: int | None = None
) -> Iterator[Scanned]:
    """Each line of the file at ``path`` that ``skip`` does not pass over, as
    :func:`~gs1ld.catalog.line_blocks.scan_lines` gives them; a file of ``split_at`` bytes
    (default :data:`SPLIT_AT`) or more, where ``skip`` is a :class:`SplitFilter` and the
    system forks, is scanned in two halves at once."""
    with path.open("rb") as stream:
        least = SPLIT_AT if split_at is None else split_at
        if (
            not isinstance(skip, SplitFilter)
            or (second := _SecondHalf.start(stream, cap, skip, least)) is None
        ):
            yield from scan_lines(stream, cap, skip)
            return
        try:
            began = time.monotonic()
            lines = yield from scan_lines(stream, cap, skip, size=second.middle)
            patience = _PATIENCE_S + _PATIENCE_FACTOR * (time.monotonic() - began)
            scanned = None if skip.passing_all else second.result(patience)
            if scanned is not None and skip.absorb(scanned):
                for number, text in second.lines():  # as one scan: asked about here, in turn
                    if isinstance(text, int) or not skip.pass_over(text):
                        yield lines + number, text
                return
            stream.seek(second.middle)  # the child failed, or is not needed: one scan goes on
            yield from scan_lines(stream, cap, skip, first_line=lines + 1)
        finally:
            second.stop()


_PATIENCE_S = 30.0
_PATIENCE_FACTOR = 4.0
"""The child is given this long (seconds), plus as many times the parent's own half,
to answer after the parent's half; then the parent scans the second half itself."""


def _can_fork() -> bool:
    """Whether this process may start a forked child (not a daemonic worker's)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def _middle(stream: BinaryIO, size: int) -> int | None:
    """Where the line after the file's middle starts; None when no line starts after it."""
    stream.seek(size // 2)
    offset = size // 2
    while block := stream.read(1 << 16):
        end = block.find(b"\n")
        if end >= 0:
            offset += end + 1
            return offset if offset < size else None
        offset += len(block)
    return None


class _SecondHalf:
    """The forked process scanning the open file from ``middle`` with a ``shadow`` filter."""

    def __init__(self, stream: BinaryIO, middle: int, cap: int, shadow: PassedLines) -> None:
        context = multiprocessing.get_context("fork")
        self.middle = middle
        """Where the child's half starts (a line's first byte)."""
        self._spill: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_scan_second_half,
            args=(stream.fileno(), middle, cap, shadow, send, self._spill, os.getpid()),
            name="gs1ld-second-half",
            daemon=True,
        )
        try:
            self._process.start()
        finally:
            send.close()

    @classmethod
    def start(cls, stream: BinaryIO, cap: int, skip: SplitFilter, least: int) -> _SecondHalf | None:
        """The child scanning the second half of the file ``stream`` (left at its start);
        None when the file is smaller than ``least`` bytes, has no line starting past its
        middle, ``skip`` has no shadow, or no child can be started (no fork, a daemonic
        process, no memory to fork)."""
        size = os.fstat(stream.fileno()).st_size
        if size < least or not _can_fork() or (shadow := skip.shadow()) is None:
            return None
        middle = _middle(stream, size)
        stream.seek(0)
        if middle is None:
            return None
        try:
            return cls(stream, middle, cap, shadow)
        except OSError:
            return None

    def result(self, patience: float) -> list[str] | None:
        """The GTINs of the lines the child passed over (its other lines then come from
        :meth:`lines`); None when it failed, gave no answer within ``patience`` seconds,
        or stopped once more lines were to be read than the filter allows (one scan gives
        up there: the parent's scan of the rest does so sooner than it would take the
        child's lines)."""
        try:
            if not self._receive.poll(patience):
                return None
            passed, whole = pickle.loads(self._receive.recv_bytes())
        except (EOFError, OSError):
            return None
        return (passed.decode("ascii").split("\n") if passed else []) if whole else None

    def lines(self) -> Iterator[Scanned]:
        """The lines the child did not pass over, numbered from its first line."""
        spill = self._spill
        spill.seek(0)
        while frame := spill.read(_FRAME.size):
            number, length = _FRAME.unpack(frame)
            yield (number, spill.read(length)) if length >= 0 else (number, -1 - length)

    def stop(self) -> None:
        """Kill the child if it still runs (a scan abandoned), reap it, drop its lines."""
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._spill.close()


_FRAME = struct.Struct(">qq")
"""A line the child read, in its file of lines: its number, then its length (the text
follows) or, for a line over the size limit, -1 - its size."""


class _Positioned:
    """Reads a file descriptor from ``offset`` on, by position: the parent's reads of the
    same open file, at their own position, are neither moved nor moving it."""

    def __init__(self, descriptor: int, offset: int) -> None:
        self._descriptor, self._offset = descriptor, offset

    def read(self, size: int, /) -> bytes:
        """Up to ``size`` bytes from where the last read ended."""
        data = os.pread(self._descriptor, size, self._offset)
        self._offset += len(data)
        return data


def _scan_second_half(
    descriptor: int,
    middle: int,
    cap: int,
    shadow: PassedLines,
    send: Connection,
    spill: IO[bytes],
    parent: int,
) -> None:
    """The child's work: scan the parent's open file from ``middle`` to the end, write the
    lines it reads to ``spill`` and send the GTINs of those it passed over.

    It leaves by ``os._exit``, whatever happens: a forked child of a process with threads
    (a progress display's) must not flush or print through their locks, and the
    parent, finding no answer, scans the half itself."""
    code = 1
    try:
        die_with_parent(parent)
        most = shadow.most_read
        read = 0
        whole = True
        for number, text in scan_lines(_Positioned(descriptor, middle), cap, shadow):
            if isinstance(text, int):
                spill.write(_FRAME.pack(number, -1 - text))
                continue
            spill.write(_FRAME.pack(number, len(text)))
            spill.write(text)
            read += 1
            if most is not None and read > most:
                whole = False  # more to read than the reader allows: it gives up
                break
        spill.flush()
        passed = "\n".join(shadow.passed).encode("ascii")
        send.send_bytes(pickle.dumps((passed, whole), _PROTOCOL))
        send.close()
        code = 0
    finally:
        os._exit(code)


_PROTOCOL = pickle.HIGHEST_PROTOCOL
