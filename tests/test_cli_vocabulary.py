"""One word, one meaning: every command's options are walked, and a name used with two
meanings (other choices, another type, flag here and value there) fails.

Where a word is part of the shared vocabulary its meaning is pinned too:
``--format`` is a document format, ``--report-format`` text or JSON, ``--workers``
processes on this machine, ``--scheduler`` a cluster, ``--concurrency`` HTTP
connections. Old spellings are hidden aliases that warn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from gs1ld.cli import cli
from support import EXAMPLE_CATALOG

DOCUMENT_FORMATS = {"jsonld", "jsonl", "nquads", "turtle"}


def _commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def _meaning(option: click.Option) -> tuple[str, ...]:
    kind = "flag" if option.is_flag else type(option.type).__name__
    choices = tuple(sorted(option.type.choices)) if isinstance(option.type, click.Choice) else ()
    return (kind, *map(str, choices))


def _options() -> dict[str, dict[tuple[str, ...], list[str]]]:
    seen: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, command in _commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for flag in param.opts:
                    seen[flag][_meaning(param)].append(name)
    return seen


def test_no_option_name_has_two_meanings() -> None:
    clashes = {flag: dict(m) for flag, m in _options().items() if len(m) > 1}
    assert clashes == {}


def test_the_shared_words_mean_what_the_vocabulary_says() -> None:
    options = _options()
    for meaning in options["--format"]:
        assert set(meaning[1:]) <= DOCUMENT_FORMATS, meaning
    assert set(options["--report-format"]) == {("Choice", "json", "text")}
    assert set(options["--workers"]) == {("IntRange",)}
    assert "--jobs" not in options
    reporting = {name for meanings in options["--report-format"].values() for name in meanings}
    for flag in ("--quiet", "--verbose"):
        assert reporting <= {name for names in options[flag].values() for name in names}, flag


@pytest.mark.parametrize(
    ("args", "new"),
    [
        (["check", str(EXAMPLE_CATALOG), "--format", "json"], "--report-format"),
        (["validate", "--jobs", "1", str(EXAMPLE_CATALOG / "missing.jsonld")], "--workers"),
    ],
)
def test_an_old_spelling_still_works_and_warns_once(args: list[str], new: str) -> None:
    result = CliRunner().invoke(cli, args)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert f"is now {new}" in warnings[0]
