"""Every command that publishes takes the same publishing options, made into one config."""

from __future__ import annotations

from typing import Any

import click
import pytest

from gs1ld.cli import cli
from gs1ld.cli._options import ExportOptions, export_options

PUBLISHING = (("convert",), ("site", "build"), ("serve",), ("explain",))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


def _export_option_names() -> set[str]:
    @export_options
    def probe(**_: Any) -> None: ...

    return {param.name for param in click.command()(probe).params if param.name}


def test_the_command_receives_them_as_one_object() -> None:
    seen: list[ExportOptions] = []

    @click.command()
    @export_options
    def probe(export: ExportOptions) -> None:
        seen.append(export)

    probe.main(["--today", "2026-06-01", "--feed-language", "de"], standalone_mode=False)
    assert seen[0].today == "2026-06-01"
    assert seen[0].config("https://id.brand.example").feed_language == "de"


@pytest.mark.parametrize("path", PUBLISHING, ids=" ".join)
def test_the_command_takes_every_export_option(path: tuple[str, ...]) -> None:
    names = {param.name for param in _command(path).params}
    assert _export_option_names() <= names
    assert "base_url" in names


def test_the_options_become_one_config_with_an_absolute_mappings_folder(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tables").mkdir()
    options = ExportOptions(
        today="2026-06-01",
        mappings_dir="tables",
        extension_namespace=None,
        feed_language="fr",
        pages_url="https://www.brand.example/p",
        allergen_regulation="EU",
    )
    config = options.config("https://id.brand.example")
    tmp_path = tmp_path / "tables"
    assert (config.today.isoformat(), config.mappings_dir) == ("2026-06-01", str(tmp_path))
    assert (config.page_base, config.allergen_regulation) == ("https://www.brand.example/p", "EU")
