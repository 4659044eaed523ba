"""Reading catalogs: formats, locations, streaming, never stopping at a bad entry."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from gs1ld.catalog import parse_entry, read_catalog
from gs1ld.catalog.raw import read_json_lines
from gs1ld.catalog.reader import iter_raw_entries
from gs1ld.errors import EntryError, ParseError
from gs1ld.limits import Limits

ENTRY = {
    "gtin": "9506000134352",
    "content": {"images": [], "ingredients": [], "certifications": [], "claims": [], "recalls": []},
}


def test_parse_entry_normalises_the_gtin() -> None:
    assert parse_entry(ENTRY).gtin == "09506000134352"


def test_parse_entry_reports_every_problem_with_its_gtin() -> None:
    bad = {**ENTRY, "product": {"country_of_origin": "usa", "language": ""}}
    with pytest.raises(EntryError) as excinfo:
        parse_entry(bad)
    assert excinfo.value.gtin == "09506000134352"
    assert [p.path for p in excinfo.value.problems] == [
        "product.language",
        "product.country_of_origin",
    ]
    assert str(excinfo.value).startswith("2 problems: product.language: ")


def test_product_block_forms() -> None:
    entry = parse_entry(
        {
            **ENTRY,
            "product": {
                "name": {"en": "Milk", "fr-CA": "Lait"},
                "kind": "food",
                "net_content": {"value": 1, "unit": "l"},
                "manufacturer": {"name": "Meadow Dairy", "gln": "9506000000008"},
            },
        }
    )
    assert entry.product is not None
    assert entry.product.name == {"en": "Milk", "fr-CA": "Lait"}
    assert [(n.value, n.unit) for n in entry.product.net_content] == [(1.0, "l")]
    assert entry.is_food
    with pytest.raises(EntryError, match="Invalid GLN check digit in '9506000000006'"):
        parse_entry({**ENTRY, "product": {"manufacturer": {"name": "X", "gln": "9506000000006"}}})


def test_food_is_inferred_from_nutrition_or_ftl_but_not_ingredients() -> None:
    assert not parse_entry(ENTRY).is_food
    with_panel = {**ENTRY, "content": {**ENTRY["content"], "nutrition_facts": {}}}
    assert parse_entry(with_panel).is_food
    told = {**with_panel, "product": {"kind": "non_food"}}
    assert not parse_entry(told).is_food


def test_jsonl_locations_skip_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(f"{json.dumps(ENTRY)}\n\n{{\n{json.dumps(ENTRY)}\n", encoding="utf-8")
    outcomes = list(read_catalog(path))
    assert [(o.location, o.ok) for o in outcomes] == [
        (f"{path}:1", True),
        (f"{path}:3", False),
        (f"{path}:4", True),
    ]
    assert outcomes[1].problems[0].rule.startswith("invalid JSON: ")


def test_directory_is_read_in_sorted_order_recursively(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.json").write_text(json.dumps(ENTRY), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps([ENTRY, ENTRY]), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a catalog file", encoding="utf-8")
    locations = [o.location for o in read_catalog(tmp_path)]
    assert locations == [
        f"{tmp_path / 'a.json'}[0]",
        f"{tmp_path / 'a.json'}[1]",
        str(tmp_path / "b" / "z.json"),
    ]


def test_missing_catalog_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="does not exist"):
        list(read_catalog(tmp_path / "nope.jsonl"))


class _CountingStream(io.BytesIO):
    """A byte stream that counts how many lines were pulled from it."""

    def __init__(self, lines: list[bytes]) -> None:
        super().__init__()
        self._lines = lines
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def readline(self, size: int | None = -1) -> bytes:
        if self.pulled == len(self._lines):
            return b""
        self.pulled += 1
        return self._lines[self.pulled - 1]


def test_json_lines_are_streamed_not_loaded_whole() -> None:
    line = json.dumps(ENTRY).encode() + b"\n"
    stream = _CountingStream([line] * 1000)
    entries = read_json_lines(stream, "big.jsonl", Limits())
    first = next(entries)
    assert first.location == "big.jsonl:1"
    assert stream.pulled == 1


def test_catalog_parts_read_every_entry_once_with_its_line_number(tmp_path: Path) -> None:
    from gs1ld.catalog.parts import plan_parts, read_part

    catalog = tmp_path / "c.jsonl"
    lines = [b'{"gtin": "%d", "pad": "%s"}\n' % (n, b"x" * (n % 7)) for n in range(500)]
    lines[40] = b"\n"  # a blank line keeps its number and holds no entry
    catalog.write_bytes(b"".join(lines))
    parts = plan_parts(catalog, block_size=1000)
    assert len(parts) > 10
    read = [raw for part in parts for _, raw in read_part(part, Limits())]
    whole = list(iter_raw_entries(catalog))
    assert [(r.location, r.data) for r in read] == [(r.location, r.data) for r in whole]
    positions = [p for part in parts for p, _ in read_part(part, Limits())]
    assert positions == sorted(positions)


def test_located_parts_read_as_whole_reads_and_entries_read_again_where_they_lie(
    tmp_path: Path,
) -> None:
    """read_part_located gives read_part's entries and positions; each readable entry of a
    JSON Lines range says where it lies, and EntryReader reads the same entry there."""
    from gs1ld.catalog.parts import EntryReader, plan_parts, read_part, read_part_located

    catalog = tmp_path / "c.jsonl"
    lines = [b'{"gtin": "%d", "pad": "%s"}\n' % (n, b"x" * (n % 7)) for n in range(300)]
    lines[40] = b"\n"  # blank: a number, no entry
    lines[41] = b"{not json\n"  # an error: no place to read it again
    lines[42] = b'{"gtin": "42", "pad": "%s"}\n' % (b"y" * 2000)  # longer than the limit
    lines[43] = b'{"gtin": "43"}\r\n'
    lines[-1] = lines[-1].rstrip(b"\n")  # no line end at the end of the file
    catalog.write_bytes(b"".join(lines))
    limits = Limits(max_entry_bytes=1000)
    parts = plan_parts(catalog, block_size=1000)
    assert len(parts) > 5
    whole = [pair for part in parts for pair in read_part(part, limits)]
    located = [triple for part in parts for triple in read_part_located(part, limits)]
    assert [(p, r) for p, r, _ in located] == whole
    assert [r.location for _, r, where in located if where is None] == [
        f"{catalog}:42",
        f"{catalog}:43",
    ]
    with EntryReader([part.path for part in parts]) as reader:
        again = [(p, reader.entry(p, where)) for p, _, where in located if where is not None]
    assert again == [(p, r) for p, r, where in located if where is not None]
    assert len(again) == 297
    position, _, where = located[0]
    assert where is not None
    catalog.write_bytes(b"#" * 40 + b"".join(lines[1:]))  # rewritten while a build runs
    with EntryReader([part.path for part in parts]) as reader, pytest.raises(ParseError) as raised:
        reader.entry(position, where)
    assert "changed during the build: line 1" in str(raised.value)


@pytest.mark.parametrize("read_size", [1, 7, 1 << 20])
def test_line_ranges_end_at_line_ends_whatever_the_read_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_size: int
) -> None:
    """A JSON Lines file is cut at the first line end past each block, read in chunks of
    any size; ranges are contiguous and their line counts add up to the file's."""
    from gs1ld.catalog import parts

    monkeypatch.setattr(parts, "_READ_SIZE", read_size)
    rng = random.Random(read_size)
    for trial in range(200):
        data = b"\n".join(b"x" * rng.randint(0, 30) for _ in range(rng.randint(0, 12)))
        data += b"\n" if trial % 3 else b""
        path = tmp_path / f"c{trial}.jsonl"
        path.write_bytes(data)
        block = rng.randint(1, 60)
        if not data:  # nothing to cut: an empty catalog is refused
            with pytest.raises(ParseError, match="holds no entries"):
                parts.plan_parts(path, block_size=block)
            continue
        ranges = parts.plan_parts(path, block_size=block)
        ends = [r.end for r in ranges]
        assert [r.start for r in ranges] == [0, *ends][: len(ranges)]  # contiguous
        assert (ranges[-1].end if ranges else 0) == len(data)
        for r in ranges:
            chunk = data[r.start : r.end]
            assert r.lines == chunk.count(b"\n")
            first_end = data.find(b"\n", r.start + block - 1)
            assert r.end == (len(data) if first_end < 0 else first_end + 1)
        assert [r.first_line for r in ranges] == [1 + data[: r.start].count(b"\n") for r in ranges]
