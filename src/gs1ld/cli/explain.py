"""``gs1ld explain CATALOG --gtin G``: every fact of one product, and what decided it."""

from __future__ import annotations

import sys
from typing import Any

import click

from gs1ld.catalog import read_catalog
from gs1ld.catalog.source import catalog_source
from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    ExportOptions,
    base_url_option,
    export_options,
    limits_option,
    report_options,
    storage_options_option,
    to_limits,
)
from gs1ld.cli._output import err_console, print_json, problem_json, problem_line


@click.command()
@click.argument("catalog")
@click.option("--gtin", required=True, help="The product to explain (GTIN-8, 12, 13 or 14).")
@base_url_option(
    default="https://id.gs1.org",
    help="Resolver root of the products' Digital Link URIs (their @id).",
)
@export_options
@limits_option
@storage_options_option
@report_options
def explain(
    catalog: str,
    gtin: str,
    base_url: str,
    export: ExportOptions,
    max_entry_bytes: int,
    storage_options: dict[str, Any],
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """List each allergen, claim, certificate state and nutrient of one product.

    For each fact of the product with GTIN --gtin in CATALOG: whether the JSON-LD
    publishes or drops it, the input field and value it came from, what the
    output states, and the table rows and rules that decided (the same mapping
    `gs1ld convert` runs, with the same options). Exits 0 when the entry was
    explained, 1 when the entry is invalid (its problems are printed), 2 when
    CATALOG cannot be read, a table cannot be used or no entry has that GTIN.
    """
    from gs1ld.errors import Gs1ldError
    from gs1ld.gtin import normalize
    from gs1ld.mapping.explain import explain_entry
    from gs1ld.publish import publish_entry

    as_json = report_format == "json"
    try:
        wanted = normalize(gtin)
    except Gs1ldError as exc:
        raise click.BadParameter(str(exc), param_hint="'--gtin'") from None
    config = export.config(base_url)
    try:
        source = catalog_source(catalog, storage_options)
        outcome = next(
            (
                o
                for o in read_catalog(source, limits=to_limits(max_entry_bytes))
                if o.gtin == wanted
            ),
            None,
        )
        if outcome is None:
            err_console.print(
                f"[red]error:[/red] no entry of {catalog} has GTIN {wanted}",
                markup=True,
                highlight=False,
            )
            sys.exit(EXIT_CANNOT_RUN)
        if outcome.entry is None or outcome.problems:
            if as_json:
                problems = [problem_json(outcome.location, wanted, p) for p in outcome.problems]
                print_json({"gtin": wanted, "valid": False, "problems": problems})
            else:
                for problem in outcome.problems:
                    click.echo(problem_line(outcome.location, wanted, problem))
            sys.exit(EXIT_INVALID)
        published = publish_entry(outcome.entry, config)
        explanation = explain_entry(outcome.entry, published.mapped, config=config)
    except (Gs1ldError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        sys.exit(EXIT_CANNOT_RUN)
    if as_json:
        print_json({"valid": True, "location": outcome.location, **explanation.as_json()})
        sys.exit(EXIT_OK)
    click.echo(f"{wanted} ({outcome.location})")
    for fact in explanation.facts:
        output = f" -> {fact.output}" if fact.output else ""
        click.echo(f"{fact.kind} {fact.subject}: {fact.outcome}{output}")
        click.echo(f"  from {fact.field} = {fact.value!r}")
        for reason in fact.decided_by:
            click.echo(f"  by {reason}")
    sys.exit(EXIT_OK)
