"""``gs1ld pull``: pull catalog entries from the product API."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import click

from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import limits_option, report_options, to_limits
from gs1ld.cli._output import err_console, print_error, print_json, progress_bar

EXIT_INTERRUPTED = 130


@click.command()
@click.option(
    "--gtins",
    "gtins_file",
    required=True,
    metavar="FILE|-",
    help="GTINs, one per line (# comments and blank lines ignored); - for stdin.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="CATALOG",
    help="A directory (one {gtin14}.json per product) or a .jsonl file.",
)
@click.option(
    "--api-url",
    default=None,
    metavar="URL",
    help="API root (default: $GS1LD_API_URL, else the documented server). One set by a "
    "config file gets only a key given for its host: GS1LD_API_KEY_<HOST>.",
)
@click.option("--api-key", default=None, help="API key (default: $GS1LD_API_KEY).")
@click.option("--token", default=None, help="Bearer token instead of a key ($GS1LD_API_TOKEN).")
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests in flight at most.",
)
@click.option("--refresh", is_flag=True, help="Pull GTINs the catalog already has too.")
@click.option(
    "--no-governor", is_flag=True, help="Do not pace requests by the API's rate-limit headers."
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds per request attempt in all: connecting, sending and reading the whole "
    "answer (an answer that trickles in slower is cut off and retried).",
)
@click.option(
    "--max-wait",
    default=900.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Longest wait the API may ask for (Retry-After, rate-limit reset); a longer one "
    "fails that GTIN instead of being waited for.",
)
@limits_option
@report_options
@click.option(
    "--max-attempts",
    default=5,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Tries per request (5xx, 429, timeouts and dropped connections are retried).",
)
@click.pass_context
def pull(
    ctx: click.Context,
    gtins_file: str,
    output: str,
    api_url: str | None,
    api_key: str | None,
    token: str | None,
    concurrency: int,
    refresh: bool,
    no_governor: bool,
    timeout: float,
    max_attempts: int,
    max_wait: float,
    max_entry_bytes: int,
    report_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Pull the content bundle of every GTIN into a catalog.

    GTINs are normalised and check-digit verified before any request (bad ones
    are reported, not sent). Resumable: GTINs the catalog has are skipped unless
    --refresh. Every request is bounded (answer size by --max-entry-bytes, time by
    --timeout, waits by --max-wait); an answer that is not JSON fails that GTIN
    only. Exits 0 when every GTIN was pulled, 1 when any failed or was refused,
    2 when it could not run, 130 when interrupted (only complete entries remain;
    run again to resume).
    """
    from urllib.parse import urlsplit

    from gs1ld import _secrets
    from gs1ld._secrets import redact as shown
    from gs1ld.cli._api import ApiTargetError, resolve_api
    from gs1ld.cli._config import config_file, options_from_file
    from gs1ld.errors import Gs1ldError
    from gs1ld.feed.client import AsyncClient, ClientOptions, RetryPolicy
    from gs1ld.feed.pull import PullResult, pull_catalog, read_gtins

    _secrets.remember(  # every credential the run can see, sent or not
        api_key, token, os.environ.get("GS1LD_API_KEY"), os.environ.get("GS1LD_API_TOKEN")
    )
    try:
        target = resolve_api(ctx, api_url=api_url, api_key=api_key, token=token)
    except ApiTargetError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_CANNOT_RUN)
    _secrets.remember(target.api_key, target.token, urlsplit(target.url).password)
    options = ClientOptions(  # not from_env: only the credentials bound to this host
        api_url=target.url,
        api_key=target.api_key,
        token=target.token,
        timeout=timeout,
        governor=not no_governor,
        retry=RetryPolicy(max_attempts=max_attempts),
        max_wait=max_wait,
        max_response_bytes=max_entry_bytes,
    )
    limits = to_limits(max_entry_bytes)
    if not options.api_key and not options.token:
        print_error(
            "no API key: pass --api-key or set GS1LD_API_KEY (or --token / GS1LD_API_TOKEN)"
        )
        sys.exit(EXIT_CANNOT_RUN)
    settings = config_file(ctx)
    from_file = options_from_file(ctx) if settings is not None else []
    err_console.print(
        f"API: {target.host} ({target.url}, from {target.origin})", markup=False, highlight=False
    )
    if from_file:
        err_console.print(
            f"options from {settings}: {', '.join(from_file)}", markup=False, highlight=False
        )
    try:
        text = sys.stdin.read() if gtins_file == "-" else Path(gtins_file).read_text("utf-8")
    except OSError as exc:
        print_error(f"cannot read {gtins_file}: {exc.strerror}")
        sys.exit(EXIT_CANNOT_RUN)
    lines = list(read_gtins(text.splitlines()))

    async def run() -> object:
        async with AsyncClient(options=options) as client:
            with progress_bar("Pulling", len(lines), sys.stderr.isatty()) as progress:
                task = progress.add_task("Pulling", total=len(lines)) if progress else None

                def advance(result: PullResult) -> None:
                    if progress is not None and task is not None:
                        progress.advance(task)
                    if verbose and not quiet and result.ok and report_format != "json":
                        click.echo(f"{result.gtin} pulled")

                return await pull_catalog(
                    lines,
                    output,
                    client=client,
                    concurrency=concurrency,
                    refresh=refresh,
                    on_result=advance,
                    limits=limits,
                )

    interrupted = "interrupted: only complete entries were written; run again to resume"
    try:
        report = asyncio.run(run())
    except KeyboardInterrupt:
        err_console.print(interrupted, markup=False, highlight=False)
        sys.exit(EXIT_INTERRUPTED)
    except (OSError, Gs1ldError) as exc:
        err_console.print(f"error: {shown(str(exc))}", markup=False, highlight=False)
        sys.exit(EXIT_CANNOT_RUN)
    from gs1ld.feed.pull import PullReport

    assert isinstance(report, PullReport)
    if report.interrupted:  # cancelled by Ctrl-C: no summary, so `pull && build` stops here
        err_console.print(interrupted, markup=False, highlight=False)
        sys.exit(EXIT_INTERRUPTED)
    failed = sorted(report.failed, key=lambda f: f.gtin)
    code = EXIT_INVALID if report.failed or report.refused else EXIT_OK
    if report_format == "json":
        print_json(
            {
                "pulled": report.written,
                "skipped": report.skipped,
                "failed": len(report.failed),
                "refused": len(report.refused),
                "output": output,
                "api": {"host": target.host, "url": target.url, "from": target.origin},
                "config_file": None if settings is None else str(settings),
                "options_from_config_file": from_file,
                "failures": [{"gtin": f.gtin, "reason": shown(f.reason)} for f in failed],
                "refused_lines": [
                    {"line": line.line, "text": shown(line.raw), "reason": line.error}
                    for line in report.refused
                ],
            }
        )
        sys.exit(code)
    for line in [] if quiet else report.refused:
        click.echo(shown(f"{gtins_file}:{line.line} {line.raw}: {line.error}"))
    for failure in [] if quiet else failed:
        click.echo(shown(f"{failure.gtin}: {failure.reason}"))
    click.echo(
        f"{report.written} pulled, {report.skipped} already there, "
        f"{len(report.failed)} failed, {len(report.refused)} refused -> {output}"
    )
    sys.exit(code)
