"""Entries past the limits are one entry's problem in every command, never a crash.

Each case is an entry an earlier gs1ld passed through ``check`` and then crashed
on (``TypeError: Recursion limit reached``, ``MemoryError`` from the JSON-LD
parser): now every command reports it on one line and writes the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from adversarial.generate import base_entry, deep_entry, gtin, huge_text_entry, write_catalog
from gs1ld.catalog import read_catalog
from gs1ld.cli import cli
from gs1ld.limits import MAX_DEPTH, Limits, entry_problem
from gs1ld.publish import Manifest

DEPTH_RULE = f"objects and arrays nested more than {MAX_DEPTH} levels deep"


def _good(n: int) -> dict[str, Any]:
    entry = base_entry()
    entry["gtin"] = gtin(n)
    return entry


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two good entries around a too-deep one, an orjson-edge one and a 10 MB text one."""
    folder = tmp_path_factory.mktemp("adversarial") / "catalog"
    entries = [
        _good(1),
        deep_entry(2, MAX_DEPTH + 1),
        deep_entry(3, 254),  # passes orjson's reader, breaks its writer when wrapped
        huge_text_entry(4),
        deep_entry(5, MAX_DEPTH),  # exactly at the limit: fine
    ]
    return write_catalog(folder, entries)


BAD = {gtin(2): "content.undocumented", gtin(3): "content.undocumented", gtin(4): "product"}


def _lines_by_gtin(output: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in output.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in BAD:
            found[parts[1]] = parts[2]
    return found


def _assert_reported(output: str) -> None:
    lines = _lines_by_gtin(output)
    assert sorted(lines) == sorted(BAD), output
    assert DEPTH_RULE in lines[gtin(2)]
    assert DEPTH_RULE in lines[gtin(3)]
    assert lines[gtin(4)].startswith("product.description: text of 10,000,000 bytes: entry is ")
    assert "Traceback" not in output


def test_check_reports_each_entry_past_a_limit(catalog: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(catalog)])
    assert result.exit_code == 1
    _assert_reported(result.output)
    assert result.output.splitlines()[-1] == "2 ok, 3 invalid"


def test_convert_writes_the_rest(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "jsonld"
    result = CliRunner().invoke(cli, ["convert", str(catalog), "-o", str(out)])
    assert result.exit_code == 1, result.output
    _assert_reported(result.output)
    assert sorted(p.stem for p in out.iterdir()) == [gtin(1), gtin(5)]


def test_site_build_publishes_the_rest(catalog: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    args = ["site", "build", str(catalog), "-o", str(site), "--base-url", "https://id.example"]
    result = CliRunner().invoke(cli, [*args, "--workers", "2"])
    assert result.exit_code == 1, result.output
    _assert_reported(result.output)
    assert sorted(Manifest.read(site).products) == [gtin(1), gtin(5)]


def test_a_text_under_the_entry_limit_but_over_the_parser_buffer_is_reported(
    tmp_path: Path,
) -> None:
    catalog = write_catalog(tmp_path / "c", [huge_text_entry(6, 9_000_000), _good(7)])
    out = tmp_path / "o"
    result = CliRunner().invoke(
        cli, ["convert", str(catalog), "-o", str(out), "--max-entry-bytes", str(64 << 20)]
    )
    assert result.exit_code == 1, result.output
    assert (
        f"{gtin(6)} product.description: text of 9,000,000 bytes, over the limit of "
        "4,194,304 bytes per text value"
    ) in result.output
    assert [p.stem for p in out.iterdir()] == [gtin(7)]


def test_validate_reports_documents_past_the_limits(tmp_path: Path) -> None:
    good = {"@context": {"gs1": "https://ref.gs1.org/voc/"}, "@type": "gs1:Product"}
    deep = {**good, "gs1:x": orjson.loads(orjson.dumps(deep_entry(1, 80)))}
    text = {**good, "gs1:productDescription": "x" * 5_000_000}
    stream = tmp_path / "docs.jsonl"
    stream.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in (deep, good, text)))
    result = CliRunner().invoke(cli, ["validate", str(stream), "--workers", "1"])
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{stream}:1 - -: gs1:x.content.undocumented")
    assert DEPTH_RULE in lines[0]
    assert lines[-2].startswith(f"{stream}:3 - -: gs1:productDescription: text of 5,000,000")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_a_long_json_lines_line_is_skipped_without_stopping(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    long_line = orjson.dumps(huge_text_entry(8, 3_000_000))
    path.write_bytes(orjson.dumps(_good(9)) + b"\n" + long_line + b"\n" + orjson.dumps(_good(10)))
    outcomes = list(read_catalog(path, limits=Limits(max_entry_bytes=1 << 20)))
    assert [o.ok for o in outcomes] == [True, False, True]
    assert str(outcomes[1].problems[0]) == (
        f"entry is {len(long_line) + 1:,} bytes of JSON, over the limit of 1,048,576 "
        "(--max-entry-bytes)"
    )


@pytest.mark.parametrize("depth", [1, 2, MAX_DEPTH])
def test_entries_up_to_the_depth_limit_pass_and_one_more_level_does_not(depth: int) -> None:
    value: Any = {}
    for _ in range(depth - 1):
        value = [value]
    limits = Limits(max_depth=depth)
    assert entry_problem(value, limits) is None
    assert entry_problem(value, limits, raw=orjson.dumps(value)) is None
    problem = entry_problem({"k": value}, limits)
    assert problem is not None
    expected = "k" + "[0]" * (depth - 1)
    assert problem.path == (expected if depth < 12 else "k[0][0][0][0][0]…[0][0][0][0][0][0]")


def test_the_depth_limit_leaves_room_under_orjson_s_write_limit() -> None:
    """An entry at the depth limit still serialises however later steps wrap it,
    and the limit it leaves room under is real: far deeper, orjson refuses."""
    deepest = deep_entry(1, MAX_DEPTH)
    for _ in range(255 - MAX_DEPTH - 1):  # every later step's wrapping fits
        deepest = {"wrapped": deepest}
    assert orjson.loads(orjson.dumps(deepest)) == deepest
    too_deep = deepest
    for _ in range(MAX_DEPTH):
        too_deep = {"wrapped": too_deep}
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(too_deep)
