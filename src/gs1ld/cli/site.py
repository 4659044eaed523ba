"""``gs1ld site build``: publish a catalog as a static GS1 Digital Link resolver site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import base_url_option, mapping_options, parse_day, today_option
from gs1ld.cli._output import err_console, problem_line


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
    help="Site directory; replaced as a whole when the build succeeds.",
)
@base_url_option(
    default=None, help="Resolver root the site is served at, e.g. https://id.brand.example."
)
@today_option
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
@mapping_options
def build(
    catalog: str,
    output: str,
    base_url: str,
    today: str | None,
    name: str,
    contact: str | None,
    no_validate: bool,
    workers: int | None,
    mappings_dir: str | None,
    extension_namespace: str | None,
    feed_language: str,
    allergen_regulation: str | None,
) -> None:
    """Build the resolver site for CATALOG into OUTPUT.

    Writes 01/{gtin14}/index.html, index.jsonld, linkset.json and qr.svg per
    product, plus index pages, sitemap.xml, .well-known/gs1resolver, the extension
    vocabulary at voc/, manifest.json and host rules (nginx, Apache, Netlify,
    Cloudflare Pages). A rebuild rewrites only changed products. Exits 1 when any
    product was invalid (reported and skipped), 2 when the build could not run.
    """
    from rich.progress import Progress

    from gs1ld.errors import Gs1ldError
    from gs1ld.site.build import build_site
    from gs1ld.site.config import SiteConfig

    options = []
    if mappings_dir:
        options.append(("mappings_dir", str(Path(mappings_dir).resolve())))
    if extension_namespace:
        options.append(("extension_namespace", extension_namespace))
    if feed_language != "en":
        options.append(("feed_language", feed_language))
    if allergen_regulation:
        options.append(("allergen_regulation", allergen_regulation))
    config = SiteConfig(
        base_url=base_url,
        day=parse_day(today),
        name=name,
        contact=contact,
        validate=not no_validate,
        workers=workers or os.cpu_count() or 1,
        export_options=tuple(sorted(options)),
    )
    try:
        if sys.stderr.isatty():
            with Progress(console=err_console, transient=True) as progress:
                task = progress.add_task("Building site", total=None)
                report = build_site(
                    catalog, output, config=config, on_progress=lambda n: progress.advance(task, n)
                )
        else:
            report = build_site(catalog, output, config=config)
    except (Gs1ldError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(EXIT_CANNOT_RUN)
    for product in report.invalid:
        for problem in product.problems:
            click.echo(problem_line(product.location, product.gtin, problem))
        if product.kept_previous:
            click.echo(f"{product.location} {product.gtin} kept the previously published version")
    click.echo(f"{report.summary()} -> {output}")
    sys.exit(EXIT_INVALID if report.invalid else EXIT_OK)
