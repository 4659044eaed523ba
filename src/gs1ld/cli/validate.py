"""``gs1ld validate``: check any GS1 JSON-LD as RDF against the GS1 Web Vocabulary."""

from __future__ import annotations

import json
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click
import orjson

from gs1ld.cli import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK
from gs1ld.cli._options import (
    limits_option,
    parse_day,
    renamed_option,
    report_options,
    scheduler_option,
    to_limits,
    today_option,
    workers_option,
)
from gs1ld.cli._output import cannot_run, progress_reporter
from gs1ld.errors import Gs1ldError, ParseError
from gs1ld.limits import Limits, entry_problem

if TYPE_CHECKING:
    from gs1ld.validation import DocumentReport


class _UnreadableError(ParseError):
    """The target itself cannot be read: nothing can be validated."""


class _Malformed(NamedTuple):
    """A file, or a line of one, that is not JSON or cannot be read: reported, then skipped."""

    reason: str


def _documents(target: str) -> Iterator[tuple[str, Any]]:
    """(source, document) pairs from a file, a directory, or ``-`` (JSON or JSON Lines).

    A file or line that cannot be read is a :class:`_Malformed` document, so it
    is reported among the others and the rest are still validated.  A target
    without any document is an error: there is nothing to call valid.
    """
    count = 0
    for pair in _read_target(target):
        count += 1
        yield pair
    if count == 0:
        raise _UnreadableError(f"{target} holds no JSON-LD documents to validate")


def _read_target(target: str) -> Iterator[tuple[str, Any]]:
    if target == "-":
        yield from _from_text("<stdin>", sys.stdin.buffer.read())
        return
    path = Path(target)
    if not path.exists():
        raise _UnreadableError(f"cannot read {target}: no such file or directory")
    if path.is_dir():
        files = sorted(p for ext in ("*.jsonld", "*.json", "*.jsonl") for p in path.rglob(ext))
        for file in files:
            yield from _from_file(file)
        return
    yield from _from_file(path)


def _from_file(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield str(path), _Malformed(f"cannot read the file: {exc.strerror}")
        return
    yield from _from_text(str(path), data, lines=path.suffix == ".jsonl")


def _from_text(name: str, data: bytes, *, lines: bool = False) -> Iterator[tuple[str, Any]]:
    if not lines:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            lines = True
        else:
            if isinstance(value, list):
                yield from ((f"{name}[{i}]", doc) for i, doc in enumerate(value))
            else:
                yield name, value
            return
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{name}:{number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield f"{name}:{number}", _Malformed(f"invalid JSON: {exc.msg}")


def _within_limits(
    documents: Iterable[tuple[str, Any]], limits: Limits, refused: deque[tuple[str, str] | None]
) -> Iterator[tuple[str, Any]]:
    """The documents within the limits; each one outside them leaves (source, why) in ``refused``.

    ``refused`` gets a None for every document passed on, so the caller can put
    the refused ones back in input order among the reports.
    """
    for source, document in documents:
        if isinstance(document, _Malformed):
            refused.append((source, document.reason))
            continue
        problem = entry_problem(document, limits)
        if problem is None:
            refused.append(None)
            yield source, document
        else:
            refused.append((source, str(problem)))


def _in_order(
    reports: Iterator[DocumentReport], refused: deque[tuple[str, str] | None]
) -> Iterator[tuple[DocumentReport | None, tuple[str, str] | None]]:
    """Reports and refused documents in input order (the validator reads ahead in batches)."""
    for report in reports:
        while refused and refused[0] is not None:
            yield None, refused.popleft()
        if refused:
            refused.popleft()
        yield report, None
    while refused:
        item = refused.popleft()
        if item is not None:
            yield None, item


@click.command()
@click.argument("target", default="-")
@report_options
@click.option(
    "--allow-remote-contexts",
    is_flag=True,
    help="Fetch context URLs gs1ld does not have locally (off: they are refused).",
)
@workers_option("Validating processes (default: every CPU; 1 validates in this process).")
@renamed_option("--jobs", "--workers", "workers", type=click.IntRange(min=1))
@limits_option
@scheduler_option
@today_option
def validate(
    target: str,
    report_format: str,
    quiet: bool,
    verbose: bool,
    allow_remote_contexts: bool,
    workers: int | None,
    max_entry_bytes: int,
    scheduler: str | None,
    today: str | None,
) -> None:
    """Validate GS1 JSON-LD in TARGET (a file, a directory, or - for stdin).

    Accepts single documents, arrays, @graph documents and JSON Lines, from any
    tool. Checks form (terms, types, code lists, GTIN, Digital Link @id) and
    meaning (an allergen both FREE_FROM and CONTAINS, a vegan diet beside an
    animal allergen, an ACTIVE certificate ended before --today, BY_SERVING
    without a serving basis, an empty file URL). Prints one line per finding
    (`<file> <gtin or node> <property>: <message> (<shape or rule>)`) and a summary.
    Exits 0 when valid (warnings allowed), 1 on violations or when a file or line
    is not JSON (each reported, the others still validated), 2 when it could not
    run (no such TARGET, a refused context).
    Large inputs are validated on every CPU in bounded batches, so memory stays
    flat however many documents come. A document over the size or nesting limits
    is reported as invalid (exit 1) and not validated.
    """
    from gs1ld.validation import DocumentReport, Report, validate_stream

    day = parse_day(today)
    kept = []
    valid = invalid = warnings = 0
    fmt = report_format
    failed_to_run = False
    refused: deque[tuple[str, str] | None] = deque()
    try:
        with ExitStack() as stack:
            client = None
            if scheduler is not None:
                from gs1ld.cluster import dask_client

                client = stack.enter_context(dask_client(scheduler))
            stream = validate_stream(
                _within_limits(_documents(target), to_limits(max_entry_bytes), refused),
                jobs=workers,
                allow_remote_contexts=allow_remote_contexts,
                today=day,
                executor=client,
            )
            shown = stack.enter_context(progress_reporter("Validating"))
            for doc, refusal in _in_order(stream, refused):
                shown.advance()
                if refusal is not None:
                    invalid += 1
                    if fmt == "json":
                        kept.append(DocumentReport(refusal[0], None, error=refusal[1]))
                    elif not quiet:
                        click.echo(f"{refusal[0]} - -: {refusal[1]}")
                    continue
                assert doc is not None
                failed_to_run = failed_to_run or bool(doc.error)
                valid += doc.conforms
                invalid += not doc.conforms
                warnings += len(doc.warnings)
                if fmt == "json":
                    kept.append(doc)
                    continue
                if quiet:
                    continue
                if verbose and doc.conforms and not doc.findings:
                    click.echo(f"{doc.source} {doc.gtin or '-'}: valid")
                if doc.error:
                    click.echo(f"{doc.source} - -: {doc.error}")
                for finding in doc.findings:
                    who = doc.gtin or finding.focus
                    label = "" if finding.severity == "Violation" else "warning: "
                    click.echo(
                        f"{doc.source} {who} {finding.path}: {label}{finding.message} "
                        f"({finding.shape or finding.rule})"
                    )
    except Gs1ldError as exc:  # _UnreadableError too
        cannot_run(exc, as_json=fmt == "json")
    if fmt == "json":
        click.echo(json.dumps(Report(tuple(kept)).as_json(), indent=2))
    else:
        click.echo(f"{valid} valid, {invalid} invalid, {warnings} warnings")
    if failed_to_run:
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(EXIT_INVALID if invalid else EXIT_OK)
