"""A large JSON Lines file scanned in two halves at once, giving what one scan gives.

A rebuild of a million-line catalog digests every line to pass over the ones its
record knows (:mod:`~gs1ld.catalog.lines`); that scan runs in the build process
alone while the machine's other cores wait for the products to stage.  Here a
forked process scans the second half of the file while this one scans the first:
the child passes over the lines the record knows with a
:meth:`~gs1ld.catalog.lines.LineReader.shadow` (which changes nothing) and sends
back the digests it passed over and the lines it did not; the parent takes them
(:meth:`~gs1ld.catalog.lines.LineReader.absorb`) and hands on the child's lines
after its own, numbered as one scan numbers them.

What comes out is what one scan of the whole file gives, line for line.  The one
case the halves cannot settle alone -- a line of the second half the first half
passed over already (the same line twice: one scan reads the second) -- and any
failure of the child (killed, out of memory) make the parent scan the second half
itself, from the state one scan would have reached there.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

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
        size = os.fstat(stream.fileno()).st_size
        least = SPLIT_AT if split_at is None else split_at
        if not isinstance(skip, SplitFilter) or size < least or not _can_fork():
            yield from scan_lines(stream, cap, skip)
            return
        shadow, middle = skip.shadow(), _middle(stream, size)
        stream.seek(0)
        if shadow is None or middle is None:
            yield from scan_lines(stream, cap, skip)
            return
        second = _SecondHalf(path, middle, cap, shadow)
        try:
            lines = yield from scan_lines(stream, cap, skip, size=middle)
            scanned = None if skip.passing_all else second.result()
            if scanned is not None and skip.absorb(scanned[0]):
                for number, text in scanned[1]:  # as one scan: asked about here, in turn
                    if isinstance(text, int) or not skip.pass_over(text):
                        yield lines + number, text
                return
            stream.seek(middle)  # the child failed, or is not needed: one scan goes on
            yield from scan_lines(stream, cap, skip, first_line=lines + 1)
        finally:
            second.stop()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


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
    """The forked process scanning the file from ``middle`` with a ``shadow`` filter."""

    def __init__(self, path: Path, middle: int, cap: int, shadow: PassedLines) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_scan_second_half,
            args=(path, middle, cap, shadow, send, os.getpid()),
            name="gs1ld-second-half",
            daemon=True,
        )
        self._process.start()
        send.close()

    def result(self) -> tuple[list[str], list[Scanned]] | None:
        """The GTINs of the lines the child passed over and the lines it did not (numbered
        from its first line); None when it failed, or stopped once more lines were to be read than
        the filter allows (one scan gives up there: the parent's scan of the rest does so
        sooner than it would take the child's lines)."""
        try:
            data = self._receive.recv_bytes()
        except (EOFError, OSError):
            return None
        passed, lines, whole = pickle.loads(data)
        return (passed.decode("ascii").split("\n") if passed else [], lines) if whole else None

    def stop(self) -> None:
        """Kill the child if it still runs (a scan abandoned), and reap it."""
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _scan_second_half(
    path: Path, middle: int, cap: int, shadow: PassedLines, send: Connection, parent: int
) -> None:
    """The child's work: scan from ``middle`` to the end and send what the parent needs.

    It leaves by ``os._exit``, whatever happens: a forked child of a process with threads
    (a progress display's) must not flush or print through their locks, and the
    parent, finding no answer, scans the half itself."""
    code = 1
    try:
        die_with_parent(parent)
        most = shadow.most_read
        lines: list[Scanned] = []
        whole = True
        with path.open("rb") as stream:
            stream.seek(middle)
            for line in scan_lines(stream, cap, shadow):
                lines.append(line)
                if most is not None and len(lines) > most:
                    whole = False  # more to read than the reader allows: it gives up
                    break
        passed = "\n".join(shadow.passed).encode("ascii")
        send.send_bytes(pickle.dumps((passed, lines if whole else [], whole), _PROTOCOL))
        send.close()
        code = 0
    finally:
        os._exit(code)


_PROTOCOL = pickle.HIGHEST_PROTOCOL
