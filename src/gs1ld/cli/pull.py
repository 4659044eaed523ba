"""``gs1ld pull``: pull catalog entries from the product API."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._api_session import ApiOptions, api_options, open_api
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
@api_options
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests in flight at most.",
)
@click.option("--refresh", is_flag=True, help="Pull GTINs the catalog already has too.")
@limits_option
@report_options
@click.pass_context
def pull(
    ctx: click.Context,
    api: ApiOptions,
    gtins_file: str,
    output: str,
    concurrency: int,
    refresh: bool,
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
    from gs1ld._secrets import redact as shown
    from gs1ld.errors import Gs1ldError
    from gs1ld.feed.client import AsyncClient
    from gs1ld.feed.pull import PullResult, pull_catalog, read_gtins

    session = open_api(
        ctx,
        api,
        max_response_bytes=max_entry_bytes,
        as_json=report_format == "json",
    )
    options = session.options
    limits = to_limits(max_entry_bytes)
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
                **session.report(),
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
