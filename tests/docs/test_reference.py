"""The command reference cannot leave a command or an option out.

``docs/reference/cli.md`` asks mkdocs-click to write the reference from the click
group when the docs are built. These tests hold the page to the whole group (one
directive on ``gs1ld.cli:cli``, with subcommands) and render it as the build does,
so a command or option that the rendered page would miss fails here.
"""

from __future__ import annotations

import re

import click
import pytest
from mkdocs_click._docs import make_command_docs

from gs1ld.cli import cli
from gs1ld.cli._examples import EXAMPLES, leaf_commands
from support import PROJECT_ROOT

PAGE = (PROJECT_ROOT / "docs" / "reference" / "cli.md").read_text("utf-8")
DIRECTIVE = re.compile(r"^::: mkdocs-click\n((?:    :\w+:.*\n)+)", re.MULTILINE)


def _directive() -> dict[str, str]:
    (found,) = DIRECTIVE.findall(PAGE)
    return dict(re.findall(r"    :(\w+):\s*(.*)", found))


def _rendered() -> str:
    """The reference as the docs build renders it."""
    options = _directive()
    return "\n".join(
        make_command_docs(
            prog_name=options["prog_name"],
            command=cli,
            depth=int(options.get("depth", "0")),
            style=options.get("style", "plain"),
            list_subcommands=options.get("list_subcommands") == "true",
        )
    )


def test_the_page_renders_the_whole_group() -> None:
    options = _directive()
    assert options["module"] == "gs1ld.cli"
    assert options["command"] == "cli"
    assert options["prog_name"] == "gs1ld"
    assert "<!-- cli-examples -->" in PAGE, "the examples of every command"


@pytest.mark.parametrize("path", sorted(dict(leaf_commands(cli))))
def test_every_command_and_option_is_in_the_reference(path: str) -> None:
    rendered = _rendered()
    command = dict(leaf_commands(cli))[path]
    heading = re.search(rf"^#+ {re.escape(path.split()[-1])}\n\n.*?\n```text\ngs1ld {path} ",
                        rendered, re.MULTILINE | re.DOTALL)  # fmt: skip
    assert heading is not None, f"gs1ld {path} is not in the reference"
    section = rendered[heading.end() :].split("\n#", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert any(f"`{opt}`" in section or opt in section for opt in param.opts), (
                path,
                param.opts,
            )


def test_a_new_option_reaches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not blind: an option added to a command shows up in what the page renders."""
    command = dict(leaf_commands(cli))["check"]
    extra = click.Option(["--brand-new-option"], help="Something new.")
    monkeypatch.setattr(command, "params", [*command.params, extra])
    assert "--brand-new-option" in _rendered()


def test_every_command_has_examples_for_the_page() -> None:
    assert set(EXAMPLES) == set(dict(leaf_commands(cli)))
