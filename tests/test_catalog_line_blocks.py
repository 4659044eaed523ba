"""Reading JSON Lines in blocks gives what reading them a line at a time gives.

A rebuild reads its catalog in blocks, passing over the lines its record knows
(:mod:`gs1ld.catalog.line_blocks`); a part of a catalog is read a line at a time.
Whatever the lines (blank, CRLF, over the size limit, the last one unended) and
wherever the blocks end, both read the same entries at the same locations and
pass over the same lines.  A large file is scanned in two halves at once
(:mod:`gs1ld.catalog.halves`): that too reads what one scan reads.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gs1ld.catalog import halves, iter_raw_entries
from gs1ld.catalog.halves import scan_file
from gs1ld.catalog.lines import LineReader, line_digest
from gs1ld.catalog.raw import RawEntry, read_json_bytes, read_json_lines, scanned_entries
from gs1ld.errors import ParseError
from gs1ld.limits import Limits

LIMITS = Limits(max_entry_bytes=60)
CAP = LIMITS.max_entry_bytes + 2


class _ShortReads(io.BytesIO):
    """A stream whose reads stop after ``most`` bytes, so blocks end anywhere."""

    def __init__(self, data: bytes, most: int) -> None:
        super().__init__(data)
        self._most = most

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self._most:
            size = self._most
        return super().read(size)


def _entry(gtin: int, padding: int) -> bytes:
    return orjson.dumps({"gtin": f"{gtin:014d}", "p": "x" * padding})


_TEXTS = st.one_of(
    st.builds(_entry, st.integers(0, 5), st.integers(0, 60)),  # some over the limit
    st.sampled_from([b"", b"  ", b"\t \x0b", b"\r", b'{"gtin": ', b"[1, 2]", b"x" * (CAP + 1)]),
    st.binary(max_size=80),
)
_ENDINGS = st.sampled_from([b"\n", b"\r\n", b"\r\r\n"])


@st.composite
def _catalogs(draw: st.DrawFn) -> tuple[bytes, set[bytes]]:
    """A catalog's bytes, and the texts (as a reader strips them) a record knows: never a
    blank one, as a record holds only lines an entry was read from."""
    texts = draw(st.lists(_TEXTS, max_size=12))
    endings = [draw(_ENDINGS) for _ in texts]
    if texts and draw(st.booleans()):
        endings[-1] = b""  # the last line unended
    known = {  # as the reader strips them: without the \r of a CRLF
        text.rstrip(b"\r") for text in texts if text.strip() and draw(st.booleans())
    }
    return b"".join(t + e for t, e in zip(texts, endings, strict=True)), known


def _reader(known: set[bytes], most_read: int | None = None) -> LineReader:
    digests = {line_digest(text): f"{n:014d}" for n, text in enumerate(sorted(known))}
    return LineReader(digests, most_read=most_read)


def _read(stream: io.BytesIO, lines: LineReader, *, end: int | None = None) -> list[RawEntry]:
    return list(lines.watch(read_json_lines(stream, "c.jsonl", LIMITS, end=end, skip=lines)))


@settings(max_examples=400, deadline=None)
@given(_catalogs(), st.integers(1, 300), st.one_of(st.none(), st.integers(0, 6)))
def test_blocks_read_what_lines_read(
    catalog: tuple[bytes, set[bytes]], most: int, most_read: int | None
) -> None:
    """Whatever the blocks (several whole lines in one, or parts of one),
    and when the reader gives up after ``most_read`` lines read."""
    data, known = catalog
    by_line, in_blocks = _reader(known, most_read), _reader(known, most_read)
    expected = _read(io.BytesIO(data), by_line, end=len(data) + 1)  # a part: line by line
    assert _read(_ShortReads(data, most), in_blocks) == expected
    assert in_blocks.unchanged_gtins() == by_line.unchanged_gtins()
    assert in_blocks.lines_passed == by_line.lines_passed
    assert in_blocks.gave_up == by_line.gave_up
    assert [in_blocks.digest_at(n) for n in range(len(expected))] == [
        by_line.digest_at(n) for n in range(len(expected))
    ]


def test_a_reader_giving_up_inside_a_block_counts_as_line_by_line() -> None:
    """Two lines read make the reader give up; the known lines after them, in the same
    block, are passed over uncounted, as when read one at a time."""
    unknown = [_entry(n, 0) for n in (1, 2, 3)]
    known = {_entry(n, 1) for n in (4, 5, 6)}
    data = b"\n".join([*unknown, *sorted(known)]) + b"\n"
    by_line, in_blocks = _reader(known, most_read=1), _reader(known, most_read=1)
    expected = _read(io.BytesIO(data), by_line, end=len(data) + 1)
    assert _read(io.BytesIO(data), in_blocks) == expected
    assert by_line.gave_up
    assert in_blocks.gave_up
    assert in_blocks.lines_passed == by_line.lines_passed == 0


def test_a_line_over_the_limit_is_reported_with_its_size_wherever_blocks_end() -> None:
    long = b"y" * (3 * CAP)
    data = long + b"\r\n" + _entry(1, 0) + b"\n" + long
    for most in (1, 7, CAP, len(data)):
        read = _read(_ShortReads(data, most), LineReader(None))
        assert [raw.location for raw in read] == ["c.jsonl:1", "c.jsonl:2", "c.jsonl:3"]
        sizes = [raw.error.rule if raw.error else "" for raw in read]
        assert f"{len(long) + 2:,} bytes" in sizes[0]  # its CRLF counted, as read
        assert sizes[1] == ""
        assert f"{len(long):,} bytes" in sizes[2]  # the last line has no ending


def test_a_catalog_every_line_of_which_is_passed_over_is_not_empty(tmp_path: Path) -> None:
    text = _entry(1, 0)
    catalog = tmp_path / "c.jsonl"
    catalog.write_bytes(text + b"\n\n")
    lines = LineReader({line_digest(text): "00000000000001"})
    assert list(iter_raw_entries(catalog, skip=lines)) == []
    assert lines.unchanged_gtins() == {"00000000000001"}  # (the one line the record knows)
    catalog.write_bytes(b"\n  \n")
    with pytest.raises(ParseError, match="no entr"):
        list(iter_raw_entries(catalog, skip=LineReader({})))


# -- a large file scanned in two halves at once (gs1ld.catalog.halves) -----------------


@st.composite
def _recorded_catalogs(draw: st.DrawFn) -> tuple[bytes, dict[bytes, str]]:
    """A catalog's bytes and a record of some of its lines as a build keeps one: each
    known line an entry's, under that entry's GTIN, one line a GTIN."""
    data, _ = draw(_catalogs())
    record: dict[bytes, str] = {}
    for line in data.split(b"\n"):
        text = line.rstrip(b"\r")
        entry = list(read_json_bytes("x", text, LIMITS)) if text.strip() else []
        gtin = entry[0].gtin if len(entry) == 1 else None
        if gtin is not None and gtin not in record.values() and draw(st.booleans()):
            record[line_digest(text)] = gtin
    return data, record


def _scan_whole(path: Path, lines: LineReader, split_at: int | None) -> list[RawEntry]:
    scanned = scan_file(path, CAP, lines, split_at=split_at)
    return list(lines.watch(scanned_entries(scanned, "c.jsonl", LIMITS, lines)))


def _assert_same_reading(path: Path, record: dict[bytes, str], most_read: int | None) -> None:
    one, two = (
        LineReader(dict(record), most_read=most_read),
        LineReader(dict(record), most_read=most_read),
    )
    expected = _scan_whole(path, one, split_at=None)
    got = _scan_whole(path, two, split_at=0)
    assert two.gave_up == one.gave_up
    if not one.gave_up:  # (a build that gives up reads every line again, from neither)
        assert got == expected
        assert two.unchanged_gtins() == one.unchanged_gtins()
        assert two.lines_passed == one.lines_passed
        assert sorted(two.not_passed_over) == sorted(one.not_passed_over)
        assert [two.digest_at(n) for n in range(len(got))] == [
            one.digest_at(n) for n in range(len(got))
        ]


@settings(max_examples=150, deadline=None)
@given(_recorded_catalogs(), st.one_of(st.none(), st.integers(0, 6)))
def test_two_halves_read_what_one_scan_reads(
    tmp_path_factory: pytest.TempPathFactory,
    catalog: tuple[bytes, dict[bytes, str]],
    most_read: int | None,
) -> None:
    """Wherever the middle falls, lines met twice (in one half or in both), over-long and
    blank lines, and a reader giving up in either half: the same entries at the same
    locations, the same lines passed over, and giving up alike."""
    data, record = catalog
    path = tmp_path_factory.mktemp("halves") / "c.jsonl"
    path.write_bytes(data)
    _assert_same_reading(path, record, most_read)


def _numbered(count: int) -> list[bytes]:
    return [_entry(n, n % 7) for n in range(count)]


def _second_halves() -> list[multiprocessing.process.BaseProcess]:
    """The scanning children still alive (other tests' processes, a Dask cluster's, aside)."""
    return [p for p in multiprocessing.active_children() if p.name == "gs1ld-second-half"]


def _lines_file(folder: Path, texts: list[bytes]) -> Path:
    path = folder / "c.jsonl"
    path.write_bytes(b"\n".join(texts) + b"\n")
    return path


def _record_of(texts: list[bytes], keep: int = 1) -> dict[bytes, str]:
    """The record of the lines ``texts`` but every ``keep``-th (none left out when 1)."""
    return {line_digest(text): f"{n:014d}" for n, text in enumerate(texts) if keep == 1 or n % keep}


def test_a_line_of_the_second_half_passed_over_in_the_first_makes_the_reader_give_up(
    tmp_path: Path,
) -> None:
    """One scan reads a known line met again, and gives up (its GTIN passed over and
    read); the halves find it passed over twice, and give up alike."""
    texts = _numbered(8)
    path = _lines_file(tmp_path, [*texts, texts[1]])
    record = _record_of(texts)
    lines = LineReader(record)
    _scan_whole(path, lines, split_at=0)
    assert lines.gave_up
    _assert_same_reading(path, record, None)


def test_a_child_that_dies_leaves_the_second_half_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _numbered(20)
    path = _lines_file(tmp_path, texts)
    record = _record_of(texts, keep=3)

    def die(*_: object) -> None:
        os._exit(3)

    monkeypatch.setattr(halves, "_scan_second_half", die)
    _assert_same_reading(path, record, None)
    lines = LineReader(dict(record))
    assert len(_scan_whole(path, lines, split_at=0)) == 7  # 0, 3, ..., 18: the unknown
    assert lines.lines_passed == 13


def test_a_file_past_the_threshold_is_scanned_by_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _numbered(20)
    path = _lines_file(tmp_path, texts)
    record = _record_of(texts)
    started: list[int] = []
    real = halves._SecondHalf.__init__

    def spy(self: object, path: Path, middle: int, *rest: Any) -> None:
        started.append(middle)
        real(self, path, middle, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(halves._SecondHalf, "__init__", spy)
    size = path.stat().st_size
    for split_at, children in ((size + 1, 0), (size, 1)):
        started.clear()
        lines = LineReader(dict(record))
        assert _scan_whole(path, lines, split_at=split_at) == []
        assert lines.lines_passed == 20
        assert len(started) == children
    assert path.read_bytes()[started[0] - 1 : started[0]] == b"\n"  # a line's start
    assert LineReader(None).shadow() is None  # no record: every line read, in one piece


def test_a_scan_abandoned_leaves_no_child_behind(tmp_path: Path) -> None:
    texts = _numbered(40)
    path = _lines_file(tmp_path, texts)
    lines = LineReader({line_digest(texts[-1]): f"{39:014d}"})
    scanned = scan_file(path, CAP, lines, split_at=0)
    assert next(scanned)[0] == 1
    scanned.close()
    assert _second_halves() == []


def test_a_catalog_replaced_while_it_is_read_is_read_whole_from_the_file_first_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export that renames a new catalog into place mid-read does not reach the
    second half: the child reads the file the parent opened, as one scan does."""
    texts = _numbered(20)
    path = _lines_file(tmp_path, texts)
    record = _record_of(texts, keep=3)
    expected = _scan_whole(path, LineReader(dict(record)), split_at=None)
    start = halves._SecondHalf.__init__

    def replaced_first(self: Any, *args: Any) -> None:
        newer = tmp_path / "newer.jsonl"
        newer.write_bytes(_entry(99, 0) + b"\n")
        os.replace(newer, path)  # after the parent opened it, before the child starts
        start(self, *args)

    monkeypatch.setattr(halves._SecondHalf, "__init__", replaced_first)
    lines = LineReader(dict(record))
    assert _scan_whole(tmp_path / "c.jsonl", lines, split_at=0) == expected
    assert lines.lines_passed == 13
    assert not lines.gave_up


def test_a_child_that_cannot_start_or_may_not_leaves_the_scan_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No memory to fork (``OSError``), or a daemonic worker, which may have no
    children: one scan, the same lines."""
    texts = _numbered(20)
    path = _lines_file(tmp_path, texts)
    record = _record_of(texts, keep=3)
    expected = _scan_whole(path, LineReader(dict(record)), split_at=None)

    def no_memory(self: Any) -> None:
        raise OSError(12, "Cannot allocate memory")

    with monkeypatch.context() as patch:
        patch.setattr(multiprocessing.get_context("fork").Process, "start", no_memory)
        assert _scan_whole(path, LineReader(dict(record)), split_at=0) == expected
    daemonic = multiprocessing.current_process()
    monkeypatch.setattr(daemonic, "daemon", True, raising=False)
    monkeypatch.setattr(halves._SecondHalf, "__init__", lambda *_: pytest.fail("a daemon forked"))
    assert _scan_whole(path, LineReader(dict(record)), split_at=0) == expected


def test_a_child_that_never_answers_leaves_the_second_half_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child stuck (a lock another thread held when it forked) is given a while past
    the parent's own half, then killed; the parent scans the half itself."""
    texts = _numbered(20)
    path = _lines_file(tmp_path, texts)
    record = _record_of(texts, keep=3)
    expected = _scan_whole(path, LineReader(dict(record)), split_at=None)

    def stuck(*_: object) -> None:
        signal.pause()  # until stop() kills it

    monkeypatch.setattr(halves, "_scan_second_half", stuck)
    monkeypatch.setattr(halves, "_PATIENCE_S", 0.0)
    monkeypatch.setattr(halves, "_PATIENCE_FACTOR", 0.0)
    assert _scan_whole(path, LineReader(dict(record)), split_at=0) == expected
    assert _second_halves() == []
