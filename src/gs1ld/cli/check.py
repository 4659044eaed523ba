"""``gs1ld check CATALOG``: parse every entry and report each broken rule."""

from __future__ import annotations

import sys

import click

from gs1ld.catalog import read_catalog
from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._output import err_console, problem_line, progress_over
from gs1ld.errors import ParseError


@click.command()
@click.argument("catalog")
@click.option("--strict", is_flag=True, help="Reject fields the API does not document.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
def check(catalog: str, strict: bool, quiet: bool) -> None:
    """Check that every entry of CATALOG follows the API's documented rules.

    CATALOG is a directory of *.json files, a .json file, a .jsonl file, or - for
    JSON Lines on stdin.  Prints one line per problem
    (`<source>:<line or file> <gtin> <path>: <message>`) and a summary; exits 0
    when every entry is valid, 1 when any is not, 2 when CATALOG cannot be read.
    """
    ok = invalid = 0
    try:
        for outcome in progress_over(read_catalog(catalog, strict=strict), "Checking"):
            if outcome.ok:
                ok += 1
                continue
            invalid += 1
            if not quiet:
                for problem in outcome.problems:
                    click.echo(problem_line(outcome.location, outcome.gtin, problem))
    except (ParseError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(EXIT_CANNOT_RUN)
    click.echo(f"{ok} ok, {invalid} invalid")
    sys.exit(EXIT_INVALID if invalid else EXIT_OK)
