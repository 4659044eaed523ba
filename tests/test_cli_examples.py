"""Every ``--help`` shows two or three examples, and every example runs.

The documentation's command reference is generated from the commands when the
docs are built (tests/docs/test_reference.py checks it covers every command).

The examples run in order in a scratch folder that holds the bundled example
catalog, so later ones use what earlier ones wrote (convert's ``out``, site
build's ``site``).  ``pull`` and ``serve`` are parsed, not run (one talks to the
product API, the other runs until stopped).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from gs1ld.cli._examples import EXAMPLES, NOT_RUN, leaf_commands, reference_markdown
from support import EXAMPLE_CATALOG, parse_command_line

COMMANDS = dict(leaf_commands(cli))


def test_every_command_has_two_or_three_examples_in_its_help() -> None:
    assert set(EXAMPLES) == set(COMMANDS)
    for path, examples in EXAMPLES.items():
        assert 2 <= len(examples) <= 3, path
        shown = CliRunner().invoke(cli, [*path.split(), "--help"]).output
        for example in examples:
            assert " ".join(example.split()) in " ".join(shown.split()), (path, example)


def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "catalog").symlink_to(EXAMPLE_CATALOG)
    (tmp_path / "examples" / "theme").symlink_to(EXAMPLE_CATALOG.parent / "theme")
    (tmp_path / "gtins.txt").write_text("09506000134352\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    for path, _command in COMMANDS.items():
        for example in EXAMPLES[path]:
            args = shlex.split(example)[1:]
            if path in NOT_RUN:  # parsed as the command line would be, not run
                parse_command_line(args)
                continue
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, (example, result.output)


def test_a_new_option_is_caught_by_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    command = COMMANDS["check"]
    extra = click.Option(["--brand-new"], help="Something new.")
    monkeypatch.setattr(command, "params", [*command.params, extra])
    assert "`--brand-new` | Something new |" in reference_markdown(cli)
