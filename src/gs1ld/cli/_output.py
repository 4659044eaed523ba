"""Terminal output shared by the commands: problem lines, summaries, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TextIO, TypeVar

import click
import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from gs1ld.config import ExportConfig
from gs1ld.errors import Problem

__all__ = [
    "Reporter",
    "cannot_run",
    "err_console",
    "missing_pages_note",
    "out_console",
    "print_error",
    "print_json",
    "problem_json",
    "problem_line",
    "progress_bar",
    "progress_over",
    "progress_reporter",
]

T = TypeVar("T")

out_console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(message: object) -> None:
    """``error: <message>`` on stderr, the message printed literally.

    Messages quote input and name extras (``pip install 'gs1ld[s3]'``); console
    markup would read ``[s3]`` as a style and swallow it, so it is escaped.
    """
    err_console.print(Text.assemble(("error:", "red"), " ", str(message)), highlight=False)


def cannot_run(message: object, *, as_json: bool, stream: TextIO | None = None) -> NoReturn:
    """Stop a command that could not run: ``error:`` on stderr and exit 2.

    With a JSON report asked for, the program reading it gets the error as
    ``{"error": ..., "exit_code": 2}`` too (on ``stream``, stdout by default),
    never an empty output.
    """
    print_error(message)
    if as_json:
        print_json({"error": str(message), "exit_code": 2}, stream=stream)
    sys.exit(2)


def problem_line(location: str, gtin: str | None, problem: Problem) -> str:
    """``<source>:<line or file> <gtin> <path>: <message>`` — one line per problem."""
    return f"{location} {gtin or '-'} {problem}"


def problem_json(location: str, gtin: str | None, problem: Problem) -> dict[str, Any]:
    """One problem as a JSON object: where, which product, which field, and the message."""
    return {"location": location, "gtin": gtin, "path": problem.path, "message": str(problem)}


def print_json(summary: dict[str, Any], *, stream: TextIO | None = None) -> None:
    """Print a ``--format json`` summary: one indented JSON object (stdout by default).

    Secrets the run was given are redacted from every text in it before it is
    encoded (so a secret JSON escapes cannot slip past).
    """
    from gs1ld._secrets import redact_data

    summary = redact_data(summary)
    text = orjson.dumps(summary, option=orjson.OPT_INDENT_2, default=str).decode("utf-8")
    click.echo(text, file=stream)


class _RateColumn(ProgressColumn):
    """Items per second, once rich has measured a rate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


@contextmanager
def progress_bar(description: str, total: int | None, enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on stderr (rate, elapsed, ETA when the total is known), or None."""
    if not enabled:
        yield None
        return
    columns = [
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if total else TextColumn("{task.completed} done"),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err_console, transient=True) as progress:
        yield progress


class Reporter:
    """What a long command shows while it works: the phase, a count, the rate and the
    time elapsed, on a terminal; under ``--scheduler`` also one line per finished part.

    Every command that works through many products reports through this one class,
    so their progress reads alike.
    """

    def __init__(
        self, progress: Progress | None, description: str, total: int | None, part_lines: bool
    ) -> None:
        self._progress = progress
        self._description = description
        self._task = progress.add_task(description, total=total) if progress else None
        self._part_lines = part_lines
        self.count = 0

    @property
    def task(self) -> Task | None:
        """The bar's task (description, count, rate), when a bar is shown."""
        if self._progress is None or self._task is None:
            return None
        return self._progress.tasks[self._task]

    def phase(self, name: str) -> None:
        """A new phase starts (``staging``, ``site-wide files``...)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=f"{self._description}: {name}")

    def advance(self, count: int = 1) -> None:
        """``count`` more products done."""
        self.count += count
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, count)

    def part(self, done: int, total: int) -> None:
        """A cluster finished part ``done`` of ``total``."""
        if self._part_lines:
            err_console.print(
                f"{self._description}: part {done} of {total} done, {self.count:,} products so far",
                markup=False,
                highlight=False,
            )


@contextmanager
def progress_reporter(
    description: str,
    *,
    total: int | None = None,
    enabled: bool | None = None,
    part_lines: bool = False,
) -> Iterator[Reporter]:
    """A :class:`Reporter`: a bar on stderr when it is a terminal (or as ``enabled``
    says), and part lines when ``part_lines`` (a run on a cluster that reports)."""
    show = sys.stderr.isatty() if enabled is None else enabled
    with progress_bar(description, total, show) as progress:
        yield Reporter(progress, description, total, part_lines)


def progress_over(
    items: Iterable[T], description: str, *, total: int | None = None, enabled: bool | None = None
) -> Iterator[T]:
    """Yield ``items``, showing a progress bar on stderr when it is a terminal."""
    show = sys.stderr.isatty() if enabled is None else enabled
    with progress_bar(description, total, show) as progress:
        if progress is None:
            yield from items
            return
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)


def missing_pages_note(config: ExportConfig) -> str | None:
    """What to say, once, when page links are left out because no page domain is known."""
    if config.page_base is not None:
        return None
    return (
        "note: page links (gs1:pip, gs1:allergenInfo, gs1:masterData...) are left out: "
        f"--base-url {config.base_url} is GS1's resolver, where gs1ld's pages do not "
        "exist; give --pages-url (or your own --base-url) to link them."
    )
