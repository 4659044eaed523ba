"""Options several commands share, defined once."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from gs1ld.config import ExportConfig, RemovalLimit
from gs1ld.errors import ParseError
from gs1ld.limits import DEFAULT_MAX_ENTRY_BYTES, MAX_DEPTH, MAX_ENTRY_BYTES_CEILING, Limits
from gs1ld.resolver_root import is_plain_http, resolver_root

if TYPE_CHECKING:
    from gs1ld.pages.theme import Theme

__all__ = [
    "ExportOptions",
    "base_url_option",
    "export_options",
    "feed_language_option",
    "limits_option",
    "mapping_options",
    "max_removals_option",
    "parse_day",
    "parsed_by",
    "renamed_option",
    "report_options",
    "report_options_beside_a_document_format",
    "scheduler_option",
    "storage_options_option",
    "theme_option",
    "to_limits",
    "today_option",
    "workers_option",
]

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


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


def parsed_by(
    parse: Callable[[str], R],
) -> Callable[[click.Context, click.Parameter, str | None], R | None]:
    """A click callback reading an option's value with ``parse`` (an absent one stays None).

    ``parse`` raises :class:`~gs1ld.errors.ParseError` naming the value and the rule,
    which becomes click's usage error for the option (exit code 2), so the CLI and
    the library check a value the same way.
    """

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> R | None:
        if value is None:
            return None
        try:
            return parse(value)
        except ParseError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A resolver root (or pages URL), checked as the library checks it; a plain http
    one is allowed with a warning, since the URIs end up printed on packs."""
    if value is None:
        return None
    try:
        root = resolver_root(value)
    except ParseError as exc:
        raise click.BadParameter(str(exc)) from None
    if is_plain_http(root):
        click.echo(
            f"warning: {root} is plain http: the Digital Link URIs made from it are printed "
            "on packs and cannot be changed later; use https for a real resolver.",
            err=True,
        )
    return root


def base_url_option(
    *, default: str | None, help: str, required: bool | None = None
) -> Callable[[F], F]:
    """``--base-url URL``: a resolver root (:func:`gs1ld.resolver_root.resolver_root`);
    required unless it has a default or ``required`` says otherwise."""
    return click.option(
        "--base-url",
        required=default is None if required is None else required,
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


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """The export options a publishing command was given, before its base URL is known."""

    today: str | None
    mappings_dir: str | None
    extension_namespace: str | None
    feed_language: str
    pages_url: str | None
    allergen_regulation: str | None

    def config(self, base_url: str, *, context_url: str | None = None) -> ExportConfig:
        """These options, on ``base_url``, as one :class:`~gs1ld.config.ExportConfig`.

        ``--mappings`` is made absolute, so worker processes and clusters that run
        elsewhere in the file system read the same tables.
        """
        mappings = self.mappings_dir
        return ExportConfig(
            base_url=base_url,
            today=parse_day(self.today),
            extension_namespace=self.extension_namespace,
            mappings_dir=str(Path(mappings).resolve()) if mappings else None,
            context_url=context_url,
            feed_language=self.feed_language,
            pages_url=self.pages_url,
            allergen_regulation=self.allergen_regulation,
        )


_EXPORT_FIELDS = tuple(ExportOptions.__dataclass_fields__)


def export_options(function: Callable[..., R]) -> Callable[..., R]:
    """Every option of the JSON-LD export but the base URL (whose default differs per
    command), handed to the command as one ``export`` (:class:`ExportOptions`).

    Every command that publishes (convert, site build, serve CATALOG, explain)
    takes exactly these and makes its :class:`~gs1ld.config.ExportConfig` with
    ``export.config(base_url)``, so each publishes a product the same way.
    """

    @functools.wraps(function)
    def collected(*args: Any, **kwargs: Any) -> R:
        kwargs["export"] = ExportOptions(**{name: kwargs.pop(name) for name in _EXPORT_FIELDS})
        return function(*args, **kwargs)

    return today_option(mapping_options(collected))


def _removal_limit(ctx: click.Context, param: click.Parameter, value: str) -> RemovalLimit:
    try:
        return RemovalLimit.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def max_removals_option(function: F) -> F:
    """``--max-removals N|P%``: how many published products one build may remove."""
    return click.option(
        "--max-removals",
        default="10%",
        show_default=True,
        metavar="N|P%",
        callback=_removal_limit,
        help="Stop before changing the site when the build would remove more published "
        "products than this: a number, or a share of the published products (100% allows "
        "any). Guards a live site against an empty or partial catalog export.",
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


def renamed_option(old: str, new: str, dest: str, **attributes: Any) -> Callable[[F], F]:
    """A hidden old spelling of an option: still accepted, with one warning per run.

    The value lands in ``dest``, the new option's parameter; the new option,
    when given too, wins.  Options were renamed so that one word means one
    thing across every command (``--format`` is always a document format).
    """

    def moved(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is None or value == () or value is False:
            return
        warned = ctx.meta.setdefault("gs1ld.renamed", set())
        if old not in warned:
            warned.add(old)
            click.echo(f"warning: {old} is now {new}; the old spelling will go away.", err=True)
        if ctx.get_parameter_source(dest) in (None, ParameterSource.DEFAULT):
            ctx.params[dest] = value
            ctx.set_parameter_source(dest, ParameterSource.COMMANDLINE)

    return click.option(
        old, hidden=True, expose_value=False, callback=moved, is_eager=False, **attributes
    )


def workers_option(help: str) -> Callable[[F], F]:
    """``--workers N``: processes on this machine (a cluster is ``--scheduler``; HTTP
    connections are ``--concurrency``), the one name for it in every command."""
    return click.option(
        "--workers", type=click.IntRange(min=1), default=None, metavar="N", help=help
    )


def _report_format(function: F) -> F:
    return click.option(
        "--report-format",
        "report_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Summary and problems as text lines, or as one JSON object on stdout.",
    )(function)


def _quiet_and_verbose(function: F) -> F:
    function = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Also report what was noted beyond problems, product by product.",
    )(function)
    return click.option(
        "--quiet", "-q", is_flag=True, help="Print only the summary, no per-product lines."
    )(function)


def report_options(function: F) -> F:
    """``--report-format text|json``, ``--quiet`` and ``--verbose``: how much a command
    reports, and for whom.

    Every command that reports takes these three under these names.  ``--format``,
    where a command has one, is the document format; the old ``--format text|json``
    of check, validate, pull and site build still works, with a warning.
    """
    function = renamed_option(
        "--format", "--report-format", "report_format", type=click.Choice(["text", "json"])
    )(function)
    return _report_format(_quiet_and_verbose(function))


def report_options_beside_a_document_format(function: F) -> F:
    """:func:`report_options` for a command whose ``--format`` is its documents' format."""
    return _report_format(_quiet_and_verbose(function))


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
    from gs1ld import _secrets
    from gs1ld.catalog.source import parse_storage_options
    from gs1ld.errors import ParseError

    _secrets.remember_storage_pairs(value)  # before parsing, which may quote a pair
    try:
        options = parse_storage_options(value)
    except ParseError as exc:
        raise click.BadParameter(str(exc)) from None
    _secrets.remember_storage_options(options)
    return options


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
        "FSSPEC_S3_*) supplies the rest. Values of keys naming a secret (key, secret, "
        "token, password, sas, connection_string, credential...) are never printed.",
    )(function)


def _theme(ctx: click.Context, param: click.Parameter, value: str | None) -> Theme | None:
    if value is None:
        return None
    from gs1ld.errors import PublishError
    from gs1ld.pages.theme import load_theme
    from gs1ld.pages.theme_check import check_theme

    try:
        theme = load_theme(value)
        check_theme(theme)
        return theme
    except PublishError as exc:  # a usage error: exit code 2, the file and the problem named
        raise click.BadParameter(str(exc)) from None


def theme_option(help: str) -> Callable[[F], F]:
    """``--theme DIR``: the brand's templates, stylesheet and logo, read and checked at once."""

    def decorate(function: F) -> F:
        return click.option(
            "--theme", "theme", default=None, metavar="DIR", callback=_theme, help=help
        )(function)

    return decorate
