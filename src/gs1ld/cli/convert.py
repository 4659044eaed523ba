"""``gs1ld convert``: catalog -> GS1 Web Vocabulary JSON-LD (or N-Quads / Turtle)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Any

import click

from gs1ld.catalog.source import catalog_source
from gs1ld.cli import EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    ExportOptions,
    base_url_option,
    export_options,
    limits_option,
    report_options_beside_a_document_format,
    scheduler_option,
    storage_options_option,
    to_limits,
)
from gs1ld.cli._output import (
    cannot_run,
    err_console,
    missing_pages_note,
    print_json,
    problem_json,
    problem_line,
    progress_reporter,
)


@click.command()
@click.argument("catalog")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="A folder (one {gtin14} file per product), one file whose suffix names its format "
    "(.jsonl or .ndjson, .nq, .ttl, .jsonld or .json: a JSON array), or - for stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonld", "jsonl", "nquads", "turtle"]),
    default=None,
    help="Document format (default: the output file's suffix; jsonld into a folder, jsonl "
    "on stdout). A format the file name contradicts is an error.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing output file, or write into a folder that is not empty.",
)
@base_url_option(
    default="https://id.gs1.org",
    help="Resolver root of the products' Digital Link URIs (their @id).",
)
@export_options
@click.option(
    "--context-url",
    default=None,
    metavar="URL",
    help="Reference this JSON-LD context URL instead of inlining the prefixes.",
)
@click.option(
    "--no-validate",
    is_flag=True,
    help="Skip RDF validation (by default an invalid product is reported, not written).",
)
@limits_option
@scheduler_option
@storage_options_option
@report_options_beside_a_document_format
def convert(
    catalog: str,
    output: str,
    fmt: str | None,
    force: bool,
    base_url: str,
    export: ExportOptions,
    context_url: str | None,
    no_validate: bool,
    verbose: bool,
    max_entry_bytes: int,
    scheduler: str | None,
    storage_options: dict[str, Any],
    report_format: str,
    quiet: bool,
) -> None:
    """Convert every entry of CATALOG to one GS1 Web Vocabulary JSON-LD document.

    Bad entries are reported one line each and skipped; the others are written
    (atomically, one file per product in a directory). Of entries sharing a GTIN
    the first is converted and the others reported. Exits 1 when any entry was
    bad, 2 when the catalog or the output cannot be used. CATALOG is a .json,
    .jsonl or .parquet file, a folder of them, or - for JSON Lines on stdin, and
    may be an fsspec URL (s3://bucket/catalog.jsonl; see --storage-option). --report-format json
    prints the summary as JSON (on stderr when the documents go to stdout).
    With --scheduler the entries are converted on a Dask cluster and written here
    in catalog order: the same output as in this process.
    """
    from gs1ld.convert import ProductResult, convert_catalog, plan_output
    from gs1ld.errors import Gs1ldError
    from gs1ld.mapping import mapping_batch

    as_json = report_format == "json"
    try:
        plan = plan_output(output, fmt, force=force)  # type: ignore[arg-type]
    except Gs1ldError as exc:
        cannot_run(exc, as_json=as_json, stream=sys.stderr if output == "-" else None)
    config = export.config(base_url, context_url=context_url)
    pages_note = missing_pages_note(config)
    if pages_note and not as_json:
        err_console.print(pages_note, markup=False, highlight=False)
    problems: list[dict[str, object]] = []
    validator = None
    if not no_validate:
        from gs1ld.validation import document_problems

        validator = document_problems
    reporting = not as_json and not quiet
    with progress_reporter("Converting", part_lines=scheduler is not None and reporting) as shown:

        def report(result: ProductResult) -> None:
            shown.advance()
            for problem in result.problems:
                if as_json:
                    problems.append(problem_json(result.location, result.gtin, problem))
                elif not quiet:
                    line = problem_line(result.location, result.gtin, problem)
                    err_console.print(line, markup=False)
            if verbose and not quiet:
                for note in result.notes:
                    err_console.print(
                        f"{result.location} {result.gtin} {note}", markup=False, style="dim"
                    )

        try:
            with ExitStack() as stack:
                stack.enter_context(mapping_batch(config))
                client = None
                if scheduler is not None:
                    from gs1ld.cluster import dask_client

                    client = stack.enter_context(dask_client(scheduler))
                outcome = convert_catalog(
                    catalog_source(catalog, storage_options),
                    output,
                    config=config,
                    fmt=plan.fmt,
                    force=force,
                    validator=validator,
                    on_result=report,
                    limits=to_limits(max_entry_bytes),
                    client=client,
                    on_part=shown.part,
                )
        except (Gs1ldError, OSError) as exc:
            cannot_run(exc, as_json=as_json, stream=sys.stderr if output == "-" else None)
    where = "stdout" if output == "-" else output
    if as_json:
        summary = {
            "written": outcome.written,
            "invalid": len(outcome.failed),
            "output": where,
            "notes": [pages_note] if pages_note else [],
            "problems": problems,
        }
        print_json(summary, stream=sys.stderr if output == "-" else None)
    else:
        err_console.print(
            f"{outcome.written} written, {len(outcome.failed)} invalid -> {where}", markup=False
        )
    sys.exit(EXIT_INVALID if outcome.failed else EXIT_OK)
