"""Catalogs as JSON Lines shards and as Parquet: read, cut into parts, and built like JSON Lines.

Every layout of the same entries must give the same entries, problems and
catalog order; only the locations differ (``shard.jsonl:3``, ``catalog.parquet[2]``).
Cutting a catalog into parts (what a cluster reads) must give exactly what one
read of the whole gives, in the same order.
"""

from __future__ import annotations

import builtins
import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from gs1ld.catalog import read_catalog
from gs1ld.catalog.parts import plan_parts, read_part
from gs1ld.catalog.reader import iter_raw_entries
from gs1ld.cli import cli
from gs1ld.errors import ParseError
from gs1ld.limits import Limits
from gs1ld.testing import synthetic_catalog

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SID = "3" * 22


def _entry(n: int) -> dict[str, Any]:
    """A valid entry whose every field has one JSON type (so it fits Parquet columns)."""
    from gs1ld.gtin import check_digit

    payload = f"0950600{n:06d}"
    return {
        "gtin": f"{payload}{check_digit(payload)}",
        "product": {"name": f"Milk {n}", "brand": "Meadow", "language": "en"},
        "content": {
            "images": [],
            "ingredients": [
                {"id": SID, "name": "Milk", "is_major_allergen": True, "percentage": 100.0}
            ],
            "certifications": [],
            "claims": [],
            "recalls": [],
        },
    }


def _mixed() -> list[bytes]:
    """JSON Lines with valid entries, a broken rule, text that is not JSON and a repeat."""
    entries = [_entry(n) for n in range(12)]
    bad = copy.deepcopy(entries[4])
    bad["content"]["ingredients"][0]["percentage"] = 101
    lines = [orjson.dumps(e) for e in entries]
    lines[4] = orjson.dumps(bad)
    lines[7] = b'{"gtin": "09506000000'
    lines.append(lines[2])
    return lines


def _outcomes(source: Any, rename: dict[str, str]) -> list[tuple[str, str | None, Any, tuple]]:
    def name(location: str) -> str:
        for old, new in rename.items():
            location = location.replace(old, new)
        return location

    return [
        (name(o.location), o.gtin, o.raw, tuple(p.rule for p in o.problems))
        for o in read_catalog(source)
    ]


def _shards(tmp_path: Path, lines: list[bytes], sizes: list[int]) -> Path:
    folder = tmp_path / "shards"
    (folder / "b").mkdir(parents=True)
    start = 0
    for n, size in enumerate(sizes):
        sub = folder / ("b" if n % 2 else "")
        (sub / f"part-{n:02d}.jsonl").write_bytes(
            b"".join(x + b"\n" for x in lines[start : start + size])
        )
        start += size
    (folder / "README.txt").write_text("not part of the catalog")
    return folder


def test_a_folder_of_json_lines_shards_reads_as_their_lines_in_path_order(tmp_path: Path) -> None:
    lines = _mixed()
    folder = _shards(tmp_path, lines, [4, 5, 4])
    outcomes = list(read_catalog(folder))
    # path order: b/part-01.jsonl, then part-00.jsonl and part-02.jsonl ("b/" < "part-")
    assert [o.location.removeprefix(str(folder) + "/") for o in outcomes[:2]] == [
        "b/part-01.jsonl:1",
        "b/part-01.jsonl:2",
    ]
    by_shard = {o.location.rsplit(":", 1)[0].rsplit("/", 1)[1] for o in outcomes}
    assert by_shard == {"part-00.jsonl", "part-01.jsonl", "part-02.jsonl"}
    assert len(outcomes) == len(lines)
    assert sum(not o.ok for o in outcomes) == 2  # the broken rule and the broken JSON
    assert sorted(o.raw == json.loads(lines[4]) for o in outcomes if o.problems and o.raw) == [True]


@pytest.mark.parametrize("block_size", [1, 300, 1 << 20])
def test_parts_of_a_shard_folder_give_exactly_the_whole_read(
    tmp_path: Path, block_size: int
) -> None:
    lines = _mixed()
    folder = _shards(tmp_path, lines, [6, 1, 6])
    (folder / "c.json").write_bytes(b"[" + b",".join([lines[0], lines[1]]) + b"]")
    (folder / "d.json").write_bytes(lines[3])
    parts = plan_parts(folder, block_size=block_size)
    assert [p.index for p in parts] == list(range(len(parts)))
    read = [
        (n, r.location, r.data, r.error) for part in parts for n, r in read_part(part, Limits())
    ]
    positions = [n for n, *_ in read]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    whole = [(r.location, r.data, r.error) for r in iter_raw_entries(folder)]
    assert [rest for _, *rest in read] == [list(w) for w in whole]
    if block_size == 1:  # every line a part of its own, every .json file too
        assert len(parts) == len(lines) + 2


def _json_column(
    path: Path, lines: list[bytes], *, row_group_size: int, binary: bool = False
) -> Path:
    kind = pa.binary() if binary else pa.string()
    values = lines if binary else [x.decode() for x in lines]
    table = pa.table({"entry": pa.array(values, type=kind)})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


@pytest.mark.parametrize("binary", [False, True])
def test_a_parquet_json_column_reads_like_json_lines(tmp_path: Path, binary: bool) -> None:
    lines = _mixed()
    jsonl = tmp_path / "catalog.jsonl"
    jsonl.write_bytes(b"".join(x + b"\n" for x in lines))
    parquet = _json_column(tmp_path / "catalog.parquet", lines, row_group_size=5, binary=binary)
    got = _outcomes(parquet, {})
    want = _outcomes(jsonl, {})
    assert [g[0] for g in got] == [f"{parquet}[{n}]" for n in range(len(lines))]
    assert [g[1:] for g in got] == [w[1:] for w in want]
    assert got[7][3][0].startswith("invalid JSON: ")


def test_parquet_columns_are_the_entry_and_nulls_are_absent_fields(tmp_path: Path) -> None:
    entries = [_entry(n) for n in range(9)]
    entries[3]["product"]["country_of_origin"] = "FR"  # a column the others hold as null
    entries[5]["content"]["ingredients"][0]["percentage"] = 101  # still a broken rule
    path = tmp_path / "catalog.parquet"
    pq.write_table(pa.Table.from_pylist(entries), path, row_group_size=4)
    got = list(read_catalog(path))
    assert [o.location for o in got] == [f"{path}[{n}]" for n in range(9)]
    assert [o.raw for o in got] == entries  # no "country_of_origin": None in the others
    assert [o.ok for o in got] == [n != 5 for n in range(9)]
    assert got[5].problems[0].path == "content.ingredients[0].percentage"


def test_parquet_dates_decimals_and_bytes_become_json(tmp_path: Path) -> None:
    from decimal import Decimal

    from gs1ld.catalog.parquet import parquet_entries

    table = pa.table(
        {
            "gtin": ["09506000134352"],
            "day": [date(2026, 6, 1)],
            "price": pa.array([Decimal("2.50")], type=pa.decimal128(5, 2)),
            "count": pa.array([Decimal("3")], type=pa.decimal128(5, 0)),
            "blob": [b"abc"],
        }
    )
    pq.write_table(table, tmp_path / "x.parquet")
    (raw,) = parquet_entries(str(tmp_path / "x.parquet"), "x.parquet", Limits())
    assert raw.data == {
        "gtin": "09506000134352",
        "day": "2026-06-01",
        "price": 2.5,
        "count": 3,
        "blob": "abc",
    }


def test_a_parquet_row_is_held_to_the_entry_limits(tmp_path: Path) -> None:
    lines = [orjson.dumps(_entry(0)), orjson.dumps({**_entry(1), "pad": "x" * 3000})]
    path = _json_column(tmp_path / "c.parquet", lines, row_group_size=10)
    got = list(iter_raw_entries(path, limits=Limits(max_entry_bytes=2048)))
    assert got[0].error is None
    assert got[1].error is not None
    assert "over the limit of 2,048" in got[1].error.rule
    assert got[1].location == f"{path}[1]"


@pytest.mark.parametrize("block_size", [1, 2000, 1 << 30])
def test_parquet_parts_are_runs_of_row_groups_with_their_first_row(
    tmp_path: Path, block_size: int
) -> None:
    lines = [orjson.dumps(e) for e in synthetic_catalog(40, seed=8)]
    path = _json_column(tmp_path / "catalog.parquet", lines, row_group_size=7)
    parts = plan_parts(path, block_size=block_size)
    assert [g for p in parts for g in p.row_groups] == list(range(6))
    assert [p.first_line for p in parts] == [
        sum(q.lines for q in parts[:i]) for i in range(len(parts))
    ]
    read = [(r.location, r.data) for part in parts for _, r in read_part(part, Limits())]
    assert read == [(f"{path}[{n}]", orjson.loads(x)) for n, x in enumerate(lines)]
    assert len(parts) == {1: 6, 2000: len(parts), 1 << 30: 1}[block_size]


def test_a_file_named_parquet_that_is_not_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "catalog.parquet"
    path.write_text('{"gtin": "09506000134352"}\n')
    with pytest.raises(ParseError, match=r"is not a readable Parquet file"):
        list(iter_raw_entries(path))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "is not a readable Parquet file" in result.output
    assert "Traceback" not in result.output


def test_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _json_column(tmp_path / "catalog.parquet", [orjson.dumps(_entry(0))], row_group_size=1)
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ParseError, match=r"needs pyarrow: pip install 'gs1ld\[arrow\]'"):
        list(iter_raw_entries(path))


def test_a_site_built_from_parquet_or_shards_equals_the_json_lines_build(tmp_path: Path) -> None:
    from gs1ld.config import ExportConfig, SiteConfig
    from gs1ld.site.build import build_site

    lines = [orjson.dumps(e) for e in synthetic_catalog(60, seed=4)]
    jsonl = tmp_path / "catalog.jsonl"
    jsonl.write_bytes(b"".join(x + b"\n" for x in lines))
    parquet = _json_column(tmp_path / "catalog.parquet", lines, row_group_size=16)
    shards = _shards(tmp_path, lines, [20, 20, 20])
    config = SiteConfig(
        ExportConfig(base_url="https://id.brand.example", today=date(2026, 6, 1)), validate=False
    )
    sites = {}
    for name, source in {"jsonl": jsonl, "parquet": parquet, "shards": shards}.items():
        site = tmp_path / f"site-{name}"
        report = build_site(source, site, config=config)
        assert (report.built, report.invalid) == (60, [])
        sites[name] = {
            p.relative_to(site): p.read_bytes()
            for p in site.rglob("*")
            if p.is_file() and p.name != "sources.bin"  # the record of JSON lines read
        }
    assert sites["parquet"] == sites["jsonl"] == sites["shards"]


def test_hidden_and_underscore_files_are_not_part_of_a_folder_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    for relative in (
        "part-0.jsonl",
        "_temporary/0/part-0.jsonl",
        ".ipynb_checkpoints/a.json",
        "_SUCCESS",
        "2026/part-1.jsonl",
    ):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(orjson.dumps(_entry(len(relative))) + b"\n")
    locations = [r.location.removeprefix(f"{folder}/") for r in iter_raw_entries(folder)]
    assert locations == ["2026/part-1.jsonl:1", "part-0.jsonl:1"]
    assert [p.path.removeprefix(f"{folder}/") for p in plan_parts(folder)] == [
        "2026/part-1.jsonl",
        "part-0.jsonl",
    ]


def test_nested_parquet_read_by_parts_gives_the_whole_read(tmp_path: Path) -> None:
    entries = [_entry(n) for n in range(30)]
    path = tmp_path / "catalog.parquet"
    pq.write_table(pa.Table.from_pylist(entries), path, row_group_size=7)
    parts = plan_parts(path, block_size=1)
    assert len(parts) == 5
    read = [(r.location, r.data) for part in parts for _, r in read_part(part, Limits())]
    assert read == [(f"{path}[{n}]", e) for n, e in enumerate(entries)]


def test_a_large_row_group_is_decoded_a_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gs1ld.catalog import parquet

    lines = [orjson.dumps(_entry(n)) for n in range(25)]
    path = _json_column(tmp_path / "c.parquet", lines, row_group_size=1000)
    decoded: list[int] = []
    real_open = parquet._open

    class Recording:
        """The real file, noting how many rows each batch it hands out holds."""

        def __init__(self, *args: Any) -> None:
            self._file = real_open(*args)
            self.schema_arrow, self.metadata = self._file.schema_arrow, self._file.metadata

        def iter_batches(self, **kwargs: Any) -> Any:
            for batch in self._file.iter_batches(**kwargs):
                decoded.append(batch.num_rows)
                yield batch

    monkeypatch.setattr(parquet, "BATCH_ROWS", 4)
    monkeypatch.setattr(parquet, "_open", Recording)
    got = list(iter_raw_entries(path))
    assert [r.location for r in got] == [f"{path}[{n}]" for n in range(25)]
    assert max(decoded) == 4
    assert sum(decoded) == 25


def test_text_columns_pandas_index_and_empty_files_are_read_as_json_rows(tmp_path: Path) -> None:
    lines = [orjson.dumps(_entry(n)).decode() for n in range(3)]
    encoded = pa.array(lines).dictionary_encode()  # a pandas categorical column
    index = pa.array([10, 11, 12])  # the index pandas writes beside a filtered frame
    schema = pa.schema([("entry", encoded.type), ("__index_level_0__", pa.int64())]).with_metadata(
        {b"pandas": json.dumps({"index_columns": ["__index_level_0__"]}).encode()}
    )
    path = tmp_path / "frame.parquet"
    pq.write_table(pa.Table.from_arrays([encoded, index], schema=schema), path)
    assert [r.data for r in iter_raw_entries(path)] == [json.loads(x) for x in lines]
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"entry": pa.array([], type=pa.string())}), empty)
    with pytest.raises(ParseError, match="holds no entries"):  # alone, it is no catalog
        list(iter_raw_entries(empty))


def test_parquet_values_json_cannot_hold_become_null_or_text(tmp_path: Path) -> None:
    from datetime import datetime, timedelta
    from decimal import Decimal

    from gs1ld.catalog.parquet import parquet_entries

    table = pa.table(
        {
            "gtin": ["09506000134352"],
            "when": pa.array([datetime(2026, 6, 1, 12, 0)], type=pa.timestamp("ns")),
            "wait": pa.array([timedelta(seconds=90)], type=pa.duration("ns")),
            "ratio": [float("nan")],
            "huge": pa.array([Decimal(2**70)], type=pa.decimal128(30, 0)),
        }
    )
    pq.write_table(table, tmp_path / "x.parquet")
    (raw,) = parquet_entries(str(tmp_path / "x.parquet"), "x.parquet", Limits())
    assert raw.error is None
    assert raw.data == {
        "gtin": "09506000134352",
        "when": "2026-06-01T12:00:00",
        "wait": "0:01:30",
        "huge": float(2**70),
    }
