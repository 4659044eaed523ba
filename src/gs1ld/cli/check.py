"""``gs1ld check CATALOG``: parse every entry and report each broken rule."""

from __future__ import annotations

import sys
from typing import Any

import click

from gs1ld.catalog import read_catalog
from gs1ld.catalog.source import catalog_source
from gs1ld.cli import EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    limits_option,
    report_options,
    storage_options_option,
    to_limits,
)
from gs1ld.cli._output import (
    cannot_run,
    print_json,
    problem_json,
    problem_line,
    progress_over,
)
from gs1ld.errors import ParseError


@click.command()
@click.argument("catalog")
@click.option("--strict", is_flag=True, help="Reject fields the API does not document.")
@limits_option
@storage_options_option
@report_options
def check(
    catalog: str,
    strict: bool,
    max_entry_bytes: int,
    storage_options: dict[str, Any],
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check that every entry of CATALOG follows the API's documented rules.

    CATALOG is a .json file, a .jsonl file, a .parquet file (an entry a row), a
    folder of them (e.g. JSON Lines shards), - for JSON Lines on stdin, or any of
    them as an fsspec URL (s3://bucket/catalog.jsonl, s3://bucket/dir/, file://,
    memory://).  Prints one line per problem
    (`<source>:<line or file> <gtin> <path>: <message>`) and a summary; exits 0
    when every entry is valid, 1 when any is not, 2 when CATALOG cannot be read.
    --quiet prints the summary alone; --verbose also names each valid entry.
    Entries are also held to the size and nesting limits every later command
    applies, so an entry that passes here cannot stop a later step.
    """
    as_json = report_format == "json"
    ok = invalid = 0
    problems: list[dict[str, Any]] = []
    valid: list[dict[str, Any]] = []
    limits = to_limits(max_entry_bytes)
    try:
        source = catalog_source(catalog, storage_options)
        outcomes = read_catalog(source, strict=strict, limits=limits)
        for outcome in progress_over(outcomes, "Checking"):
            if outcome.ok:
                ok += 1
                if verbose and as_json:
                    valid.append({"location": outcome.location, "gtin": outcome.gtin})
                elif verbose and not quiet:
                    click.echo(f"{outcome.location} {outcome.gtin} ok")
                continue
            invalid += 1
            for problem in outcome.problems:
                if as_json:
                    problems.append(problem_json(outcome.location, outcome.gtin, problem))
                elif not quiet:
                    click.echo(problem_line(outcome.location, outcome.gtin, problem))
    except (ParseError, OSError) as exc:
        cannot_run(exc, as_json=as_json)
    if as_json:
        summary: dict[str, Any] = {"ok": ok, "invalid": invalid}
        summary["problems"] = [] if quiet else problems
        if verbose:
            summary["valid"] = valid
        print_json(summary)
    else:
        click.echo(f"{ok} ok, {invalid} invalid")
    sys.exit(EXIT_INVALID if invalid else EXIT_OK)
