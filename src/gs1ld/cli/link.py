"""``gs1ld link``: build, parse, compress and convert GS1 Digital Link URIs."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from gs1ld.cli import EXIT_CANNOT_RUN
from gs1ld.cli._options import F, base_url_option
from gs1ld.digital_link import (
    CANONICAL_STEM,
    DigitalLink,
    Options,
    build,
    compress,
    decompress,
    from_element_string,
    parse,
)
from gs1ld.errors import DigitalLinkError


def _fail(exc: DigitalLinkError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def _options(pad_gtin: bool, unknown_ais: bool) -> Options:
    return Options(pad_gtin=pad_gtin, unknown_ais=unknown_ais)


def leniency_options(function: F) -> F:
    """``--pad-gtin`` and ``--unknown-ais``, the opt-in relaxations."""
    function = click.option(
        "--unknown-ais", is_flag=True, help="Accept AIs the GS1 syntax dictionary does not define."
    )(function)
    return click.option(
        "--pad-gtin",
        is_flag=True,
        help="Accept GTIN-8/12/13 and pad to 14 digits (URI syntax 1.4+ refuses them).",
    )(function)


@click.group()
def link() -> None:
    """Build, parse, compress and convert GS1 Digital Link URIs.

    Every subcommand checks its input as GS1's syntax engine does and exits 2
    with a one-line reason when it is invalid.
    """


def _pair(text: str, option: str) -> tuple[str, str]:
    ai, equals, value = text.partition("=")
    if not equals or not ai.isdigit():
        raise click.BadParameter(f"{text!r} is not AI=VALUE (e.g. 17=261231)", param_hint=option)
    return ai, value


@link.command("build")
@click.option("--gtin", help="GTIN (14 digits; 8/12/13 with --pad-gtin).")
@click.option("--key", "key", metavar="AI=VALUE", help="Another primary key, e.g. 00=<SSCC>.")
@click.option("--cpv", help="Consumer product variant (22).")
@click.option("--lot", help="Batch or lot (10).")
@click.option("--serial", help="Serial number (21).")
@click.option("--tpx", help="Third-party controlled serialised extension (235).")
@click.option("--qualifier", "extra_qualifiers", multiple=True, metavar="AI=VALUE")
@click.option(
    "--attr", "attributes", multiple=True, metavar="AI=VALUE", help="Data attribute (query)."
)
@base_url_option(default=CANONICAL_STEM, help="Resolver root (stem) of the URI.")
@leniency_options
def build_command(
    gtin: str | None,
    key: str | None,
    cpv: str | None,
    lot: str | None,
    serial: str | None,
    tpx: str | None,
    extra_qualifiers: tuple[str, ...],
    attributes: tuple[str, ...],
    base_url: str,
    pad_gtin: bool,
    unknown_ais: bool,
) -> None:
    """Print the Digital Link URI for a key, its qualifiers and attributes."""
    if (gtin is None) == (key is None):
        raise click.UsageError("give exactly one of --gtin and --key")
    primary = ("01", gtin) if gtin is not None else _pair(key or "", "--key")
    named = [("22", cpv), ("10", lot), ("21", serial), ("235", tpx)]
    qualifiers = [(ai, value) for ai, value in named if value is not None]
    qualifiers += [_pair(q, "--qualifier") for q in extra_qualifiers]
    pairs = [_pair(a, "--attr") for a in attributes]
    try:
        made = build(
            primary, qualifiers, pairs, stem=base_url, options=_options(pad_gtin, unknown_ais)
        )
    except DigitalLinkError as exc:
        _fail(exc)
    click.echo(made.uri)


def _read(uri: str, pad_gtin: bool, unknown_ais: bool) -> DigitalLink:
    try:
        return parse(uri, options=_options(pad_gtin, unknown_ais))
    except DigitalLinkError as exc:
        _fail(exc)


@link.command("parse")
@click.argument("uri")
@leniency_options
def parse_command(uri: str, pad_gtin: bool, unknown_ais: bool) -> None:
    """Print URI's primary key, qualifiers (path order), attributes and other parameters as JSON."""
    click.echo(json.dumps(_read(uri, pad_gtin, unknown_ais).as_dict(), indent=2))


@link.command("canonical")
@click.argument("uri")
@leniency_options
def canonical_command(uri: str, pad_gtin: bool, unknown_ais: bool) -> None:
    """Print URI in canonical form (https://id.gs1.org, numeric AIs, GS1 attributes only)."""
    click.echo(_read(uri, pad_gtin, unknown_ais).canonical())


@link.command("to-element-string")
@click.argument("uri")
@click.option(
    "--unbracketed", is_flag=True, help="FNC1-separated form (GS, 0x1D) instead of (AI)value."
)
@leniency_options
def to_element_string(uri: str, unbracketed: bool, pad_gtin: bool, unknown_ais: bool) -> None:
    """Print URI's AI data as an element string."""
    click.echo(_read(uri, pad_gtin, unknown_ais).to_element_string(bracketed=not unbracketed))


@link.command("from-element-string")
@click.argument("element_string")
@base_url_option(default=CANONICAL_STEM, help="Resolver root (stem) of the URI.")
@leniency_options
def from_element_string_command(
    element_string: str, base_url: str, pad_gtin: bool, unknown_ais: bool
) -> None:
    """Print the Digital Link URI for ELEMENT_STRING: (01)…(10)… or FNC1-separated (^ or GS)."""
    try:
        made = from_element_string(
            element_string, stem=base_url, options=_options(pad_gtin, unknown_ais)
        )
    except DigitalLinkError as exc:
        _fail(exc)
    click.echo(made.uri)


@link.command("compress")
@click.argument("uri")
@click.option(
    "--base-url", default=None, metavar="URL", help="Stem of the result (default: URI's)."
)
@click.option("--no-optimise", is_flag=True, help="Do not use GS1's codes for common AI groups.")
@click.option("--compress-other", is_flag=True, help="Pack non-GS1 query parameters too.")
@leniency_options
def compress_command(
    uri: str,
    base_url: str | None,
    no_optimise: bool,
    compress_other: bool,
    pad_gtin: bool,
    unknown_ais: bool,
) -> None:
    """Print URI in GS1 Digital Link compressed form (for smaller QR codes)."""
    try:
        short = compress(
            uri,
            stem=base_url,
            optimise=not no_optimise,
            compress_other=compress_other,
            options=_options(pad_gtin, unknown_ais),
        )
    except DigitalLinkError as exc:
        _fail(exc)
    click.echo(short)


@link.command("decompress")
@click.argument("uri")
@click.option(
    "--base-url", default=None, metavar="URL", help="Stem of the result (default: URI's)."
)
def decompress_command(uri: str, base_url: str | None) -> None:
    """Print the uncompressed Digital Link URI of a compressed one."""
    try:
        click.echo(decompress(uri, stem=base_url).uri)
    except DigitalLinkError as exc:
        _fail(exc)
