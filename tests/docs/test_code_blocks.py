"""Every code block of the README and the documentation runs as shown (see docs/blocks.py).

Python blocks run and pass ``mypy --strict``; console blocks run and print what they
show; the ``gs1ld`` commands of shell blocks parse; JSON blocks parse. Each page runs
in its own scratch folder holding ``examples/catalog``, with the fake product API
serving the example catalog as ``GS1LD_API_URL``, so ``gs1ld pull`` runs too.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import orjson
import pytest
from click.testing import CliRunner

from docs.blocks import SHOWN_ONLY, Block, blocks_of, commands_of, output_matches
from gs1ld.cli import cli
from support import EXAMPLE_CATALOG, PROJECT_ROOT, RunningServer, parse_command_line

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").rglob("*.md"))]
BLOCKS = [block for page in PAGES for block in blocks_of(page)]
SOURCE = PROJECT_ROOT / "src"
KNOWN = SHOWN_ONLY | {"python", "console", "sh", "json"}


def _of(lang: str) -> list[Block]:
    return [block for block in BLOCKS if block.lang == lang]


@pytest.fixture(scope="module")
def api_env() -> Iterator[dict[str, str]]:
    """The environment of every run: the fake API, this checkout's source, no colour."""
    from fakeapi import API_KEY, FakeApi

    from gs1ld.catalog.reader import iter_raw_entries

    products = {r.data["gtin"]: r.data["content"] for r in iter_raw_entries(EXAMPLE_CATALOG)}
    with RunningServer(FakeApi(products=products).app()) as server:
        yield {
            "GS1LD_API_URL": server.url,
            "GS1LD_API_KEY": API_KEY,
            "PYTHONPATH": os.pathsep.join(
                [str(PROJECT_ROOT / "src"), os.environ.get("PYTHONPATH", "")]
            ),
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "200",
        }


def _scratch(tmp_path: Path) -> Path:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "catalog").symlink_to(EXAMPLE_CATALOG)
    return tmp_path


def test_the_pages_have_blocks_of_every_kind() -> None:
    """The collection is not blind: the kinds this test runs are all found."""
    assert {"python", "console", "sh", "json"} <= {block.lang for block in BLOCKS}
    assert any(page.name == "README.md" for page in {block.path for block in BLOCKS})


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.name)
def test_every_block_says_what_it_is(block: Block) -> None:
    assert block.lang in KNOWN, f"{block.name}: tag the block with one of {sorted(KNOWN)}"


@pytest.mark.parametrize("block", _of("json"), ids=lambda block: block.name)
def test_json_blocks_parse(block: Block) -> None:
    orjson.loads(block.text)


def _gs1ld_commands(text: str) -> Iterator[list[str]]:
    """The argument lists of the ``gs1ld`` commands of a shell block."""
    joined = text.replace("\\\n", " ")
    for line in joined.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words[:1] == ["gs1ld"]:
                yield words[1:]


@pytest.mark.parametrize("block", _of("sh"), ids=lambda block: block.name)
def test_the_gs1ld_commands_of_shell_blocks_parse(block: Block) -> None:
    if block.marked("not run"):
        pytest.skip(f"{block.name} is marked not run")
    for args in _gs1ld_commands(block.text):
        try:
            parse_command_line(args)
        except click.exceptions.Exit:  # --help, --version
            pass
        except click.ClickException as exc:
            pytest.fail(f"{block.name}: gs1ld {shlex.join(args)}: {exc.format_message()}")


def _run(line: str, cwd: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run one ``$`` line: gs1ld in this process (as click runs it), anything else in bash.

    Returns what it printed on stdout and on stderr."""
    if line.startswith("gs1ld "):
        result = CliRunner().invoke(cli, shlex.split(line)[1:], env=env, prog_name="gs1ld")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.stdout, result.stderr
    done = subprocess.run(
        ["bash", "-c", line], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True
    )
    return done.stdout, done.stderr


@pytest.mark.parametrize("page", sorted({b.path for b in BLOCKS}), ids=lambda p: p.name)
def test_console_and_python_blocks_run_as_shown(
    page: Path, tmp_path: Path, api_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's blocks run in order in one folder: files, commands, programs."""
    work = _scratch(tmp_path)
    monkeypatch.chdir(work)
    for name, value in api_env.items():
        if name != "PYTHONPATH":
            monkeypatch.setenv(name, value)
    for block in blocks_of(page):
        if (name := block.file_name()) is not None:
            (work / name).write_text(block.text, "utf-8")
            continue
        if block.marked("not run"):
            continue
        if block.lang == "console":
            for command in commands_of(block.text):
                stdout, stderr = _run(command.line, work, api_env)
                assert "Traceback" not in stderr, (block.name, command.line, stderr)
                if block.marked("output: not compared"):
                    continue
                out, err = stdout.splitlines(), stderr.splitlines()
                assert output_matches(command.output, out + err) or output_matches(
                    command.output, err + out
                ), (
                    f"{block.name}: $ {command.line}\nshown:\n"
                    + "\n".join(command.output)
                    + "\nprinted:\n"
                    + stdout
                    + stderr
                )
        elif block.lang == "python":
            code = compile(block.text, block.name, "exec")
            exec(code, {"__name__": "__main__"})


def test_python_blocks_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over every Python block, each written as its own module."""
    checked = [b for b in _of("python") if not b.marked("not type-checked")]
    assert checked
    files = []
    for number, block in enumerate(checked):
        path = tmp_path / f"block_{number:03d}_{block.path.stem.replace('-', '_')}.py"
        path.write_text(f"# {block.name}\n{block.text}", "utf-8")
        files.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file",
         str(PROJECT_ROOT / "pyproject.toml"), "--no-error-summary", *files],
        cwd=PROJECT_ROOT,
        env={**os.environ, "MYPYPATH": str(PROJECT_ROOT / "src")},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
