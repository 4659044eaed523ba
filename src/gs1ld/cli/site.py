"""``gs1ld site build``: publish a catalog as a static GS1 Digital Link resolver site."""

from __future__ import annotations

import os
import sys
from concurrent.futures import BrokenExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from gs1ld.catalog.source import catalog_source, is_url
from gs1ld.cli import EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    ExportOptions,
    base_url_option,
    export_options,
    limits_option,
    max_removals_option,
    parsed_by,
    report_options,
    scheduler_option,
    storage_options_option,
    theme_option,
    to_limits,
    workers_option,
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
from gs1ld.config import RemovalLimit, SiteConfig, served_site_root, upstream_origin
from gs1ld.limits import Limits

if TYPE_CHECKING:
    from gs1ld.pages.theme import Theme


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
@theme_option(
    "A theme folder giving the pages the brand's look: templates/ (replacing built-in "
    "templates by name), theme.css (after the built-in style: --ink, --accent, --bg, "
    "--font-body, --font-heading...) and logo.svg or logo.png (copied to theme/ in the "
    "site). Its files are part of every page's input: changing them re-renders the pages. "
    "See examples/theme/."
)
@click.option("--no-validate", is_flag=True, help="Skip RDF validation of each product.")
@workers_option(
    "Rendering processes (default: the number of CPUs); a build that renders fewer than "
    "1,000 entries renders them in this process."
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
@click.option(
    "--upstream",
    default=None,
    metavar="URL",
    callback=parsed_by(upstream_origin),
    help="A gs1ld serve (http(s)://host[:port]) that nginx.conf and apache.conf pass what "
    "their rules cannot answer to: compressed Digital Link paths, unpublished GTINs (400 "
    "for a wrong check digit), the language page Accept-Language picks. Files and plain "
    "/01/{gtin} requests stay with the web server. Run it on the same site folder.",
)
@click.option(
    "--site-root",
    default=None,
    metavar="PATH",
    callback=parsed_by(served_site_root),
    help="The absolute path the site folder has on the web server, which nginx.conf and "
    "apache.conf name (default: /srv/gs1ld-site). Every build rewrites them for it.",
)
@limits_option
@storage_options_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what the build would change, product by product and fact by fact "
    "(allergens, claims, certificates, recalls, links), without touching OUTPUT.",
)
@report_options
def build(
    catalog: str,
    output: str,
    base_url: str,
    export: ExportOptions,
    name: str,
    contact: str | None,
    theme: Theme | None,
    no_validate: bool,
    workers: int | None,
    scheduler: str | None,
    scratch: str | None,
    force: bool,
    max_entry_bytes: int,
    storage_options: dict[str, Any],
    report_format: str,
    quiet: bool,
    verbose: bool,
    max_removals: RemovalLimit,
    upstream: str | None,
    site_root: str | None,
    dry_run: bool,
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
    from gs1ld.config import SiteConfig
    from gs1ld.errors import Gs1ldError
    from gs1ld.mapping import mapping_batch
    from gs1ld.site.build import build_site
    from gs1ld.site.report import BuildProgress

    exported = export.config(base_url)
    pages_note = missing_pages_note(exported)
    if pages_note and report_format != "json":
        err_console.print(pages_note, markup=False, highlight=False)
    config = SiteConfig(
        exported,
        name=name,
        contact=contact,
        validate=not no_validate,
        workers=workers or os.cpu_count() or 1,
        max_removals=max_removals,
        upstream=upstream,
        site_root=site_root,
        theme=theme,
    )
    limits = to_limits(max_entry_bytes)
    to_store = is_url(output)
    if scratch is not None and not to_store:
        raise click.BadParameter(
            "a scratch folder is for an OUTPUT on object storage (s3://...); a local OUTPUT "
            "is built beside itself",
            param_hint="--scratch",
        )
    if dry_run:
        _dry_run(catalog, output, config, limits, storage_options, report_format, quiet)
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
        reporting = report_format != "json" and not quiet
        with (
            mapping_batch(exported),
            progress_reporter(
                "Building site", part_lines=scheduler is not None and reporting
            ) as reporter,
        ):
            progress = BuildProgress(reporter.phase, reporter.advance, reporter.part)
            if scheduler is not None:
                from gs1ld.cluster import dask_client

                with dask_client(scheduler) as client:
                    report = run(client=client, on_progress=progress)
            else:
                report = run(on_progress=progress)
    except (Gs1ldError, OSError) as exc:
        cannot_run(exc, as_json=report_format == "json")
    except BrokenExecutor as exc:  # a worker killed (by hand, or out of memory)
        cannot_run(
            f"a rendering worker died ({exc}); nothing was published, the site is as it was",
            as_json=report_format == "json",
        )
    if report_format == "json":
        print_json(
            {
                "built": report.built,
                "unchanged": report.unchanged,
                "removed": report.removed,
                "invalid": len(report.invalid),
                "published": report.published,
                "output": output,
                "notes": [pages_note] if pages_note else [],
                "problems": []
                if quiet
                else [
                    {**problem_json(p.location, p.gtin, problem), "kept_previous": p.kept_previous}
                    for p in report.invalid
                    for problem in p.problems
                ],
            }
        )
        sys.exit(EXIT_INVALID if report.invalid else EXIT_OK)
    for product in [] if quiet else report.invalid:
        for problem in product.problems:
            click.echo(problem_line(product.location, product.gtin, problem))
        if product.kept_previous:
            click.echo(f"{product.location} {product.gtin} kept the previously published version")
    if verbose and not quiet:
        kept = sum(1 for product in report.invalid if product.kept_previous)
        click.echo(
            f"{report.published} published: {report.built} built, {report.unchanged} "
            f"unchanged, {kept} kept from the previous build"
        )
    click.echo(f"{report.summary()} -> {output}")
    sys.exit(EXIT_INVALID if report.invalid else EXIT_OK)


def _dry_run(
    catalog: str,
    output: str,
    config: SiteConfig,
    limits: Limits,
    storage_options: dict[str, Any],
    report_format: str,
    quiet: bool,
) -> NoReturn:
    """Print what a build of CATALOG into OUTPUT would change; exit without touching it."""
    from gs1ld.errors import Gs1ldError
    from gs1ld.site.dry_run import plan_changes

    as_json = report_format == "json"
    reader = None
    try:
        source = catalog_source(catalog, storage_options if is_url(catalog) else {})
        if is_url(output):
            from gs1ld.site.store import StoreSite, store_reader

            reader = store_reader(StoreSite(output, storage_options))
        plan = plan_changes(source, output, config=config, limits=limits, reader=reader)
    except (Gs1ldError, OSError) as exc:
        cannot_run(exc, as_json=as_json)
    if as_json:
        print_json(
            {
                "dry_run": True,
                "added": plan.count("added"),
                "changed": plan.count("changed"),
                "removed": plan.count("removed"),
                "unchanged": plan.unchanged,
                "invalid": len(plan.invalid),
                "refused": plan.refused,
                "changes": [] if quiet else [change.as_json() for change in plan.changes],
                "problems": []
                if quiet
                else [
                    problem_json(location, gtin, problem)
                    for location, gtin, problems in plan.invalid
                    for problem in problems
                ],
            }
        )
        sys.exit(EXIT_INVALID if plan.invalid else EXIT_OK)
    marks = {"added": "+", "changed": "~", "removed": "-"}
    for change in [] if quiet else plan.changes:
        click.echo(f"{marks[change.kind]} {change.gtin} {change.name} ({change.kind})")
        for fact in change.facts:
            click.echo(f"    {fact}")
    for location, gtin, problems in [] if quiet else plan.invalid:
        for problem in problems:
            click.echo(problem_line(location, gtin, problem))
    if plan.refused:
        click.echo(f"the build would be refused: {plan.refused}")
    click.echo(f"{plan.summary()} (dry run: {output} was not changed)")
    sys.exit(EXIT_INVALID if plan.invalid else EXIT_OK)
