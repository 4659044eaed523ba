"""Options from the environment and from gs1ld.toml; shell completion; JSON summaries."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG

BAD_LINE = b'{"gtin": "123"}\n'


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "c.jsonl"
    path.write_bytes(BAD_LINE)
    return path


def test_every_option_reads_its_environment_variable(catalog: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(catalog)], env={"GS1LD_CHECK_REPORT_FORMAT": "json"}
    )
    assert orjson.loads(result.output)["invalid"] == 1


def test_gs1ld_toml_sets_defaults_and_the_command_line_wins(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gs1ld.toml").write_text('[check]\nreport-format = "json"\nquiet = true\n', "utf-8")
    from_file = CliRunner().invoke(cli, ["check", str(catalog)])
    assert orjson.loads(from_file.output) == {"ok": 0, "invalid": 1, "problems": []}
    from_line = CliRunner().invoke(cli, ["check", str(catalog), "--report-format", "text"])
    assert from_line.output == "0 ok, 1 invalid\n"
    from_env = CliRunner().invoke(
        cli, ["check", str(catalog)], env={"GS1LD_CHECK_REPORT_FORMAT": "text"}
    )
    assert from_env.output == "0 ok, 1 invalid\n"


def test_pyproject_tool_table_and_nested_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gs1ld.site.build]\nbase-url = "https://id.brand.example"\nno-validate = true\n',
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["site", "build", str(EXAMPLE_CATALOG), "-o", "out"])
    assert result.exit_code == 0, result.output
    manifest = orjson.loads((tmp_path / "out" / "current" / "manifest.json").read_bytes())
    assert manifest["base_url"] == "https://id.brand.example"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[check]\nformatt = "json"\n', "[check] has no option 'formatt'"),
        ('[chek]\nformat = "json"\n', "[chek] names no gs1ld command"),
        ("[check\n", "not valid TOML"),
    ],
    ids=["unknown-option", "unknown-command", "not-toml"],
)
def test_a_bad_config_file_is_named_with_the_key(
    text: str, message: str, catalog: Path, tmp_path: Path
) -> None:
    config = tmp_path / "mine.toml"
    config.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "check", str(catalog)])
    assert result.exit_code == 2
    assert message in result.output


def test_bash_completion_script_is_printed() -> None:
    result = CliRunner().invoke(cli, [], prog_name="gs1ld", env={"_GS1LD_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_gs1ld_completion" in result.output
    assert "complete -o nosort -F _gs1ld_completion gs1ld" in result.output


def test_convert_json_summary_goes_to_stderr_when_documents_go_to_stdout(catalog: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(catalog), "--report-format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    summary = orjson.loads(result.stderr)
    assert (summary["written"], summary["invalid"], summary["output"]) == (0, 1, "stdout")
    assert summary["problems"][0]["location"] == f"{catalog}:1"
