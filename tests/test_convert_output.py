"""``convert -o``: the output's name picks the format, or the command says why not.

A file ending .jsonl/.ndjson, .nq, .ttl or .jsonld/.json is one file in that
format (written whole, then renamed in); anything else is a folder of one file
per product; an existing output is replaced only with --force; a --format the
name contradicts is an error naming both; every refusal is one ``error:`` line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG

PRODUCTS = len(list(EXAMPLE_CATALOG.glob("*.json")))
ARGS = ["convert", str(EXAMPLE_CATALOG), "--no-validate", "--base-url", "https://id.brand.example"]


def _convert(*more: str) -> Result:
    return CliRunner().invoke(cli, [*ARGS, *more])


def _errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        (
            "out.nq",
            lambda data: data.count(b"\n") > PRODUCTS and b"<https://id.brand.example/01/" in data,
        ),
        ("out.ttl", lambda data: b"@prefix gs1: <https://ref.gs1.org/voc/>" in data),
        ("out.jsonl", lambda data: len(data.splitlines()) == PRODUCTS),
        ("out.ndjson", lambda data: len(data.splitlines()) == PRODUCTS),
        ("out.jsonld", lambda data: len(json.loads(data)) == PRODUCTS),
        ("out.json", lambda data: len(json.loads(data)) == PRODUCTS),
    ],
)
def test_a_file_suffix_picks_the_format_and_writes_one_file(
    tmp_path: Path, name: str, check
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / name
    result = _convert("-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert check(target.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary left


def test_a_folder_gets_one_file_per_product(tmp_path: Path) -> None:
    result = _convert("-o", str(tmp_path / "docs"), "--format", "nquads")
    assert result.exit_code == 0
    files = sorted((tmp_path / "docs").iterdir())
    assert len(files) == PRODUCTS
    assert {p.suffix for p in files} == {".nq"}


@pytest.mark.parametrize(
    ("name", "fmt", "said"),
    [
        ("out.nq", "turtle", "names a N-Quads file (.nq) but --format is turtle"),
        ("out.ttl", "jsonl", "names a Turtle file (.ttl) but --format is jsonl"),
        ("out.jsonld", "nquads", "names a JSON-LD file (.jsonld) but --format is nquads"),
    ],
)
def test_a_format_the_name_contradicts_is_an_error(
    tmp_path: Path, name: str, fmt: str, said: str
) -> None:
    result = _convert("-o", str(tmp_path / name), "--format", fmt)
    assert result.exit_code == 2
    assert len(_errors(result)) == 1
    assert said in _errors(result)[0]
    assert not (tmp_path / name).exists()


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    target.write_bytes(b"keep me")
    refused = _convert("-o", str(target))
    assert refused.exit_code == 2
    assert _errors(refused) == [
        f"error: Output {str(target)!r} exists; pass --force to replace it."
    ]
    assert target.read_bytes() == b"keep me"
    assert _convert("-o", str(target), "--force").exit_code == 0
    assert target.read_bytes() != b"keep me"


def test_a_folder_with_files_is_written_into_only_with_force(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    assert _convert("-o", str(folder)).exit_code == 0
    again = _convert("-o", str(folder))
    assert again.exit_code == 2
    assert "is not empty; pass --force" in _errors(again)[0]
    assert _convert("-o", str(folder), "--force").exit_code == 0


def test_a_file_where_a_folder_is_meant_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    result = _convert("-o", str(tmp_path / "plain"))
    assert result.exit_code == 2
    assert _errors(result) == [
        f"error: Output {str(tmp_path / 'plain')!r} is a file; give a folder (one file per "
        "product) or a file ending .jsonl, .ndjson, .nq, .ttl, .jsonld, .json."
    ]
    assert "Errno" not in result.output


def test_stdout_gets_json_lines_or_a_json_ld_array() -> None:
    lines = _convert()
    assert len(lines.stdout.splitlines()) == PRODUCTS
    array = _convert("--format", "jsonld")
    assert len(json.loads(array.stdout)) == PRODUCTS
