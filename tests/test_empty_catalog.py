"""An empty catalog is an error for every command that reads one (exit 2), never "0 built".

An export that failed upstream leaves an empty file or folder; read as a catalog
of no products it would empty a live site.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gs1ld.cli import cli

BASE = ["--base-url", "https://id.brand.example"]


def _empty(tmp_path: Path, kind: str) -> Path:
    if kind == "folder":
        (tmp_path / "catalog").mkdir()
        return tmp_path / "catalog"
    path = tmp_path / f"catalog.{kind}"
    path.write_text("" if kind == "jsonl" else "[]", encoding="utf-8")
    return path


COMMANDS = {
    "check": lambda catalog, tmp: ["check", str(catalog)],
    "convert": lambda catalog, tmp: ["convert", str(catalog), "-o", str(tmp / "out"), *BASE],
    "site build": lambda catalog, tmp: ["site", "build", str(catalog), "-o", str(tmp / "s"), *BASE],
    "convert on a cluster": lambda catalog, tmp: [
        "convert",
        str(catalog),
        "-o",
        str(tmp / "out"),
        *BASE,
        "--scheduler",
        "local:1",
    ],
}


CASES = [
    (command, kind)
    for command in COMMANDS
    for kind in (["jsonl"] if "cluster" in command else ["folder", "jsonl", "json"])
]


@pytest.mark.parametrize(("command", "kind"), CASES)
def test_an_empty_catalog_is_refused(command: str, kind: str, tmp_path: Path) -> None:
    catalog = _empty(tmp_path, kind)
    result = CliRunner().invoke(cli, COMMANDS[command](catalog, tmp_path))
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: Catalog {str(catalog)!r} holds no entries: an empty catalog is refused "
        "rather than published (check the export that wrote it)."
    ]
    assert not (tmp_path / "s" / "current").exists()  # nothing was published


def test_validate_refuses_a_target_without_documents(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path} holds no JSON-LD documents to validate" in result.output
