"""Options several commands share, defined once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

__all__ = ["base_url_option", "mapping_options", "parse_day", "today_option"]

F = TypeVar("F", bound=Callable[..., Any])


def parse_day(value: str | None) -> date:
    """``--today`` as a date; the wall clock is read here, at the CLI edge, and nowhere else."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date YYYY-MM-DD, got {value!r}", param_hint="'--today'"
        ) from None


def today_option(function: F) -> F:
    """``--today YYYY-MM-DD``: the reference day for validity rules (default: today)."""
    return click.option(
        "--today",
        "today",
        metavar="YYYY-MM-DD",
        help="Reference day for certificate and claim validity (default: the current date).",
    )(function)


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter(f"expected an http(s) URL, got {value!r}")
    return value


def base_url_option(*, default: str | None, help: str) -> Callable[[F], F]:
    """``--base-url URL``: a resolver root, checked to be an http(s) URL."""
    return click.option(
        "--base-url",
        required=default is None,
        default=default,
        show_default=default is not None,
        metavar="URL",
        callback=_http_url,
        help=help,
    )


def mapping_options(function: F) -> F:
    """``--mappings DIR`` and ``--extension-namespace IRI``, shared by convert and site build."""
    function = click.option(
        "--extension-namespace",
        default=None,
        metavar="IRI",
        help="Namespace of gs1ld's extension terms (default: {base-url}/voc/, or "
        "urn:gs1ld:voc: for GS1's own resolver).",
    )(function)
    return click.option(
        "--mappings",
        "mappings_dir",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        help="Folder of crosswalk tables that extend or override the bundled ones.",
    )(function)
