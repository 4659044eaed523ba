"""Options several commands share, defined once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

__all__ = ["parse_day", "today_option"]

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
