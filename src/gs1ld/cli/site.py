"""``gs1ld site build``: publish a catalog as a static GS1 Digital Link resolver site."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

import click

from gs1ld.catalog.source import catalog_source, is_url
from gs1ld.cli import EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    base_url_option,
    export_config,
    export_options,
    limits_option,
    max_removals_option,
    report_format_option,
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
)
from gs1ld.config import RemovalLimit


@click.group()
def site() -> None:
    """Build a static resolver site (pages, JSON-LD, linksets, QR codes, host rules)."""


@site.command("build")
@click.argument("catalog")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False),
    help="Site folder: each build goes into SITE/.gs1ld-builds/ and is published by "
    "replacing the link SITE/current, so a server or mount given SITE follows it (a symbolic "
    "link is followed). Refused when it is a non-empty folder that is not a gs1ld site, "
    "unless --force. "
    "Or an fsspec URL (s3://bucket/site): changed products, then site-wide files, then the "
    "manifest and a commit marker are uploaded; removed products are deleted after that.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUTPUT even when it is a non-empty folder that is not a gs1ld site.",
)
@base_url_option(
    default=None, help="Resolver root the site is served at, e.g. https://id.brand.example."
)
@click.option(
    "--name",
    default="gs1ld resolver",
    show_default=True,
    help="Resolver name for /.well-known/gs1resolver and the index page.",
)
@click.option("--contact", default=None, help="Who runs the resolver (email or URL).")
@click.option("--no-validate", is_flag=True, help="Skip RDF validation of each product.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Rendering processes (default: the number of CPUs).",
)
@scheduler_option
@click.option(
    "--scratch",
    type=click.Path(exists=True, file_okay=False, writable=True),
    default=None,
    help="With OUTPUT as a URL: the local folder the new and changed products are built in "
    "before the upload (default: the system's temporary folder). With a tcp:// --scheduler, "
    "give a folder every worker sees at the same path.",
)
@export_options
@max_removals_option
@limits_option
@storage_options_option
@report_format_option("--format", "--report-format")
def build(
    catalog: str,
    output: str,
    base_url: str,
    today: str | None,
    name: str,
    contact: str | None,
    no_validate: bool,
    workers: int | None,
    scheduler: str | None,
    scratch: str | None,
    mappings_dir: str | None,
    extension_namespace: str | None,
    force: bool,
    max_entry_bytes: int,
    storage_options: dict[str, Any],
    format: str,
    feed_language: str,
    pages_url: str | None,
    allergen_regulation: str | None,
    max_removals: RemovalLimit,
) -> None:
    """Build the resolver site for CATALOG into OUTPUT.

    Writes 01/{gtin14}/index.html, index.jsonld, linkset.json and qr.svg per
    product, plus index pages, sitemap.xml, .well-known/gs1resolver, the extension
    vocabulary at voc/, manifest.json and host rules (nginx, Apache, Netlify,
    Cloudflare Pages). A rebuild rewrites only changed products. With --scheduler the
    products are rendered on a Dask cluster, with the same output. Only one build
    writes OUTPUT at a time (a lock beside it; a second build fails at once). Exits
    1 when any product was invalid (reported and skipped), 2 when the build could
    not run. CATALOG is a .json, .jsonl or .parquet file or a folder of them, and
    may be an fsspec URL (s3://bucket/catalog.jsonl, s3://bucket/dir/;
    see --storage-option); with --scheduler each worker reads its own parts of it.
    """
    from rich.progress import Progress

    from gs1ld.config import SiteConfig
    from gs1ld.errors import Gs1ldError
    from gs1ld.site.build import build_site

    export = export_config(
        base_url,
        today=today,
        mappings_dir=mappings_dir,
        extension_namespace=extension_namespace,
        feed_language=feed_language,
        pages_url=pages_url,
        allergen_regulation=allergen_regulation,
    )
    pages_note = missing_pages_note(export)
    if pages_note and format != "json":
        err_console.print(pages_note, markup=False, highlight=False)
    config = SiteConfig(
        export,
        name=name,
        contact=contact,
        validate=not no_validate,
        workers=workers or os.cpu_count() or 1,
        max_removals=max_removals,
    )
    limits = to_limits(max_entry_bytes)
    to_store = is_url(output)
    if scratch is not None and not to_store:
        raise click.BadParameter(
            "a scratch folder is for an OUTPUT on object storage (s3://...); a local OUTPUT "
            "is built beside itself",
            param_hint="--scratch",
        )
    try:
        source = catalog_source(catalog, storage_options if is_url(catalog) or not to_store else {})
        if to_store:
            from gs1ld.site.store import StoreSite, build_site_to_store

            site = StoreSite(output, storage_options)
            run = partial(
                build_site_to_store,
                source,
                site,
                config=config,
                limits=limits,
                scratch=Path(scratch) if scratch else None,
            )
        else:
            run = partial(build_site, source, output, config=config, limits=limits, force=force)
        if scheduler is not None:
            from gs1ld.cluster import dask_client

            with dask_client(scheduler) as client:
                report = run(client=client)
        elif sys.stderr.isatty():
            with Progress(console=err_console, transient=True) as progress:
                task = progress.add_task("Building site", total=None)
                report = run(on_progress=lambda n: progress.advance(task, n))
        else:
            report = run()
    except (Gs1ldError, OSError) as exc:
        cannot_run(exc, as_json=format == "json")
    if format == "json":
        print_json(
            {
                "built": report.built,
                "unchanged": report.unchanged,
                "removed": report.removed,
                "invalid": len(report.invalid),
                "published": report.published,
                "output": output,
                "notes": [pages_note] if pages_note else [],
                "problems": [
                    {**problem_json(p.location, p.gtin, problem), "kept_previous": p.kept_previous}
                    for p in report.invalid
                    for problem in p.problems
                ],
            }
        )
        sys.exit(EXIT_INVALID if report.invalid else EXIT_OK)
    for product in report.invalid:
        for problem in product.problems:
            click.echo(problem_line(product.location, product.gtin, problem))
        if product.kept_previous:
            click.echo(f"{product.location} {product.gtin} kept the previously published version")
    click.echo(f"{report.summary()} -> {output}")
    sys.exit(EXIT_INVALID if report.invalid else EXIT_OK)
