"""Options several commands share, defined once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from gs1ld.limits import DEFAULT_MAX_ENTRY_BYTES, MAX_DEPTH, MAX_ENTRY_BYTES_CEILING, Limits

__all__ = [
    "base_url_option",
    "feed_language_option",
    "limits_option",
    "mapping_options",
    "parse_day",
    "report_format_option",
    "scheduler_option",
    "storage_options_option",
    "to_limits",
    "today_option",
]

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


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _language_tag(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        raise click.BadParameter(
            f"expected a BCP 47 language tag such as 'en' or 'fr-CA', got {value!r}"
        )
    return value


def feed_language_option(function: F) -> F:
    """``--feed-language TAG``: the language of the API's catalogue and regulator text."""
    return click.option(
        "--feed-language",
        default="en",
        show_default=True,
        metavar="TAG",
        callback=_language_tag,
        help="Language tag of the API's own text (certification and claim names, recall "
        "fields); only the brand's product text takes the product's language.",
    )(function)


def mapping_options(function: F) -> F:
    """``--mappings``, ``--extension-namespace``, ``--feed-language``, ``--allergen-regulation``,
    ``--pages-url``.

    Shared by the commands that map (convert, site build).
    """
    function = feed_language_option(function)
    function = click.option(
        "--pages-url",
        default=None,
        metavar="URL",
        callback=_http_url,
        help="Where the products' human pages are served (default: --base-url, unless "
        "that is GS1's resolver: page links such as gs1:pip are then left out).",
    )(function)
    function = click.option(
        "--allergen-regulation",
        default=None,
        metavar="KEY",
        help="Key of allergen-regulations.csv (US_FDA, EU, CA...) naming the regulation "
        "allergen codes are read against when a product's panel label_format and country "
        "of origin name none (e.g. UK, AU_NZ, CH).",
    )(function)
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


def limits_option(function: F) -> F:
    """``--max-entry-bytes BYTES``: the largest entry a command accepts (see gs1ld.limits)."""
    return click.option(
        "--max-entry-bytes",
        type=click.IntRange(1024, MAX_ENTRY_BYTES_CEILING),
        default=DEFAULT_MAX_ENTRY_BYTES,
        show_default=True,
        metavar="BYTES",
        help=f"Largest entry accepted, in bytes of JSON. A larger entry, one nested more "
        f"than {MAX_DEPTH} levels or one with a text value over 4 MiB is reported and skipped.",
    )(function)


def to_limits(max_entry_bytes: int) -> Limits:
    """The :class:`~gs1ld.limits.Limits` the options ask for."""
    return Limits(max_entry_bytes=max_entry_bytes)


def report_format_option(*names: str) -> Callable[[F], F]:
    """``--format text|json`` (or the names given): the summary for people or for programs.

    The parameter is named after the first name (``format``, ``report_format``), so
    its environment variable and config key are the option's own name.
    """
    names = names or ("--format",)
    return click.option(
        *names,
        names[0].lstrip("-").replace("-", "_"),
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Summary and problems as text lines, or as one JSON object on stdout.",
    )


def _scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from gs1ld.cluster import SchedulerError, check_scheduler

    if value is None:
        return None
    try:
        return check_scheduler(value)
    except SchedulerError as exc:
        raise click.BadParameter(str(exc)) from None


def scheduler_option(function: F) -> F:
    """``--scheduler local:N|tcp://host:port``: run the work on a Dask cluster."""
    return click.option(
        "--scheduler",
        default=None,
        metavar="local:N|tcp://HOST:PORT",
        callback=_scheduler,
        help="Run on Dask (pip install 'gs1ld[dask]'): local:N starts N worker processes on "
        "this machine, tcp://HOST:PORT uses a running Dask scheduler (its workers must see "
        "the output, and a local catalog, at the same paths; a catalog URL they read "
        "themselves). Default: this process.",
    )(function)


def _storage_options(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> dict[str, Any]:
    from gs1ld.catalog.source import parse_storage_options
    from gs1ld.errors import ParseError

    try:
        return parse_storage_options(value)
    except ParseError as exc:
        raise click.BadParameter(str(exc)) from None


def storage_options_option(function: F) -> F:
    """``--storage-option KEY=VALUE`` (repeatable): fsspec options for a catalog URL."""
    return click.option(
        "--storage-option",
        "storage_options",
        multiple=True,
        metavar="KEY=VALUE",
        callback=_storage_options,
        help="An fsspec option for a catalog given as a URL (s3://, gs://, file://...), "
        "e.g. endpoint_url=http://127.0.0.1:9000 or anon=true; repeatable. A value that "
        "is JSON is read as JSON. The environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, "
        "FSSPEC_S3_*) supplies the rest.",
    )(function)
