"""``gs1ld check`` on a catalog with planted errors: one precise line per error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import gs1ld
from gs1ld.cli import COMMANDS, cli

SID = "2" * 22

VALID: dict[str, Any] = {
    "gtin": "09506000134352",
    "product": {"name": "Whole Milk", "brand": "Meadow", "language": "en"},
    "content": {
        "images": [],
        "ingredients": [{"id": SID, "name": "Milk", "is_major_allergen": True, "percentage": 100}],
        "certifications": [
            {
                "id": SID,
                "label": "USDA Organic",
                "is_active": True,
                "metadata": {"batch": "7"},
                "valid_from": "2025-01-01",
                "certificate_countries": ["US"],
                "verification_status": "verified",
            }
        ],
        "claims": [],
        "recalls": [],
    },
}


def _planted(path: list[Any], value: Any, gtin: str = "09506000134369") -> str:
    entry = copy.deepcopy(VALID)
    entry["gtin"] = gtin
    target = entry
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(entry)


def _catalog(tmp_path: Path) -> Path:
    cert = ["content", "certifications", 0]
    lines = [
        json.dumps(VALID),  # 1 ok
        _planted(["gtin"], "09506000134353"),  # 2
        _planted([*cert, "id"], "2" * 23),  # 3
        _planted([*cert, "metadata"], {"k" * 41: "v"}),  # 4
        _planted([*cert, "certificate_countries"], ["US", "ca"]),  # 5
        _planted([*cert, "verification_status"], "pending"),  # 6
        _planted([*cert, "valid_from"], "2025-02-30"),  # 7
        _planted(["content", "ingredients", 0, "percentage"], 101),  # 8
        json.dumps(VALID)[:57],  # 9 truncated
        _planted(["gtin"], "00036000291452"),  # 10 ok
    ]
    path = tmp_path / "planted.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_planted_errors_get_one_precise_line_each(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(catalog)])
    c = str(catalog)
    g = "09506000134369"
    cert = "content.certifications[0]"
    assert result.output.splitlines() == [
        f"{c}:2 - gtin: Invalid GTIN check digit in '09506000134353': expected 2, got 3.",
        f"{c}:3 {g} {cert}.id: expected a 22-character shortuuid (alphabet 2-9, A-Z and a-z "
        "without I, O, l) or a canonical UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, "
        f"got '{'2' * 23}'",
        f"{c}:4 {g} {cert}.metadata.{'k' * 41} (key): String should have at most 40 characters, "
        f"got '{'k' * 41}'",
        f"{c}:5 {g} {cert}.certificate_countries[1]: expected an uppercase ISO 3166-1 alpha-2 "
        "country code such as 'US', got 'ca'",
        f"{c}:6 {g} {cert}.verification_status: Input should be 'unverified', 'verified' or "
        "'expired', got 'pending'",
        f"{c}:7 {g} {cert}.valid_from: expected an existing calendar date YYYY-MM-DD, "
        "got '2025-02-30'",
        f"{c}:8 {g} content.ingredients[0].percentage: Input should be less than or equal to "
        "100, got 101",
        f"{c}:9 - invalid JSON: unexpected end of data (line 1, column 58)",
        "2 ok, 8 invalid",
    ]
    assert result.exit_code == 1


def test_all_valid_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([VALID, VALID]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.output == "2 ok, 0 invalid\n"
    assert result.exit_code == 0


def test_directory_catalog_names_files_and_array_items(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(VALID), encoding="utf-8")
    bad = copy.deepcopy(VALID)
    bad["content"]["ingredients"][0]["percentage"] = -1
    (tmp_path / "b.json").write_text(json.dumps([VALID, bad]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.output.splitlines() == [
        f"{tmp_path / 'b.json'}[1] 09506000134352 content.ingredients[0].percentage: "
        "Input should be greater than or equal to 0, got -1",
        "2 ok, 1 invalid",
    ]
    assert result.exit_code == 1


def test_stdin_is_read_as_json_lines() -> None:
    text = json.dumps(VALID) + "\n\n" + "[1, 2]\n"
    result = CliRunner().invoke(cli, ["check", "-"], input=text)
    assert result.output.splitlines() == [
        "<stdin>:3 - expected a JSON object (a catalog entry), got [1, 2]",
        "1 ok, 1 invalid",
    ]


def test_strict_rejects_undocumented_fields(tmp_path: Path) -> None:
    entry = copy.deepcopy(VALID)
    entry["content"]["recalls"] = [{"id": SID, "title": "Recall", "severity": "high"}]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(path)]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--strict", str(path)])
    assert result.exit_code == 1
    assert "content.recalls[0]: unknown field(s) severity" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.jsonl", "does not exist"),
        ("catalog.csv", "is not a catalog"),
    ],
)
def test_unreadable_catalog_exits_2_without_traceback(
    tmp_path: Path, name: str, message: str
) -> None:
    target = tmp_path / name
    if name.endswith(".csv"):
        target.write_text("gtin\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(target)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_lists_every_command_and_version_prints_the_package_version() -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["--help"])
    assert shown.exit_code == 0
    listed = shown.output.split("Commands:", 1)[1]
    assert sorted(line.split()[0] for line in listed.strip().splitlines() if line.strip()) == (
        sorted(COMMANDS)
    )
    version = runner.invoke(cli, ["--version"])
    assert version.exit_code == 0
    assert version.output == f"gs1ld, version {gs1ld.__version__}\n"


def test_schema_command_prints_a_json_schema() -> None:
    import jsonschema

    result = CliRunner().invoke(cli, ["schema"])
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(VALID)
    assert not validator.is_valid({"gtin": "09506000134352"})  # content is required


def test_example_catalog_is_valid_and_matches_the_json_schema() -> None:
    import jsonschema

    from gs1ld.catalog import iter_raw_entries
    from gs1ld.cli.schema import entry_json_schema
    from support import EXAMPLE_CATALOG

    validator = jsonschema.Draft202012Validator(entry_json_schema())
    raws = list(iter_raw_entries(EXAMPLE_CATALOG))
    assert len(raws) >= 12
    for raw in raws:
        assert sorted(e.message for e in validator.iter_errors(raw.data)) == [], raw.location
    result = CliRunner().invoke(cli, ["check", "--strict", str(EXAMPLE_CATALOG)])
    assert (result.exit_code, result.output) == (0, f"{len(raws)} ok, 0 invalid\n")
