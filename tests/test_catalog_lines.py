"""The line reader: each entry read knows its line's digest by its catalog position."""

from __future__ import annotations

import io

import orjson

from gs1ld.catalog.lines import LineReader, line_digest
from gs1ld.catalog.raw import RawEntry, read_json_lines
from gs1ld.limits import Limits

LIMITS = Limits(max_entry_bytes=200)


def _line(gtin: str, padding: str = "") -> bytes:
    return orjson.dumps({"gtin": gtin, "note": padding})


def _read(lines: LineReader, stream: bytes) -> list[str]:
    """The locations of the entries read, numbered as a shuffle numbers them."""
    raw = read_json_lines(io.BytesIO(stream), "c.jsonl", LIMITS, skip=lines)
    return [entry.location for entry in lines.watch(raw)]


def test_each_entry_read_has_the_digest_of_its_own_line() -> None:
    first, broken, third = _line("09506000134352"), b'{"gtin": ', _line("09506000134369")
    lines = LineReader(None)
    read = _read(lines, first + b"\n\n" + broken + b"\n" + third + b"\n")
    assert read == ["c.jsonl:1", "c.jsonl:3", "c.jsonl:4"]  # the blank line is no entry
    assert [lines.digest_at(n) for n in range(3)] == [
        line_digest(first),
        line_digest(broken),  # not JSON, but read from a line: reported, and known by it
        line_digest(third),
    ]
    assert lines.digest_at(3) is None  # past the last entry


def test_an_over_long_line_has_no_digest_and_does_not_shift_the_others() -> None:
    long, after = _line("09506000134352", "x" * 300), _line("09506000134369")
    lines = LineReader(None)
    assert _read(lines, long + b"\n" + after + b"\n") == ["c.jsonl:1", "c.jsonl:2"]
    assert lines.digest_at(0) is None  # never read whole, so never digested
    assert lines.digest_at(1) == line_digest(after)


def test_lines_passed_over_are_not_numbered() -> None:
    kept, changed = _line("09506000134352"), _line("09506000134369", "new")
    lines = LineReader({line_digest(kept): "09506000134352"})
    assert _read(lines, kept + b"\n" + changed + b"\n") == ["c.jsonl:2"]
    assert lines.unchanged_gtins() == {"09506000134352"}  # (the one line the record knows)
    assert lines.digest_at(0) == line_digest(changed)
    assert lines.digest_at(1) is None


def test_entries_from_no_line_have_no_digest() -> None:
    lines = LineReader(None)
    entries = [RawEntry("dir/milk.json", {"gtin": "09506000134352"})]
    assert [raw.location for raw in lines.watch(entries)] == ["dir/milk.json"]
    assert lines.digest_at(0) is None


def test_a_gtin_both_passed_over_and_read_makes_the_reader_give_up() -> None:
    kept, again = _line("09506000134352"), _line("09506000134352", "another entry")
    lines = LineReader({line_digest(kept): "09506000134352"})
    _read(lines, again + b"\n" + kept + b"\n")  # read first, then passed over
    assert lines.gave_up
    lines = LineReader({line_digest(kept): "09506000134352"})
    _read(lines, kept + b"\n" + again + b"\n")  # passed over first, then read
    assert lines.gave_up
    lines = LineReader({line_digest(kept): "09506000134352"})
    _read(lines, kept + b"\n" + _line("09506000134369") + b"\n")
    assert not lines.gave_up


def test_more_lines_read_than_allowed_makes_the_reader_give_up_and_pass_the_rest() -> None:
    lines = LineReader({}, most_read=2)
    read = _read(lines, b"".join(_line(f"{n:014d}") + b"\n" for n in range(5)))
    assert lines.gave_up
    assert read == ["c.jsonl:1", "c.jsonl:2", "c.jsonl:3"]  # the rest not worth reading
