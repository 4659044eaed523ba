"""What a site build did: counts and invalid products, tallied from its staged rows.

Both engines (the in-process build and the Dask build) stage entries with
:func:`~gs1ld.site.partition.stage_partition` and tally the rows it returns here,
so a report means the same whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gs1ld.errors import Problem, PublishError

if TYPE_CHECKING:
    from gs1ld.config import SiteConfig
    from gs1ld.site.partition import StagedRow
    from gs1ld.site.rows import SummaryRows

__all__ = ["BuildProgress", "BuildReport", "InvalidProduct", "Tally", "check_removals"]


def _ignore(*_: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """Where a build says how far it has got; every callback is optional.

    Attributes:
        phase: called with each phase's name as it starts: ``reading``,
            ``staging``, ``site-wide files``, ``publishing``.
        entries: called with how many catalog entries were just staged.
        part: called with (parts finished, parts in all) each time a cluster
            finishes a part of the catalog.
    """

    phase: Callable[[str], None] = _ignore
    entries: Callable[[int], None] = _ignore
    part: Callable[[int, int], None] = _ignore

    @classmethod
    def of(cls, given: BuildProgress | Callable[[int], None] | None) -> BuildProgress:
        """``given`` as a :class:`BuildProgress` (a plain callable counts entries)."""
        if given is None:
            return cls()
        return given if isinstance(given, BuildProgress) else cls(entries=given)


@dataclass(frozen=True, slots=True)
class InvalidProduct:
    """A product that was not published, and why."""

    location: str
    gtin: str | None
    problems: tuple[Problem, ...]
    kept_previous: bool = False


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    built: int = 0
    unchanged: int = 0
    removed: int = 0
    invalid: list[InvalidProduct] = field(default_factory=list)

    @property
    def published(self) -> int:
        """Products in the new site."""
        return self.built + self.unchanged + sum(1 for i in self.invalid if i.kept_previous)

    def summary(self) -> str:
        """``12 built, 0 unchanged, 1 removed, 2 invalid``."""
        return (
            f"{self.built} built, {self.unchanged} unchanged, {self.removed} removed, "
            f"{len(self.invalid)} invalid"
        )


class Tally:
    """Counts staged rows into a :class:`BuildReport` and their manifest entries into ``rows``.

    Rows may come in any order (workers finish when they finish); the invalid
    products are reported in catalog order.
    """

    def __init__(self, rows: SummaryRows) -> None:
        self._rows = rows
        self._report = BuildReport()
        self._invalid: list[tuple[int, InvalidProduct]] = []
        self._carried = 0

    def add(self, staged: Iterable[StagedRow]) -> int:
        """Count rows; return how many there were."""
        count = 0
        for row in staged:
            count += 1
            if row.entry is not None:
                self._rows.add(row.entry)
                self._carried += row.was_published
            if row.status == "built":
                self._report.built += 1
            elif row.status == "unchanged":
                self._report.unchanged += 1
            else:
                kept = row.status == "kept"
                self._invalid.append(
                    (row.position, InvalidProduct(row.location, row.gtin, row.problems, kept))
                )
        return count

    def report(self, previous_count: int) -> BuildReport:
        """The report, given how many products the previous site published."""
        self._report.invalid = [product for _, product in sorted(self._invalid, key=_first)]
        self._report.removed = previous_count - self._carried
        return self._report


def _first(pair: tuple[int, InvalidProduct]) -> int:
    return pair[0]


def check_removals(report: BuildReport, published_before: int, config: SiteConfig) -> None:
    """Refuse a build that would remove more published products than the site allows.

    Called once every product is staged and before anything of the live site
    changes, so a refused build leaves the site as it was.

    Raises:
        PublishError: the build would remove more than ``config.max_removals``
            allows (the message names the count and how to allow it).
    """
    limit = config.max_removals
    if limit.allows(removed=report.removed, published=published_before):
        return
    share = report.removed / published_before if published_before else 1.0
    raise PublishError(
        f"The build would remove {report.removed} of the {published_before} published "
        f"products ({share:.0%}), more than --max-removals allows ({limit}: at most "
        f"{limit.allowed(published_before)}); nothing was changed. Check the catalog "
        f"({report.published} products in it would be published; `gs1ld site build "
        f"--dry-run` lists every change); if the removals are intended, build again with "
        f"--max-removals {report.removed}."
    )
