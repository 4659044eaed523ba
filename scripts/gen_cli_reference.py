#!/usr/bin/env python3
"""Write README.md's command reference (every command, its examples and options) from the CLI.

Usage: python scripts/gen_cli_reference.py

A test (tests/test_cli_examples.py) keeps the README equal to what this writes,
so a command that gains an option the reference does not show fails it.
"""

from __future__ import annotations

from pathlib import Path

from gs1ld.cli import cli
from gs1ld.cli._examples import reference_markdown

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- cli-reference:start -->\n", "<!-- cli-reference:end -->"


def main() -> None:
    text = README.read_text("utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(head + START + reference_markdown(cli) + END + tail, "utf-8")
    print("README.md command reference written")


if __name__ == "__main__":
    main()
